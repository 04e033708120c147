"""Writes of learning paths: one service per transition, permission-checked, atomic, audited."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from skills4cities.core.audit import audit
from skills4cities.frameworks.models import Role
from skills4cities.learning import selectors, sources
from skills4cities.learning.enums import ModuleStatus, PathStatus
from skills4cities.learning.models import LearningPath, PathModule


@dataclass(frozen=True)
class Change:
    """What a drop or a swap did to the path: gaps it no longer closes, and planned modules that needed it."""

    newly_uncovered: tuple[str, ...]
    needed_by: tuple[str, ...]
    newly_closed: tuple[str, ...] = ()


def _check_owner(path: LearningPath, actor: Any) -> None:
    if getattr(actor, "pk", None) != path.learner_id:
        raise PermissionDenied


@transaction.atomic
def learning_path_propose(*, learner: Any, role: Role) -> LearningPath:
    """A new proposed path for ``role`` from the learner's latest submitted self-assessment."""
    plan, gaps, curriculum = selectors.plan_for(learner, role)
    if gaps.assessment_public_id is None:
        raise ValidationError(_("Complete a self-assessment for this role first."), code="no_assessment")
    path = LearningPath.objects.create(
        learner=learner,
        role=role,
        assessment_public_id=gaps.assessment_public_id,
        method=plan.method,
        gaps=[selectors.gap_dict(g, gaps) for g in gaps.gaps if g.open],
    )
    PathModule.objects.bulk_create(
        PathModule(
            path=path,
            code=step.code,
            title=curriculum[step.code].title,
            hours=step.hours,
            covers=dict(curriculum[step.code].module.covers),
            closes=[selectors.gap_dict(g, gaps) for g in step.closes],
            required_by=list(step.required_by),
            position=position,
        )
        for position, step in enumerate(plan.steps, start=1)
    )
    audit(
        actor=learner,
        action="learning_path.propose",
        obj=path,
        data={"role": role.slug, "modules": list(plan.codes), "hours": plan.total_hours, "method": plan.method},
    )
    return path


@transaction.atomic
def learning_path_accept(*, path: LearningPath, actor: Any) -> LearningPath:
    _check_owner(path, actor)
    if path.status != PathStatus.PROPOSED:
        raise ValidationError(_("This learning path has already been accepted."), code="already_accepted")
    path.status = PathStatus.ACCEPTED
    path.accepted_at = timezone.now()
    path.save(update_fields=["status", "accepted_at", "updated_at"])
    audit(actor=actor, action="learning_path.accept", obj=path)
    return path


def _before_change(module: PathModule, actor: Any) -> list[PathModule]:
    _check_owner(module.path, actor)
    if module.status != ModuleStatus.PLANNED:
        raise ValidationError(_("Only a planned module can be dropped or swapped."), code="not_planned")
    return selectors.modules_of(module.path)


@transaction.atomic
def path_module_drop(*, module: PathModule, actor: Any) -> Change:
    """Drop a planned module; says which gaps the path no longer closes and which planned modules needed it."""
    modules = _before_change(module, actor)
    before = selectors.uncovered(module.path, modules)
    module.status = ModuleStatus.DROPPED
    module.save(update_fields=["status", "updated_at"])
    after = selectors.uncovered(module.path, selectors.modules_of(module.path))
    change = Change(
        newly_uncovered=tuple(g["element"] for g in after if g not in before),
        needed_by=tuple(m.code for m in modules if m.status == ModuleStatus.PLANNED and m.code in module.required_by),
    )
    audit(
        actor=actor,
        action="learning_path.drop_module",
        obj=module.path,
        data={"module": module.code, "uncovered": list(change.newly_uncovered)},
    )
    return change


@transaction.atomic
def path_module_swap(*, module: PathModule, replacement: str, actor: Any) -> Change:
    """Replace a planned module by another module of the curriculum (its prerequisites are not added)."""
    modules = _before_change(module, actor)
    path = module.path
    curriculum = {c.module.code: c for c in sources.curriculum_modules(path.role.framework)}
    existing = {m.code: m for m in modules}
    if (
        replacement not in curriculum
        or replacement == module.code
        or (replacement in existing and existing[replacement].status != ModuleStatus.DROPPED)
    ):
        raise ValidationError(_("Choose a module of the curriculum that is not in the path."), code="bad_replacement")
    before = selectors.uncovered(path, modules)
    module.status = ModuleStatus.DROPPED
    module.save(update_fields=["status", "updated_at"])
    chosen = curriculum[replacement]
    closes = [g for g in path.gaps if int(chosen.module.covers.get(g["element"], 0)) >= int(g["target"])]
    PathModule.objects.update_or_create(
        path=path,
        code=replacement,
        defaults={
            "title": chosen.title,
            "hours": chosen.module.hours,
            "covers": dict(chosen.module.covers),
            "closes": closes,
            "required_by": [],
            "position": module.position,
            "status": ModuleStatus.PLANNED,
            "swapped_from": module.code,
            "completed_at": None,
        },
    )
    after = selectors.uncovered(path, selectors.modules_of(path))
    change = Change(
        newly_uncovered=tuple(g["element"] for g in after if g not in before),
        needed_by=tuple(m.code for m in modules if m.status == ModuleStatus.PLANNED and m.code in module.required_by),
        newly_closed=tuple(g["element"] for g in before if g not in after),
    )
    audit(
        actor=actor,
        action="learning_path.swap_module",
        obj=path,
        data={"module": module.code, "replacement": replacement, "uncovered": list(change.newly_uncovered)},
    )
    return change


@transaction.atomic
def path_module_complete(*, module: PathModule, actor: Any) -> PathModule:
    _check_owner(module.path, actor)
    if module.path.status != PathStatus.ACCEPTED:
        raise ValidationError(_("Accept the learning path before marking modules completed."), code="not_accepted")
    if module.status != ModuleStatus.PLANNED:
        raise ValidationError(_("Only a planned module can be marked completed."), code="not_planned")
    module.status = ModuleStatus.COMPLETED
    module.completed_at = timezone.now()
    module.save(update_fields=["status", "completed_at", "updated_at"])
    audit(actor=actor, action="learning_path.complete_module", obj=module.path, data={"module": module.code})
    return module
