"""Cross-language retrieval: do the BG, EL, RO, ES and DE versions of a sentence retrieve the English one's top skill?

Index: building the full ESCO preferred-label index (13,939 labels) takes about 107 s on two cores — over the
90 s budget for a test — so this test ranks a fixed subset of at least 1,000 ESCO v1.2 skills from the shipped
bundle: every expected skill, every skill whose preferred label shares a content word with an expected one (the
plausible distractors: every skill sharing the expected label's rarest word, e.g. all "… budget …" skills for
"manage budgets", all "… forklift …" skills for "operate forklift"), and a seeded random sample of the rest. Embeddings are cached in ``MATCHING_CACHE_DIR``, so only the first run encodes.
The ranker is the shipped one (``RankerConfig()``: preferred labels embedded, BM25 over all labels, label priors).
``bench/multilingual_eval.py`` prints the same figures for this set and for a separate tuning set.
"""

from __future__ import annotations

import pytest
from django.conf import settings

from skills4cities.esco.services import BUNDLE_PATH
from skills4cities.matching.engine import Ranker, RankerConfig
from skills4cities.matching.engine.sources import SkillRecord, bundle_skills, skill_candidates
from tests.matching.multilingual_pairs import LANGUAGES, PAIRS, TUNING_PAIRS, subset_labels


def subset() -> list[str]:
    return subset_labels(PAIRS, sorted({record.label for record in bundle_skills(BUNDLE_PATH)}))


@pytest.fixture(scope="module")
def esco_subset_ranker() -> Ranker:
    wanted = set(subset())
    assert len(wanted) >= 1000
    records: dict[str, SkillRecord] = {}
    for record in bundle_skills(BUNDLE_PATH):
        if record.label in wanted:
            records.setdefault(record.label, record)
    config = RankerConfig()
    candidates = skill_candidates(records.values(), descriptions=False, max_alternatives=config.max_alternatives)
    return Ranker(candidates, config=config, cache_dir=settings.MATCHING_CACHE_DIR)


def test_the_pairs_are_many_and_complete() -> None:
    assert len(PAIRS) >= 20
    assert len(TUNING_PAIRS) >= 20
    for _label, sentences in PAIRS + TUNING_PAIRS:
        assert len(sentences) == len(LANGUAGES)
        assert all(sentence.strip() for sentence in sentences)
    labels = {record.label for record in bundle_skills(BUNDLE_PATH)}
    assert {label for label, _ in PAIRS + TUNING_PAIRS} <= labels  # every expected skill is an ESCO skill
    # The tuning set shares no skill and no sentence with the test set.
    assert not {label for label, _ in PAIRS} & {label for label, _ in TUNING_PAIRS}
    assert not {s for _, v in PAIRS for s in v} & {s for _, v in TUNING_PAIRS for s in v}


# Measured with the shipped configuration on this subset: 72 of the 120 translations retrieve the English
# sentence's top-1 skill, 8 of the 24 pairs agree in all six languages, 94 of 120 translations have it in their
# top 5; 22 of the 24 English sentences find the skill they were written for (docs/matching.md, "Across languages"). The test guards these figures against regressions; strict top-1
# agreement in every language is NOT reached with multilingual-e5-small (4-bit).
MIN_TOP1_TRANSLATIONS = 72
MIN_TOP1_PAIRS = 8
MIN_TOP5_TRANSLATIONS = 94


def test_the_languages_retrieve_the_english_top_skill(esco_subset_ranker: Ranker) -> None:
    sentences = [sentence for _label, versions in PAIRS for sentence in versions]
    rankings = esco_subset_ranker.rank(sentences, top=5)
    width = len(LANGUAGES)
    english_correct = top1 = top5 = pairs = 0
    for row, (label, _versions) in enumerate(PAIRS):
        english = rankings[row * width][0].label
        english_correct += english == label
        others = [[match.label for match in rankings[row * width + column]] for column in range(1, width)]
        agreeing = sum(ranking[0] == english for ranking in others)
        top1 += agreeing
        top5 += sum(english in ranking for ranking in others)
        pairs += agreeing == width - 1
    assert english_correct >= len(PAIRS) - 2  # the English sentences find the skill they were written for
    assert top1 >= MIN_TOP1_TRANSLATIONS
    assert pairs >= MIN_TOP1_PAIRS
    assert top5 >= MIN_TOP5_TRANSLATIONS
