from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from skills4cities.curriculum.models import Cohort, Course, Curriculum, LearningOutcome, Module
from skills4cities.curriculum.services import REFERENCE_DIR, curriculum_load_folder, curriculum_pending_folders
from skills4cities.frameworks.interchange.document import DocumentErrors, Problem
from skills4cities.frameworks.models import Framework
from tests import factories
from tests.curriculum.conftest import SourceFolder, six


def test_loading_a_folder_writes_courses_modules_outcomes_and_links(source: SourceFolder, reference: Framework) -> None:
    result = curriculum_load_folder(folder=source.write())

    curriculum = result.curriculum
    assert result.created is True
    assert (curriculum.slug, curriculum.version, curriculum.framework) == ("fixture-vet", "1.0.0", reference)
    assert (curriculum.title, curriculum.title_bg) == ("Fixture curriculum (en)", "Fixture curriculum (bg)")
    courses = {
        c.code: [m.code for m in c.modules.order_by("course_modules__position")] for c in curriculum.courses.all()
    }
    assert courses == {"C1": ["M01", "M02"], "C2": ["M03"]}
    m03 = curriculum.modules.get(code="M03")
    assert (m03.hours, m03.ecvet, m03.delivery, m03.position) == (24, Decimal("1.0"), ["online", "classroom"], 3)
    assert sorted(m.code for m in m03.prerequisites.all()) == ["M01", "M02"]
    assert m03.assessment_method == "Assignment for M03"
    assert m03.study.startswith("## Why it matters")
    assert (m03.title_de, m03.description_el) == ("Module M03 (de)", "What M03 is about. (el)")
    assert [(link.title, link.url) for link in m03.links.all()] == [("Reading for M03", "https://example.org/m03")]
    first = sorted(source.modules["M01"]["outcomes"], key=lambda o: o["element"])[0]["element"]
    assert [(o.element.code, o.level, o.text_ro) for o in m03.outcomes.all()] == [
        (first, 5, f"M03 teaches {first} (ro)")
    ]
    total = sum(len(module["outcomes"]) for module in source.modules.values())
    assert LearningOutcome.objects.filter(module__curriculum=curriculum).count() == total
    assert result.summary() == f"fixture-vet 1.0.0: loaded (2 courses, 3 modules, {total} outcomes)"


def test_loading_the_same_folder_again_changes_nothing(
    loaded: Any, source: SourceFolder, unchanged_database: Callable[[], Any]
) -> None:
    with unchanged_database():
        again = curriculum_load_folder(folder=source.write())

    assert again.created is False
    assert again.curriculum == loaded
    assert again.summary().startswith("fixture-vet 1.0.0: unchanged (2 courses, 3 modules, ")


def test_a_changed_source_updates_in_place_and_keeps_cohorts(loaded: Any, source: SourceFolder) -> None:
    m01 = Module.objects.get(curriculum=loaded, code="M01")
    trainer: Any = factories.UserFactory(username="trainer")
    organisation: Any = factories.OrganisationFactory(slug="vet")
    cohort = Cohort.objects.create(
        course=Course.objects.get(curriculum=loaded, code="C1"),
        organisation=organisation,
        trainer=trainer,
        name="Spring",
        start_date=datetime.date(2026, 3, 1),
    )
    source.modules["M01"]["hours"] = 30
    source.modules["M03"]["prerequisites"] = ["M02"]

    result = curriculum_load_folder(folder=source.write())

    assert result.created is True
    assert result.curriculum == loaded
    m01.refresh_from_db()
    assert m01.hours == 30
    assert [m.code for m in Module.objects.get(code="M03", curriculum=loaded).prerequisites.all()] == ["M02"]
    assert Cohort.objects.get(pk=cohort.pk).course.code == "C1"


def _problems(source: SourceFolder) -> list[Problem]:
    with pytest.raises(DocumentErrors) as caught:
        curriculum_load_folder(folder=source.write())
    return caught.value.problems


def _set(path: list[Any], value: Any) -> Callable[[SourceFolder], None]:
    def mutate(source: SourceFolder) -> None:
        target: Any = source.modules if path[0] in source.modules else source.curriculum
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return mutate


def _cycle(source: SourceFolder) -> None:
    source.modules["M01"]["prerequisites"] = ["M03"]


def _drop_module_file(source: SourceFolder) -> None:
    del source.modules["M02"]


def _module_in_no_course(source: SourceFolder) -> None:
    source.curriculum["courses"][1]["modules"] = ["M01"]


def _code_mismatch(source: SourceFolder) -> None:
    source.modules["M02"]["code"] = "M01"


def _missing_heading(source: SourceFolder) -> None:
    study = source.modules["M02"]["study"]
    study["en"] = study["en"].replace("## Key concepts", "## Concepts")


