"""Exam pages: the learner's exams, practice quizzes and certification exams item by item, results, resits;
the certification officer's exam configuration per role; the trainers' exam sessions."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_POST

from skills4cities.exams import forms, item_analysis, scoring, selectors, services
from skills4cities.exams.enums import AttemptState, ExamKind, ItemType
from skills4cities.exams.models import AttemptItem, ExamAttempt


def _framework(request: HttpRequest) -> Any:
    framework = selectors.reference_framework(request.user)
    if framework is None:
        raise Http404
    return framework


@login_required
def exam_home(request: HttpRequest) -> HttpResponse:
    overview = selectors.exam_overview(request.user)
    context = {
        "overview": overview,
        "officer": services.can_configure_exams(request.user),
        "analyst": services.can_analyse_items(request.user),
        "trainer": services.can_run_sessions(request.user),
    }
    return render(request, "exams/home.html", context)


def _started(request: HttpRequest, start: Any) -> HttpResponse:
    try:
        attempt = start()
    except services.ExamError as error:
        if error.code == "attempt_open" and error.attempt is not None:
            messages.info(request, _("You already have an open attempt at this exam; it continues where you stopped."))
            return redirect("exams:attempt", error.attempt.public_id)
        messages.error(request, error.message)
        return redirect("exams:home")
    return redirect("exams:attempt", attempt.public_id)


@login_required
@require_POST
def practice_start(request: HttpRequest, code: str) -> HttpResponse:
    unit = selectors.unit_of(_framework(request), code)
    return _started(request, lambda: services.attempt_start(learner=request.user, kind=ExamKind.PRACTICE, unit=unit))


@login_required
@require_POST
def certification_start(request: HttpRequest, role: str, code: str) -> HttpResponse:
    framework = _framework(request)
    exam_role, unit = selectors.role_of(framework, role), selectors.unit_of(framework, code)
    return _started(
        request,
        lambda: services.attempt_start(learner=request.user, kind=ExamKind.CERTIFICATION, role=exam_role, unit=unit),
    )


@login_required
@require_POST
def adaptive_start(request: HttpRequest, code: str) -> HttpResponse:
    """An adaptive self-check of a unit (placement; not evidence)."""
    unit = selectors.unit_of(_framework(request), code)
    return _started(request, lambda: services.adaptive_start(learner=request.user, unit=unit))


@login_required
@require_POST
def adaptive_certification_start(request: HttpRequest, role: str, code: str) -> HttpResponse:
    """An adaptive certification test of a role's unit (where the role's exam rules allow it)."""
    framework = _framework(request)
    exam_role, unit = selectors.role_of(framework, role), selectors.unit_of(framework, code)
    return _started(request, lambda: services.adaptive_start(learner=request.user, role=exam_role, unit=unit))


@login_required
@require_POST
def attempt_resit(request: HttpRequest, public_id: UUID) -> HttpResponse:
    previous = selectors.attempt_for_user(request.user, public_id)
    if previous.role is None or previous.unit is None:
        raise Http404
    return _started(
        request,
        lambda: services.attempt_start(
            learner=request.user,
            kind=previous.kind,
            role=previous.role,
            unit=previous.unit,
            resit_of=previous,
        ),
    )


def _open_attempt(request: HttpRequest, public_id: UUID) -> ExamAttempt:
    attempt = selectors.attempt_for_user(request.user, public_id)
    if services.attempt_expire_if_due(attempt=attempt):
        messages.warning(request, _("The time for this exam is up. It was scored with the answers you had given."))
    return attempt


@login_required
def attempt_resume(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """Continue an attempt at its first unanswered item (the finish page when all are answered)."""
    attempt = _open_attempt(request, public_id)
    if attempt.state != AttemptState.OPEN:
        return redirect("exams:result", attempt.public_id)
    first = services.adaptive_advance(attempt=attempt)  # adaptive: the item waiting, chosen now if need be
    if first is None:
        return redirect("exams:finish", attempt.public_id)
    return redirect("exams:item", attempt.public_id, first.position)


def _options(row: AttemptItem) -> list[Any]:
    by_id = {str(option.public_id): option for option in row.item.options.all()}
    return [by_id[option_id] for option_id in row.option_order if option_id in by_id]


def _item_context(attempt: ExamAttempt, row: AttemptItem) -> dict[str, Any]:
    options = _options(row)
    answer = row.answer
    selected = set(answer if isinstance(answer, list) else [answer] if answer else [])
    ranks: dict[str, int] = {}
    if row.item.type == ItemType.ORDERING:
        order = answer if isinstance(answer, list) else [str(option.public_id) for option in options]
        ranks = {option_id: index for index, option_id in enumerate(order, start=1)}
    positions = selectors.answered_positions(attempt)
    navigator = [{"position": p, "done": done, "current": p == row.position} for p, done in positions]
    answered = sum(1 for _position, done in positions if done)
    practice = attempt.kind == ExamKind.PRACTICE
    remaining = _remaining(attempt)
    adaptive = attempt.kind == ExamKind.ADAPTIVE
    return {
        "adaptive": adaptive,
        "max_items": attempt.max_items,
        "attempt": attempt,
        "row": row,
        "item": row.item,
        "options": [
            {
                "option": option,
                "id": str(option.public_id),
                "selected": str(option.public_id) in selected,
                "rank": ranks.get(str(option.public_id)),
            }
            for option in options
        ],
        "ranks": range(1, len(options) + 1),
        "navigator": navigator,
        "answered": answered,
        "total": len(navigator),
        "previous": row.position - 1 if row.position > 1 else None,
        "next": row.position + 1 if row.position < len(navigator) else None,
        "practice": practice,
        "feedback": practice and row.answered_at is not None,
        "correct_order": sorted(options, key=lambda option: option.position),
        "remaining": remaining,
        "remaining_text": _clock(remaining),
        "percent": scoring.percent(row.score) if row.score is not None else None,
        "full_marks": row.score is not None and row.score == 1,
    }


def _remaining(attempt: ExamAttempt) -> int | None:
    """Seconds to the server-side deadline (the page's countdown only decorates it)."""
    if attempt.deadline is None:
        return None
    return max(int((attempt.deadline - timezone.now()).total_seconds()), 0)


def _clock(seconds: int | None) -> str:
    if seconds is None:
        return ""
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}"


