"""Writes to the curriculum: load the reference curriculum from YAML; enrol learners in cohorts."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max, ProtectedError
from django.http import Http404
from django.utils.translation import gettext as _

from skills4cities.accounts.enums import MemberRole
from skills4cities.core.audit import audit
from skills4cities.curriculum import document as doc
from skills4cities.curriculum.models import (
    Cohort,
    Course,
    CourseModule,
    Curriculum,
    LearningOutcome,
    Module,
    ModuleLink,
)
from skills4cities.frameworks.interchange.document import DocumentErrors, Problem
from skills4cities.frameworks.selectors import framework_for_user

REFERENCE_DIR = Path(__file__).resolve().parent / "reference"


@dataclass(frozen=True)
class CurriculumLoadResult:
    curriculum: Curriculum
    created: bool  # False: the same source was already loaded and nothing changed

    def summary(self) -> str:
        curriculum = self.curriculum
        state = "loaded" if self.created else "unchanged"
        outcomes = LearningOutcome.objects.filter(module__curriculum=curriculum).count()
        return (
            f"{curriculum.slug} {curriculum.version}: {state} ({curriculum.courses.count()} courses, "
            f"{curriculum.modules.count()} modules, {outcomes} outcomes)"
        )


def framework_facts(framework: Any) -> doc.FrameworkFacts:
    """Element codes, scale levels and the highest target level of every required element."""
    rows = framework.elements.order_by().values("code").annotate(top=Max("requirements__target_level"))
    return doc.FrameworkFacts(
        elements=frozenset(row["code"] for row in rows),
        levels=frozenset(framework.scale.levels.values_list("value", flat=True)),
        targets={row["code"]: row["top"] for row in rows if row["top"] is not None},
    )


def _tr(field: str, value: Any) -> dict[str, str]:
    """Keyword arguments for every language column of a translated field."""
    value = value if isinstance(value, dict) else {}
    return {f"{field}_{code}": (value.get(code) or "").strip() for code in settings.LANGUAGE_CODES} | {
        field: (value.get("en") or "").strip()
    }


def _raise(problems: list[tuple[str, str]]) -> None:
    if problems:
        raise DocumentErrors([Problem(where, message) for where, message in problems])


def curriculum_pending_folders(root: Path | None = None) -> list[str]:
    """Reference folders that have module files but no ``curriculum.yaml`` yet (reported, never loaded)."""
    root = root or REFERENCE_DIR
    return sorted(p.name for p in root.iterdir() if p.is_dir() and not (p / "curriculum.yaml").exists())


def curriculum_reference_load(*, root: Path | None = None) -> list[CurriculumLoadResult]:
    """Load every reference curriculum folder that has a ``curriculum.yaml``."""
    root = root or REFERENCE_DIR
    return [
        curriculum_load_folder(folder=path)
        for path in sorted(p for p in root.iterdir() if (p / "curriculum.yaml").exists())
    ]


@transaction.atomic
def curriculum_load_folder(*, folder: Path, actor: Any = None) -> CurriculumLoadResult:
    """Validate and store a curriculum source folder. Idempotent by content hash; all or nothing.

    A changed source with the same slug and version updates the curriculum in place (modules and courses
    are matched by code, so cohorts and other records that point at them survive); modules and courses
    removed from the source are deleted, which fails while a cohort still uses the course.
    """
    source, problems = doc.read_folder(folder)
    _raise(problems)
    framework = None
    if isinstance(source.curriculum, dict) and isinstance(source.curriculum.get("framework"), str):
        try:
            framework = framework_for_user(None, source.curriculum["framework"])
        except Http404:
            problems.append(
                ("curriculum.yaml: framework", f"no published framework {source.curriculum['framework']!r} is loaded")
            )
    facts = framework_facts(framework) if framework is not None else None
    problems += doc.check_source(source, facts, languages=settings.LANGUAGE_CODES)
    _raise(problems)
    assert framework is not None
    data: dict[str, Any] = source.curriculum
    digest = doc.source_hash(source)
    existing = Curriculum.objects.filter(slug=data["slug"], version=data["version"]).first()
    if existing is not None and existing.source_hash == digest and existing.framework_id == framework.pk:
        return CurriculumLoadResult(existing, created=False)
    curriculum = _write(data, source.modules, framework=framework, digest=digest, existing=existing)
    audit(actor=actor, action="curriculum.load", obj=curriculum, data={"version": curriculum.version})
    return CurriculumLoadResult(curriculum, created=True)


def _write(
    data: dict[str, Any], module_docs: dict[str, Any], *, framework: Any, digest: str, existing: Curriculum | None
) -> Curriculum:
    fields = {"framework": framework, "source_hash": digest, **_tr("title", data["title"])}
    fields |= _tr("description", data.get("description"))
    if existing is None:
        curriculum = Curriculum.objects.create(slug=data["slug"], version=data["version"], **fields)
    else:
        curriculum = existing
        for name, value in fields.items():
            setattr(curriculum, name, value)
        curriculum.save()

    order = [code for course in data["courses"] for code in course["modules"]]
    position = {code: index for index, code in reversed(list(enumerate(order, start=1)))}
    by_code = {m["code"]: m for m in module_docs.values()}
    modules: dict[str, Module] = {m.code: m for m in curriculum.modules.all()}
    _delete_unused(curriculum.modules.exclude(code__in=by_code), "module")
    for code, m in by_code.items():
        values = {
            "hours": m["hours"],
            "ecvet": Decimal(str(m["ecvet"])),
            "delivery": list(m["delivery"]),
            "position": position[code],
            **_tr("title", m["title"]),
            **_tr("description", m["description"]),
            **_tr("assessment_method", m["assessment"]["method"]),
            **_tr("study", m["study"]),
        }
        module = modules.get(code) or Module(curriculum=curriculum, code=code)
        for name, value in values.items():
            setattr(module, name, value)
        module.full_clean(exclude=["curriculum", "prerequisites"], validate_unique=False)
        module.save()
        modules[code] = module

    module_ids = [module.pk for module in modules.values() if module.code in by_code]
    LearningOutcome.objects.filter(module_id__in=module_ids).delete()
    ModuleLink.objects.filter(module_id__in=module_ids).delete()
    Through = Module.prerequisites.through
    Through.objects.filter(from_module_id__in=module_ids).delete()
    elements = {element.code: element for element in framework.elements.all()}
    outcomes, links, prerequisites = [], [], []
    for code, m in by_code.items():
        module = modules[code]
        for index, outcome in enumerate(m["outcomes"], start=1):
            outcomes.append(
                LearningOutcome(
                    module=module,
                    element=elements[outcome["element"]],
                    level=outcome["level"],
                    position=index,
                    **_tr("text", outcome["text"]),
                )
            )
        for index, link in enumerate(m.get("links") or [], start=1):
            links.append(ModuleLink(module=module, title=link["title"].strip(), url=link["url"], position=index))
        for prerequisite in m.get("prerequisites") or []:
            prerequisites.append(Through(from_module=module, to_module=modules[prerequisite]))
    LearningOutcome.objects.bulk_create(outcomes)
    ModuleLink.objects.bulk_create(links)
    Through.objects.bulk_create(prerequisites)

    course_codes = [course["code"] for course in data["courses"]]
    _delete_unused(curriculum.courses.exclude(code__in=course_codes), "course")
    courses = {course.code: course for course in curriculum.courses.all()}
    CourseModule.objects.filter(course__curriculum=curriculum).delete()
    links_in_courses = []
    for index, c in enumerate(data["courses"], start=1):
        course = courses.get(c["code"]) or Course(curriculum=curriculum, code=c["code"])
        for name, value in {
            "position": index,
            **_tr("title", c["title"]),
            **_tr("description", c["description"]),
        }.items():
            setattr(course, name, value)
        course.save()
        links_in_courses += [
            CourseModule(course=course, module=modules[code], position=p)
            for p, code in enumerate(c["modules"], start=1)
        ]
    CourseModule.objects.bulk_create(links_in_courses)
    return curriculum


def _delete_unused(queryset: Any, kind: str) -> None:
    """Delete what the source no longer has; refuse (as a source problem) while other records still use it."""
    try:
        queryset.delete()
    except ProtectedError:
        codes = sorted(queryset.values_list("code", flat=True))
        raise DocumentErrors(
            [Problem("curriculum.yaml", f"{kind} {', '.join(codes)} was removed but is still in use; keep it")]
        ) from None


def _is_member(user: Any, organisation_id: int, role: str) -> bool:
    return bool(user.memberships.filter(organisation_id=organisation_id, role=role).exists())


@transaction.atomic
def cohort_enrol(*, cohort: Cohort, learner: Any, actor: Any) -> bool:
    """The cohort's trainer enrols a learner of the cohort's organisation. Returns False if already enrolled."""
    if cohort.trainer_id != actor.pk or not _is_member(actor, cohort.organisation_id, MemberRole.TRAINER):
        raise PermissionDenied(_("Only the cohort's trainer can enrol learners."))
    if not _is_member(learner, cohort.organisation_id, MemberRole.LEARNER):
        raise PermissionDenied(_("Only learners of the cohort's organisation can be enrolled."))
    if cohort.learners.filter(pk=learner.pk).exists():
        return False
    cohort.learners.add(learner)
    audit(actor=actor, action="cohort.enrol", obj=cohort, data={"learner": learner.pk})
    return True


@transaction.atomic
def cohort_create(*, actor: Any, organisation: Any, course: Course, name: str, start_date: datetime.date) -> Cohort:
    """A trainer of ``organisation`` opens a cohort on a course, with themselves as its trainer."""
    if not getattr(actor, "is_authenticated", False) or not _is_member(actor, organisation.pk, MemberRole.TRAINER):
        raise PermissionDenied(_("Only trainers of the organisation can create its cohorts."))
    cohort = Cohort.objects.create(
        course=course, organisation=organisation, trainer=actor, name=name.strip(), start_date=start_date
    )
    audit(actor=actor, action="cohort.create", obj=cohort, data={"course": course.code})
    return cohort


@transaction.atomic
def cohort_unenrol(*, cohort: Cohort, learner: Any, actor: Any) -> bool:
    """The cohort's trainer removes a learner from the cohort. Returns False if the learner was not enrolled."""
    if cohort.trainer_id != actor.pk or not _is_member(actor, cohort.organisation_id, MemberRole.TRAINER):
        raise PermissionDenied(_("Only the cohort's trainer can remove learners."))
    if not cohort.learners.filter(pk=learner.pk).exists():
        return False
    cohort.learners.remove(learner)
    audit(actor=actor, action="cohort.unenrol", obj=cohort, data={"learner": learner.pk})
    return True
