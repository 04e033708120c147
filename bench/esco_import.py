"""Benchmark: a full ESCO import (``import_esco``) on SQLite and PostgreSQL, against a CSV-parsing floor.

Usage:
    .venv/bin/python bench/esco_import.py [--esco-dir DIR] [--postgres] [--keep DIR] [--write-docs]

1. Writes the development ESCO data (``../shared/data/esco/``: ESCO v1.1.1, 13.4k skills with ~83k
   alternative labels, 2.9k occupations, groups, ISCO groups, three collections) as a folder in the
   official download layout. The official ``occupationSkillRelations_en.csv`` is not available offline,
   so ~129k occupation → skill relations (ESCO 1.2's count) are generated with a fixed seed.
2. Floor: the time to merely parse every CSV file with the ``csv`` module (no database).
3. For each database (SQLite always; PostgreSQL with ``--postgres`` or when DATABASE_URL names one):
   a fresh temporary database is migrated, then a cold import and a warm (unchanged) re-import are
   timed inside one process. PostgreSQL gets a dedicated database ``s4c_bench_<pid>`` on
   ``postgres://postgres@127.0.0.1:5432/postgres`` (created and dropped here; never ``test``).
4. Prints seconds and the ratio import / parse; ``--write-docs`` puts the table into docs/benchmarks.md.
Target (DESIGN.md): a full import in at most 30 s on both databases.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data" / "esco"
SKILL = "http://data.europa.eu/esco/skill/"
ISCED = "http://data.europa.eu/esco/isced-f/"
POSTGRES_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"
VERSION = "1.1.1"
TARGET_SECONDS = 30.0
SKILL_COLUMNS = [
    "conceptType", "conceptUri", "skillType", "reuseLevel", "preferredLabel", "altLabels", "hiddenLabels",
    "status", "modifiedDate", "scopeNote", "definition", "inScheme", "description",
]  # fmt: skip


def _rows(path: Path) -> Any:
    with path.open(newline="", encoding="utf-8") as handle:
        yield from csv.DictReader(handle)


def _group_uri(code: str) -> str:
    """Skill group codes of the v1.1.1 extract: S1.2.3 / T4.4 / L1 are skill/… URIs, K0613 is ISCED-F 0613."""
    return f"{ISCED}{code[1:]}" if re.fullmatch(r"K\d+", code) else f"{SKILL}{code}"


def write_official_layout(source: Path, target: Path, *, seed: int = 20240501) -> dict[str, int]:
    """Write the development data as an official ESCO download folder; returns row counts per file."""
    target.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    for name in ("occupations_en.csv", "skillGroups_en.csv", "ISCOGroups_en.csv"):
        shutil.copyfile(source / name, target / name)
    groups = {row["conceptUri"] for row in _rows(source / "skillGroups_en.csv")}
    descriptions = {row["conceptUri"]: row["description"] for row in _rows(source / "skills_v1.2_en.csv")}
    types: dict[str, tuple[str, str]] = {}
    for path in sorted(source.glob("*Collection_en.csv")):
        for row in _rows(path):
            types[row["conceptUri"]] = (row["skillType"], row["reuseLevel"])

    skills, broader = [], []
    with (target / "skills_en.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(SKILL_COLUMNS)
        for row in _rows(source / "skills_v1.1.1_labels.csv"):
            uri = row["conceptUri"]
            skill_type, reuse = types.get(uri, ("", ""))
            writer.writerow(
                ["KnowledgeSkillCompetence", uri, skill_type, reuse, row["preferredLabel"], row["altLabels"], "",
                 "released", "", "", "", "http://data.europa.eu/esco/concept-scheme/skills",
                 descriptions.get(uri, "")]
            )  # fmt: skip
            skills.append(uri)
            for code in dict.fromkeys(row["skillGroupCodes"].split()):
                if _group_uri(code) in groups:
                    broader.append(("KnowledgeSkillCompetence", uri, "SkillGroup", _group_uri(code)))
    counts["skills_en.csv"] = len(skills)

    pairs: set[tuple[str, str]] = set()
    for row in _rows(source / "skillsHierarchy_en.csv"):
        chain = [row[f"Level {level} URI"] for level in range(4) if row[f"Level {level} URI"]]
        pairs.update(zip(chain[1:], chain[:-1], strict=False))
    broader += [("SkillGroup", child, "SkillGroup", parent) for child, parent in sorted(pairs)]
    with (target / "broaderRelationsSkillPillar_en.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["conceptType", "conceptUri", "broaderType", "broaderUri"])
        writer.writerows(broader)
    counts["broaderRelationsSkillPillar_en.csv"] = len(broader)

    generator = random.Random(seed)
    occupations = [row["conceptUri"] for row in _rows(source / "occupations_en.csv")]
    relations = 0
    with (target / "occupationSkillRelations_en.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["occupationUri", "relationType", "skillType", "skillUri"])
        for occupation in occupations:
            for index, skill in enumerate(generator.sample(skills, 44)):
                writer.writerow([occupation, "essential" if index % 2 else "optional", "skill/competence", skill])
                relations += 1
    counts["occupationSkillRelations_en.csv"] = relations

    known = set(skills)
    for path in sorted(source.glob("*Collection_en.csv")):
        with (
            path.open(newline="", encoding="utf-8") as src,
            (target / path.name).open("w", newline="", encoding="utf-8") as dst,
        ):
            reader, writer = csv.reader(src), csv.writer(dst)
            header = next(reader)
            writer.writerow(header)
            at = header.index("conceptUri")
            kept = [row for row in reader if row[at] in known]
            writer.writerows(kept)
            counts[path.name] = len(kept)
    counts["occupations_en.csv"] = len(occupations)
    counts["skillGroups_en.csv"] = len(groups)
    return counts


def parse_floor(folder: Path) -> float:
    """Seconds to read every CSV file of the folder with the csv module: the least an import must do."""
    started = time.perf_counter()
    for path in sorted(folder.glob("*.csv")):
        with path.open(newline="", encoding="utf-8") as handle:
            for _row in csv.reader(handle):
                pass
    return time.perf_counter() - started


def _child(folder: Path) -> None:
    """Run inside a process whose DATABASE_URL names the fresh database: time a cold and a warm import."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "skills4cities.settings.base")
    django.setup()
    from django.db import connection

    from skills4cities.esco.models import EscoOccupationSkill, EscoSkill
    from skills4cities.esco.services import esco_import_download

    timings: dict[str, Any] = {"parse": min(parse_floor(folder) for _ in range(3))}
    for run in ("cold", "warm"):
        started = time.perf_counter()
        result = esco_import_download(folder=folder, version=VERSION)
        timings[run] = time.perf_counter() - started
        timings[f"{run}_changed"] = result.changed
    timings["skills"] = EscoSkill.objects.count()
    timings["relations"] = EscoOccupationSkill.objects.count()
    timings["vendor"] = connection.vendor
    if connection.vendor == "postgresql":
        version = connection.pg_version  # type: ignore[attr-defined]
        timings["server"] = f"{version // 10000}.{version % 10000}"
    else:
        timings["server"] = ""
    print(json.dumps(timings))


