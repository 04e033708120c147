"""Check reference-content unit files without a database (for content writers and reviewers).

Usage: python3 tools/check_reference_unit.py src/skills4cities/frameworks/reference/skills4cities/units/U05.yaml [...]

Checks the layout of ``docs/formats/reference-content.md``: codes, six languages on titles and
descriptions, the number of K/S/A statements and criteria, ESCO URIs that exist in the shipped
bundle with their exact preferred label, and e-CF codes from the shipped e-CF list. The same rules
run again, with more, in ``skills4cities load_reference``.
"""

from __future__ import annotations

import gzip
import json
import re
import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "skills4cities"
LANGS = ("en", "bg", "ro", "el", "es", "de")


def _load_esco() -> dict[str, str]:
    with gzip.open(PACKAGE / "esco" / "data" / "esco-bundle.json.gz") as handle:
        bundle = json.loads(handle.read())
    labels = {item["uri"]: item["label"] for item in bundle["skills"]}
    labels.update({item["uri"]: item["label"] for item in bundle["occupations"]})
    return labels


def _load_ecf() -> set[str]:
    data = json.loads((PACKAGE / "frameworks" / "data" / "ecf-4.0.json").read_text())
    return {code for code, _title in data["competences"]}


def check_unit(path: Path, esco: dict[str, str], ecf: set[str]) -> list[str]:
    problems: list[str] = []

    def need_langs(value: object, where: str, langs: tuple[str, ...]) -> None:
        if not isinstance(value, dict):
            problems.append(f"{where}: expected a mapping of language → text")
            return
        for lang in langs:
            if not isinstance(value.get(lang), str) or not value[lang].strip():
                problems.append(f"{where}: missing {lang}")
        for lang in value:
            if lang not in LANGS:
                problems.append(f"{where}: unknown language {lang!r}")

    def check_alignments(alignments: list[dict[str, Any]] | None, where: str) -> int:
        esco_count = 0
        for i, al in enumerate(alignments or []):
            at = f"{where}.alignments[{i}]"
            if al.get("relation") not in ("exact", "broader", "narrower", "related"):
                problems.append(f"{at}: relation must be exact, broader, narrower or related")
            if al.get("target") in ("esco-skill", "esco-occupation"):
                uri = al.get("uri", "")
                if uri not in esco:
                    problems.append(f"{at}: {uri} is not in the shipped ESCO data")
                elif esco[uri] != al.get("label"):
                    problems.append(f"{at}: label {al.get('label')!r} differs from ESCO's {esco[uri]!r}")
                else:
                    esco_count += 1
            elif al.get("target") == "ecf":
                if al.get("code") not in ecf:
                    problems.append(f"{at}: {al.get('code')!r} is not an e-CF 4.0 code")
                if al.get("level") not in (1, 2, 3, 4, 5):
                    problems.append(f"{at}: e-CF level must be 1–5")
            else:
                problems.append(f"{at}: target must be esco-skill, esco-occupation or ecf")
        return esco_count

    try:
        unit = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        return [f"{path}: not valid YAML: {exc}"]
    code = unit.get("code")
    if code != path.stem:
        problems.append(f"{path}: code {code!r} must match the file name {path.stem!r}")
    need_langs(unit.get("title"), f"{path}: title", LANGS)
    need_langs(unit.get("description"), f"{path}: description", LANGS)
    elements = unit.get("elements") or []
    if len(elements) < 3:
        problems.append(f"{path}: a unit needs at least 3 elements, found {len(elements)}")
    for n, element in enumerate(elements, start=1):
        where = f"{path}: elements[{n - 1}]"
        if element.get("code") != f"{code}.E{n}":
            problems.append(f"{where}: code should be {code}.E{n}, found {element.get('code')!r}")
        need_langs(element.get("title"), f"{where}.title", LANGS)
        need_langs(element.get("description"), f"{where}.description", LANGS)
        for kind, low, high in (("knowledge", 2, 4), ("skills", 2, 4), ("attitudes", 1, 3)):
            items = element.get(kind) or []
            if not low <= len(items) <= high:
                problems.append(f"{where}.{kind}: {low}–{high} statements expected, found {len(items)}")
            for i, item in enumerate(items):
                need_langs(item, f"{where}.{kind}[{i}]", ("en",))
        criteria = element.get("criteria") or []
        if not 2 <= len(criteria) <= 4:
            problems.append(f"{where}.criteria: 2–4 criteria expected, found {len(criteria)}")
        for i, criterion in enumerate(criteria, start=1):
            if criterion.get("code") != f"{element.get('code')}.PC{i}":
                problems.append(f"{where}.criteria[{i - 1}]: code should be {element.get('code')}.PC{i}")
            need_langs(criterion.get("text"), f"{where}.criteria[{i - 1}].text", ("en",))
        if check_alignments(element.get("alignments"), where) == 0:
            problems.append(f"{where}: no valid ESCO skill alignment")
        if not re.match(r"^[A-Z]", str((element.get("title") or {}).get("en", ""))):
            problems.append(f"{where}.title.en: should start with a capital letter")
    return problems


def main(argv: list[str]) -> int:
    esco, ecf = _load_esco(), _load_ecf()
    problems: list[str] = []
    for name in argv:
        problems.extend(check_unit(Path(name), esco, ecf))
    for problem in problems:
        print(problem)
    print(f"{len(argv)} file(s) checked, {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