def _short_study(source: SourceFolder) -> None:
    source.modules["M02"]["study"]["en"] = "## Why it matters\n\nToo short."


RULES: list[tuple[str, Callable[[SourceFolder], None], Problem]] = [
    ("unknown element", _set(["M01", "outcomes", 0, "element"], "U99.E9"), Problem(
        "modules/M01.yaml: outcomes[0].element", "unknown framework element 'U99.E9'")),
    ("level off the scale", _set(["M03", "outcomes", 0, "level"], 9), Problem(
        "modules/M03.yaml: outcomes[0].level", "level 9 is not on the scale ([1, 2, 3, 4, 5])")),
    ("unknown prerequisite", _set(["M02", "prerequisites"], ["M01", "M42"]), Problem(
        "modules/M02.yaml: prerequisites", "unknown module 'M42'")),
    ("own prerequisite", _set(["M01", "prerequisites"], ["M01"]), Problem(
        "modules/M01.yaml: prerequisites", "a module cannot be its own prerequisite")),
    ("prerequisite cycle", _cycle, Problem(
        "modules/M01.yaml: prerequisites", "prerequisites form a cycle: M01 → M03 → M01")),
    ("hours not positive", _set(["M01", "hours"], 0), Problem(
        "modules/M01.yaml: hours", "must be a whole number of hours greater than 0")),
    ("ecvet", _set(["M01", "ecvet"], 0.3), Problem(
        "modules/M01.yaml: ecvet", "must be a number of ECVET points ≥ 0 in steps of 0.5")),
    ("delivery", _set(["M01", "delivery"], ["online", "telepathy"]), Problem(
        "modules/M01.yaml: delivery", "unknown delivery mode 'telepathy'; use online, classroom, work-based")),
    ("title languages", _set(["M01", "title"], {"en": "Only English"}), Problem(
        "modules/M01.yaml: title", "missing languages: bg, ro, el, es, de")),
    ("description languages", _set(["M02", "description"], {"en": "x", "de": "y"}), Problem(
        "modules/M02.yaml: description", "missing languages: bg, ro, el, es")),
    ("outcome text languages", _set(["M03", "outcomes", 0, "text"], {"en": "x"}), Problem(
        "modules/M03.yaml: outcomes[0].text", "missing languages: bg, ro, el, es, de")),
    ("unknown language", _set(["M03", "title"], {**six("t"), "fr": "x"}), Problem(
        "modules/M03.yaml: title.fr", "unknown language; use one of en, bg, ro, el, es, de")),
    ("study without English", _set(["M03", "study"], {"de": "Text"}), Problem(
        "modules/M03.yaml: study.en", "English text is required")),
    ("study too short", _short_study, Problem(
        "modules/M02.yaml: study.en", "has 5 words; the study page needs at least 600")),
    ("study heading", _missing_heading, Problem(
        "modules/M02.yaml: study.en", "missing headings: ## Key concepts")),
    ("link url", _set(["M01", "links"], [{"title": "Bad", "url": "javascript:alert(1)"}]), Problem(
        "modules/M01.yaml: links[0].url", "must be an http(s) URL, not 'javascript:alert(1)'")),
    ("code matches file", _code_mismatch, Problem(
        "modules/M02.yaml: code", "'M01' does not match the file name 'M02'")),
    ("course names a missing file", _drop_module_file, Problem(
        "curriculum.yaml: course C1.modules", "module 'M02' has no file modules/M02.yaml")),
    ("module in no course", _module_in_no_course, Problem(
        "modules/M03.yaml", "module M03 is in no course of curriculum.yaml")),
    ("duplicate course", _set(["courses", 1, "code"], "C1"), Problem(
        "curriculum.yaml: courses[1].code", "duplicate course code 'C1'")),
    ("curriculum languages", _set(["title"], {"en": "x"}), Problem(
        "curriculum.yaml: title", "missing languages: bg, ro, el, es, de")),
    ("unknown framework", _set(["framework"], "no-such-framework"), Problem(
        "curriculum.yaml: framework", "no published framework 'no-such-framework' is loaded")),
]  # fmt: skip


@pytest.mark.parametrize(("mutate", "expected"), [(m, p) for _n, m, p in RULES], ids=[n for n, _m, _p in RULES])
def test_each_rule_is_reported_with_its_location_and_nothing_is_written(
    source: SourceFolder,
    unchanged_database: Callable[[], Any],
    mutate: Callable[[SourceFolder], None],
    expected: Problem,
) -> None:
    mutate(source)

    with unchanged_database():
        problems = _problems(source)

    assert expected in problems


