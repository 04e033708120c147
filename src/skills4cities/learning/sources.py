"""The one place where the learning app reads other apps: the curriculum and the learner's gaps.

Stable names it relies on (other apps' selectors): ``curriculum.selectors.curriculum_for_framework(framework)``
and ``curriculum.selectors.modules_with_outcomes(curriculum)`` (modules in curriculum order with ``code``,
``title``, ``hours``, ``outcomes`` (``element.code``, ``level``) and ``prerequisites`` (``code``)), and
``assessments.selectors.gap_analysis(user, role)``. Everything else in this app works on the plain values
returned here, so tests can replace these two functions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID

from skills4cities.assessments import selectors as assessments
from skills4cities.curriculum import selectors as curriculum
from skills4cities.frameworks.models import Framework, Role
from skills4cities.learning.solver import Gap, Module


@dataclass(frozen=True)
class CurriculumModule:
    module: Module
    title: str


@dataclass(frozen=True)
class LearnerGaps:
    gaps: tuple[Gap, ...]  # every element of the role (open or not), in the gap analysis's order
    essential: frozenset[str]
    titles: dict[str, str]
    assessment_public_id: UUID | None
    units: dict[str, str] = field(default_factory=dict)  # element code → unit code
    submitted_at: datetime | None = None


def curriculum_modules(framework: Framework) -> list[CurriculumModule]:
    """The framework's curriculum modules in curriculum order (empty when it has no curriculum)."""
    found = curriculum.curriculum_for_framework(framework)
    if found is None:
        return []
    result = []
    for module in curriculum.modules_with_outcomes(found):
        covers: dict[str, int] = {}
        for outcome in module.outcomes.all():
            covers[outcome.element.code] = max(covers.get(outcome.element.code, 0), int(outcome.level))
        prerequisites = frozenset(p.code for p in module.prerequisites.all())
        result.append(
            CurriculumModule(Module(module.code, int(module.hours), covers, prerequisites), str(module.title))
        )
    return result


def learner_gaps(user: Any, role: Role) -> LearnerGaps:
    """The learner's latest gap analysis for ``role`` (current levels by the assessments app's rule)."""
    analysis = assessments.gap_analysis(user, role)
    return LearnerGaps(
        gaps=tuple(Gap(row.code, row.target_level, row.current_level) for row in analysis.rows),
        essential=frozenset(row.code for row in analysis.rows if row.essential),
        titles={row.code: str(row.title) for row in analysis.rows},
        assessment_public_id=analysis.assessment.public_id if analysis.assessment else None,
        units={row.code: row.unit_code for row in analysis.rows},
        submitted_at=analysis.assessment.submitted_at if analysis.assessment else None,
    )


def learner_roles(user: Any) -> list[Role]:
    """The roles a learner may assess themselves against (and so plan a path for)."""
    return assessments.assessable_roles(user)


def learner_role(user: Any, slug: str) -> Role | None:
    return assessments.assessable_role(user, slug)
