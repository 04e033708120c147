"""Build the ESCO bundle shipped in the package from the ESCO files in ../shared/data/esco/.

Usage: python tools/build_esco_bundle.py [ESCO_DIR] [OUTPUT]

The bundle is one gzip'd JSON document: skill groups, skills (preferred and alternative labels,
description, groups) and occupations (labels, ISCO code, description). It lets ``load_reference``
resolve alignments offline on a fresh install. ESCO is © European Union, reused under Commission
Decision 2011/833/EU: "This service uses the ESCO classification of the European Commission."

About 250 skills in the v1.2 file carry no separate preferred label (labelSource ``unsplit``,
only a run-together ``fullText``). Their text is split before the first capitalised word: the
part before is used as the label, the rest as the description.
"""

from __future__ import annotations

import csv
import gzip
import json
import re
import sys
from pathlib import Path

SKILL_BASE = "http://data.europa.eu/esco/skill/"
_FIRST_SENTENCE = re.compile(r"\s(?=[A-Z][a-z])")


def _labels(cell: str) -> list[str]:
    return [label.strip() for label in re.split(r"\n|\s\|\s", cell or "") if label.strip()]


def _split_unsplit(full_text: str) -> tuple[str, str]:
    match = _FIRST_SENTENCE.search(full_text)
    if not match:
        return full_text.strip(), ""
    return full_text[: match.start()].strip(), full_text[match.end() :].strip()


def build(esco_dir: Path) -> dict[str, object]:
    group_names: dict[str, str] = json.loads((esco_dir / "skill_group_codes_v1.1.1.json").read_text())
    groups: dict[str, dict[str, str]] = {}
    with (esco_dir / "skillGroups_en.csv").open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            uri = row["conceptUri"]
            code = uri.rsplit("/", 1)[-1] if uri.startswith(SKILL_BASE) else ""
            groups[uri] = {
                "uri": uri,
                "code": code,
                "label": row["preferredLabel"].strip(),
                "description": (row.get("description") or "").strip(),
            }
    by_code = {group["code"]: uri for uri, group in groups.items() if group["code"]}
    for code, name in group_names.items():  # codes used by skills but absent from skillGroups_en.csv
        if code not in by_code:
            uri = SKILL_BASE + code
            groups[uri] = {"uri": uri, "code": code, "label": name, "description": ""}
            by_code[code] = uri

    skills = []
    with (esco_dir / "skills_v1.2_en.csv").open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            label, description = row["preferredLabel"].strip(), row["description"].strip()
            if not label:
                label, description = _split_unsplit(row["fullText"])
            skills.append(
                {
                    "uri": row["conceptUri"],
                    "label": label,
                    "alt": _labels(row["altLabels"]),
                    "description": description,
                    "groups": [by_code[code] for code in row["skillGroupCodes"].split() if code in by_code],
                }
            )

    occupations = []
    with (esco_dir / "occupations_en.csv").open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            occupations.append(
                {
                    "uri": row["conceptUri"],
                    "label": row["preferredLabel"].strip(),
                    "alt": _labels(row["altLabels"]),
                    "description": (row.get("description") or row.get("definition") or "").strip(),
                    "isco": row["iscoGroup"].strip(),
                }
            )
    return {
        "format": "skills4cities-esco-bundle",
        "format_version": 1,
        "release": "1.2 skills / 1.1 occupations",
        "attribution": "This service uses the ESCO classification of the European Commission.",
        "groups": sorted(groups.values(), key=lambda group: group["uri"]),
        "skills": sorted(skills, key=lambda skill: str(skill["uri"])),
        "occupations": sorted(occupations, key=lambda occupation: occupation["uri"]),
    }


def main() -> None:
    here = Path(__file__).resolve().parent.parent
    esco_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else here.parent / "shared" / "data" / "esco"
    output = Path(sys.argv[2]) if len(sys.argv) > 2 else here / "src/skills4cities/esco/data/esco-bundle.json.gz"
    bundle = build(esco_dir)
    data = json.dumps(bundle, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()
    output.parent.mkdir(parents=True, exist_ok=True)
    with gzip.GzipFile(output, "wb", mtime=0, compresslevel=9) as handle:
        handle.write(data)
    counts = {key: len(value) for key, value in bundle.items() if isinstance(value, list)}
    print(
        f"{output}: {counts['skills']} skills, {counts['occupations']} occupations, "
        f"{counts['groups']} groups, {output.stat().st_size} bytes"
    )


if __name__ == "__main__":
    main()
