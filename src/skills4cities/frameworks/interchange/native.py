"""The native framework document ↔ database rows.

``write_document`` creates a framework version from a validated document; ``read_framework``
turns a stored version back into a document (the basis of the YAML/JSON export and of
"start a new draft"). Both are lossless for everything the model holds.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.conf import settings
from django.utils import timezone

from skills4cities.frameworks.enums import AlignmentTarget, FrameworkStatus, StatementKind
from skills4cities.frameworks.models import (
    Alignment,
    Element,
    Framework,
    PerformanceCriterion,
    ProficiencyLevel,
    ProficiencyScale,
    Role,
    RoleRequirement,
    RoleTask,
    Statement,
    Unit,
)

BATCH_SIZE = 500

KSA_KEYS = {
    "knowledge": StatementKind.KNOWLEDGE,
    "skills": StatementKind.SKILL,
    "attitudes": StatementKind.ATTITUDE,
}


def document_hash(document: dict[str, Any]) -> str:
    canonical = json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _tr(field: str, value: dict[str, str] | None) -> dict[str, str]:
    """Keyword arguments for every language column of a translated field."""
    value = value or {}
    return {f"{field}_{code}": (value.get(code) or "").strip() for code in settings.LANGUAGE_CODES} | {
        field: (value.get("en") or "").strip()
    }


def _alignment(framework: Framework, data: dict[str, Any], **item: Any) -> Alignment:
    is_ecf = data["target"] == AlignmentTarget.ECF
    return Alignment(
        framework=framework,
        target=data["target"],
        uri="" if is_ecf else data["uri"],
        ecf_code=data.get("code", "") if is_ecf else "",
        ecf_level=data.get("level") if is_ecf else None,
        relation=data.get("relation", "related"),
        label=(data.get("label") or "")[:300],
        **item,
    )


def write_document(
    document: dict[str, Any],
    *,
    status: str | None = None,
    owner: Any = None,
    derived_from: Framework | None = None,
) -> Framework:
    """Create the framework version described by a *validated* document (call inside a transaction)."""
    status = status or document.get("status", FrameworkStatus.DRAFT)
    framework = Framework.objects.create(
        slug=document["slug"],
        version=document["version"],
        status=status,
        languages=list(document.get("languages") or ["en"]),
        licence=document.get("licence", ""),
        owner=owner,
        derived_from=derived_from,
        published_at=timezone.now() if status == FrameworkStatus.PUBLISHED else None,
        source_hash=document_hash(document),
        extra=document.get("extra") or {},
        **_tr("title", document["title"]),
        **_tr("description", document.get("description")),
        **_tr("attribution", document.get("attribution")),
    )
    scale_doc = document["scale"]
    scale = ProficiencyScale.objects.create(
        framework=framework,
        slug=scale_doc.get("slug", "scale"),
        extra=scale_doc.get("extra") or {},
        **_tr("title", scale_doc["title"]),
    )
    ProficiencyLevel.objects.bulk_create(
        ProficiencyLevel(
            scale=scale,
            value=level["value"],
            eqf_level=level.get("eqf_level"),
            ecf_level=level.get("ecf_level"),
            **_tr("name", level["name"]),
            **_tr("description", level.get("description")),
        )
        for level in scale_doc["levels"]
    )

    # Rows are created level by level with bulk inserts (a few queries whatever the size of the
    # framework), keeping the document's order; the primary keys come back from the inserts.
    alignments: list[Alignment] = []
    statements: list[Statement] = []
    unit_docs = document["units"]
    units = Unit.objects.bulk_create(
        [
            Unit(
                framework=framework,
                code=unit_doc["code"],
                position=u_pos,
                extra=unit_doc.get("extra") or {},
                **_tr("title", unit_doc["title"]),
                **_tr("description", unit_doc.get("description")),
            )
            for u_pos, unit_doc in enumerate(unit_docs, start=1)
        ],
        batch_size=BATCH_SIZE,
    )
    elements: list[Element] = []
    element_docs: list[dict[str, Any]] = []
    elements_of_unit: dict[str, list[Element]] = {}
    for unit, unit_doc in zip(units, unit_docs, strict=True):
        alignments += [_alignment(framework, a, unit=unit) for a in unit_doc.get("alignments") or []]
        for e_pos, element_doc in enumerate(unit_doc["elements"], start=1):
            element = Element(
                framework=framework,
                unit=unit,
                code=element_doc["code"],
                position=e_pos,
                extra=element_doc.get("extra") or {},
                **_tr("title", element_doc["title"]),
                **_tr("description", element_doc.get("description")),
            )
            elements.append(element)
            element_docs.append(element_doc)
            elements_of_unit.setdefault(unit.code, []).append(element)
    Element.objects.bulk_create(elements, batch_size=BATCH_SIZE)
    criteria: list[PerformanceCriterion] = []
    criterion_docs: list[dict[str, Any]] = []
    for element, element_doc in zip(elements, element_docs, strict=True):
        for key, kind in KSA_KEYS.items():
            statements += [
                Statement(element=element, kind=kind, position=pos, **_tr("text", text))
                for pos, text in enumerate(element_doc.get(key) or [], start=1)
            ]
        alignments += [_alignment(framework, a, element=element) for a in element_doc.get("alignments") or []]
        for c_pos, criterion_doc in enumerate(element_doc["criteria"], start=1):
            criteria.append(
                PerformanceCriterion(
                    framework=framework,
                    element=element,
                    code=criterion_doc["code"],
                    position=c_pos,
                    extra=criterion_doc.get("extra") or {},
                    **_tr("text", criterion_doc["text"]),
                )
            )
            criterion_docs.append(criterion_doc)
    PerformanceCriterion.objects.bulk_create(criteria, batch_size=BATCH_SIZE)
    for criterion, criterion_doc in zip(criteria, criterion_docs, strict=True):
        alignments += [_alignment(framework, a, criterion=criterion) for a in criterion_doc.get("alignments") or []]
    Statement.objects.bulk_create(statements, batch_size=BATCH_SIZE)

    requirements: list[RoleRequirement] = []
    tasks: list[RoleTask] = []
    for r_pos, role_doc in enumerate(document.get("roles") or [], start=1):
        role = Role.objects.create(
            framework=framework,
            slug=role_doc["slug"],
            code=role_doc["code"],
            eqf_level=role_doc["eqf_level"],
            position=r_pos,
            extra=role_doc.get("extra") or {},
            **_tr("title", role_doc["title"]),
            **_tr("summary", role_doc.get("summary")),
            **_tr("mission", role_doc.get("mission")),
        )
        tasks += [
            RoleTask(role=role, position=pos, **_tr("text", text))
            for pos, text in enumerate(role_doc.get("main_tasks") or [], start=1)
        ]
        alignments += [_alignment(framework, a, role=role) for a in role_doc.get("alignments") or []]
        for requirement in role_doc.get("requirements") or []:
            overrides = requirement.get("elements") or {}
            for element in elements_of_unit[requirement["unit"]]:
                override = overrides.get(element.code) or {}
                requirements.append(
                    RoleRequirement(
                        role=role,
                        element=element,
                        target_level=override.get("level", requirement["level"]),
                        essential=override.get("essential", requirement.get("essential", True)),
                    )
                )
    RoleTask.objects.bulk_create(tasks, batch_size=BATCH_SIZE)
    RoleRequirement.objects.bulk_create(requirements, batch_size=BATCH_SIZE)
    Alignment.objects.bulk_create(alignments, batch_size=BATCH_SIZE)
    return framework


def _texts(obj: Any, field: str) -> dict[str, str]:
    return {code: value for code in settings.LANGUAGE_CODES if (value := getattr(obj, f"{field}_{code}", ""))}


def _extra(obj: Any) -> dict[str, Any]:
    """``{"extra": …}`` when an import kept format data on the object, else nothing (keeps documents small)."""
    return {"extra": obj.extra} if obj.extra else {}


def _alignment_doc(alignment: Alignment) -> dict[str, Any]:
    data: dict[str, Any] = {"target": alignment.target}
    if alignment.target == AlignmentTarget.ECF:
        data["code"] = alignment.ecf_code
        if alignment.ecf_level is not None:
            data["level"] = alignment.ecf_level
    else:
        data["uri"] = alignment.uri
    if alignment.label:
        data["label"] = alignment.label
    data["relation"] = alignment.relation
    return data


def read_framework(framework: Framework) -> dict[str, Any]:
    """The native document of a stored framework version.

    Role requirements are written per unit (the most common level and essential flag of the
    unit's elements) with per-element overrides where an element differs, so that writing the
    document back restores every requirement exactly.
    """
    framework = (
        Framework.objects.select_related("scale")
        .prefetch_related(
            "scale__levels",
            "units__alignments",
            "units__elements__statements",
            "units__elements__criteria__alignments",
            "units__elements__alignments",
            "roles__tasks",
            "roles__alignments",
            "roles__requirements__element__unit",
        )
        .get(pk=framework.pk)
    )
    units = []
    for unit in framework.units.all():
        elements = []
        for element in unit.elements.all():
            element_doc: dict[str, Any] = {
                "code": element.code,
                "title": _texts(element, "title"),
                "description": _texts(element, "description"),
            }
            for key, kind in KSA_KEYS.items():
                element_doc[key] = [_texts(s, "text") for s in element.statements.all() if s.kind == kind]
            element_doc["criteria"] = [
                {"code": c.code, "text": _texts(c, "text")}
                | ({"alignments": [_alignment_doc(a) for a in c.alignments.all()]} if c.alignments.all() else {})
                | _extra(c)
                for c in element.criteria.all()
            ]
            element_doc["alignments"] = [_alignment_doc(a) for a in element.alignments.all()]
            elements.append(element_doc | _extra(element))
        unit_doc: dict[str, Any] = {
            "code": unit.code,
            "title": _texts(unit, "title"),
            "description": _texts(unit, "description"),
            "elements": elements,
        }
        if unit.alignments.all():
            unit_doc["alignments"] = [_alignment_doc(a) for a in unit.alignments.all()]
        units.append(unit_doc | _extra(unit))

    roles = []
    for role in framework.roles.all():
        by_unit: dict[str, list[RoleRequirement]] = {}
        for requirement in role.requirements.all():
            by_unit.setdefault(requirement.element.unit.code, []).append(requirement)
        requirement_docs = []
        for unit in framework.units.all():
            reqs = by_unit.get(unit.code)
            if not reqs:
                continue
            levels = [r.target_level for r in reqs]
            level = max(set(levels), key=levels.count)
            essentials = [r.essential for r in reqs]
            essential = max(set(essentials), key=essentials.count)
            doc: dict[str, Any] = {"unit": unit.code, "level": level, "essential": essential}
            overrides = {}
            for r in reqs:
                override: dict[str, Any] = {}
                if r.target_level != level:
                    override["level"] = r.target_level
                if r.essential != essential:
                    override["essential"] = r.essential
                if override:
                    overrides[r.element.code] = override
            if overrides:
                doc["elements"] = overrides
            requirement_docs.append(doc)
        roles.append(
            {
                "slug": role.slug,
                "code": role.code,
                "title": _texts(role, "title"),
                "summary": _texts(role, "summary"),
                "mission": _texts(role, "mission"),
                "main_tasks": [_texts(task, "text") for task in role.tasks.all()],
                "eqf_level": role.eqf_level,
                "alignments": [_alignment_doc(a) for a in role.alignments.all()],
                "requirements": requirement_docs,
            }
            | _extra(role)
        )
    scale = framework.scale
    scale_doc: dict[str, Any] = {
        "slug": scale.slug,
        "title": _texts(scale, "title"),
        "levels": [
            {
                "value": level.value,
                "name": _texts(level, "name"),
                "description": _texts(level, "description"),
                "eqf_level": level.eqf_level,
                "ecf_level": level.ecf_level,
            }
            for level in scale.levels.all()
        ],
    } | _extra(scale)
    return {
        "slug": framework.slug,
        "version": framework.version,
        "status": framework.status,
        "languages": list(framework.languages),
        "licence": framework.licence,
        "attribution": _texts(framework, "attribution"),
        "title": _texts(framework, "title"),
        "description": _texts(framework, "description"),
        "scale": scale_doc,
        "roles": roles,
        "units": units,
    } | _extra(framework)
