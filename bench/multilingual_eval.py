"""Cross-language agreement: do BG, EL, RO, ES and DE versions of a CV line retrieve the English one's top ESCO skill?

Usage:
    .venv/bin/python bench/multilingual_eval.py [--set tuning|test|all] [--show]

Each set of ``tests/matching/multilingual_pairs.py`` (24 English CV lines, each with five translations) is ranked
against its own candidate subset of at least 1,000 ESCO v1.2 skills (every expected skill, every skill sharing its
rarest word, a seeded sample of the rest), with the shipped ranker (``RankerConfig()``), as
``tests/matching/test_multilingual.py`` does. Printed per set and language: how many translations put the English
sentence's top-1 skill first (top-1) and within their top 5 (top-5); then how many English sentences find the skill
they were written for, and in how many rows all six languages agree. Try ranker changes on ``tuning``; ``test`` is
for reporting. ``--show`` lists each disagreement with the skill the translation ranked first.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "src")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "skills4cities.settings.base")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from tests.matching.multilingual_pairs import LANGUAGES, PAIRS, TUNING_PAIRS, subset_labels  # noqa: E402

from skills4cities.esco.services import BUNDLE_PATH  # noqa: E402
from skills4cities.matching.engine import Ranker, RankerConfig  # noqa: E402
from skills4cities.matching.engine.sources import SkillRecord, bundle_skills, skill_candidates  # noqa: E402

SETS = {"tuning": TUNING_PAIRS, "test": PAIRS}


def evaluate(name: str, pairs: list[tuple[str, tuple[str, str, str, str, str, str]]], *, show: bool) -> str:
    records: dict[str, SkillRecord] = {}
    everything = list(bundle_skills(BUNDLE_PATH))
    wanted = set(subset_labels(pairs, sorted({record.label for record in everything})))
    for record in everything:
        if record.label in wanted:
            records.setdefault(record.label, record)
    config = RankerConfig()
    candidates = skill_candidates(records.values(), descriptions=False, max_alternatives=config.max_alternatives)
    ranker = Ranker(candidates, config=config, cache_dir=settings.MATCHING_CACHE_DIR)
    width = len(LANGUAGES)
    rankings = ranker.rank([sentence for _label, versions in pairs for sentence in versions], top=5)
    top1 = dict.fromkeys(LANGUAGES[1:], 0)
    top5 = dict.fromkeys(LANGUAGES[1:], 0)
    english_correct = agreeing_rows = 0
    for row, (label, versions) in enumerate(pairs):
        english = rankings[row * width][0].label
        english_correct += english == label
        agree = True
        for column, language in enumerate(LANGUAGES[1:], start=1):
            ranked = [match.label for match in rankings[row * width + column]]
            top1[language] += ranked[0] == english
            top5[language] += english in ranked
            if ranked[0] != english:
                agree = False
                if show:
                    print(f"  {name} [{label}] {language}: {versions[column]!r} → {ranked[0]!r} (English: {english!r})")
        agreeing_rows += agree
    print(f"{name}: {len(pairs)} rows, {len(ranker)} candidates")
    print("  language  top-1      top-5")
    for language in LANGUAGES[1:]:
        print(f"  {language:8}  {top1[language]:2}/{len(pairs)}      {top5[language]:2}/{len(pairs)}")
    total = len(pairs) * (width - 1)
    return (
        f"set={name} english_correct={english_correct}/{len(pairs)} top1={sum(top1.values())}/{total} "
        f"top5={sum(top5.values())}/{total} rows_all_agree={agreeing_rows}/{len(pairs)}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", choices=["tuning", "test", "all"], default="all")
    parser.add_argument("--show", action="store_true", help="list each disagreement")
    args = parser.parse_args()
    names = ["tuning", "test"] if args.set == "all" else [args.set]
    lines = [evaluate(name, SETS[name], show=args.show) for name in names]
    for line in lines:
        print(line)


if __name__ == "__main__":
    main()
