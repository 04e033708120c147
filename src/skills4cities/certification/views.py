"""Certification pages: the officer's rules, candidates and accreditation registry; the learner's own
eligibility; the public list of accredited providers and trainers."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from skills4cities.certification import selectors, services
from skills4cities.certification.enums import AccreditationKind
from skills4cities.certification.forms import (
    AccreditationApplyForm,
    AttendanceCertificateIssueForm,
    AttendanceForm,
    CertificateIssueForm,
    ExperienceForm,
    RevokeForm,
    RuleForm,
    SuspendForm,
)

CANDIDATES_PER_PAGE = 20


def _officer_or_404(request: HttpRequest) -> None:
    if not selectors.is_certification_officer(request.user):
        raise Http404


def accredited(request: HttpRequest) -> HttpResponse:
    """Public: the providers and trainers currently accredited, with their expiry."""
    entries = selectors.accredited_list()
    context = {
        "providers": [a for a in entries if a.kind == AccreditationKind.PROVIDER],
        "trainers": [a for a in entries if a.kind == AccreditationKind.TRAINER],
    }
    return render(request, "certification/accredited.html", context)


@login_required
def me(request: HttpRequest) -> HttpResponse:
    """The signed-in person's eligibility for every role and each unit, with what is missing."""
    context = {
        "overview": selectors.eligibility_with_held(request.user),
        "experience": selectors.experience_of(request.user),
        "attendance": selectors.attendance_of(request.user),
        "is_officer": selectors.is_certification_officer(request.user),
    }
    return render(request, "certification/me.html", context)


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """Officer home: the rule of every role."""
    _officer_or_404(request)
    return render(request, "certification/index.html", {"rules": selectors.rules_by_role()})


