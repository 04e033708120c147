"""Check the reference curriculum source without a database (for content writers and reviewers).

Usage: python3 tools/check_curriculum.py [CURRICULUM_DIR [FRAMEWORK_DIR]]

Defaults: ``src/skills4cities/curriculum/reference/skills4cities`` and the framework source in
``src/skills4cities/frameworks/reference/skills4cities``. Runs every rule of
``docs/formats/curriculum.md`` (the same code ``skills4cities load_reference`` runs): structure, six
languages, study pages of at least 600 English words with their headings, acyclic prerequisites,
element codes of the framework, and coverage of every role element at its highest target level.
While ``curriculum.yaml`` is absent, the module files are checked on their own and the missing file
is reported. Exit status 0 only when there is no problem.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from skills4cities.curriculum.document import (  # noqa: E402 - after the path set-up
    Source,
    check_source,
    framework_facts_from_folder,
    read_folder,
)

DEFAULT_CURRICULUM = ROOT / "src" / "skills4cities" / "curriculum" / "reference" / "skills4cities"
DEFAULT_FRAMEWORK = ROOT / "src" / "skills4cities" / "frameworks" / "reference" / "skills4cities"


def check(curriculum_dir: Path, framework_dir: Path) -> list[str]:
    facts = framework_facts_from_folder(framework_dir)
    if (curriculum_dir / "curriculum.yaml").exists():
        source, problems = read_folder(curriculum_dir)
    else:
        source, problems = read_modules_only(curriculum_dir)
        problems.insert(0, ("curriculum.yaml", "is missing; the module files were checked as one course"))
    problems += check_source(source, facts)
    return [f"{where}: {message}" for where, message in problems]


def read_modules_only(folder: Path) -> tuple[Source, list[tuple[str, str]]]:
    """The module files with a stand-in ``curriculum.yaml`` that lists them all in one course."""
    source, problems = read_folder(folder)
    problems = [(where, message) for where, message in problems if not where.startswith("curriculum.yaml")]
    codes = [m.get("code") for m in source.modules.values() if isinstance(m, dict)]
    text = dict.fromkeys(("en", "bg", "ro", "el", "es", "de"), "-")
    source.curriculum = {
        "slug": "draft",
        "framework": "skills4cities",
        "version": "0",
        "title": text,
        "description": text,
        "courses": [{"code": "ALL", "title": text, "description": text, "modules": codes}],
    }
    return source, problems


def main(argv: list[str]) -> int:
    curriculum_dir = Path(argv[1]) if len(argv) > 1 else DEFAULT_CURRICULUM
    framework_dir = Path(argv[2]) if len(argv) > 2 else DEFAULT_FRAMEWORK
    problems = check(curriculum_dir, framework_dir)
    for problem in problems:
        print(problem)
    modules = len(list((curriculum_dir / "modules").glob("*.yaml")))
    print(f"{modules} module file(s) checked: {len(problems)} problem(s).")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
