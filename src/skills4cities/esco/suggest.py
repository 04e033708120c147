"""Suggest ESCO skills for a piece of text (an element's title and description, a course outcome …).

``suggest_esco_skills(text)`` asks the configured ``SkillSuggester``. The default is lexical: labels and
text are normalised (lower case, accents removed, stop words dropped, a light English stemmer so that
"budgeting", "budgets" and "budget" meet), every word weighted by its rarity among all labels (IDF),
and each preferred or alternative label scored by how much of it the text covers and how much of the
text it covers:

    score(label) = 0.7 · covered(label by text) + 0.3 · covered(text by label)
    covered(a by b) = Σ idf(words of a found in b) / Σ idf(words of a)

A match on an alternative label counts 0.95 of one on the preferred label; a skill scores as its best
label. This needs no database features beyond reading the labels, so it
behaves the same on SQLite and PostgreSQL. A semantic matcher (a later issue) plugs in through the same
``SkillSuggester`` protocol: name a factory in the setting ``ESCO_SKILL_SUGGESTER`` (a dotted path to a
callable that returns a suggester).
"""

from __future__ import annotations

import math
import re
import threading
import unicodedata
from array import array
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from skills4cities.esco.enums import ConceptStatus
from skills4cities.esco.models import EscoRelease, EscoSkill

LABEL_WEIGHT = 0.7
TEXT_WEIGHT = 1 - LABEL_WEIGHT
ALTERNATIVE_FACTOR = 0.95  # alternative labels are looser than preferred ones: an equal match counts a little less
MAX_TEXT_CHARS = 4000

_WORD = re.compile(r"[a-z0-9][a-z0-9+#]*")
_STOP_WORDS = frozenset({
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "has", "have", "in", "into", "is", "it", "its",
    "of", "on", "or", "such", "that", "the", "their", "them", "this", "to", "was", "were", "will", "with", "within",
    "without",
})  # fmt: skip
_SUFFIXES = ("ations", "ation", "ments", "ment", "ings", "ing", "ers", "er", "ed", "es", "s")
_DOUBLING = frozenset({"ings", "ing", "ers", "er", "ed"})


@dataclass(frozen=True)
class Suggestion:
    uri: str
    label: str  # the skill's preferred label
    score: float  # 0 … 1
    matched_label: str | None = None  # the alternative label that matched best; None when the preferred one did


