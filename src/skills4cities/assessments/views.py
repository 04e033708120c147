"""Self-assessment pages: list and pick a role, rate elements unit by unit (HTMX per answer), submit, results."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from skills4cities.assessments import charts, selectors, services
from skills4cities.assessments.models import SelfAssessment
from skills4cities.assessments.rules import describe_rule


def _level(raw: str | None) -> int | None:
    try:
        return int(raw) if raw else None
    except ValueError:
        return None


@login_required
def assessment_list(request: HttpRequest) -> HttpResponse:
    context = {"assessments": selectors.assessments_of(request.user), "roles": selectors.assessable_roles(request.user)}
    return render(request, "assessments/list.html", context)


@login_required
@require_POST
def assessment_start(request: HttpRequest) -> HttpResponse:
    role = selectors.assessable_role(request.user, request.POST.get("role", ""))
    if role is None:
        raise Http404
    assessment = services.self_assessment_start(learner=request.user, role=role)
    return redirect("assessments:detail", assessment.public_id)


def _step_url(assessment: SelfAssessment, number: int) -> str:
    return f"{reverse('assessments:detail', args=[assessment.public_id])}?step={number}"


@login_required
def assessment_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    assessment = selectors.assessment_for_user(request.user, public_id)
    if not assessment.is_draft:
        return redirect("assessments:results", assessment.public_id)
    steps = selectors.assessment_steps(assessment)
    number = _level(request.GET.get("step")) or 1
    step = steps[min(max(number, 1), len(steps)) - 1] if steps else None
    context = {
        "assessment": assessment,
        "steps": steps,
        "step": step,
        "next_step": step.number + 1 if step and step.number < len(steps) else None,
        "levels": selectors.scale_levels(assessment),
        "rated": sum(s.rated for s in steps),
        "required": sum(len(s.elements) for s in steps),
    }
    return render(request, "assessments/detail.html", context)


@login_required
@require_POST
def assessment_save_unit(request: HttpRequest, public_id: UUID, number: int) -> HttpResponse:
    """The no-JavaScript path: one form per unit saves every level given in it."""
    assessment = selectors.assessment_for_user(request.user, public_id, write=True)
    steps = selectors.assessment_steps(assessment)
    if not 1 <= number <= len(steps):
        raise Http404
    for element_step in steps[number - 1].elements:
        code = element_step.element.code
        level = _level(request.POST.get(f"level-{code}"))
        if level is None:
            continue
        try:
            services.self_rating_save(
                actor=request.user,
                assessment=assessment,
                element=element_step.element,
                level=level,
                note=request.POST.get(f"note-{code}", ""),
            )
        except ValidationError as error:
            messages.error(request, f"{code}: {' '.join(error.messages)}")
    messages.success(request, _("Your answers are saved."))
    following = number + 1 if number < len(steps) and request.POST.get("go") != "stay" else number
    return redirect(_step_url(assessment, following))


@login_required
@require_POST
def assessment_rate(request: HttpRequest, public_id: UUID, code: str) -> HttpResponse:
    """One answer, saved as it is given (HTMX); answers with a small status fragment."""
    assessment = selectors.assessment_for_user(request.user, public_id, write=True)
    element = selectors.required_element(assessment, code)
    if element is None:
        raise Http404
    level = _level(request.POST.get(f"level-{code}"))
    error = ""
    try:
        if level is None:
            raise ValidationError(_("Choose a level."))
        services.self_rating_save(
            actor=request.user,
            assessment=assessment,
            element=element,
            level=level,
            note=request.POST.get(f"note-{code}", ""),
        )
    except ValidationError as exc:
        error = " ".join(exc.messages)
    if not getattr(request, "htmx", False):
        if error:
            messages.error(request, error)
        return redirect("assessments:detail", assessment.public_id)
    # 200 even for a refused answer: htmx swaps only successful responses, and the message must show
    return render(request, "assessments/_saved.html", {"error": error, "code": code})


@login_required
@require_POST
def assessment_submit(request: HttpRequest, public_id: UUID) -> HttpResponse:
    assessment = selectors.assessment_for_user(request.user, public_id, write=True)
    try:
        services.self_assessment_submit(actor=request.user, assessment=assessment)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("assessments:detail", assessment.public_id)
    messages.success(request, _("Your self-assessment is submitted."))
    return redirect("assessments:results", assessment.public_id)


@login_required
def assessment_results(request: HttpRequest, public_id: UUID) -> HttpResponse:
    assessment = selectors.assessment_for_user(request.user, public_id)
    if assessment.is_draft:
        messages.info(request, _("Submit your self-assessment to see the results."))
        return redirect("assessments:detail", assessment.public_id)
    analysis = selectors.assessment_gap(assessment)
    levels = selectors.scale_levels(assessment)
    context = {
        "assessment": assessment,
        "analysis": analysis,
        "levels": levels,
        "rule": describe_rule(),
        "chart_data": charts.radar_data(analysis, levels),
    }
    return render(request, "assessments/results.html", context)
