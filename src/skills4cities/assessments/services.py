"""Writes of self-assessments: start (or resume), rate an element, submit. Keyword-only, atomic, checked."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from skills4cities.assessments import selectors
from skills4cities.assessments.enums import AssessmentStatus
from skills4cities.assessments.models import SelfAssessment, SelfRating
from skills4cities.core.audit import audit
from skills4cities.frameworks.models import Element, Role


def _check_owner_draft(actor: Any, assessment: SelfAssessment) -> None:
    if not getattr(actor, "is_authenticated", False) or assessment.learner_id != actor.pk:
        raise PermissionDenied
    if assessment.status != AssessmentStatus.DRAFT:
        raise ValidationError(_("This self-assessment has been submitted and can no longer change."), code="submitted")


@transaction.atomic
def self_assessment_start(*, learner: Any, role: Role) -> SelfAssessment:
    """The learner's draft for ``role``: the existing one (resumed) or a new one."""
    if not getattr(learner, "is_authenticated", False):
        raise PermissionDenied
    draft = SelfAssessment.objects.filter(learner=learner, role=role, status=AssessmentStatus.DRAFT).first()
    if draft is not None:
        return draft
    assessment = SelfAssessment.objects.create(learner=learner, role=role)
    audit(actor=learner, action="self_assessment.start", obj=assessment, data={"role": role.slug})
    return assessment


@transaction.atomic
def self_rating_save(
    *, actor: Any, assessment: SelfAssessment, element: Element, level: int, note: str = ""
) -> SelfRating:
    """Save (or change) the learner's rating of one element required by the role, on the framework's scale."""
    _check_owner_draft(actor, assessment)
    if selectors.required_element(assessment, element.code) is None:
        raise ValidationError(_("The role does not require this element."), code="element")
    values = {level.value for level in selectors.scale_levels(assessment)}
    if level not in values:
        raise ValidationError(
            _("Choose a level between %(low)d and %(high)d.") % {"low": min(values), "high": max(values)},
            code="level",
        )
    rating, _created = SelfRating.objects.update_or_create(
        assessment=assessment, element=element, defaults={"level": level, "note": note.strip()[:2000]}
    )
    SelfAssessment.objects.filter(pk=assessment.pk).update(updated_at=timezone.now())
    return rating


@transaction.atomic
def self_assessment_submit(*, actor: Any, assessment: SelfAssessment) -> SelfAssessment:
    """Submit a draft once every element the role requires is rated; refused with the missing ones listed."""
    _check_owner_draft(actor, assessment)
    missing = selectors.missing_elements(assessment)
    if missing:
        raise ValidationError(
            _("Rate every element before you submit. Still missing: %(codes)s.")
            % {"codes": ", ".join(f"{element.code} {element.title}" for element in missing)},
            code="missing",
            params={"missing": [element.code for element in missing]},
        )
    assessment.status = AssessmentStatus.SUBMITTED
    assessment.submitted_at = timezone.now()
    assessment.save(update_fields=["status", "submitted_at", "updated_at"])
    audit(actor=actor, action="self_assessment.submit", obj=assessment, data={"role": assessment.role.slug})
    return assessment
