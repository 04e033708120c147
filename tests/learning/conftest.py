"""A small fake curriculum for the manager role, and alice's submitted self-assessment against it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from skills4cities.assessments import services as assessment_services
from skills4cities.assessments.models import SelfAssessment
from skills4cities.frameworks.models import Framework, Role
from skills4cities.learning import sources
from skills4cities.learning.solver import Module

MANAGER = "smart-city-project-manager"


@dataclass(frozen=True)
class Setting:
    role: Role
    e1: str
    e2: str
    e3: str
    targets: dict[str, int]
    assessment: SelfAssessment


def submit(user: Any, role: Role, low: set[str]) -> SelfAssessment:
    """A submitted self-assessment: level 1 on the elements in ``low``, the role's target on all others."""
    assessment = assessment_services.self_assessment_start(learner=user, role=role)
    for requirement in role.requirements.select_related("element"):
        level = 1 if requirement.element.code in low else requirement.target_level
        assessment_services.self_rating_save(
            actor=user, assessment=assessment, element=requirement.element, level=level
        )
    return assessment_services.self_assessment_submit(actor=user, assessment=assessment)


@pytest.fixture
def setting(reference: Framework, alice: Any, monkeypatch: pytest.MonkeyPatch) -> Setting:
    return make_setting(reference, alice, monkeypatch)


def make_setting(reference: Framework, alice: Any, monkeypatch: pytest.MonkeyPatch) -> Setting:
    """Alice rated 1 on the first three elements of the manager role with a target ≥ 2 (e1 < e2 < e3), on target
    elsewhere; curriculum: M01 8 h closes e1, M02 12 h (needs M01) closes e2, M03 30 h closes e2, M04 6 h
    stops one level short of e3."""
    role = reference.roles.get(slug=MANAGER)
    required = sorted(
        (r.element.code, r.target_level) for r in role.requirements.select_related("element") if r.target_level >= 2
    )
    (e1, t1), (e2, t2), (e3, t3) = required[:3]
    curriculum = [
        sources.CurriculumModule(Module("M01", 8, {e1: t1}), "Foundations"),
        sources.CurriculumModule(Module("M02", 12, {e2: t2}, frozenset({"M01"})), "Advanced"),
        sources.CurriculumModule(Module("M03", 30, {e2: t2}), "Long course"),
        sources.CurriculumModule(Module("M04", 6, {e3: t3 - 1}), "Taster"),
    ]
    monkeypatch.setattr(sources, "curriculum_modules", lambda framework: curriculum)
    assessment = submit(alice, role, {e1, e2, e3})
    return Setting(role, e1, e2, e3, {e1: t1, e2: t2, e3: t3}, assessment)
