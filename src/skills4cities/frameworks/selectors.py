"""Reads of frameworks, with visibility: published versions are public, drafts only for editors."""

from __future__ import annotations

from datetime import datetime
from typing import Any, NamedTuple

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db.models import F, Prefetch, Q, QuerySet
from django.http import Http404

from skills4cities.accounts.enums import MemberRole
from skills4cities.accounts.models import Organisation
from skills4cities.frameworks import import_progress
from skills4cities.frameworks.diff import FrameworkDiff, diff_documents
from skills4cities.frameworks.diff import Group as DiffGroup
from skills4cities.frameworks.diff import groups as diff_groups
from skills4cities.frameworks.enums import FrameworkStatus, ImportStatus
from skills4cities.frameworks.interchange import case as case_format
from skills4cities.frameworks.interchange.native import read_framework
from skills4cities.frameworks.models import (
    Alignment,
    EcfCompetence,
    Element,
    Framework,
    ImportJob,
    Role,
    RoleRequirement,
    Unit,
)


def can_edit_framework(user: Any, framework: Framework) -> bool:
    """Site admins edit everything; framework editors edit their organisation's frameworks."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    if framework.owner_id is None:
        return False
    return bool(user.memberships.filter(organisation_id=framework.owner_id, role=MemberRole.FRAMEWORK_EDITOR).exists())


def frameworks_visible_to(user: Any) -> QuerySet[Framework]:
    """Published and retired versions for everyone; drafts for the editors who may edit them."""
    visible = Q(status__in=[FrameworkStatus.PUBLISHED, FrameworkStatus.RETIRED])
    if getattr(user, "is_authenticated", False):
        if user.is_superuser:
            return Framework.objects.all()
        editor_orgs = user.memberships.filter(role=MemberRole.FRAMEWORK_EDITOR).values("organisation_id")
        visible |= Q(status=FrameworkStatus.DRAFT, owner_id__in=editor_orgs)
    return Framework.objects.filter(visible)


def current_frameworks(user: Any) -> list[Framework]:
    """The newest published version of every framework slug (the list people browse)."""
    latest: dict[str, Framework] = {}
    queryset = frameworks_visible_to(user).filter(status=FrameworkStatus.PUBLISHED).order_by("slug", "-published_at")
    for framework in queryset:
        latest.setdefault(framework.slug, framework)
    return list(latest.values())


def framework_for_user(user: Any, slug: str, version: str | None = None) -> Framework:
    """The requested version (or the newest published one) if the user may see it; 404 otherwise."""
    queryset = frameworks_visible_to(user).filter(slug=slug).select_related("scale")
    if version:
        framework = queryset.filter(version=version).first()
    else:
        framework = queryset.filter(status=FrameworkStatus.PUBLISHED).order_by("-published_at", "-id").first()
    if framework is None:
        raise Http404
    return framework


def versions_of(user: Any, slug: str) -> QuerySet[Framework]:
    return frameworks_visible_to(user).filter(slug=slug).order_by("-published_at", "-id")


def scale_levels(framework: Framework) -> list[Any]:
    return list(framework.scale.levels.all())


def roles_of(framework: Framework) -> QuerySet[Role]:
    return framework.roles.all()


def role_in(framework: Framework, slug: str) -> Role:
    try:
        return framework.roles.prefetch_related("tasks").get(slug=slug)
    except Role.DoesNotExist:
        raise Http404 from None


def units_with_elements(framework: Framework) -> QuerySet[Unit]:
    return framework.units.prefetch_related(Prefetch("elements", queryset=Element.objects.order_by("position", "code")))


def role_profile(role: Role) -> list[dict[str, Any]]:
    """The role's units in framework order, each with its required elements and their details."""
    requirements = (
        RoleRequirement.objects.filter(role=role)
        .select_related("element__unit")
        .prefetch_related(
            "element__statements",
            "element__criteria",
            Prefetch("element__alignments", queryset=Alignment.objects.order_by("target", "ecf_code", "uri")),
        )
        .order_by("element__unit__position", "element__position")
    )
    units: dict[int, dict[str, Any]] = {}
    for requirement in requirements:
        unit = requirement.element.unit
        entry = units.setdefault(unit.pk, {"unit": unit, "requirements": [], "essential": False, "levels": []})
        entry["requirements"].append(requirement)
        entry["essential"] = entry["essential"] or requirement.essential
        entry["levels"].append(requirement.target_level)
    for entry in units.values():
        entry["target_level"] = max(entry["levels"])
    return list(units.values())