def test_an_element_no_outcome_reaches_is_reported_with_its_target(source: SourceFolder) -> None:
    element, level = source.modules["M02"]["outcomes"][0]["element"], source.modules["M02"]["outcomes"][0]["level"]
    source.modules["M02"]["outcomes"] = source.modules["M02"]["outcomes"][1:]

    problems = _problems(source)

    assert problems == [
        Problem("coverage", f"element {element} is required at level {level} by a role but no outcome names it")
    ]


def test_an_outcome_below_the_target_is_reported(source: SourceFolder) -> None:
    outcome = source.modules["M02"]["outcomes"][0]
    outcome["level"] -= 1

    problems = _problems(source)

    assert problems == [
        Problem(
            "coverage",
            f"element {outcome['element']} is required at level {outcome['level'] + 1} by a role "
            f"but the highest outcome reaches {outcome['level']}",
        )
    ]


def test_invalid_yaml_is_reported_with_its_line(source: SourceFolder, unchanged_database: Callable[[], Any]) -> None:
    folder = source.write()
    (folder / "modules" / "M02.yaml").write_text("code: M02\ntitle: [unclosed\n", encoding="utf-8")

    with unchanged_database(), pytest.raises(DocumentErrors) as caught:
        curriculum_load_folder(folder=folder)

    assert [p.where for p in caught.value.problems] == ["modules/M02.yaml line 3"]
    assert caught.value.problems[0].message.startswith("invalid YAML: ")


def test_a_broken_source_leaves_a_loaded_curriculum_untouched(
    loaded: Any, source: SourceFolder, unchanged_database: Callable[[], Any]
) -> None:
    source.modules["M01"]["hours"] = 99
    source.modules["M02"]["outcomes"][0]["element"] = "nope"

    with unchanged_database(), pytest.raises(DocumentErrors):
        curriculum_load_folder(folder=source.write())

    assert Module.objects.get(curriculum=loaded, code="M01").hours == 24


def test_folders_without_curriculum_yaml_are_reported_not_loaded(tmp_path: Path) -> None:
    (tmp_path / "done" / "modules").mkdir(parents=True)
    (tmp_path / "done" / "curriculum.yaml").write_text("{}", encoding="utf-8")
    (tmp_path / "half" / "modules").mkdir(parents=True)

    assert curriculum_pending_folders(tmp_path) == ["half"]


def test_load_reference_prints_one_summary_line_per_curriculum(reference: Framework) -> None:
    out = StringIO()

    call_command("load_reference", stdout=out)

    lines = [line for line in out.getvalue().splitlines() if line.startswith(("skills4cities-vet", "Curriculum "))]
    if (REFERENCE_DIR / "skills4cities" / "curriculum.yaml").exists():
        curriculum = Curriculum.objects.get(slug="skills4cities-vet")
        outcomes = LearningOutcome.objects.filter(module__curriculum=curriculum).count()
        assert lines == [
            f"skills4cities-vet {curriculum.version}: unchanged ({curriculum.courses.count()} courses, "
            f"{curriculum.modules.count()} modules, {outcomes} outcomes)."
        ]
    else:
        assert lines == ["Curriculum skills4cities: not loaded, curriculum.yaml is not there yet."]


def test_removing_a_course_that_a_cohort_uses_is_refused(loaded: Any, source: SourceFolder) -> None:
    trainer: Any = factories.UserFactory(username="trainer")
    organisation: Any = factories.OrganisationFactory(slug="vet")
    Cohort.objects.create(
        course=Course.objects.get(curriculum=loaded, code="C2"),
        organisation=organisation,
        trainer=trainer,
        name="Autumn",
        start_date=datetime.date(2026, 9, 1),
    )
    source.curriculum["courses"][0]["modules"] = ["M01", "M02", "M03"]
    del source.curriculum["courses"][1]

    problems = _problems(source)

    assert problems == [Problem("curriculum.yaml", "course C2 was removed but is still in use; keep it")]
    assert Course.objects.filter(curriculum=loaded, code="C2").exists()


def test_load_reference_fails_clearly_on_a_broken_curriculum_and_loads_nothing(
    source: SourceFolder, monkeypatch: pytest.MonkeyPatch, unchanged_database: Callable[[], Any]
) -> None:
    from django.core.management.base import CommandError

    from skills4cities.curriculum import services

    source.modules["M02"]["hours"] = -1
    source.write()
    monkeypatch.setattr(services, "REFERENCE_DIR", source.root.parent)

    with unchanged_database(), pytest.raises(CommandError) as caught:
        call_command("load_reference", stdout=StringIO())

    assert str(caught.value) == (
        "The reference content is invalid; nothing was loaded.\n"
        "modules/M02.yaml: hours: must be a whole number of hours greater than 0"
    )
