"""Text to competences pages: analyse a CV or project text; add what it evidences to portfolio or self-assessment."""

from __future__ import annotations

import csv
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from skills4cities.matching import selectors, services
from skills4cities.matching.forms import AnalyseForm, CorpusForm
from skills4cities.matching.tasks import ensure_index_build, submit_corpus_job

TOP = 10
MAX_TEXT_CHARS = 50_000


def _rows(matches: list[services.Match]) -> list[tuple[services.Match, float]]:
    return list(zip(matches, services.relative_strength(matches), strict=True))


@login_required
def analyse(request: HttpRequest) -> HttpResponse:
    form = AnalyseForm(request.POST or None, request.FILES or None)
    analysis = None
    rows: dict[str, list[tuple[services.Match, float]]] = {}
    esco_index = None
    if request.method == "POST" and form.is_valid():
        analysis = services.analyse_text(form.cleaned_data["text"], top=TOP)
        rows = {"elements": _rows(analysis.elements), "skills": _rows(analysis.skills)}
        if analysis.esco_index is not None:  # not ready: enqueue its build, show its progress
            esco_index = _esco_index_status(analysis.esco_index)
    context: dict[str, object] = {"form": form, "analysis": analysis, "rows": rows, "esco_index": esco_index}
    if esco_index is not None:
        context.update(text=form.cleaned_data["text"], esco_notice=services.index_notice(esco_index))
    return render(request, "matching/analyse.html", context)


def _esco_index_status(fallback: services.IndexStatus) -> services.IndexStatus:
    try:
        return ensure_index_build(services.TARGET_ESCO)
    except services.MatchingUnavailable:
        return fallback


@login_required
@require_POST
def esco_skills(request: HttpRequest) -> HttpResponse:
    """The ESCO part of an analysis, polled while the ESCO index is being prepared: its progress, then the skills."""
    text = request.POST.get("text", "")[:MAX_TEXT_CHARS]
    context: dict[str, object] = {"text": text, "esco_index": None, "skills": []}
    try:
        (matches,) = services.match_texts([text], target=services.TARGET_ESCO, top=TOP, split=True, build=False)
        context["skills"] = _rows(matches)
    except services.IndexNotReady as exc:
        context["esco_index"] = status = _esco_index_status(exc.status)
        context["esco_notice"] = services.index_notice(status)
    except services.MatchingUnavailable as exc:
        context["problem"] = str(exc)
    return render(request, "matching/_esco_skills.html", context)


@login_required
@require_POST
def add_to_portfolio(request: HttpRequest) -> HttpResponse:
    code = request.POST.get("code", "").strip()
    sentence = request.POST.get("sentence", "").strip()[:2000]
    try:
        element = services.element_for_code(code)
        services.add_to_portfolio(owner=request.user, element=element, sentence=sentence)
    except services.MatchingUnavailable as exc:
        messages.error(request, str(exc))
        return redirect("matching:analyse")
    messages.success(request, _("Added to your portfolio: %(title)s.") % {"title": element.title})
    return redirect("matching:analyse")


@login_required
@require_POST
def add_to_self_assessment(request: HttpRequest) -> HttpResponse:
    code = request.POST.get("code", "").strip()
    try:
        element = services.element_for_code(code)
    except services.MatchingUnavailable as exc:
        messages.error(request, str(exc))
        return redirect("matching:analyse")
    target = services.self_assessment_step(request.user, element)
    if target is None:
        messages.info(
            request,
            _("None of your open self-assessments asks about %(title)s. Start one for a job role that needs it.")
            % {"title": element.title},
        )
        return redirect("assessments:list")
    return redirect(target)


@login_required
def corpus(request: HttpRequest) -> HttpResponse:
    form = CorpusForm(request.POST or None, request.FILES or None, roles=selectors.comparable_roles())
    if request.method == "POST" and form.is_valid():
        job = submit_corpus_job(
            owner=request.user,
            title=form.cleaned_data["title"],
            documents=form.cleaned_data["documents"],
            role=form.cleaned_data.get("role"),
        )
        return redirect("matching:corpus-job", job.public_id)
    return render(request, "matching/corpus.html", {"form": form, "jobs": selectors.corpus_jobs_of(request.user)})


@login_required
def corpus_job(request: HttpRequest, public_id: UUID) -> HttpResponse:
    job = selectors.corpus_job_for_user(request.user, public_id)
    if request.headers.get("HX-Request"):
        return render(request, "matching/_corpus_status.html", {"job": job})
    return render(request, "matching/corpus_job.html", {"job": job})


@login_required
def corpus_job_csv(request: HttpRequest, public_id: UUID) -> HttpResponse:
    job = selectors.corpus_job_for_user(request.user, public_id)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = slugify(job.title) or "corpus"
    response["Content-Disposition"] = f'attachment; filename="{name}-competences.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerows(services.corpus_csv_rows(job))
    return response