def element_in(framework: Framework, code: str) -> Element:
    try:
        return (
            framework.elements.select_related("unit")
            .prefetch_related(
                "statements",
                "criteria",
                Prefetch("alignments", queryset=Alignment.objects.order_by("target", "ecf_code", "uri")),
                Prefetch(
                    "requirements",
                    queryset=RoleRequirement.objects.select_related("role").order_by("role__position"),
                ),
            )
            .get(code=code)
        )
    except Element.DoesNotExist:
        raise Http404 from None


def unit_in(framework: Framework, code: str) -> Unit:
    try:
        return framework.units.prefetch_related("elements").get(code=code)
    except Unit.DoesNotExist:
        raise Http404 from None


def heatmap(framework: Framework) -> dict[str, Any]:
    """Roles × units: the highest target level each role sets in each unit (None when not required)."""
    roles = list(framework.roles.all())
    units = list(framework.units.all())
    cells: dict[tuple[int, int], dict[str, Any]] = {}
    for role_id, unit_id, level, essential in RoleRequirement.objects.filter(role__framework=framework).values_list(
        "role_id", "element__unit_id", "target_level", "essential"
    ):
        cell = cells.setdefault((role_id, unit_id), {"level": 0, "essential": False})
        cell["level"] = max(cell["level"], level)
        cell["essential"] = cell["essential"] or essential
    return {
        "roles": roles,
        "units": units,
        "rows": [{"unit": unit, "cells": [cells.get((role.pk, unit.pk)) for role in roles]} for unit in units],
    }


def search_framework(framework: Framework, query: str, language: str, *, limit: int = 50) -> dict[str, list[Any]]:
    """Case-insensitive search over roles, units, elements, criteria and K/S/A in the shown language and English."""
    terms = [term for term in query.split() if len(term) >= 2][:8]
    if not terms:
        return {"roles": [], "units": [], "elements": []}

    def matches(*fields: str) -> Q:
        condition = Q()
        for term in terms:
            term_q = Q()
            for name in fields:
                term_q |= Q(**{f"{name}_{language}__icontains": term}) | Q(**{f"{name}_en__icontains": term})
            condition &= term_q
        return condition

    roles = framework.roles.filter(matches("title", "summary", "mission"))[:limit]
    units = framework.units.filter(matches("title", "description"))[:limit]
    element_q = matches("title", "description")
    for related in ("statements__text", "criteria__text"):
        element_q |= matches(related)
    elements = (
        framework.elements.filter(element_q)
        .select_related("unit")
        .distinct()
        .order_by("unit__position", "position")[:limit]
    )
    return {"roles": list(roles), "units": list(units), "elements": list(elements)}


def ecf_titles() -> dict[str, str]:
    return dict(EcfCompetence.objects.values_list("code", "title"))


def can_import_frameworks(user: Any) -> bool:
    """Site admins and the framework editors of any organisation may import framework files."""
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_superuser or user.memberships.filter(role=MemberRole.FRAMEWORK_EDITOR).exists())


def import_owner_choices(user: Any) -> QuerySet[Organisation]:
    """Organisations an imported framework may belong to: every one for a site admin, else the user's
    organisations where they are a framework editor."""
    if not getattr(user, "is_authenticated", False):
        return Organisation.objects.none()
    if user.is_superuser:
        return Organisation.objects.all()
    return Organisation.objects.filter(memberships__user=user, memberships__role=MemberRole.FRAMEWORK_EDITOR).distinct()


