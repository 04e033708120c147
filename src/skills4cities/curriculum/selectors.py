"""Reads of the curriculum. Curricula on published frameworks are public; cohorts only for their trainer."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from skills4cities.accounts.enums import MemberRole
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
