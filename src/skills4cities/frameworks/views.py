"""Framework pages: home, frameworks, competencies map, role profiles, units, elements, search, booklets."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from skills4cities.frameworks import selectors, services
from skills4cities.frameworks.booklet import render_role_booklet
from skills4cities.frameworks.charts import map_chart_data
from skills4cities.frameworks.interchange.document import DocumentErrors

REFERENCE_SLUG = "skills4cities"


def _framework(request: HttpRequest, slug: str) -> Any:
    return selectors.framework_for_user(request.user, slug, request.GET.get("version") or None)


def _language() -> str:
    return (get_language() or "en").split("-")[0]


def home(request: HttpRequest) -> HttpResponse:
    frameworks = selectors.current_frameworks(request.user)
    reference = next((f for f in frameworks if f.slug == REFERENCE_SLUG), frameworks[0] if frameworks else None)
    roles = list(selectors.roles_of(reference)) if reference else []
    return render(request, "frameworks/home.html", {"framework": reference, "roles": roles})


def framework_list(request: HttpRequest) -> HttpResponse:
    return render(request, "frameworks/framework_list.html", {"frameworks": selectors.current_frameworks(request.user)})


def framework_detail(request: HttpRequest, slug: str) -> HttpResponse:
    framework = _framework(request, slug)
    context = {
        "framework": framework,
        "roles": selectors.roles_of(framework),
        "units": selectors.units_with_elements(framework),
        "levels": selectors.scale_levels(framework),
        "versions": selectors.versions_of(request.user, slug),
        "can_edit": selectors.can_edit_framework(request.user, framework),
    }
    return render(request, "frameworks/framework_detail.html", context)


def competencies_map(request: HttpRequest, slug: str) -> HttpResponse:
    framework = _framework(request, slug)
    heatmap = selectors.heatmap(framework)
    levels = selectors.scale_levels(framework)
    context = {
        "framework": framework,
        "heatmap": heatmap,
        "levels": levels,
        "chart_data": map_chart_data(framework, heatmap, levels, selectors.units_with_elements(framework)),
    }
    return render(request, "frameworks/map.html", context)


def role_detail(request: HttpRequest, slug: str, role_slug: str) -> HttpResponse:
    framework = _framework(request, slug)
    role = selectors.role_in(framework, role_slug)
    context = {
        "framework": framework,
        "role": role,
        "units": selectors.role_profile(role),
        "levels": {level.value: level for level in selectors.scale_levels(framework)},
        "role_alignments": role.alignments.all(),
        "ecf_titles": selectors.ecf_titles(),
    }
    return render(request, "frameworks/role_detail.html", context)


def role_booklet(request: HttpRequest, slug: str, role_slug: str) -> HttpResponse:
    framework = _framework(request, slug)
    role = selectors.role_in(framework, role_slug)
    pdf = render_role_booklet(request, framework, role)
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"{framework.slug}-{framework.version}-{role.slug}-{_language()}.pdf"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def unit_detail(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    framework = _framework(request, slug)
    unit = selectors.unit_in(framework, code)
    return render(request, "frameworks/unit_detail.html", {"framework": framework, "unit": unit})


def element_detail(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    framework = _framework(request, slug)
    element = selectors.element_in(framework, code)
    context = {
        "framework": framework,
        "element": element,
        "levels": {level.value: level for level in selectors.scale_levels(framework)},
        "ecf_titles": selectors.ecf_titles(),
    }
    return render(request, "frameworks/element_detail.html", context)


def search(request: HttpRequest, slug: str) -> HttpResponse:
    framework = _framework(request, slug)
    query = request.GET.get("q", "").strip()[:200]
    results = selectors.search_framework(framework, query, _language()) if query else None
    template = "frameworks/_search_results.html" if request.headers.get("HX-Request") else "frameworks/search.html"
    return render(request, template, {"framework": framework, "query": query, "results": results})


@login_required
@require_POST
def framework_publish(request: HttpRequest, slug: str, version: str) -> HttpResponse:
    framework = selectors.framework_for_user(request.user, slug, version)
    if not selectors.can_edit_framework(request.user, framework):
        raise Http404
    try:
        services.framework_publish(framework=framework, actor=request.user)
    except DocumentErrors as exc:
        for problem in exc.problems:
            messages.error(request, problem.message)
        return redirect(f"{framework_url(slug)}?version={version}")
    messages.success(request, _("Version %(version)s is published.") % {"version": version})
    return redirect(framework_url(slug))


@login_required
@require_POST
def framework_new_draft(request: HttpRequest, slug: str, version: str) -> HttpResponse:
    framework = selectors.framework_for_user(request.user, slug, version)
    new_version = request.POST.get("new_version", "").strip()[:32]
    try:
        if not new_version:
            messages.error(request, _("Give the new draft a version number."))
            return redirect(f"{framework_url(slug)}?version={version}")
        draft = services.framework_start_draft(framework=framework, actor=request.user, version=new_version)
    except PermissionDenied:
        raise Http404 from None
    except DocumentErrors as exc:
        for problem in exc.problems:
            messages.error(request, problem.message)
        return redirect(f"{framework_url(slug)}?version={version}")
    messages.success(
        request, _("Draft %(version)s created; edit it in the administration.") % {"version": draft.version}
    )
    return redirect(f"{framework_url(slug)}?version={draft.version}")


def framework_url(slug: str) -> str:
    from django.urls import reverse

    return reverse("frameworks:detail", args=[slug])