def import_jobs_of(user: Any, *, limit: int = 20) -> list[ImportJob]:
    """The user's most recent imports (without the uploaded bytes)."""
    if not getattr(user, "is_authenticated", False):
        return []
    jobs = ImportJob.objects.filter(created_by=user).select_related("framework").defer("data")
    return list(jobs.order_by("-created_at", "-id")[:limit])


def import_job_for_user(user: Any, public_id: Any) -> ImportJob:
    """An import job for the person who uploaded it (or a site admin); 404 for everyone else."""
    if not getattr(user, "is_authenticated", False):
        raise Http404
    jobs = ImportJob.objects.select_related("framework").defer("data")
    if not user.is_superuser:
        jobs = jobs.filter(created_by=user)
    try:
        return jobs.get(public_id=public_id)
    except (ImportJob.DoesNotExist, ValueError, TypeError, ValidationError):
        raise Http404 from None


def framework_to_export(slug: str, version: str | None = None) -> Framework | None:
    """A stored version for the export command, whatever its visibility: the given version, else the
    newest published one, else the draft."""
    versions = Framework.objects.filter(slug=slug)
    if version:
        return versions.filter(version=version).first()
    published = versions.filter(status=FrameworkStatus.PUBLISHED).order_by("-published_at", "-id").first()
    return published or versions.filter(status=FrameworkStatus.DRAFT).first()


def versions_newest_first(user: Any, slug: str) -> list[Framework]:
    """Every version the user may see, newest first: drafts by creation, the others by publication
    (the same order on every database, whatever it does with empty publication dates)."""
    versions = list(versions_of(user, slug))
    return sorted(versions, key=lambda f: (f.published_at or f.created_at, f.pk), reverse=True)


def default_comparison(versions: list[Framework]) -> tuple[Framework, Framework]:
    """The pair the diff page opens with (from ``versions_newest_first``, at least two): the newest
    version and the one it was derived from when visible, else the next older one."""
    newest = versions[0]
    base = next((f for f in versions if f.pk == newest.derived_from_id), versions[1])
    return base, newest


class Comparison(NamedTuple):
    diff: FrameworkDiff
    groups: list[DiffGroup]
    level_names: dict[int, dict[str, str]]


def version_diff(old: Framework, new: Framework) -> Comparison:
    """What changed from ``old`` to ``new`` (two versions of a framework), the same grouped for reading, and the
    names of the scale levels (of both versions, the newer winning)."""
    old_document, new_document = read_framework(old), read_framework(new)
    changes = diff_documents(old_document, new_document)
    levels = [*old_document["scale"]["levels"], *new_document["scale"]["levels"]]
    names = {level["value"]: level["name"] for level in levels}
    return Comparison(changes, diff_groups(changes, old_document, new_document), names)


def import_job_live(job: ImportJob) -> tuple[int, str]:
    """Progress (0–100) and message of an import: from its worker while it runs, else from the job."""
    if job.status == ImportStatus.RUNNING:
        live = import_progress.read(job.public_id)
        if live is not None and live.percent >= job.progress:
            return live.percent, live.message
    return job.progress, job.message


def alignments_to(user: Any, uris: list[str]) -> list[Alignment]:
    """Alignments to these ESCO URIs in the framework versions the user may see (not retired), by framework."""
    return list(
        Alignment.objects.filter(uri__in=uris, framework__in=frameworks_visible_to(user))
        .exclude(framework__status=FrameworkStatus.RETIRED)
        .select_related("framework", "role", "unit", "element", "criterion__element")
        .order_by("framework__slug", "-framework__published_at", "framework__version", "id")
    )


# --- CASE 1.1: the read-only CASE REST endpoints (/ims/case/v1p1/) --------------------------------

#: Packages of published and retired versions are immutable, so they are cached by version and status.
CASE_CACHE_SECONDS = 3600
CASE_SECTIONS = ("CFItems", "CFAssociations", "CFRubrics", "CFAssociationGroupings", "CFLicenses", "CFItemTypes")


