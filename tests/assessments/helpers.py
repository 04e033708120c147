from __future__ import annotations

from datetime import datetime
from typing import Any

from skills4cities.assessments import services
from skills4cities.assessments.models import SelfAssessment
from skills4cities.frameworks.models import Element, Framework, Role

MANAGER = "smart-city-project-manager"


def manager(reference: Framework) -> Role:
    return reference.roles.get(slug=MANAGER)


def submitted(
    user: Any, role: Role, levels: dict[str, int], *, default: int = 1, at: datetime | None = None
) -> SelfAssessment:
    """A submitted self-assessment: ``levels`` by element code, ``default`` for every other required element."""
    assessment = services.self_assessment_start(learner=user, role=role)
    for requirement in role.requirements.select_related("element"):
        level = levels.get(requirement.element.code, default)
        services.self_rating_save(actor=user, assessment=assessment, element=requirement.element, level=level)
    services.self_assessment_submit(actor=user, assessment=assessment)
    if at is not None:
        SelfAssessment.objects.filter(pk=assessment.pk).update(submitted_at=at)
        assessment.refresh_from_db()
    return assessment


def first_element(reference: Framework) -> Element:
    """The first element the Smart City Project Manager requires, in framework order."""
    requirement = (
        manager(reference)
        .requirements.select_related("element")
        .order_by("element__unit__position", "element__position")[0]
    )
    return requirement.element
