"""Reads of self-assessments, and the gap analysis other apps use (e.g. the learning path).

Stable API for other apps: :func:`gap_analysis`, :func:`latest_submitted`, :class:`GapAnalysis`,
:class:`GapRow`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils.module_loading import import_string

from skills4cities.assessments.enums import AssessmentStatus, EvidenceKind
from skills4cities.assessments.models import SelfAssessment, SelfRating
from skills4cities.assessments.rules import (
    CurrentLevel,
    Evidence,
    EvidenceStream,
    StaticStream,
    current_levels,
)
from skills4cities.frameworks import selectors as framework_selectors
from skills4cities.frameworks.models import Element, PerformanceCriterion, ProficiencyLevel, Role, RoleRequirement

#: Learners assess themselves against the roles of the newest published version of this framework.
REFERENCE_SLUG = "skills4cities"


@dataclass(frozen=True)
class GapRow:
    """One element of a role: what the role needs, where the learner stands, and the gap (≥ 0)."""

    code: str
    title: str
    unit_code: str
    unit_title: str
    target_level: int
    current_level: int  # 0 when there is no evidence
    gap: int
    essential: bool
    source: str | None  # the evidence kind that set the current level (None: no evidence)
    previous_level: int | None = None  # in the learner's previous submitted self-assessment, if any

    @property
    def change(self) -> int | None:
        return None if self.previous_level is None else self.current_level - self.previous_level


@dataclass(frozen=True)
class GapAnalysis:
    """A role's gap analysis for a learner; ``rows`` sorted by gap (largest first), then essential first,
    then framework order. ``assessment`` is the self-assessment it rests on (None: no evidence yet)."""

    role: Role
    rows: tuple[GapRow, ...]
    assessment: SelfAssessment | None
    previous: SelfAssessment | None = None

    @property
    def total_gap(self) -> int:
        return sum(row.gap for row in self.rows)

    @property
    def open_rows(self) -> tuple[GapRow, ...]:
        return tuple(row for row in self.rows if row.gap > 0)


def _is_owner(user: Any, assessment: SelfAssessment) -> bool:
    return bool(getattr(user, "is_authenticated", False) and assessment.learner_id == user.pk)


def assessment_for_user(user: Any, public_id: UUID | str, *, write: bool = False) -> SelfAssessment:
    """The learner's own self-assessment; 404 for everyone else (and for anonymous users).

    With ``write=True`` only a draft is returned (a submitted self-assessment never changes)."""
    if not getattr(user, "is_authenticated", False):
        raise Http404
    queryset = SelfAssessment.objects.filter(learner=user).select_related("role__framework__scale")
    if write:
        queryset = queryset.filter(status=AssessmentStatus.DRAFT)
    try:
        return queryset.get(public_id=public_id)
    except (SelfAssessment.DoesNotExist, ValueError, ValidationError):
        raise Http404 from None


def assessments_of(user: Any) -> list[SelfAssessment]:
    """The learner's self-assessments, newest first, with their role and framework."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(
        SelfAssessment.objects.filter(learner=user).select_related("role__framework").order_by("-started_at", "-id")
    )


def assessable_roles(user: Any) -> list[Role]:
    """The roles a learner can pick: those of the newest published reference framework."""
    try:
        framework = framework_selectors.framework_for_user(user, REFERENCE_SLUG)
    except Http404:
        return []
    return list(framework_selectors.roles_of(framework).select_related("framework"))


def assessable_role(user: Any, slug: str) -> Role | None:
    return next((role for role in assessable_roles(user) if role.slug == slug), None)


def _same_role(role: Role) -> dict[str, Any]:
    """Self-assessments for this role in any version of its framework (element codes are stable)."""
    return {"role__slug": role.slug, "role__framework__slug": role.framework.slug}


