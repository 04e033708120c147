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
from skills4cities.matching.tasks import submit_corpus_job

TOP = 10


@login_required
def analyse(request: HttpRequest) -> HttpResponse:
    form = AnalyseForm(request.POST or None, request.FILES or None)
    analysis = None
    rows: dict[str, list[tuple[services.Match, float]]] = {}
    if request.method == "POST" and form.is_valid():
        analysis = services.analyse_text(form.cleaned_data["text"], top=TOP)
        rows = {
            "elements": list(zip(analysis.elements, services.relative_strength(analysis.elements), strict=True)),
            "skills": list(zip(analysis.skills, services.relative_strength(analysis.skills), strict=True)),
        }
    return render(request, "matching/analyse.html", {"form": form, "analysis": analysis, "rows": rows})


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