class SkillSuggester(Protocol):
    def suggest(self, text: str, *, limit: int = 10) -> list[Suggestion]: ...


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A light English stemmer: plural, -ing, -ed, -er, -ment, -ation and final -e endings; -ize spelt -ise.

    "manage", "manages", "managing", "manager" and "management" all become "manag"; "planning" "plan".
    """
    if len(word) <= 3 or not word.isalpha():
        return word
    if "iz" in word:
        word = re.sub(r"iz(e|es|ed|ing|ation|ations)$", r"is\1", word)
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            if suffix == "s" and word.endswith(("ss", "us", "is")):
                break
            word = word[: -len(suffix)]
            if suffix in _DOUBLING and len(word) >= 4 and word[-1] == word[-2] and word[-1] not in "lsz":
                word = word[:-1]
            break
    if word.endswith("e") and len(word) > 3:
        word = word[:-1]
    return word


def tokens(text: str) -> list[str]:
    """Normalised, stemmed words of ``text`` without stop words, in order, without repeats."""
    folded = unicodedata.normalize("NFKD", text.lower()).encode("ascii", "ignore").decode()
    return list(dict.fromkeys(stem(word) for word in _WORD.findall(folded) if word not in _STOP_WORDS))


class LexicalSuggester:
    """IDF-weighted word overlap over preferred and alternative labels (see the module docstring)."""

    def __init__(self, skills: Iterable[tuple[str, str, Iterable[str]]]) -> None:
        """``skills``: ``(uri, preferred label, alternative labels)`` for every skill to suggest from."""
        self.uris: list[str] = []
        self.preferred: list[str] = []
        self.labels: list[str] = []
        self.label_skill = array("i")
        self.label_factor = array("d")
        postings: dict[str, list[int]] = {}
        label_tokens: list[list[str]] = []
        for uri, preferred, alternatives in skills:
            skill = len(self.uris)
            self.uris.append(uri)
            self.preferred.append(preferred)
            for label in dict.fromkeys([preferred, *alternatives]):
                words = tokens(label)
                if not words:
                    continue
                index = len(self.labels)
                self.labels.append(label)
                self.label_skill.append(skill)
                self.label_factor.append(1.0 if label == preferred else ALTERNATIVE_FACTOR)
                label_tokens.append(words)
                for word in words:
                    postings.setdefault(word, []).append(index)
        count = max(len(self.labels), 1)
        self.idf = {word: math.log(1 + (count - len(ids) + 0.5) / (len(ids) + 0.5)) for word, ids in postings.items()}
        self.unknown_idf = math.log(1 + (count + 0.5) / 0.5)
        self.postings = {word: array("i", ids) for word, ids in postings.items()}
        self.label_mass = array("d", (sum(self.idf[word] for word in words) for words in label_tokens))

    def __len__(self) -> int:
        return len(self.uris)

    def suggest(self, text: str, *, limit: int = 10) -> list[Suggestion]:
        words = tokens(text[:MAX_TEXT_CHARS])
        if not words or limit <= 0:
            return []
        text_mass = sum(self.idf.get(word, self.unknown_idf) for word in words)
        overlap: dict[int, float] = {}
        for word in words:
            ids = self.postings.get(word)
            if ids is None:
                continue
            weight = self.idf[word]
            for label in ids:
                overlap[label] = overlap.get(label, 0.0) + weight
        best: dict[int, tuple[float, int]] = {}
        for label, mass in overlap.items():
            score = self.label_factor[label] * (
                LABEL_WEIGHT * mass / self.label_mass[label] + TEXT_WEIGHT * mass / text_mass
            )
            skill = self.label_skill[label]
            current = best.get(skill)
            if current is None or score > current[0] + 1e-12:
                best[skill] = (score, label)
        normalised = " ".join(text.lower().split())
        ranked = sorted(
            best.items(),
            key=lambda item: (
                -round(item[1][0], 9),
                self.labels[item[1][1]].lower() != normalised,  # the exact wording first among equals
                self.labels[item[1][1]] != self.preferred[item[0]],  # then preferred labels
                len(self.labels[item[1][1]]),
                self.preferred[item[0]],
            ),
        )
        suggestions = []
        for skill, (score, label) in ranked[:limit]:
            matched = self.labels[label]
            suggestions.append(
                Suggestion(
                    uri=self.uris[skill],
                    label=self.preferred[skill],
                    score=round(min(score, 1.0), 4),
                    matched_label=None if matched == self.preferred[skill] else matched,
                )
            )
        return suggestions


def _released_skills() -> Iterable[tuple[str, str, list[str]]]:
    rows = EscoSkill.objects.filter(status=ConceptStatus.RELEASED).order_by("pk")
    fields = ("uri", "preferred_label", "alt_labels", "hidden_labels")
    for uri, preferred, alternatives, hidden in rows.values_list(*fields).iterator(2000):
        yield uri, preferred, [*alternatives.splitlines(), *hidden.splitlines()]


_lock = threading.Lock()
_cached: tuple[Any, LexicalSuggester] | None = None


def lexical_suggester() -> LexicalSuggester:
    """The lexical suggester over the released skills, rebuilt when a new ESCO release was loaded."""
    global _cached
    key = EscoRelease.objects.order_by("-id").values_list("id", "created_at", "checksum").first()
    with _lock:
        if _cached is None or _cached[0] != key:
            _cached = (key, LexicalSuggester(_released_skills()))
        return _cached[1]


def reset_cache() -> None:
    global _cached
    with _lock:
        _cached = None


def configured_suggester() -> SkillSuggester:
    factory_path = getattr(settings, "ESCO_SKILL_SUGGESTER", "")
    if factory_path:
        factory: Callable[[], SkillSuggester] = import_string(factory_path)
        return factory()
    return lexical_suggester()


def suggest_esco_skills(text: str, *, limit: int = 10) -> list[Suggestion]:
    """ESCO skills for ``text``, best first."""
    if not text.strip():
        return []
    return configured_suggester().suggest(text, limit=limit)


def suggest_esco_skills_with_notice(text: str, *, limit: int = 10) -> tuple[list[Suggestion], str]:
    """ESCO skills for ``text``, best first, and the suggester's ``notice`` for the page, if it has one (the
    matching engine's says that its index is being prepared and word matches are shown meanwhile)."""
    if not text.strip():
        return [], ""
    suggester = configured_suggester()
    suggestions = suggester.suggest(text, limit=limit)
    return suggestions, str(getattr(suggester, "notice", "") or "")