def _run_on(database_url: str, folder: Path, env: dict[str, str]) -> dict[str, Any]:
    env = env | {"DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "skills4cities.settings.base"}
    python = sys.executable
    subprocess.run(
        [python, "-m", "skills4cities.manage", "migrate", "--no-input", "-v", "0"], check=True, env=env, cwd=ROOT
    )
    output = subprocess.run(
        [python, str(Path(__file__).resolve()), "--child", str(folder)],
        check=True,
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    ).stdout
    return dict(json.loads(output.strip().splitlines()[-1]))


def _postgres(folder: Path, env: dict[str, str], admin_url: str) -> dict[str, Any]:
    import psycopg

    name = f"s4c_bench_{os.getpid()}"
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        return _run_on(admin_url.rsplit("/", 1)[0] + f"/{name}", folder, env)
    finally:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def machine() -> str:
    cpu = platform.processor() or "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    return (
        f"{os.cpu_count()} CPUs (nproc {len(os.sched_getaffinity(0))}), {cpu}, Python {platform.python_version()}; "
        f"load average during the run {load}"
    )


def write_docs(section: str) -> None:
    path = ROOT / "docs" / "benchmarks.md"
    start, end = "<!-- esco-import:start -->", "<!-- esco-import:end -->"
    text = path.read_text() if path.exists() else ""
    block = f"{start}\n{section.strip()}\n{end}"
    if start in text and end in text:
        text = text[: text.index(start)] + block + text[text.index(end) + len(end) :]
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    path.write_text(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--esco-dir", type=Path, default=SHARED)
    parser.add_argument("--postgres", action="store_true", help=f"also run on PostgreSQL ({POSTGRES_ADMIN})")
    parser.add_argument("--keep", type=Path, help="write the official-layout folder here and keep it")
    parser.add_argument("--write-docs", action="store_true", help="update the ESCO section of docs/benchmarks.md")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.child)
        return

    with tempfile.TemporaryDirectory(prefix="s4c-esco-bench-") as tmp:
        folder = args.keep or Path(tmp) / "official"
        started = time.perf_counter()
        counts = write_official_layout(args.esco_dir, folder)
        print(f"wrote the official layout to {folder} in {time.perf_counter() - started:.1f} s: {counts}")
        env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
        env["S4C_VAR_DIR"] = str(Path(tmp) / "var")
        env.setdefault("SECRET_KEY", "benchmark-only")
        results = {"SQLite": _run_on(f"sqlite:///{Path(tmp) / 'bench.sqlite3'}", folder, env)}
        given = os.environ.get("DATABASE_URL", "")
        if args.postgres or given.startswith("postgres"):
            results["PostgreSQL"] = _postgres(folder, env, POSTGRES_ADMIN)

    rows = []
    for database, timing in results.items():
        verdict = "met" if timing["cold"] <= TARGET_SECONDS else "MISSED"
        parse = timing["parse"]
        rows.append(
            f"| {database}{' ' + str(timing['server']) if timing['server'] else ''} | {timing['cold']:.1f} s | "
            f"{timing['warm']:.1f} s | {parse:.2f} s | {timing['cold'] / parse:.1f}× | {timing['warm'] / parse:.1f}× "
            f"| ≤ {TARGET_SECONDS:.0f} s: {verdict} |"
        )
        print(
            f"{database}: parse floor {parse:.2f} s, cold {timing['cold']:.2f} s, warm {timing['warm']:.2f} s "
            f"(warm changed anything: {timing['warm_changed']}), {timing['skills']} skills, "
            f"{timing['relations']} relations"
        )
    command = ".venv/bin/python bench/esco_import.py" + (" --postgres" if "PostgreSQL" in results else "")
    section = f"""## Full ESCO import (`import_esco`)

Data: ESCO v1.1.1 from `../shared/data/esco/` written in the official download layout —
{counts["skills_en.csv"]:,} skills (~83k alternative labels), {counts["occupations_en.csv"]:,} occupations,
{counts["skillGroups_en.csv"]:,} skill groups, {counts["broaderRelationsSkillPillar_en.csv"]:,} broader relations,
{counts["occupationSkillRelations_en.csv"]:,} occupation → skill relations (generated with a fixed seed: the
official file is not available offline), ISCO groups and three collections. Each database is fresh and migrated;
"cold" imports into empty ESCO tables, "warm" imports the same files again (nothing changes, no release recorded).
Floor: parsing the same CSV files with Python's `csv` module, no database, best of three, in the same process just
before the import.

| Database | Cold import | Warm re-import | Parse floor | Cold / floor | Warm / floor | Target |
|---|---|---|---|---|---|---|
{chr(10).join(rows)}

Machine: {machine()}. Command: `{command}`."""
    print()
    print(section)
    if args.write_docs:
        write_docs(section)
        print("\nupdated docs/benchmarks.md")


if __name__ == "__main__":
    main()