@login_required
def attempt_item(request: HttpRequest, public_id: UUID, position: int) -> HttpResponse:
    """One item of an open attempt; POST saves the answer (an htmx request gets the save status only)."""
    attempt = _open_attempt(request, public_id)
    if attempt.state != AttemptState.OPEN:
        if request.method == "POST" and getattr(request, "htmx", False):
            error = _("The time for this exam is up; your answer was not saved. The attempt is scored as it stood.")
            if attempt.state == AttemptState.SUBMITTED:
                error = _("This attempt is finished; answers can no longer change.")
            return render(request, "exams/_saved.html", {"error": error, "closed": True, "attempt": attempt})
        return redirect("exams:result", attempt.public_id)
    row = selectors.attempt_item_at(attempt, position)
    adaptive = attempt.kind == ExamKind.ADAPTIVE
    if adaptive and row.answered_at is not None and not getattr(request, "htmx", False):
        if request.method == "POST":
            messages.info(request, _("In an adaptive test an answer is final: the next question was chosen on it."))
        return redirect("exams:attempt", attempt.public_id)  # no going back: on to the item waiting
    if request.method != "POST":
        return render(request, "exams/item.html", _item_context(attempt, row))
    error = ""
    closed = False
    answer = forms.answer_from_post(row.item.type, request.POST)
    try:
        if answer is None:
            raise services.ExamError("invalid_answer", _("Choose an answer first."))
        row = services.answer_save(actor=request.user, attempt=attempt, attempt_item=row, answer=answer)
    except services.ExamError as exc:
        error, closed = exc.message, exc.code in {"attempt_closed", "deadline_passed"}
    if getattr(request, "htmx", False):
        # 200 even for a refused answer: htmx swaps only successful responses, and the message must show
        context = {"error": error, "closed": closed, "attempt": attempt, "row": row}
        context["answered"] = sum(1 for _position, done in selectors.answered_positions(attempt) if done)
        return render(request, "exams/_saved.html", context)
    if error:
        messages.error(request, error)
        return redirect("exams:result" if closed else "exams:item", attempt.public_id, *([] if closed else [position]))
    if attempt.kind == ExamKind.PRACTICE:
        return redirect("exams:item", attempt.public_id, position)  # shows the feedback
    if adaptive:
        return redirect("exams:attempt", attempt.public_id)  # the next chosen item, or the finish page
    if request.POST.get("go") == "finish":
        return redirect("exams:finish", attempt.public_id)
    total = len(selectors.answered_positions(attempt))
    if position < total:
        return redirect("exams:item", attempt.public_id, position + 1)
    return redirect("exams:finish", attempt.public_id)


