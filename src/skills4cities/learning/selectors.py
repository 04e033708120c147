"""Reads of learning paths; every path fetched for a user goes through :func:`path_for_user`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404

from skills4cities.frameworks.models import Role
from skills4cities.learning import solver, sources
from skills4cities.learning.enums import ModuleStatus
from skills4cities.learning.models import LearningPath, PathModule
from skills4cities.learning.sources import CurriculumModule


def _own(user: Any) -> QuerySet[LearningPath]:
    if not getattr(user, "is_authenticated", False):
        return LearningPath.objects.none()
    return LearningPath.objects.filter(learner=user).select_related("role__framework")


def path_for_user(user: Any, public_id: UUID | str) -> LearningPath:
    """The learner's own path; 404 for anyone else (no other reader is allowed yet)."""
    try:
        return _own(user).get(public_id=public_id)
    except (LearningPath.DoesNotExist, ValidationError, ValueError):
        raise Http404 from None


def paths_of(user: Any) -> list[LearningPath]:
    """The learner's paths, newest first, with their modules."""
    return list(_own(user).prefetch_related("modules"))


def latest_path(user: Any, role: Role) -> LearningPath | None:
    """The learner's newest path for ``role`` (any version of its framework)."""
    return (
        _own(user)
        .filter(role__slug=role.slug, role__framework__slug=role.framework.slug)
        .prefetch_related("modules")
        .first()
    )


def modules_of(path: LearningPath) -> list[PathModule]:
    return list(path.modules.all())


def module_in(path: LearningPath, code: str) -> PathModule:
    try:
        return path.modules.get(code=code)
    except PathModule.DoesNotExist:
        raise Http404 from None


def active(modules: list[PathModule]) -> list[PathModule]:
    return [m for m in modules if m.status != ModuleStatus.DROPPED]


def closed_by(module: PathModule, gap: dict[str, Any]) -> bool:
    return int(module.covers.get(gap["element"], 0)) >= int(gap["target"])


def uncovered(path: LearningPath, modules: list[PathModule]) -> list[dict[str, Any]]:
    """The open gaps that no module of the path still planned or completed closes, in the path's gap order."""
    kept = active(modules)
    return [gap for gap in path.gaps if not any(closed_by(m, gap) for m in kept)]


@dataclass(frozen=True)
class Progress:
    done_hours: int
    total_hours: int

    @property
    def percent(self) -> int:
        return round(100 * self.done_hours / self.total_hours) if self.total_hours else 0


def progress(modules: list[PathModule]) -> Progress:
    kept = active(modules)
    return Progress(
        done_hours=sum(m.hours for m in kept if m.status == ModuleStatus.COMPLETED),
        total_hours=sum(m.hours for m in kept),
    )


def alternatives(curriculum: list[CurriculumModule], modules: list[PathModule]) -> dict[str, list[CurriculumModule]]:
    """Per planned module, the curriculum modules it may be swapped for: not planned or completed in the path,
    and closing at least one of the gaps it closes (curriculum order)."""
    taken = {m.code for m in active(modules)}
    free = [c for c in curriculum if c.module.code not in taken]
    return {
        m.code: [
            c for c in free if any(int(c.module.covers.get(g["element"], 0)) >= int(g["target"]) for g in m.closes)
        ]
        for m in modules
        if m.status == ModuleStatus.PLANNED
    }


def plan_for(learner: Any, role: Role) -> tuple[solver.Plan, sources.LearnerGaps, dict[str, CurriculumModule]]:
    """Run the solver on the learner's gaps for ``role`` and the curriculum of the role's framework (no writes)."""
    gaps = sources.learner_gaps(learner, role)
    curriculum = sources.curriculum_modules(role.framework)
    plan = solver.solve([c.module for c in curriculum], gaps.gaps)
    return plan, gaps, {c.module.code: c for c in curriculum}


@dataclass(frozen=True)
class ModuleSummary:
    position: int
    code: str
    title: str
    hours: int
    status: str
    elements: list[str]  # every element code the module brings a learner to some level in
    closes: list[dict[str, Any]]


@dataclass(frozen=True)
class PathSummary:
    """A learner's path for a role as the API gives it: the stored one, or else a proposal not saved yet."""

    role: Role
    path_id: UUID | None
    status: str  # proposed | accepted | unsaved
    method: str
    modules: list[ModuleSummary]
    uncovered: list[dict[str, Any]]
    total_hours: int
    completed_hours: int


def gap_dict(gap: solver.Gap, gaps: sources.LearnerGaps) -> dict[str, Any]:
    return {
        "element": gap.element,
        "title": gaps.titles.get(gap.element, ""),
        "target": gap.target,
        "current": gap.current,
        "essential": gap.element in gaps.essential,
    }


def path_summary(learner: Any, role: Role) -> PathSummary | None:
    """The newest saved path for ``role``, else the solver's proposal (not saved); None without a self-assessment."""
    path = latest_path(learner, role)
    if path is not None:
        modules = modules_of(path)
        done = progress(modules)
        return PathSummary(
            role=role,
            path_id=path.public_id,
            status=path.status,
            method=path.method,
            modules=[
                ModuleSummary(m.position, m.code, m.title, m.hours, m.status, sorted(m.covers), list(m.closes))
                for m in active(modules)
            ],
            uncovered=uncovered(path, modules),
            total_hours=done.total_hours,
            completed_hours=done.done_hours,
        )
    plan, gaps, curriculum = plan_for(learner, role)
    if gaps.assessment_public_id is None:
        return None
    return PathSummary(
        role=role,
        path_id=None,
        status="unsaved",
        method=plan.method,
        modules=[
            ModuleSummary(
                position,
                step.code,
                curriculum[step.code].title,
                step.hours,
                ModuleStatus.PLANNED,
                sorted(curriculum[step.code].module.covers),
                [gap_dict(g, gaps) for g in step.closes],
            )
            for position, step in enumerate(plan.steps, start=1)
        ],
        uncovered=[gap_dict(g, gaps) for g in plan.uncovered],
        total_hours=plan.total_hours,
        completed_hours=0,
    )
