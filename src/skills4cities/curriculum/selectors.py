"""Reads of the curriculum. Curricula on published frameworks are public; cohorts only for their trainer."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.http import Http404

from skills4cities.accounts.enums import MemberRole
from skills4cities.assessments import selectors as assessment_selectors
from skills4cities.curriculum.models import Cohort, Course, CourseModule, Curriculum, LearningOutcome, Module
from skills4cities.frameworks.enums import FrameworkStatus


def curriculum_for_framework(framework: Any) -> Curriculum | None:
    """The newest curriculum written for this framework version, if any."""
    return Curriculum.objects.filter(framework=framework).select_related("framework").order_by("-id").first()


def current_curriculum(framework_slug: str | None = None) -> Curriculum | None:
    """The newest curriculum on a published framework (of ``framework_slug`` when given): the one people browse."""
    queryset = Curriculum.objects.filter(framework__status=FrameworkStatus.PUBLISHED)
    if framework_slug:
        queryset = queryset.filter(framework__slug=framework_slug)
    return queryset.select_related("framework").order_by("-framework__published_at", "-id").first()


def courses_with_modules(curriculum: Curriculum) -> list[Course]:
    """Courses in order; ``course.ordered`` holds its modules in the recommended order, with totals."""
    courses = list(
        curriculum.courses.prefetch_related(
            Prefetch(
                "course_modules",
                queryset=CourseModule.objects.select_related("module").order_by("position"),
            )
        )
    )
    for course in courses:
        course.ordered = [link.module for link in course.course_modules.all()]  # type: ignore[attr-defined]
        course.total_hours = sum(module.hours for module in course.ordered)  # type: ignore[attr-defined]
        course.total_ecvet = sum(module.ecvet for module in course.ordered)  # type: ignore[attr-defined]
    return courses


def _outcomes() -> Prefetch[Any]:
    return Prefetch(
        "outcomes", queryset=LearningOutcome.objects.select_related("element__unit").order_by("position", "id")
    )


def modules_with_outcomes(curriculum: Curriculum) -> list[Module]:
    """Every module with its outcomes (``outcome.element.code``) and prerequisites prefetched."""
    return list(
        curriculum.modules.prefetch_related(
            _outcomes(), Prefetch("prerequisites", queryset=Module.objects.order_by("position", "code"))
        )
    )


def module_in(curriculum: Curriculum, code: str) -> Module:
    """A module with everything its page shows; 404 when the curriculum has no such module."""
    module = (
        curriculum.modules.filter(code=code)
        .prefetch_related(
            _outcomes(),
            Prefetch("prerequisites", queryset=Module.objects.order_by("position", "code")),
            Prefetch("dependents", queryset=Module.objects.order_by("position", "code")),
            Prefetch("courses", queryset=Course.objects.order_by("position")),
            "links",
            "attachments",
        )
        .first()
    )
    if module is None:
        raise Http404
    return module


def outcomes_for_element(element: Any) -> list[LearningOutcome]:
    """The learning outcomes that name this element, with their modules (for the element page)."""
    return list(
        LearningOutcome.objects.filter(element=element)
        .select_related("module")
        .order_by("module__position", "module__code", "level")
    )


def cohorts_for_trainer(user: Any) -> QuerySet[Cohort]:
    """The cohorts a user trains, while they are a trainer of the cohort's organisation; none otherwise."""
    if not getattr(user, "is_authenticated", False):
        return Cohort.objects.none()
    trainer_of = user.memberships.filter(role=MemberRole.TRAINER).values("organisation_id")
    return (
        Cohort.objects.filter(trainer=user, organisation_id__in=trainer_of)
        .select_related("course", "organisation")
        .order_by("-start_date", "name", "id")
    )


def cohort_for_trainer(user: Any, public_id: Any) -> Cohort:
    """Access helper: the trainer's cohort or 404."""
    cohort = cohorts_for_trainer(user).filter(public_id=public_id).first()
    if cohort is None:
        raise Http404
    return cohort


def cohort_learners(cohort: Cohort) -> QuerySet[Any]:
    return cohort.learners.order_by("username")


