"""Learning-path pages: my paths and a proposal per role, one path with its modules, and the actions on it."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from skills4cities.learning import selectors, services, sources
from skills4cities.learning.plan import render_plan_pdf


def _error(request: HttpRequest, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


@login_required
def path_list(request: HttpRequest) -> HttpResponse:
    context = {"paths": selectors.paths_of(request.user), "roles": sources.learner_roles(request.user)}
    return render(request, "learning/list.html", context)


@login_required
@require_POST
def path_propose(request: HttpRequest) -> HttpResponse:
    role = sources.learner_role(request.user, request.POST.get("role", ""))
    if role is None:
        raise Http404
    try:
        path = services.learning_path_propose(learner=request.user, role=role)
    except ValidationError as error:
        _error(request, error)
        return redirect("learning:list")
    return redirect("learning:detail", path.public_id)


@login_required
def path_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    path = selectors.path_for_user(request.user, public_id)
    modules = selectors.modules_of(path)
    context = {
        "path": path,
        "modules": modules,
        "uncovered": selectors.uncovered(path, modules),
        "progress": selectors.progress(modules),
        "alternatives": selectors.alternatives(sources.curriculum_modules(path.role.framework), modules),
    }
    return render(request, "learning/detail.html", context)


@login_required
@require_POST
def path_accept(request: HttpRequest, public_id: UUID) -> HttpResponse:
    path = selectors.path_for_user(request.user, public_id)
    try:
        services.learning_path_accept(path=path, actor=request.user)
        messages.success(request, _("You accepted this learning path."))
    except ValidationError as error:
        _error(request, error)
    return redirect("learning:detail", path.public_id)


@login_required
@require_POST
def module_action(request: HttpRequest, public_id: UUID, code: str, action: str) -> HttpResponse:
    path = selectors.path_for_user(request.user, public_id)
    module = selectors.module_in(path, code)
    try:
        if action == "complete":
            services.path_module_complete(module=module, actor=request.user)
            messages.success(request, _("%(code)s is marked completed.") % {"code": code})
        elif action in {"drop", "swap"}:
            if action == "drop":
                change = services.path_module_drop(module=module, actor=request.user)
            else:
                change = services.path_module_swap(
                    module=module, replacement=request.POST.get("replacement", ""), actor=request.user
                )
            messages.info(request, _explain(code, change))
        else:
            raise Http404
    except ValidationError as error:
        _error(request, error)
    return redirect("learning:detail", path.public_id)


def _explain(code: str, change: services.Change) -> str:
    parts = [_("%(code)s was removed from your path.") % {"code": code}]
    if change.newly_closed:
        parts.append(_("Now also closed: %(elements)s.") % {"elements": ", ".join(change.newly_closed)})
    if change.newly_uncovered:
        parts.append(
            _("No module of your path closes these gaps any more: %(elements)s.")
            % {"elements": ", ".join(change.newly_uncovered)}
        )
    else:
        parts.append(_("Every gap it closed is still closed by another module."))
    if change.needed_by:
        parts.append(
            _("It is a prerequisite of %(modules)s; take it elsewhere or expect to miss background.")
            % {"modules": ", ".join(change.needed_by)}
        )
    return " ".join(parts)


@login_required
def path_plan_pdf(request: HttpRequest, public_id: UUID) -> HttpResponse:
    path = selectors.path_for_user(request.user, public_id)
    response = HttpResponse(render_plan_pdf(request, path), content_type="application/pdf")
    filename = f"development-plan-{path.role.slug}-{get_language()}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
