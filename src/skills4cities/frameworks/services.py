"""Writes to frameworks: import a document, load the reference content, publish, start a draft."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from skills4cities.core.audit import audit
from skills4cities.esco.selectors import existing_uris
from skills4cities.frameworks.enums import AlignmentTarget, FrameworkStatus
from skills4cities.frameworks.interchange.document import DocumentErrors, Problem, validate_document
from skills4cities.frameworks.interchange.native import document_hash, read_framework, write_document
from skills4cities.frameworks.models import EcfCompetence, Element, Framework
from skills4cities.frameworks.selectors import can_edit_framework

REFERENCE_DIR = Path(__file__).resolve().parent / "reference"
ECF_FILE = Path(__file__).resolve().parent / "data" / "ecf-4.0.json"


@dataclass(frozen=True)
class ImportResult:
    framework: Framework
    created: bool


def ecf_load() -> int:
    """Upsert the e-CF 4.0 competence list (codes and titles). Returns how many rows changed."""
    data = json.loads(ECF_FILE.read_text(encoding="utf-8"))
    changed = 0
    for code, title in data["competences"]:
        area = data["areas"][code.split(".")[0]]
        _obj, created = EcfCompetence.objects.get_or_create(code=code, defaults={"title": title, "area": area})
        if not created and (_obj.title, _obj.area) != (title, area):
            _obj.title, _obj.area = title, area
            _obj.save(update_fields=["title", "area"])
            changed += 1
        changed += int(created)
    return changed


def _yaml_file(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" line {mark.line + 1}" if mark is not None else ""
        raise DocumentErrors([Problem(f"{path.name}{line}", f"invalid YAML: {getattr(exc, 'problem', exc)}")]) from None


def read_reference_folder(folder: Path) -> tuple[dict[str, Any], dict[str, str]]:
    """Assemble ``framework.yaml`` and ``units/*.yaml`` into one document; also the unit → file map."""
    document = _yaml_file(folder / "framework.yaml")
    if not isinstance(document, dict):
        raise DocumentErrors([Problem("framework.yaml", "must be a mapping")])
    units, sources = [], {}
    for path in sorted((folder / "units").glob("*.yaml")):
        unit = _yaml_file(path)
        if isinstance(unit, dict):
            sources[str(unit.get("code"))] = f"units/{path.name}"
        units.append(unit)
    document["units"] = units
    return document, sources


def _check_esco(document: dict[str, Any], unit_sources: dict[str, str]) -> None:
    """Every ESCO alignment must name a concept present in the loaded ESCO data."""
    found: list[tuple[str, str]] = []

    def collect(items: list[dict[str, Any]] | None, where: str) -> None:
        for index, alignment in enumerate(items or []):
            if alignment.get("target") != AlignmentTarget.ECF:
                found.append((f"{where}.alignments[{index}]", alignment["uri"]))

    for role in document.get("roles") or []:
        collect(role.get("alignments"), f"framework.yaml: role {role.get('slug')}")
    for unit in document["units"]:
        source = unit_sources.get(str(unit["code"]), "document")
        collect(unit.get("alignments"), f"{source}: unit {unit['code']}")
        for element in unit["elements"]:
            collect(element.get("alignments"), f"{source}: element {element['code']}")
            for criterion in element["criteria"]:
                collect(criterion.get("alignments"), f"{source}: criterion {criterion['code']}")
    known = existing_uris(uri for _where, uri in found)
    problems = [Problem(where, f"ESCO concept not found: {uri}") for where, uri in found if uri not in known]
    if problems:
        raise DocumentErrors(problems)


@transaction.atomic
def framework_import_document(
    *,
    document: dict[str, Any],
    actor: Any = None,
    unit_sources: dict[str, str] | None = None,
    strict_content: bool = False,
    check_esco: bool = True,
    owner: Any = None,
    source: str = "document",
) -> ImportResult:
    """Validate and store a framework version. Idempotent: the same document again changes nothing.

    A published version is never changed: a document with the same slug and version but different
    content is refused and must carry a new version number. A draft with the same version is replaced.
    """
    ecf_codes = set(EcfCompetence.objects.values_list("code", flat=True)) or None
    validate_document(
        document, source=source, unit_sources=unit_sources, ecf_codes=ecf_codes, strict_content=strict_content
    )
    if check_esco:
        _check_esco(document, unit_sources or {})
    existing = Framework.objects.filter(slug=document["slug"], version=document["version"]).first()
    if existing is not None:
        if existing.source_hash == document_hash(document):
            return ImportResult(existing, created=False)
        if existing.status != FrameworkStatus.DRAFT:
            raise DocumentErrors(
                [
                    Problem(
                        f"{source}: version",
                        f"{existing.slug} {existing.version} is {existing.status} and cannot change; "
                        "give the changed content a new version number",
                    )
                ]
            )
        existing.delete()
    status = document.get("status", FrameworkStatus.DRAFT)
    if status == FrameworkStatus.DRAFT and Framework.objects.filter(slug=document["slug"], status=status).exists():
        raise DocumentErrors([Problem(f"{source}: status", f"{document['slug']} already has a draft version")])
    framework = write_document(document, owner=owner)
    if framework.status == FrameworkStatus.PUBLISHED:
        problems = framework_tree_problems(framework)
        if problems:
            raise DocumentErrors([Problem(source, problem) for problem in problems])
    audit(actor=actor, action="framework.import", obj=framework, data={"version": framework.version})
    return ImportResult(framework, created=True)


def reference_load(*, folder: Path | None = None) -> list[ImportResult]:
    """Load the shipped reference frameworks (every folder under ``reference/``)."""
    ecf_load()
    results = []
    folders = [folder] if folder else sorted(p for p in REFERENCE_DIR.iterdir() if (p / "framework.yaml").exists())
    for path in folders:
        document, sources = read_reference_folder(path)
        results.append(
            framework_import_document(
                document=document, unit_sources=sources, strict_content=True, source="framework.yaml"
            )
        )
    return results


def framework_tree_problems(framework: Framework) -> list[str]:
    """What stops a version from being published: empty units, elements without criteria, orphans, levels."""
    problems = []
    if not framework.units.exists():
        problems.append("the framework has no units")
    for unit in framework.units.filter(elements__isnull=True):
        problems.append(f"unit {unit.code} has no elements")
    for element in framework.elements.filter(criteria__isnull=True):
        problems.append(f"element {element.code} has no performance criteria")
    for element in framework.elements.exclude(unit__framework=framework):
        problems.append(f"element {element.code} belongs to a unit of another framework")
    if framework.criteria.exclude(element__framework=framework).exists():
        problems.append("some performance criteria belong to elements of another framework")
    levels = set(framework.scale.levels.values_list("value", flat=True)) if hasattr(framework, "scale") else set()
    if not levels:
        problems.append("the framework has no proficiency scale levels")
    for role in framework.roles.all():
        if not role.requirements.exists():
            problems.append(f"role {role.slug} requires no elements")
        foreign = role.requirements.exclude(element__framework=framework)
        if foreign.exists():
            problems.append(f"role {role.slug} requires elements of another framework")
        for value in role.requirements.exclude(target_level__in=levels).values_list("target_level", flat=True):
            problems.append(f"role {role.slug} targets level {value}, which is not on the scale")
    return problems


def _require_editor(actor: Any, framework: Framework) -> None:
    if not can_edit_framework(actor, framework):
        raise PermissionDenied


@transaction.atomic
def framework_publish(*, framework: Framework, actor: Any) -> Framework:
    """Publish a draft after validating its tree. Raises DocumentErrors listing what is wrong."""
    _require_editor(actor, framework)
    framework = Framework.objects.select_for_update().get(pk=framework.pk)
    if framework.status != FrameworkStatus.DRAFT:
        raise DocumentErrors([Problem(str(framework), "only a draft can be published")])
    problems = framework_tree_problems(framework)
    if problems:
        raise DocumentErrors([Problem(str(framework), problem) for problem in problems])
    framework.status = FrameworkStatus.PUBLISHED
    framework.published_at = timezone.now()
    framework.source_hash = document_hash(read_framework(framework) | {"status": FrameworkStatus.PUBLISHED})
    framework.save(update_fields=["status", "published_at", "source_hash", "updated_at"])
    audit(actor=actor, action="framework.publish", obj=framework, data={"version": framework.version})
    return framework


@transaction.atomic
def framework_retire(*, framework: Framework, actor: Any) -> Framework:
    _require_editor(actor, framework)
    if framework.status != FrameworkStatus.PUBLISHED:
        raise DocumentErrors([Problem(str(framework), "only a published version can be retired")])
    framework.status = FrameworkStatus.RETIRED
    framework.save(update_fields=["status", "updated_at"])
    audit(actor=actor, action="framework.retire", obj=framework)
    return framework


@transaction.atomic
def framework_start_draft(*, framework: Framework, actor: Any, version: str) -> Framework:
    """Copy a published version into a new draft with the given version number."""
    _require_editor(actor, framework)
    if Framework.objects.filter(slug=framework.slug, status=FrameworkStatus.DRAFT).exists():
        raise DocumentErrors([Problem(framework.slug, "a draft version already exists; edit that one")])
    if Framework.objects.filter(slug=framework.slug, version=version).exists():
        raise DocumentErrors([Problem(framework.slug, f"version {version} already exists")])
    document = read_framework(framework) | {"version": version, "status": FrameworkStatus.DRAFT}
    draft = write_document(document, status=FrameworkStatus.DRAFT, owner=framework.owner, derived_from=framework)
    audit(actor=actor, action="framework.start_draft", obj=draft, data={"from": framework.version})
    return draft


def element_is_editable(element: Element) -> bool:
    return element.framework.status == FrameworkStatus.DRAFT