def trainer_organisations(user: Any) -> QuerySet[Any]:
    """The organisations in which the user is a trainer (where they may create cohorts)."""
    from skills4cities.accounts.models import Organisation

    if not getattr(user, "is_authenticated", False):
        return Organisation.objects.none()
    return (
        Organisation.objects.filter(memberships__user=user, memberships__role=MemberRole.TRAINER)
        .distinct()
        .order_by("name")
    )


def is_trainer(user: Any) -> bool:
    return bool(trainer_organisations(user).exists())


def enrollable_learners(cohort: Cohort) -> QuerySet[Any]:
    """Learners of the cohort's organisation not yet in the cohort, by username."""
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(memberships__organisation_id=cohort.organisation_id, memberships__role=MemberRole.LEARNER)
        .exclude(pk__in=cohort.learners.values("pk"))
        .distinct()
        .order_by("username")
    )


def cohort_learner(cohort: Cohort, public_id: Any) -> Any:
    """Access helper: a learner enrolled in the cohort, or 404."""
    try:
        learner = cohort.learners.filter(public_id=public_id).first()
    except (ValueError, ValidationError):
        learner = None
    if learner is None:
        raise Http404
    return learner


@dataclass(frozen=True)
class CohortCell:
    target: int
    current: int | None  # None: the learner has no submitted self-assessment for the role
    gap: int | None

    @property
    def tone(self) -> str:
        """A Bootstrap table class by gap: met, one level short, more."""
        if self.gap is None:
            return ""
        return "table-success" if self.gap == 0 else "table-warning" if self.gap == 1 else "table-danger"


@dataclass(frozen=True)
class CohortLearnerRow:
    learner: Any
    assessed: bool
    cells: list[CohortCell]  # in the order of ``CohortResults.elements``


@dataclass(frozen=True)
class CohortElement:
    code: str
    title: str
    unit_code: str
    target: int
    essential: bool
    below: int  # assessed learners below the target
    mean_gap: float | None  # over the assessed learners (None: nobody assessed yet)


@dataclass(frozen=True)
class CohortResults:
    role: Any
    elements: list[CohortElement]
    rows: list[CohortLearnerRow]

    @property
    def assessed(self) -> int:
        return sum(1 for row in self.rows if row.assessed)


def cohort_results(cohort: Cohort, role: Any) -> CohortResults:
    """The cohort's latest self-assessment results for ``role``: learners × elements (framework order), and per
    element how many assessed learners are below target and their mean gap. A fixed number of queries."""
    learners = list(cohort_learners(cohort))
    analyses = assessment_selectors.gap_analyses(learners, role)
    requirements = assessment_selectors.role_requirements(role)
    rows = []
    for learner in learners:
        analysis = analyses[learner.pk]
        by_code = {row.code: row for row in analysis.rows}
        assessed = analysis.assessment is not None
        cells = [
            CohortCell(
                target=req.target_level,
                current=by_code[req.element.code].current_level if assessed else None,
                gap=by_code[req.element.code].gap if assessed else None,
            )
            for req in requirements
        ]
        rows.append(CohortLearnerRow(learner=learner, assessed=assessed, cells=cells))
    elements = []
    for index, req in enumerate(requirements):
        gaps = [row.cells[index].gap for row in rows if row.assessed]
        known = [gap for gap in gaps if gap is not None]
        elements.append(
            CohortElement(
                code=req.element.code,
                title=req.element.title,
                unit_code=req.element.unit.code,
                target=req.target_level,
                essential=req.essential,
                below=sum(1 for gap in known if gap > 0),
                mean_gap=round(sum(known) / len(known), 2) if known else None,
            )
        )
    return CohortResults(role=role, elements=elements, rows=rows)


def offered_courses(framework_slug: str | None = None) -> QuerySet[Course]:
    """The courses of the current curriculum (those a new cohort can follow)."""
    curriculum = current_curriculum(framework_slug)
    if curriculum is None:
        return Course.objects.none()
    return curriculum.courses.order_by("position", "code")
