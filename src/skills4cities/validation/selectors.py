"""Reads of validation requests, the access helper, and the assessor-decision evidence stream.

Stable API for other apps: :func:`assessor_element_results` (certification), :func:`assessor_evidence_stream`
(registered in ``settings.EVIDENCE_STREAMS``), :class:`AssessorElementResult`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from skills4cities.accounts.enums import MemberRole
from skills4cities.assessments.enums import EvidenceKind
from skills4cities.assessments.rules import Evidence
from skills4cities.assessments.selectors import REFERENCE_SLUG
from skills4cities.core.models import AuditEntry
from skills4cities.frameworks import selectors as framework_selectors
from skills4cities.frameworks.models import Element, PerformanceCriterion, RoleRequirement
from skills4cities.portfolio import selectors as portfolio_selectors
from skills4cities.validation.enums import Outcome, RequestState
from skills4cities.validation.models import CriterionJudgement, ElementJudgement, ValidationRequest

#: States in which the decisive judgements are a decision: decided (appeal still possible) and final.
#: While an appeal runs (appealed, or in review after an appeal) the earlier decision does not count.
DECIDED_STATES = (RequestState.DECIDED, RequestState.FINAL)
MANAGER_ROLES = (MemberRole.ORG_ADMIN, MemberRole.CERTIFICATION_OFFICER)


@dataclass(frozen=True)
class AssessorElementResult:
    """The assessor decision on one element (by code): the latest decided or final one of the learner."""

    element_code: str
    outcome: str  # an Outcome value
    level: int | None  # None when not met
    met: bool
    at: datetime
    request_public_id: UUID


def _decisive(user: Any) -> QuerySet[ElementJudgement]:
    return (
        ElementJudgement.objects.filter(
            request__learner=user, request__state__in=DECIDED_STATES, decisive=True, decided_at__isnull=False
        )
        .select_related("element", "request")
        .order_by("decided_at", "id")
    )


def assessor_element_results(user: Any) -> dict[str, AssessorElementResult]:
    """Per element code, the learner's latest assessor decision (met, partly met or not met) in a request
    that is decided or final. One query."""
    if not getattr(user, "is_authenticated", False):
        return {}
    results: dict[str, AssessorElementResult] = {}
    for judgement in _decisive(user):
        assert judgement.decided_at is not None
        results[judgement.element.code] = AssessorElementResult(
            element_code=judgement.element.code,
            outcome=judgement.outcome,
            level=judgement.level,
            met=judgement.outcome == Outcome.MET,
            at=judgement.decided_at,
            request_public_id=judgement.request.public_id,
        )
    return results


@dataclass(frozen=True)
class AssessorDecisionStream:
    """Assessor decisions as an evidence stream: elements judged met *or partly met*, at the level the
    assessor set. A partly met element still shows the level the assessor found (below the target, as a
    rule); a not-met element gives no evidence, so other streams decide it."""

    user: Any

    @property
    def kind(self) -> str:
        return EvidenceKind.ASSESSOR_DECISION.value

    def evidence(self) -> Iterable[Evidence]:
        for result in assessor_element_results(self.user).values():
            if result.outcome in (Outcome.MET, Outcome.PARTLY_MET) and result.level:
                yield Evidence(result.element_code, result.level, result.at)


def assessor_evidence_stream(user: Any) -> AssessorDecisionStream:
    return AssessorDecisionStream(user)


# --- access -------------------------------------------------------------------------------------------


def _authenticated(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def managed_organisation_ids(user: Any) -> list[int]:
    """Organisations where the user assigns assessors (organisation admin or certification officer)."""
    if not _authenticated(user):
        return []
    return list(user.memberships.filter(role__in=MANAGER_ROLES).values_list("organisation_id", flat=True))


def can_manage(user: Any, request: ValidationRequest) -> bool:
    if not _authenticated(user):
        return False
    return bool(user.is_superuser or request.organisation_id in managed_organisation_ids(user))


def is_org_assessor(user: Any, organisation_id: int) -> bool:
    return bool(
        _authenticated(user)
        and user.memberships.filter(organisation_id=organisation_id, role=MemberRole.ASSESSOR).exists()
    )


def _assigned(user: Any) -> Q:
    return Q(assessor=user) | Q(second_assessor=user) | Q(appeal_assessor=user)


def visible_requests(user: Any) -> QuerySet[ValidationRequest]:
    """The learner's own; those assigned to the user as an assessor; the organisation's (past draft) for its
    admins and certification officers; all for a site admin."""
    if not _authenticated(user):
        return ValidationRequest.objects.none()
    if user.is_superuser:
        return ValidationRequest.objects.all()
    others = (_assigned(user) | Q(organisation_id__in=managed_organisation_ids(user))) & ~Q(state=RequestState.DRAFT)
    return ValidationRequest.objects.filter(Q(learner=user) | others)


def _with_details(queryset: QuerySet[ValidationRequest]) -> QuerySet[ValidationRequest]:
    return queryset.select_related(
        "learner", "organisation", "framework__scale", "role", "unit", "assessor", "second_assessor", "appeal_assessor"
    )


def request_for_user(user: Any, public_id: UUID | str) -> ValidationRequest:
    """The request if the user may see it (see :func:`visible_requests`); 404 otherwise."""
    try:
        return _with_details(visible_requests(user)).get(public_id=public_id)
    except (ValidationRequest.DoesNotExist, ValueError, ValidationError):
        raise Http404 from None


def requests_of(user: Any) -> QuerySet[ValidationRequest]:
    """The learner's own requests, newest first."""
    if not _authenticated(user):
        return ValidationRequest.objects.none()
    return _with_details(ValidationRequest.objects.filter(learner=user)).order_by("-created_at", "-id")


