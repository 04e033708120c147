"""The shipped reference curriculum: loaded by load_reference and covering every element the roles require."""

from __future__ import annotations

from skills4cities.curriculum.selectors import curriculum_for_framework, modules_with_outcomes
from skills4cities.curriculum.services import REFERENCE_DIR
from skills4cities.frameworks.models import Framework, RoleRequirement


def test_the_reference_curriculum_is_shipped() -> None:
    assert (REFERENCE_DIR / "skills4cities" / "curriculum.yaml").is_file()
    assert len(list((REFERENCE_DIR / "skills4cities" / "modules").glob("M*.yaml"))) == 26


def test_reference_curriculum_covers_every_role_element(reference: Framework) -> None:
    curriculum = curriculum_for_framework(reference)
    assert curriculum is not None, "load_reference did not load the reference curriculum"
    reached: dict[str, int] = {}
    for module in modules_with_outcomes(curriculum):
        for outcome in module.outcomes.all():
            reached[outcome.element.code] = max(reached.get(outcome.element.code, 0), outcome.level)
    targets: dict[str, int] = {}
    for requirement in RoleRequirement.objects.filter(role__framework=reference).select_related("element"):
        code = requirement.element.code
        targets[code] = max(targets.get(code, 0), requirement.target_level)

    assert {
        code: (target, reached.get(code)) for code, target in targets.items() if reached.get(code, 0) < target
    } == {}
    assert len(targets) == 52


def test_reference_study_pages_are_in_english_and_titles_in_six_languages(reference: Framework) -> None:
    curriculum = curriculum_for_framework(reference)
    assert curriculum is not None
    for module in modules_with_outcomes(curriculum):
        assert module.study_en.strip(), module.code
        assert all(getattr(module, f"title_{code}") for code in ("en", "bg", "ro", "el", "es", "de")), module.code
