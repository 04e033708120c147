"""Framework pages: home, frameworks, competencies map, role profiles, units, elements, search, booklets."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from skills4cities.frameworks import selectors, services, tasks
from skills4cities.frameworks.booklet import render_role_booklet
from skills4cities.frameworks.charts import map_chart_data
from skills4cities.frameworks.enums import ImportStatus
from skills4cities.frameworks.forms import ImportForm
from skills4cities.frameworks.interchange.document import DocumentErrors
from skills4cities.frameworks.interchange.formats import FORMATS

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
    context = {
        "frameworks": selectors.current_frameworks(request.user),
        "can_import": selectors.can_import_frameworks(request.user),
    }
    return render(request, "frameworks/framework_list.html", context)


def framework_detail(request: HttpRequest, slug: str) -> HttpResponse:
    framework = _framework(request, slug)
    context = {
        "framework": framework,
        "roles": selectors.roles_of(framework),
        "units": selectors.units_with_elements(framework),
        "levels": selectors.scale_levels(framework),
        "versions": selectors.versions_of(request.user, slug),
        "can_edit": selectors.can_edit_framework(request.user, framework),
        "export_formats": FORMATS.values(),
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
        "can_align": framework.is_editable and selectors.can_edit_framework(request.user, framework),
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


# --- comparing versions, importing and exporting files ------------------------------------------

IMPORT_WAIT_HINT_SECONDS = 30
EXPORT_SUFFIXES = {"case": "-case", "moodle-csv": "-moodle"}


def framework_diff(request: HttpRequest, slug: str) -> HttpResponse:
    """Two versions side by side: what was added, removed, moved and changed, by unit and by role."""
    versions = selectors.versions_newest_first(request.user, slug)
    if not versions:
        raise Http404
    by_version = {framework.version: framework for framework in versions}
    wanted = {"from": request.GET.get("from", "").strip(), "to": request.GET.get("to", "").strip()}
    if not wanted["from"] and not wanted["to"] and len(versions) > 1:
        old, new = selectors.default_comparison(versions)
        wanted = {"from": old.version, "to": new.version}
    language = request.GET.get("language", "")
    context: dict[str, Any] = {
        "framework": by_version.get(wanted["to"]) or versions[0],
        "versions": versions,
        "wanted": wanted,
        "language": language if language in settings.LANGUAGE_CODES else "",
        "text_languages": settings.LANGUAGES,
    }
    status = 200
    unknown = [value for value in wanted.values() if value and value not in by_version]
    if unknown:
        context["error"] = _("There is no version %(version)s of this framework.") % {"version": unknown[0]}
        status = 400
    elif wanted["from"] and wanted["to"]:
        comparison = selectors.version_diff(by_version[wanted["from"]], by_version[wanted["to"]])
        context |= {"diff": comparison.diff, "groups": comparison.groups, "levels": comparison.level_names}
    elif any(wanted.values()):
        context["error"] = _("Choose two versions to compare.")
        status = 400
    return render(request, "frameworks/diff.html", context, status=status)


def framework_export(request: HttpRequest, slug: str, format: str) -> HttpResponse:
    """A version of a framework as a file in one of the interchange formats (``?version=``, default the newest)."""
    spec = FORMATS.get(format)
    if spec is None:
        raise Http404
    framework = _framework(request, slug)
    data = services.framework_export(framework=framework, format=format)
    charset = "" if spec.media_type == "application/json" else "; charset=utf-8"
    response = HttpResponse(data, content_type=f"{spec.media_type}{charset}")
    filename = f"{framework.slug}-{framework.version}{EXPORT_SUFFIXES.get(format, '')}{spec.extension}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _require_importer(request: HttpRequest) -> None:
    if not selectors.can_import_frameworks(request.user):
        raise PermissionDenied


@login_required
def framework_import(request: HttpRequest) -> HttpResponse:
    """Upload a framework file; the import runs in the background and its page shows the progress."""
    _require_importer(request)
    form = ImportForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        job = tasks.submit_framework_import(
            actor=request.user,
            data=form.file_data(),
            filename=form.cleaned_data["file"].name,
            format=form.cleaned_data["format"],
            owner=form.cleaned_data["owner"],
        )
        return redirect("frameworks:import-job", job.public_id)
    context = {"form": form, "jobs": selectors.import_jobs_of(request.user)}
    return render(request, "frameworks/import.html", context, status=400 if form.errors else 200)


@login_required
def framework_import_job(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """An import's progress (polled by HTMX every second while it runs), then its result or its problems."""
    job = selectors.import_job_for_user(request.user, public_id)
    job = services.import_job_fail_if_stale(job=job)
    percent, message = selectors.import_job_live(job)
    waited = (timezone.now() - job.created_at).total_seconds()
    context = {
        "job": job,
        "percent": percent,
        "message": message,
        "waiting_long": job.status == ImportStatus.QUEUED and waited > IMPORT_WAIT_HINT_SECONDS,
    }
    partial = request.headers.get("HX-Request") == "true"
    return render(request, "frameworks/_import_job_status.html" if partial else "frameworks/import_job.html", context)