def latest_submitted(user: Any, role: Role) -> SelfAssessment | None:
    """The learner's latest submitted self-assessment for ``role`` (any version of its framework)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        SelfAssessment.objects.filter(learner=user, status=AssessmentStatus.SUBMITTED, **_same_role(role))
        .select_related("role__framework")
        .order_by("-submitted_at", "-id")
        .first()
    )


def previous_submitted(assessment: SelfAssessment) -> SelfAssessment | None:
    """The submitted self-assessment of the same learner and role before ``assessment`` (None if it is the first)."""
    queryset = SelfAssessment.objects.filter(
        learner_id=assessment.learner_id, status=AssessmentStatus.SUBMITTED, **_same_role(assessment.role)
    ).exclude(pk=assessment.pk)
    if assessment.submitted_at is not None:
        queryset = queryset.filter(submitted_at__lt=assessment.submitted_at)
    return queryset.order_by("-submitted_at", "-id").first()


def self_rating_stream(assessment: SelfAssessment | None) -> StaticStream:
    """The self-rating evidence stream of one self-assessment (dated at its submission)."""
    if assessment is None:
        return StaticStream(EvidenceKind.SELF_RATING.value, ())
    at: datetime = assessment.submitted_at or assessment.updated_at
    items = tuple(
        Evidence(code, level, at)
        for code, level in SelfRating.objects.filter(assessment=assessment).values_list("element__code", "level")
    )
    return StaticStream(EvidenceKind.SELF_RATING.value, items)


def _requirements(role: Role) -> list[RoleRequirement]:
    return list(
        RoleRequirement.objects.filter(role=role)
        .select_related("element__unit")
        .order_by("element__unit__position", "element__position", "element__code")
    )


def gap_rows(
    role: Role,
    levels: dict[str, CurrentLevel],
    previous: dict[str, int] | None = None,
    *,
    requirements: list[RoleRequirement] | None = None,
) -> tuple[GapRow, ...]:
    rows = []
    for position, requirement in enumerate(_requirements(role) if requirements is None else requirements):
        element = requirement.element
        found = levels.get(element.code)
        current = found.level if found else 0
        row = GapRow(
            code=element.code,
            title=element.title,
            unit_code=element.unit.code,
            unit_title=element.unit.title,
            target_level=requirement.target_level,
            current_level=current,
            gap=max(requirement.target_level - current, 0),
            essential=requirement.essential,
            source=found.source if found else None,
            previous_level=None if previous is None else previous.get(element.code, 0),
        )
        rows.append((-row.gap, not row.essential, position, row))
    return tuple(row for *_key, row in sorted(rows, key=lambda item: item[:3]))


def _analysis(role: Role, assessment: SelfAssessment | None, extra: list[EvidenceStream]) -> GapAnalysis:
    previous = previous_submitted(assessment) if assessment and assessment.submitted_at else None
    before = None
    if previous is not None:
        before = {code: found.level for code, found in current_levels([self_rating_stream(previous), *extra]).items()}
    levels = current_levels([self_rating_stream(assessment), *extra])
    return GapAnalysis(role=role, rows=gap_rows(role, levels, before), assessment=assessment, previous=previous)


def other_evidence_streams(user: Any) -> list[EvidenceStream]:
    """The learner's evidence streams kept by other apps (test results, assessor decisions …).

    ``settings.EVIDENCE_STREAMS`` lists dotted paths of callables ``(user) -> EvidenceStream``; each app
    that keeps an evidence stream registers its own, so this app imports none of them (docs/adr/0009).
    """
    return [import_string(path)(user) for path in getattr(settings, "EVIDENCE_STREAMS", ())]


def gap_analysis(user: Any, role: Role) -> GapAnalysis:
    """The learner's gap analysis for ``role``: targets from the role, current levels by the configured rule
    from every evidence stream (the latest submitted self-assessment and the streams of other apps)."""
    return _analysis(role, latest_submitted(user, role), other_evidence_streams(user))


def assessment_gap(assessment: SelfAssessment) -> GapAnalysis:
    """The gap analysis as it stands in one self-assessment (its results page)."""
    return _analysis(assessment.role, assessment, [])


@dataclass(frozen=True)
class ElementStep:
    element: Element
    requirement: RoleRequirement
    criteria: list[PerformanceCriterion]
    rating: SelfRating | None


@dataclass(frozen=True)
class UnitStep:
    number: int
    code: str
    title: str
    elements: list[ElementStep]

    @property
    def rated(self) -> int:
        return sum(1 for step in self.elements if step.rating is not None)

    @property
    def complete(self) -> bool:
        return self.rated == len(self.elements)


def assessment_steps(assessment: SelfAssessment) -> list[UnitStep]:
    """The role's units as steps, each with its required elements, their criteria and the learner's rating."""
    ratings = {rating.element_id: rating for rating in SelfRating.objects.filter(assessment=assessment)}
    requirements = (
        RoleRequirement.objects.filter(role_id=assessment.role_id)
        .select_related("element__unit")
        .prefetch_related(
            Prefetch("element__criteria", queryset=PerformanceCriterion.objects.order_by("position", "code"))
        )
        .order_by("element__unit__position", "element__position", "element__code")
    )
    steps: dict[int, UnitStep] = {}
    for requirement in requirements:
        element = requirement.element
        unit = element.unit
        if unit.pk not in steps:
            steps[unit.pk] = UnitStep(len(steps) + 1, unit.code, unit.title, [])
        steps[unit.pk].elements.append(
            ElementStep(element, requirement, list(element.criteria.all()), ratings.get(element.pk))
        )
    return list(steps.values())


def scale_levels(assessment: SelfAssessment) -> list[ProficiencyLevel]:
    return framework_selectors.scale_levels(assessment.role.framework)


def missing_elements(assessment: SelfAssessment) -> list[Element]:
    """Required elements of the role that the self-assessment has not rated yet, in framework order."""
    rated = SelfRating.objects.filter(assessment=assessment).values("element_id")
    return list(
        Element.objects.filter(requirements__role_id=assessment.role_id)
        .exclude(pk__in=rated)
        .select_related("unit")
        .order_by("unit__position", "position", "code")
    )


def required_element(assessment: SelfAssessment, code: str) -> Element | None:
    return Element.objects.filter(requirements__role_id=assessment.role_id, code=code).select_related("unit").first()


def submitted_of(user: Any) -> QuerySet[SelfAssessment]:
    return SelfAssessment.objects.filter(learner=user, status=AssessmentStatus.SUBMITTED)


def gap_analyses(learners: list[Any], role: Role) -> dict[int, GapAnalysis]:
    """:func:`gap_analysis` for many learners at once (a trainer's cohort), in a fixed number of queries.

    Keyed by learner id; every learner is present (``assessment`` None: no submitted self-assessment yet).
    ``previous`` is not looked up (``previous_level`` stays None)."""
    ids = [learner.pk for learner in learners]
    latest: dict[int, SelfAssessment] = {}
    for submitted in (
        SelfAssessment.objects.filter(learner_id__in=ids, status=AssessmentStatus.SUBMITTED, **_same_role(role))
        .select_related("role__framework")
        .order_by("learner_id", "-submitted_at", "-id")
    ):
        latest.setdefault(submitted.learner_id, submitted)
    ratings: dict[int, list[tuple[str, int]]] = {}
    for assessment_id, code, level in SelfRating.objects.filter(
        assessment_id__in=[a.pk for a in latest.values()]
    ).values_list("assessment_id", "element__code", "level"):
        ratings.setdefault(assessment_id, []).append((code, level))
    requirements = _requirements(role)
    result = {}
    for learner_id in ids:
        assessment = latest.get(learner_id)
        stream = StaticStream(EvidenceKind.SELF_RATING.value, ())
        if assessment is not None:
            at: datetime = assessment.submitted_at or assessment.updated_at
            items = tuple(Evidence(code, level, at) for code, level in ratings.get(assessment.pk, []))
            stream = StaticStream(EvidenceKind.SELF_RATING.value, items)
        rows = gap_rows(role, current_levels([stream]), requirements=requirements)
        result[learner_id] = GapAnalysis(role=role, rows=rows, assessment=assessment)
    return result


def role_requirements(role: Role) -> list[RoleRequirement]:
    """The role's requirements with their elements and units, in framework order."""
    return _requirements(role)
