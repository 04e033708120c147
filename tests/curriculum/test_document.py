from __future__ import annotations

from pathlib import Path

from skills4cities.curriculum import document
from skills4cities.curriculum.services import framework_facts
from skills4cities.frameworks.models import Framework
from tests.curriculum.conftest import SourceFolder

FRAMEWORK_DIR = Path(document.__file__).resolve().parent.parent / "frameworks" / "reference" / "skills4cities"


def test_facts_read_from_the_framework_files_equal_the_loaded_framework(reference: Framework) -> None:
    from_files = document.framework_facts_from_folder(FRAMEWORK_DIR)
    from_database = framework_facts(reference)

    assert from_files == from_database
    assert len(from_database.elements) == 52
    assert from_database.levels == frozenset({1, 2, 3, 4, 5})


def test_study_words_count_words_not_markup() -> None:
    assert document.study_words("## Why it matters\n\n- one, two — three\n\n> 4 `code`") == 8


def test_missing_headings_accepts_any_case_study_title() -> None:
    text = "## Why it matters\n## Key concepts\n## Case study: lights in Ruse\n## Further reading\n"

    assert document.missing_headings(text) == ["Method, step by step", "Check your understanding"]


def test_cycles_are_reported_once_each() -> None:
    problems = document.check_source(
        document.Source(
            curriculum={"courses": []},
            modules={
                "modules/A.yaml": {"code": "A", "prerequisites": ["B"]},
                "modules/B.yaml": {"code": "B", "prerequisites": ["A"]},
                "modules/C.yaml": {"code": "C", "prerequisites": ["A"]},
            },
        ),
        None,
    )

    assert [p for p in problems if "cycle" in p[1]] == [
        ("modules/A.yaml: prerequisites", "prerequisites form a cycle: A → B → A")
    ]


def test_the_content_hash_is_stable_and_changes_with_any_text(source: SourceFolder) -> None:
    first, _problems = document.read_folder(source.write())
    again, _problems = document.read_folder(source.write())
    source.modules["M02"]["title"]["de"] = "Anders"
    changed, _problems = document.read_folder(source.write())

    assert document.source_hash(first) == document.source_hash(again)
    assert document.source_hash(first) != document.source_hash(changed)


def test_a_folder_without_curriculum_yaml_is_reported(tmp_path: Path) -> None:
    _source, problems = document.read_folder(tmp_path / "missing")

    assert problems == [("curriculum.yaml", "is missing")]