def _case_head(framework: Framework) -> dict[str, Any]:
    """The top-level fields of a version's native document: all its CFDocument needs."""

    def texts(name: str) -> dict[str, str]:
        return {code: value for code in settings.LANGUAGE_CODES if (value := getattr(framework, f"{name}_{code}", ""))}

    return {
        "slug": framework.slug,
        "version": framework.version,
        "status": framework.status,
        "languages": list(framework.languages),
        "licence": framework.licence,
        "attribution": texts("attribution"),
        "title": texts("title"),
        "description": texts("description"),
        "extra": framework.extra,
    }


def _case_changed(framework: Framework) -> datetime:
    return framework.published_at or framework.updated_at


def _case_frameworks(user: Any) -> QuerySet[Framework]:
    """The versions the user may see, newest first (the first one holding an identifier answers for it)."""
    newest = F("published_at").desc(nulls_last=True)
    return frameworks_visible_to(user).order_by(newest, "-id")


def case_documents(user: Any) -> list[dict[str, Any]]:
    """The CFDocument of every version the user may see (published and retired ones for everyone), by slug."""
    frameworks = frameworks_visible_to(user).order_by("slug", F("published_at").desc(nulls_last=True), "-id")
    return [
        case_format.standalone_document(case_format.document_object(_case_head(f), changed=_case_changed(f)))
        for f in frameworks
    ]


def case_package_of(framework: Framework) -> dict[str, Any]:
    """The CFPackage of a stored version (cached unless it is a draft, which may still change)."""
    if framework.status == FrameworkStatus.DRAFT:
        return case_format.package(read_framework(framework), changed=_case_changed(framework))
    key = f"case-package:1:{framework.public_id}:{framework.status}:{framework.source_hash}:{settings.SITE_URL}"
    found: dict[str, Any] | None = cache.get(key)
    if found is None:
        found = case_format.package(read_framework(framework), changed=_case_changed(framework))
        cache.set(key, found, CASE_CACHE_SECONDS)
    return found


def _case_objects(package: dict[str, Any], section: str) -> list[dict[str, Any]]:
    if section in package:
        found: list[dict[str, Any]] = package[section]
        return found
    return list((package.get("CFDefinitions") or {}).get(section) or [])


def case_package(user: Any, identifier: str) -> dict[str, Any]:
    """The CFPackage whose CFDocument has this identifier, if the user may see it; 404 otherwise."""
    wanted = identifier.lower()
    for framework in _case_frameworks(user):
        if case_format.document_object(_case_head(framework))["identifier"].lower() == wanted:
            return case_package_of(framework)
    raise Http404


def case_document(user: Any, identifier: str) -> dict[str, Any]:
    return case_format.standalone_document(case_package(user, identifier)["CFDocument"])


def case_object(user: Any, section: str, identifier: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """An object of a CFPackage section (``CASE_SECTIONS``) and its package; 404 when no visible version has it."""
    wanted = identifier.lower()
    for framework in _case_frameworks(user):
        package = case_package_of(framework)
        for obj in _case_objects(package, section):
            if str(obj.get("identifier", "")).lower() == wanted:
                return obj, package
    raise Http404


def case_item(user: Any, identifier: str) -> dict[str, Any]:
    item, package = case_object(user, "CFItems", identifier)
    return case_format.standalone(item, package["CFDocument"])


def case_association(user: Any, identifier: str) -> dict[str, Any]:
    association, package = case_object(user, "CFAssociations", identifier)
    return case_format.standalone(association, package["CFDocument"])


def case_item_associations(user: Any, identifier: str) -> dict[str, Any]:
    """An item with every association that starts or ends at it (CASE's CFAssociationSet)."""
    item, package = case_object(user, "CFItems", identifier)
    mine = item["identifier"]
    return {
        "CFItem": case_format.standalone(item, package["CFDocument"]),
        "CFAssociations": [
            association
            for association in package.get("CFAssociations") or []
            if mine in {association["originNodeURI"]["identifier"], association["destinationNodeURI"]["identifier"]}
        ],
    }


def case_rubric(user: Any, identifier: str) -> dict[str, Any]:
    return case_object(user, "CFRubrics", identifier)[0]
