"""Reads of frameworks, with visibility: published versions are public, drafts only for editors."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from skills4cities.accounts.enums import MemberRole
from skills4cities.frameworks.enums import FrameworkStatus
from skills4cities.frameworks.models import (
    Alignment,
    EcfCompetence,
    Element,
    Framework,
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
