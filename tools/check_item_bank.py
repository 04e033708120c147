"""Check item bank files without a database: ``python tools/check_item_bank.py [UNIT.yaml …]``.

Checks the format of docs/formats/item-bank.md, that every element of the unit has at least ten
items, and that every text is present in all six languages. Exits 1 and names each problem.

``--cues`` reports instead whether option lengths give keys away: per language, how often the key of a
single-choice item is the longest, second-longest … option (ties count against the key), and how many
multiple-choice items have every key longer than every distractor. Exits 1 when a language exceeds
``MAX_RANK_SHARE`` at any rank or has such multiple-choice items in more than ``MAX_MULTIPLE_SHARE`` of them.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1] / "src" / "skills4cities"
ITEMS = ROOT / "exams" / "reference" / "skills4cities" / "items"
UNITS = ROOT / "frameworks" / "reference" / "skills4cities" / "units"
LANGUAGES = ("en", "bg", "ro", "el", "es", "de")
TYPES = ("single", "multiple", "true_false", "ordering")
MINIMUM = 10


def _text(problems: list[str], where: str, value: Any) -> None:
    if not isinstance(value, dict):
        problems.append(f"{where}: expected a mapping of languages")
        return
    for lang in LANGUAGES:
        text = value.get(lang)
        if not isinstance(text, str) or not text.strip():
            problems.append(f"{where}: missing {lang}")
    extra = sorted(set(value) - set(LANGUAGES))
    if extra:
        problems.append(f"{where}: unknown languages {extra}")


def check(path: Path) -> list[str]:
    problems: list[str] = []
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    unit = data.get("unit")
    unit_file = UNITS / f"{unit}.yaml"
    if not unit_file.exists():
        return [f"{path.name}: unknown unit {unit!r}"]
    elements = [e["code"] for e in yaml.safe_load(unit_file.read_text(encoding="utf-8"))["elements"]]
    keys: set[str] = set()
    per_element: Counter[str] = Counter()
    for index, item in enumerate(data.get("items") or [], start=1):
        where = f"{path.name} item {index} ({item.get('key', '?')})"
        key, element, kind = item.get("key"), item.get("element"), item.get("type")
        if key in keys:
            problems.append(f"{where}: duplicate key")
        keys.add(key)
        if element not in elements:
            problems.append(f"{where}: element {element!r} is not in unit {unit}")
        elif not str(key).startswith(f"{element}."):
            problems.append(f"{where}: key must start with the element code")
        per_element[element] += 1
        if item.get("level") not in (1, 2, 3, 4, 5):
            problems.append(f"{where}: level must be 1–5")
        if kind not in TYPES:
            problems.append(f"{where}: type must be one of {TYPES}")
            continue
        _text(problems, f"{where} stem", item.get("stem"))
        options = item.get("options") or []
        if kind == "true_false":
            if not isinstance(item.get("answer"), bool):
                problems.append(f"{where}: true_false needs answer: true|false")
            if options:
                problems.append(f"{where}: true_false has no options")
            _text(problems, f"{where} explanation", item.get("explanation"))
        elif kind == "ordering":
            if not 3 <= len(options) <= 6:
                problems.append(f"{where}: ordering needs 3–6 steps")
            for o, option in enumerate(options, start=1):
                _text(problems, f"{where} step {o}", option.get("text"))
            _text(problems, f"{where} explanation", item.get("explanation"))
        else:
            correct = sum(1 for option in options if option.get("correct") is True)
            if not 3 <= len(options) <= 6:
                problems.append(f"{where}: needs 3–6 options")
            if kind == "single" and correct != 1:
                problems.append(f"{where}: single needs exactly one correct option")
            if kind == "multiple" and (correct < 2 or len(options) < 4):
                problems.append(f"{where}: multiple needs ≥2 correct options among ≥4")
            for o, option in enumerate(options, start=1):
                if not isinstance(option.get("correct"), bool):
                    problems.append(f"{where} option {o}: correct must be true or false")
                _text(problems, f"{where} option {o} text", option.get("text"))
                _text(problems, f"{where} option {o} feedback", option.get("feedback"))
            if "explanation" in item:
                _text(problems, f"{where} explanation", item.get("explanation"))
    for element in elements:
        if per_element[element] < MINIMUM:
            problems.append(f"{path.name}: element {element} has {per_element[element]} items, needs ≥{MINIMUM}")
    return problems


MAX_RANK_SHARE = 0.40  # four options: 25 % each by chance
MAX_MULTIPLE_SHARE = 0.25


def length_cues(paths: list[Path]) -> tuple[dict[str, Counter[int]], dict[str, int], int, int]:
    """Per language: the key's length rank among the options of single-choice items (1 = longest; an option as
    long as the key counts as longer), and the number of multiple-choice items whose every key is longer than
    every distractor; then the numbers of single- and multiple-choice items."""
    ranks: dict[str, Counter[int]] = {lang: Counter() for lang in LANGUAGES}
    multiple: dict[str, int] = dict.fromkeys(LANGUAGES, 0)
    singles = multiples = 0
    for path in paths:
        for item in yaml.safe_load(path.read_text(encoding="utf-8")).get("items") or []:
            options = item.get("options") or []
            if item.get("type") == "single":
                singles += 1
                key = next(index for index, option in enumerate(options) if option.get("correct") is True)
                for lang in LANGUAGES:
                    lengths = [len(option["text"][lang]) for option in options]
                    ranks[lang][
                        1 + sum(1 for n, length in enumerate(lengths) if n != key and length >= lengths[key])
                    ] += 1
            elif item.get("type") == "multiple":
                multiples += 1
                for lang in LANGUAGES:
                    keys = [len(o["text"][lang]) for o in options if o.get("correct") is True]
                    others = [len(o["text"][lang]) for o in options if o.get("correct") is not True]
                    multiple[lang] += min(keys) > max(others)
    return ranks, multiple, singles, multiples


def report_cues(paths: list[Path]) -> int:
    ranks, multiple, singles, multiples = length_cues(paths)
    width = max((rank for counter in ranks.values() for rank in counter), default=4)
    print("key's length rank in single-choice items (1 = longest); multiple: all keys longer than all distractors")
    print("lang " + " ".join(f"{f'#{rank}':>6}" for rank in range(1, width + 1)) + "  multiple")
    failed = False
    for lang in LANGUAGES:
        shares = [ranks[lang][rank] / singles if singles else 0.0 for rank in range(1, width + 1)]
        multiple_share = multiple[lang] / multiples if multiples else 0.0
        bad = max(shares, default=0.0) > MAX_RANK_SHARE or multiple_share > MAX_MULTIPLE_SHARE
        failed |= bad
        cells = " ".join(f"{share:6.0%}" for share in shares)
        print(f"{lang:4} {cells}  {multiple[lang]:3}/{multiples}" + ("  too predictable" if bad else ""))
    print(f"{singles} single-choice and {multiples} multiple-choice items in {len(paths)} file(s)")
    return 1 if failed else 0


def main(argv: list[str]) -> int:
    if "--cues" in argv:
        argv = [arg for arg in argv if arg != "--cues"]
        return report_cues([Path(arg) for arg in argv] or sorted(ITEMS.glob("*.yaml")))
    paths = [Path(arg) for arg in argv] or sorted(ITEMS.glob("*.yaml"))
    problems = [problem for path in paths for problem in check(path)]
    for problem in problems:
        print(problem)
    print(f"{len(paths)} file(s), {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