@login_required
def attempt_finish(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """GET: the confirmation, listing unanswered items; POST: submit the attempt."""
    attempt = _open_attempt(request, public_id)
    if attempt.state != AttemptState.OPEN:
        return redirect("exams:result", attempt.public_id)
    if request.method == "POST":
        try:
            services.attempt_finish(actor=request.user, attempt=attempt)
        except services.ExamError as error:
            messages.error(request, error.message)
        return redirect("exams:result", attempt.public_id)
    navigator = selectors.answered_positions(attempt)
    context = {
        "adaptive": attempt.kind == ExamKind.ADAPTIVE,
        "complete": attempt.kind == ExamKind.ADAPTIVE and services.adaptive_advance(attempt=attempt) is None,
        "attempt": attempt,
        "unanswered": [position for position, done in navigator if not done],
        "total": len(navigator),
        "remaining_text": _clock(_remaining(attempt)),
    }
    return render(request, "exams/finish.html", context)


@login_required
def attempt_result(request: HttpRequest, public_id: UUID) -> HttpResponse:
    attempt = _open_attempt(request, public_id)
    if attempt.state == AttemptState.OPEN:
        return redirect("exams:attempt", attempt.public_id)
    results = selectors.element_results(attempt)
    latest = selectors.latest_finished(request.user, attempt.scope)
    open_now = selectors.open_attempt(request.user, attempt.scope)
    failed = [result for result in results if not result.passed]
    context = {
        "attempt": attempt,
        "results": [
            {"result": r, "percent": scoring.percent(r.fraction), "threshold": scoring.percent(r.threshold)}
            for r in results
        ],
        "failed": failed,
        "adaptive": services.adaptive_result(attempt),
        "resit_available": attempt.certifying
        and attempt.kind != ExamKind.ADAPTIVE
        and bool(failed)
        and latest is not None
        and latest.pk == attempt.pk
        and open_now is None,
        "open_now": open_now,
        "rows": selectors.attempt_items(attempt) if attempt.kind == ExamKind.PRACTICE else [],
    }
    return render(request, "exams/result.html", context)


# --- the certification officer's configuration ---------------------------------------------------------------


def _officer(request: HttpRequest) -> None:
    if not services.can_configure_exams(request.user):
        raise PermissionDenied


@login_required
def config_list(request: HttpRequest) -> HttpResponse:
    _officer(request)
    rows = selectors.configurable_roles(_framework(request))
    return render(request, "exams/config_list.html", {"rows": rows})


@login_required
def config_edit(request: HttpRequest, public_id: UUID) -> HttpResponse:
    _officer(request)
    role = selectors.role_by_public_id(public_id)
    config = selectors.exam_config(role)
    form = forms.ExamConfigForm(request.POST or None, instance=config, actor=request.user, role=role)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The exam rules for %(role)s are saved.") % {"role": role.title})
        return redirect("exams:config-list")
    return render(request, "exams/config_edit.html", {"form": form, "role": role})


# --- item analysis for trainers and certification officers -----------------------------------------------------

FLAG_LABELS = {
    item_analysis.TOO_HARD: pgettext_lazy("item flag", "Too hard"),
    item_analysis.TOO_EASY: pgettext_lazy("item flag", "Too easy"),
    item_analysis.WEAK_DISCRIMINATION: pgettext_lazy("item flag", "Discriminates weakly"),
    item_analysis.NEGATIVE_DISCRIMINATION: pgettext_lazy("item flag", "Negative discrimination (check the key)"),
    item_analysis.UNUSED_DISTRACTOR: pgettext_lazy("item flag", "A distractor is hardly chosen"),
}


def _analyst(request: HttpRequest) -> None:
    if not services.can_analyse_items(request.user):
        raise PermissionDenied


def _labels(flags: list[str]) -> list[Any]:
    return [FLAG_LABELS.get(flag, flag) for flag in flags]


@login_required
def analysis(request: HttpRequest) -> HttpResponse:
    """Item statistics per unit and element from finished certification and adaptive attempts."""
    _analyst(request)
    framework = _framework(request)
    flagged = request.GET.get("flagged") == "1"
    choices = list(framework.units.order_by("position", "code"))
    code = request.GET.get("unit", "")
    unit = next((u for u in choices if u.code == code), None)
    if unit is None and not flagged and choices:  # one unit at a time; flagged items of every unit at once
        unit = choices[0]
    units = selectors.item_analysis_overview(framework, flagged_only=flagged, unit=unit)
    for unit in units:
        for element in unit.elements:
            for entry in element.items:
                entry.labels = _labels(entry.flags)  # type: ignore[attr-defined]
    context = {
        "units": units,
        "choices": choices,
        "unit": unit,
        "flagged": flagged,
        "min_flags": item_analysis.MIN_RESPONSES_FOR_FLAGS,
        "min_calibration": item_analysis.MIN_RESPONSES_FOR_CALIBRATION,
        "trainer": services.can_run_sessions(request.user),
    }
    return render(request, "exams/analysis.html", context)


@login_required
def analysis_item(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """One item's statistics with option-by-option use; POST sends a reviewed item back to review (draft)."""
    _analyst(request)
    entry = selectors.analysed_item(public_id)
    if request.method == "POST":
        try:
            services.item_review_reopen(actor=request.user, item=entry.item, reason=", ".join(entry.flags))
        except services.ExamError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request, _("%(key)s is back in review (draft); it is no longer drawn.") % {"key": entry.item.key}
            )
        return redirect("exams:analysis-item", entry.item.public_id)
    context = {
        "entry": entry,
        "item": entry.item,
        "labels": _labels(entry.flags),
        "min_flags": item_analysis.MIN_RESPONSES_FOR_FLAGS,
    }
    return render(request, "exams/analysis_item.html", context)


# --- exam sessions for trainers ----------------------------------------------------------------------------------


def _trainer(request: HttpRequest) -> None:
    if not services.can_run_sessions(request.user):
        raise PermissionDenied


@login_required
def session_list(request: HttpRequest) -> HttpResponse:
    """The exam sessions of the trainer's organisations, newest first, with their state and attempts."""
    _trainer(request)
    now = timezone.now()
    sessions = list(selectors.sessions_for_trainer(request.user)[:200])
    context = {
        "rows": [
            {"session": session, "open": session.is_open(now), "ended": session.ends_at <= now} for session in sessions
        ],
        "accredited": selectors.trainer_may_run_exams(request.user),
        "analyst": services.can_analyse_items(request.user),
    }
    return render(request, "exams/session_list.html", context)


@login_required
def session_open(request: HttpRequest) -> HttpResponse:
    """GET: the form; POST: open the session (a refusal re-displays the form with the reason)."""
    _trainer(request)
    form = forms.ExamSessionForm(request.POST or None, actor=request.user, framework=_framework(request))
    if request.method == "POST" and form.is_valid():
        session = form.save()
        if session is not None:
            messages.success(
                request,
                _("The exam session for %(role)s is open until %(until)s.")
                % {
                    "role": session.role.title,
                    "until": date_format(timezone.localtime(session.closes_at), "SHORT_DATETIME_FORMAT"),
                },
            )
            return redirect("exams:sessions")
    context = {"form": form, "accredited": selectors.trainer_may_run_exams(request.user)}
    return render(request, "exams/session_open.html", context)


@login_required
@require_POST
def session_close(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """Close a session early: no new attempt starts in it; running attempts finish."""
    _trainer(request)
    session = selectors.session_for_trainer(request.user, public_id)
    try:
        services.exam_session_close(actor=request.user, session=session)
    except services.ExamError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The exam session is closed; attempts already started can be finished."))
    return redirect("exams:sessions")