@login_required
def rule_edit(request: HttpRequest, role_slug: str) -> HttpResponse:
    _officer_or_404(request)
    role = selectors.current_role(role_slug)
    if role is None:
        raise Http404
    form = RuleForm(request.POST or None, instance=selectors.rule_for(role_slug), actor=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            form.save()
        except ValidationError:
            pass
        else:
            messages.success(request, _("The certification rule has been saved."))
            return redirect("certification:index")
    status = 400 if form.errors else 200
    return render(request, "certification/rule_edit.html", {"role": role, "form": form}, status=status)


@login_required
def candidates(request: HttpRequest) -> HttpResponse:
    """Learners of the officer's organisations with their standing per role."""
    _officer_or_404(request)
    page = Paginator(selectors.candidates_for_officer(request.user), CANDIDATES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    specs = selectors.role_specs()
    people = list(page.object_list)
    records = selectors.people_records(people)
    rows = [
        (person, [(spec.role, selectors.evaluate(spec, records[person.pk])) for spec in specs]) for person in people
    ]
    context = {"page": page, "rows": rows, "roles": [spec.role for spec in specs]}
    return render(request, "certification/candidates.html", context)


def _saved(form: Any) -> bool:
    """Validate and save through the form's service; a refusal of the service becomes a form error."""
    if not form.is_valid():
        return False
    try:
        form.save()
    except ValidationError as error:
        for message in error.messages:
            form.add_error(None, message)
        return False
    return True


def _candidate_context(request: HttpRequest, person: Any, **forms: Any) -> dict[str, Any]:
    held = selectors.credentials_held(person)
    return {
        "person": person,
        "held": held,
        "overview": selectors.eligibility_with_held(person, held=held),
        "courses": selectors.attendance_overview(person, held=held),
        "revocable": selectors.revocable_by(request.user, held),
        "experience": selectors.experience_of(person),
        "attendance": selectors.attendance_of(person),
        "experience_form": forms.get("experience_form") or ExperienceForm(actor=request.user, person=person),
        "attendance_form": forms.get("attendance_form") or AttendanceForm(actor=request.user, person=person),
    }


@login_required
def candidate(request: HttpRequest, public_id: UUID) -> HttpResponse:
    _officer_or_404(request)
    person = selectors.candidate_for_officer(request.user, public_id)
    return render(request, "certification/candidate.html", _candidate_context(request, person))


@login_required
@require_POST
def candidate_issue(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """Issue a role certificate or unit micro-credential; refused with the missing requirements named."""
    _officer_or_404(request)
    person = selectors.candidate_for_officer(request.user, public_id)
    form = CertificateIssueForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The request was not understood."))
        return redirect("certification:candidate", person.public_id)
    try:
        services.certificate_issue(
            actor=request.user,
            user=person,
            role_slug=form.cleaned_data["role"],
            unit_code=form.cleaned_data["unit"] or None,
        )
    except ValidationError as error:
        messages.error(request, _("The credential was not issued: %(reasons)s") % {"reasons": " ".join(error.messages)})
    else:
        messages.success(request, _("The credential has been issued."))
    return redirect("certification:candidate", person.public_id)


@login_required
@require_POST
def candidate_issue_attendance(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """Issue a certificate of attendance of a course; refused with the missing hours (or the one held) named."""
    _officer_or_404(request)
    person = selectors.candidate_for_officer(request.user, public_id)
    form = AttendanceCertificateIssueForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The request was not understood."))
        return redirect("certification:candidate", person.public_id)
    try:
        services.attendance_certificate_issue(actor=request.user, user=person, course_code=form.cleaned_data["course"])
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        messages.error(
            request,
            _("The certificate of attendance was not issued: %(reasons)s") % {"reasons": " ".join(error.messages)},
        )
    else:
        messages.success(request, _("The certificate of attendance has been issued."))
    return redirect("certification:candidate", person.public_id)


@login_required
def credential_revoke(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """Officers of the issuing body (and site staff): confirm, with a reason, then revoke; 404 for everyone else."""
    credential = selectors.credential_to_revoke(request.user, public_id)
    form = RevokeForm(request.POST or None, actor=request.user, credential=credential)
    if request.method == "POST" and not credential.is_revoked and _saved(form):
        messages.success(request, _("The credential has been revoked; the verification page shows it now."))
        return redirect("credentials:verify-detail", credential.public_id)
    status = 400 if form.errors else 200
    return render(request, "certification/revoke.html", {"credential": credential, "form": form}, status=status)


@login_required
@require_POST
def candidate_experience(request: HttpRequest, public_id: UUID) -> HttpResponse:
    _officer_or_404(request)
    person = selectors.candidate_for_officer(request.user, public_id)
    form = ExperienceForm(request.POST, actor=request.user, person=person)
    if _saved(form):
        messages.success(request, _("The experience has been recorded as verified."))
        return redirect("certification:candidate", person.public_id)
    context = _candidate_context(request, person, experience_form=form)
    return render(request, "certification/candidate.html", context, status=400)


@login_required
@require_POST
def candidate_attendance(request: HttpRequest, public_id: UUID) -> HttpResponse:
    _officer_or_404(request)
    person = selectors.candidate_for_officer(request.user, public_id)
    form = AttendanceForm(request.POST, actor=request.user, person=person)
    if _saved(form):
        messages.success(request, _("The attended training has been recorded."))
        return redirect("certification:candidate", person.public_id)
    context = _candidate_context(request, person, attendance_form=form)
    return render(request, "certification/candidate.html", context, status=400)


@login_required
def registry(request: HttpRequest) -> HttpResponse:
    """The accreditation registry (every status) and the form to open an application."""
    _officer_or_404(request)
    form = AccreditationApplyForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            accreditation = form.save()
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("The application has been recorded."))
            return redirect("certification:accreditation", accreditation.public_id)
    context = {"accreditations": selectors.accreditations_registry(), "form": form}
    return render(request, "certification/registry.html", context, status=400 if form.errors else 200)


@login_required
def accreditation(request: HttpRequest, public_id: UUID) -> HttpResponse:
    _officer_or_404(request)
    item = selectors.accreditation_get(public_id)
    coverage = selectors.provider_coverage(item.organisation, item) if item.kind == AccreditationKind.PROVIDER else None
    missing = services.accreditation_criteria(item, coverage)[1]
    context = {"item": item, "coverage": coverage, "missing": missing, "suspend_form": SuspendForm()}
    return render(request, "certification/accreditation.html", context)


@login_required
@require_POST
def accreditation_action(request: HttpRequest, public_id: UUID, action: str) -> HttpResponse:
    """Grant, renew or suspend (one service each); refusals are shown with their reasons."""
    _officer_or_404(request)
    item = selectors.accreditation_get(public_id)
    try:
        if action == "grant":
            services.accreditation_grant(actor=request.user, accreditation=item)
            messages.success(request, _("The accreditation has been granted for one year."))
        elif action == "renew":
            services.accreditation_renew(actor=request.user, accreditation=item)
            messages.success(request, _("The accreditation has been renewed for one year."))
        elif action == "suspend":
            form = SuspendForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Give the reason for the suspension."))
            services.accreditation_suspend(actor=request.user, accreditation=item, reason=form.cleaned_data["reason"])
            messages.success(request, _("The accreditation has been suspended."))
        else:
            raise Http404
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except PermissionDenied:
        raise Http404 from None
    return redirect("certification:accreditation", item.public_id)
