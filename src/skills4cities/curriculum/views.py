"""Curriculum pages: the courses with their modules, a module with its study page; trainers' cohorts."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from skills4cities.assessments import selectors as assessment_selectors
from skills4cities.curriculum import selectors, services
from skills4cities.curriculum.forms import CohortCreateForm, EnrolForm
from skills4cities.curriculum.rendering import render_markdown
from skills4cities.learning import selectors as learning_selectors

REFERENCE_FRAMEWORK = "skills4cities"


def index(request: HttpRequest) -> HttpResponse:
    curriculum = selectors.current_curriculum(REFERENCE_FRAMEWORK)
    courses = selectors.courses_with_modules(curriculum) if curriculum else []
    return render(request, "curriculum/index.html", {"curriculum": curriculum, "courses": courses})


def module_detail(request: HttpRequest, code: str) -> HttpResponse:
    curriculum = selectors.current_curriculum(REFERENCE_FRAMEWORK)
    if curriculum is None:
        return render(request, "curriculum/index.html", {"curriculum": None, "courses": []}, status=404)
    module = selectors.module_in(curriculum, code)
    language = (get_language() or "en").split("-")[0]
    context = {
        "curriculum": curriculum,
        "module": module,
        "study": render_markdown(module.study),
        # Study pages may exist only in English: say so to screen readers and browsers.
        "study_language": language if getattr(module, f"study_{language}", "") else "en",
    }
    return render(request, "curriculum/module_detail.html", context)


@login_required
def cohort_list(request: HttpRequest) -> HttpResponse:
    """My cohorts, and a form to open one (trainers only; 404 for everyone else)."""
    if not selectors.is_trainer(request.user):
        raise Http404
    form = CohortCreateForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        cohort = form.save()
        messages.success(request, _("The cohort has been created."))
        return redirect("curriculum:cohort", cohort.public_id)
    context = {"cohorts": selectors.cohorts_for_trainer(request.user), "form": form}
    return render(request, "curriculum/cohort_list.html", context, status=400 if form.errors else 200)


@login_required
def cohort_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """The cohort's learners, the enrol form, and the self-assessment results for the role chosen (``?role=``)."""
    cohort = selectors.cohort_for_trainer(request.user, public_id)
    roles = assessment_selectors.assessable_roles(request.user)
    chosen = [r for r in roles if r.slug == request.GET.get("role")]
    results = None
    # Without a choice: the first role for which someone in the cohort has assessed themselves (else the first).
    for role in chosen or roles:
        found = selectors.cohort_results(cohort, role)
        results = results or found
        if chosen or found.assessed:
            results = found
            break
    context = {
        "cohort": cohort,
        "roles": roles,
        "role": results.role if results else None,
        "results": results,
        "enrol_form": EnrolForm(cohort=cohort, actor=request.user),
    }
    return render(request, "curriculum/cohort_detail.html", context)


@login_required
@require_POST
def cohort_enrol(request: HttpRequest, public_id: UUID) -> HttpResponse:
    cohort = selectors.cohort_for_trainer(request.user, public_id)
    form = EnrolForm(request.POST, cohort=cohort, actor=request.user)
    if form.is_valid():
        form.save()
        messages.success(request, _("The learner has been enrolled."))
    else:
        messages.error(request, _("Choose a learner of the cohort's organisation who is not enrolled yet."))
    return redirect("curriculum:cohort", cohort.public_id)


@login_required
@require_POST
def cohort_remove(request: HttpRequest, public_id: UUID, learner_id: UUID) -> HttpResponse:
    cohort = selectors.cohort_for_trainer(request.user, public_id)
    learner = selectors.cohort_learner(cohort, learner_id)
    services.cohort_unenrol(cohort=cohort, learner=learner, actor=request.user)
    messages.success(request, _("The learner has been removed from the cohort."))
    return redirect("curriculum:cohort", cohort.public_id)


@login_required
def cohort_learner(request: HttpRequest, public_id: UUID, learner_id: UUID) -> HttpResponse:
    """Read-only: a cohort learner's gap analysis and learning path for a role, for the cohort's trainer."""
    cohort = selectors.cohort_for_trainer(request.user, public_id)
    learner = selectors.cohort_learner(cohort, learner_id)
    roles = assessment_selectors.assessable_roles(request.user)
    role = next((r for r in roles if r.slug == request.GET.get("role")), roles[0] if roles else None)
    analysis = assessment_selectors.gap_analysis(learner, role) if role is not None else None
    path = learning_selectors.path_summary(learner, role) if role is not None else None
    context = {"cohort": cohort, "learner": learner, "roles": roles, "role": role, "analysis": analysis, "path": path}
    return render(request, "curriculum/cohort_learner.html", context)
