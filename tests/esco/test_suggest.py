"""Lexical ESCO skill suggestions: normalisation, ranking, the database index and the pluggable suggester."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import override_settings

from skills4cities.esco.suggest import LexicalSuggester, Suggestion, reset_cache, stem, suggest_esco_skills, tokens
from tests.esco.official import BUDGETS, FOLDER, write_download

SKILL = "http://data.europa.eu/esco/skill/"
MANAGE_BUDGETS = f"{SKILL}21c5790c-0930-4d74-b3b0-84caf5af12ea"

SKILLS = [
    (f"{SKILL}budgets", "manage budgets", ["budget management", "control budgets"]),
    (f"{SKILL}school-budget", "manage school budget", ["oversee school budget"]),
    (f"{SKILL}stakeholders", "engage with stakeholders", ["involve stakeholders"]),
    (f"{SKILL}workshops", "organise workshops", ["run co-creation workshops"]),
    (f"{SKILL}journalism", "journalism", ["reporting"]),
]


@pytest.fixture
def suggester() -> LexicalSuggester:
    return LexicalSuggester(SKILLS)


@pytest.mark.parametrize(
    ("words", "stemmed"),
    [
        ("manage manages managing managed manager management", {"manag"}),
        ("budget budgets budgeting", {"budget"}),
        ("plan plans planned planning", {"plan"}),
        ("organise organize organisation organization organising", {"organis"}),
        ("process processes", {"process"}),
        ("policy policies", {"policy"}),
    ],
)
def test_the_stemmer_brings_word_forms_together(words: str, stemmed: set[str]) -> None:
    assert {stem(word) for word in words.split()} == stemmed


def test_tokens_are_lower_case_without_accents_stop_words_or_repeats() -> None:
    assert tokens("Manage the Budgets of a Smart-City Café; manage them!") == [
        "manag",
        "budget",
        "smart",
        "city",
        "caf",
    ]


def test_the_exact_preferred_label_scores_one_and_ranks_first(suggester: LexicalSuggester) -> None:
    suggestions = suggester.suggest("manage budgets")

    assert suggestions[0] == Suggestion(f"{SKILL}budgets", "manage budgets", 1.0, None)
    assert [s.uri for s in suggestions] == [f"{SKILL}budgets", f"{SKILL}school-budget"]


def test_word_forms_match_through_the_stemmer(suggester: LexicalSuggester) -> None:
    assert [s.label for s in suggester.suggest("budgeting")] == ["manage budgets", "manage school budget"]


def test_a_match_on_an_alternative_label_names_that_label(suggester: LexicalSuggester) -> None:
    suggestion = suggester.suggest("involving the stakeholders")[0]

    assert (suggestion.label, suggestion.matched_label, suggestion.score) == (
        "engage with stakeholders",
        "involve stakeholders",
        0.95,
    )


def test_an_alternative_label_counts_a_little_less_than_the_preferred_one() -> None:
    suggester = LexicalSuggester(
        [(f"{SKILL}a", "plan budgets", []), (f"{SKILL}b", "prepare finances", ["plan budgets"])]
    )

    assert [(s.label, s.score) for s in suggester.suggest("plan budgets")] == [
        ("plan budgets", 1.0),
        ("prepare finances", 0.95),
    ]


def test_rare_words_weigh_more_than_common_ones() -> None:
    """Three labels have "manage", one has "workshops": the workshop skill wins for a text with both."""
    suggester = LexicalSuggester(
        [
            (f"{SKILL}{n}", label, [])
            for n, label in enumerate(["manage staff", "manage teams", "manage budgets", "organise workshops"])
        ]
    )

    assert [s.label for s in suggester.suggest("manage workshops", limit=2)] == ["organise workshops", "manage staff"]


def test_a_long_text_ranks_labels_it_covers_fully(suggester: LexicalSuggester) -> None:
    text = "The project manager plans and runs co-creation workshops with residents and engages stakeholders."

    assert [s.label for s in suggester.suggest(text, limit=2)] == ["organise workshops", "engage with stakeholders"]


def test_unrelated_or_empty_text_and_zero_limit_suggest_nothing(suggester: LexicalSuggester) -> None:
    assert suggester.suggest("astronomy telescopes") == []
    assert suggester.suggest("  the and of ") == []
    assert suggester.suggest("manage budgets", limit=0) == []


def test_the_limit_caps_the_number_of_suggestions(suggester: LexicalSuggester) -> None:
    assert len(suggester.suggest("manage budgets stakeholders workshops reporting", limit=3)) == 3


@pytest.mark.django_db
def test_suggestions_over_the_shipped_esco_skills_put_manage_budgets_first() -> None:
    reset_cache()

    suggestions = suggest_esco_skills("manage budgets", limit=5)

    assert (suggestions[0].uri, suggestions[0].label, suggestions[0].score) == (MANAGE_BUDGETS, "manage budgets", 1.0)
    assert len(suggestions) == 5


@pytest.mark.django_db
def test_the_index_follows_a_new_esco_import(tmp_path: Path) -> None:
    reset_cache()
    assert suggest_esco_skills("manage budgets", limit=1)[0].uri == MANAGE_BUDGETS

    call_command("import_esco", str(write_download(tmp_path / FOLDER)), verbosity=0)

    assert suggest_esco_skills("manage budgets", limit=1)[0].uri == BUDGETS  # the old concept is now obsolete


class FixedSuggester:
    def suggest(self, text: str, *, limit: int = 10) -> list[Suggestion]:
        return [Suggestion(f"{SKILL}fixed", text.upper(), 0.5)][:limit]


def fixed_suggester() -> Any:
    return FixedSuggester()


@override_settings(ESCO_SKILL_SUGGESTER="tests.esco.test_suggest.fixed_suggester")
def test_another_suggester_plugs_in_through_the_setting() -> None:
    assert suggest_esco_skills("manage budgets") == [Suggestion(f"{SKILL}fixed", "MANAGE BUDGETS", 0.5)]