def inbox_of(user: Any) -> QuerySet[ValidationRequest]:
    """Requests assigned to the user as first, second or appeal assessor (an assessor sees only these)."""
    if not _authenticated(user):
        return ValidationRequest.objects.none()
    return (
        _with_details(ValidationRequest.objects.filter(_assigned(user)))
        .exclude(state=RequestState.DRAFT)
        .order_by("state", "submitted_at", "id")
    )


def to_assign(user: Any) -> QuerySet[ValidationRequest]:
    """For organisation admins and certification officers: their organisations' requests waiting for an
    assessor (submitted without one, or appealed without an appeal assessor)."""
    waiting = Q(state=RequestState.SUBMITTED, assessor__isnull=True) | Q(
        state=RequestState.APPEALED, appeal_assessor__isnull=True
    )
    queryset = ValidationRequest.objects.filter(waiting)
    if not (_authenticated(user) and user.is_superuser):
        queryset = queryset.filter(organisation_id__in=managed_organisation_ids(user))
    return _with_details(queryset).order_by("submitted_at", "id")


def assessors_of(organisation_id: int) -> list[Any]:
    return list(
        get_user_model()
        .objects.filter(memberships__organisation_id=organisation_id, memberships__role=MemberRole.ASSESSOR)
        .distinct()
        .order_by("username")
    )


# --- scope, judgements, timeline ---------------------------------------------------------------------


@dataclass(frozen=True)
class ScopeElement:
    element: Any
    target_level: int | None  # the role's target level (None for a unit request)
    criteria: tuple[Any, ...]


def scope_elements(request: ValidationRequest) -> list[ScopeElement]:
    """The elements a request covers, in framework order, with their criteria (two queries)."""
    criteria = Prefetch("criteria", queryset=PerformanceCriterion.objects.order_by("position", "code"))
    if request.role_id is not None:
        requirements = (
            RoleRequirement.objects.filter(role_id=request.role_id)
            .select_related("element__unit")
            .prefetch_related(Prefetch("element__criteria", queryset=criteria.queryset))
            .order_by("element__unit__position", "element__position", "element__code")
        )
        return [
            ScopeElement(requirement.element, requirement.target_level, tuple(requirement.element.criteria.all()))
            for requirement in requirements
        ]
    assert request.unit_id is not None
    elements = (
        Element.objects.filter(unit_id=request.unit_id)
        .select_related("unit")
        .prefetch_related(criteria)
        .order_by("position", "code")
    )
    return [ScopeElement(element, None, tuple(element.criteria.all())) for element in elements]


def judgements_of(request: ValidationRequest) -> list[ElementJudgement]:
    return list(
        ElementJudgement.objects.filter(request=request)
        .select_related("element", "assessor")
        .prefetch_related(Prefetch("criteria", queryset=CriterionJudgement.objects.select_related("criterion")))
    )


def scale_values(request: ValidationRequest) -> list[int]:
    return [level.value for level in request.framework.scale.levels.all()]


def timeline(request: ValidationRequest) -> list[Any]:
    """The request's audit entries, oldest first (who did what, when, and why)."""
    return list(
        AuditEntry.objects.filter(object_type=ValidationRequest._meta.label_lower, object_id=str(request.public_id))
        .select_related("actor")
        .order_by("at", "id")
    )


def evidence_of(request: ValidationRequest) -> list[Any]:
    return list(request.evidence_items.prefetch_related("files", "elements").order_by("-created_at", "-id"))


def request_evidence_file(user: Any, request: ValidationRequest, file_public_id: UUID | str) -> Any:
    """A file of the request's evidence, for the learner, its assessors and site admins; 404 otherwise."""
    allowed = {request.learner_id, request.assessor_id, request.second_assessor_id, request.appeal_assessor_id}
    if not _authenticated(user) or not (user.pk in allowed or user.is_superuser):
        raise Http404
    return portfolio_selectors.evidence_file_among(request.evidence_items.all(), file_public_id)


def scope_choices(user: Any) -> tuple[list[Any], list[Any]]:
    """(roles, units) a learner can ask to have validated: those of the newest published reference framework."""
    try:
        framework = framework_selectors.framework_for_user(user, REFERENCE_SLUG)
    except Http404:
        return [], []
    return list(framework.roles.select_related("framework")), list(framework.units.select_related("framework"))
