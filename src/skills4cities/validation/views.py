"""Validation pages: the learner's requests (new, detail with timeline, more evidence, appeal), the assessor's
inbox and review page, assignment by organisation admins and certification officers, evidence downloads."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from skills4cities.portfolio import selectors as portfolio_selectors
from skills4cities.validation import rules, selectors, services
from skills4cities.validation.enums import RequestState
from skills4cities.validation.forms import AddEvidenceForm, AssignForm, CommentForm, JudgementForm, NewRequestForm
from skills4cities.validation.models import ValidationRequest

TIMELINE_LABELS = {
    "validation_request.create": gettext_lazy("Request created"),
    "validation_request.submit": gettext_lazy("Submitted"),
    "validation_request.add_evidence": gettext_lazy("Evidence added"),
    "validation_request.assign": gettext_lazy("Assessor assigned"),
    "validation_request.start_review": gettext_lazy("Review started"),
    "validation_request.request_more_evidence": gettext_lazy("More evidence requested"),
    "validation_request.resubmit": gettext_lazy("Resubmitted"),
    "validation_request.decide": gettext_lazy("Decided"),
    "validation_request.appeal": gettext_lazy("Appealed"),
    "validation_request.decide_appeal": gettext_lazy("Appeal decided"),
    "validation_request.finalise": gettext_lazy("Decision final"),
}


def _forms(req: ValidationRequest, user: Any, actions: set[str], data: Any = None, only: str = "") -> dict[str, Any]:
    """The form of every action the user may take (bound to ``data`` only for the action ``only``)."""

    def bound(name: str) -> Any:
        return data if name == only else None

    forms: dict[str, Any] = {}
    if "add_evidence" in actions:
        forms["add_evidence"] = AddEvidenceForm(bound("add_evidence"), user=user, request_obj=req)
    if "assign" in actions:
        forms["assign"] = AssignForm(bound("assign"), request_obj=req)
    comments = {
        "resubmit": (_("Note for the assessor (optional)"), False),
        "appeal": (_("Reason for your appeal"), True),
        "finalise": (_("Comment (optional)"), False),
        "request_more_evidence": (_("Which evidence is missing?"), True),
        "decide": (_("Comment on the decision (optional)"), False),
        "decide_appeal": (_("Decision on the appeal"), True),
    }
    for name, (label, required) in comments.items():
        if name in actions:
            forms[name] = CommentForm(bound(name), label=label, required=required, prefix_id=name.replace("_", "-"))
    return forms


def _detail(
    request: HttpRequest, req: ValidationRequest, *, data: Any = None, only: str = "", status: int = 200
) -> HttpResponse:
    actions = rules.actions_for(request.user, req, manager=selectors.can_manage(request.user, req))
    decided = req.state in (RequestState.DECIDED, RequestState.APPEALED, RequestState.FINAL) or req.in_appeal
    judgements = selectors.judgements_of(req) if decided else []
    entries = [entry for entry in selectors.timeline(req) if entry.action != "validation_request.judge"]
    decisive = {j.element_id: j for j in judgements if j.decisive}
    context = {
        "req": req,
        "actions": actions,
        "forms": _forms(req, request.user, actions, data, only),
        "rows": [(entry, decisive.get(entry.element.pk)) for entry in selectors.scope_elements(req)],
        "judgements": judgements,
        "evidence": selectors.evidence_of(req),
        "timeline": [(entry, TIMELINE_LABELS.get(entry.action, entry.action)) for entry in entries],
        "is_learner": req.learner_id == request.user.pk,
    }
    return render(request, "validation/detail.html", context, status=status)


@login_required
def request_list(request: HttpRequest) -> HttpResponse:
    return render(request, "validation/list.html", {"requests": list(selectors.requests_of(request.user))})


@login_required
@require_http_methods(["GET", "POST"])
def request_new(request: HttpRequest) -> HttpResponse:
    form = NewRequestForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST" and form.is_valid():
        role, unit = form.scope_object()
        items = portfolio_selectors.items_by_public_ids(request.user, form.cleaned_data["evidence"])
        try:
            req = services.validation_request_create(
                learner=request.user,
                role=role,
                unit=unit,
                evidence_items=items,
                statement=form.cleaned_data["statement"],
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            if "submit" in request.POST:
                try:
                    services.validation_request_submit(actor=request.user, request=req)
                except ValidationError as error:
                    messages.error(request, " ".join(error.messages))
                else:
                    messages.success(
                        request, _("Your request was submitted. An assessor of your organisation will review it.")
                    )
            else:
                messages.success(request, _("Your request was saved as a draft."))
            return redirect("validation:detail", req.public_id)
    return render(request, "validation/new.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def request_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    return _detail(request, selectors.request_for_user(request.user, public_id))


DONE = {
    "submit": gettext_lazy("Your request was submitted."),
    "add_evidence": gettext_lazy("The evidence was added."),
    "resubmit": gettext_lazy("Your request is back with the assessor."),
    "appeal": gettext_lazy("Your appeal was recorded. Another assessor will review the request."),
    "finalise": gettext_lazy("The decision is final."),
    "assign": gettext_lazy("The assessors were assigned."),
    "start_review": gettext_lazy("The review has started."),
    "request_more_evidence": gettext_lazy("The learner was asked for more evidence."),
    "decide": gettext_lazy("The decision was recorded."),
    "decide_appeal": gettext_lazy("The appeal was decided; the decision is final."),
}


def _run(action: str, request: HttpRequest, req: ValidationRequest, form: Any) -> None:
    user = request.user
    comment = form.cleaned_data.get("comment", "") if form is not None else ""
    if action == "submit":
        services.validation_request_submit(actor=user, request=req)
    elif action == "add_evidence":
        items = portfolio_selectors.items_by_public_ids(user, form.cleaned_data["evidence"])
        services.validation_request_add_evidence(actor=user, request=req, items=items)
    elif action == "resubmit":
        services.validation_request_resubmit(actor=user, request=req, comment=comment)
    elif action == "appeal":
        services.validation_request_appeal(actor=user, request=req, reason=comment)
    elif action == "finalise":
        services.validation_request_finalise(actor=user, request=req, comment=comment)
    elif action == "assign":
        services.validation_request_assign(
            actor=user, request=req, assessor=form.chosen("assessor"), second_assessor=form.chosen("second_assessor")
        )
    elif action == "start_review":
        services.validation_request_start_review(actor=user, request=req)
    elif action == "request_more_evidence":
        services.validation_request_request_more_evidence(actor=user, request=req, comment=comment)
    elif action == "decide":
        services.validation_request_decide(actor=user, request=req, comment=comment)
    elif action == "decide_appeal":
        services.validation_request_decide_appeal(actor=user, request=req, comment=comment)


@login_required
@require_POST
def request_action(request: HttpRequest, public_id: UUID, action: str) -> HttpResponse:
    if action not in DONE:
        raise Http404
    req = selectors.request_for_user(request.user, public_id)
    actions = rules.actions_for(request.user, req, manager=selectors.can_manage(request.user, req))
    form = _forms(req, request.user, actions, request.POST, action).get(action)
    if form is not None and not form.is_valid():
        return _detail(request, req, data=request.POST, only=action, status=400)
    try:
        _run(action, request, req, form)
    except services.InvalidTransition as error:
        messages.error(request, " ".join(error.messages))
        return _detail(request, selectors.request_for_user(request.user, public_id), status=409)
    except ValidationError as error:
        bound = _forms(req, request.user, actions, request.POST, action).get(action)
        if bound is not None:
            bound.is_valid()
            bound.add_error(None, error.messages)
        messages.error(request, " ".join(error.messages))
        return _detail(
            request, selectors.request_for_user(request.user, public_id), data=request.POST, only=action, status=400
        )
    messages.success(request, str(DONE[action]))
    if action == "start_review":
        return redirect("validation:review", req.public_id)
    return redirect("validation:detail", req.public_id)


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    context = {"assigned": list(selectors.inbox_of(request.user)), "to_assign": list(selectors.to_assign(request.user))}
    return render(request, "validation/inbox.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """The review page: one form per element. A POST saves one element's judgement; with HTMX only that
    element's form is answered (200 even when refused: htmx swaps only successful responses)."""
    req = selectors.request_for_user(request.user, public_id)
    stage = services.judgement_stage(request.user, req)
    if stage is None:
        messages.info(request, _("This request is not in review by you at the moment."))
        return redirect("validation:detail", req.public_id)
    scope = selectors.scope_elements(req)
    levels = list(req.framework.scale.levels.all())
    mine = {j.element_id: j for j in selectors.judgements_of(req) if j.stage == stage}
    posted = request.POST.get("element") if request.method == "POST" else None
    if posted is not None and not any(entry.element.code == posted for entry in scope):
        raise Http404
    forms = []
    status = 200
    for entry in scope:
        existing = mine.get(entry.element.pk)
        initial: dict[str, Any] = {}
        if existing is not None:
            initial = {"level": existing.level, "comment": existing.comment, "outcome": existing.outcome}
            initial.update({f"c-{cj.criterion.code}": cj.outcome for cj in existing.criteria.all()})
        data = request.POST if posted == entry.element.code else None
        form = JudgementForm(data, entry=entry, levels=levels, initial=initial)
        if data is None:
            forms.append((entry, form, existing))
            continue
        saved = _save_judgement(request, req, entry, form)
        if saved is not None:
            mine[entry.element.pk] = existing = saved
        if getattr(request, "htmx", False):
            context = {"req": req, "entry": entry, "form": form, "existing": existing, "saved": saved is not None}
            context |= {"judged": len(mine), "total": len(scope), "oob": True}
            return render(request, "validation/_judge_form.html", context)
        if saved is not None:
            messages.success(request, _("Your judgement of %(code)s was saved.") % {"code": entry.element.code})
            return redirect(f"{reverse('validation:review', args=[req.public_id])}#element-{entry.element.code}")
        status = 400
        forms.append((entry, form, existing))
    actions = rules.actions_for(request.user, req, manager=False)
    context = {
        "req": req,
        "stage": stage,
        "forms": forms,
        "judged": len(mine),
        "total": len(scope),
        "evidence": selectors.evidence_of(req),
        "action_forms": _forms(req, request.user, actions),
        "actions": actions,
    }
    return render(request, "validation/review.html", context, status=status)


def _save_judgement(request: HttpRequest, req: ValidationRequest, entry: Any, form: JudgementForm) -> Any:
    """The saved judgement, or None with the problems on the form."""
    if not form.is_valid():
        return None
    try:
        return services.element_judgement_save(
            actor=request.user,
            request=req,
            element=entry.element,
            criteria=form.criteria(),
            level=form.cleaned_data.get("level"),
            comment=form.cleaned_data.get("comment", ""),
            outcome=form.cleaned_data.get("outcome"),
        )
    except ValidationError as error:
        form.add_error(None, error.messages)
        return None


@login_required
def evidence_file(request: HttpRequest, public_id: UUID, file_id: UUID) -> HttpResponseBase:
    req = selectors.request_for_user(request.user, public_id)
    return portfolio_selectors.evidence_file_response(selectors.request_evidence_file(request.user, req, file_id))
