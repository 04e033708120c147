from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from skills4cities.accounts import selectors, services
from skills4cities.accounts.enums import MemberRole
from skills4cities.accounts.forms import AddMemberForm, ProfileForm
from skills4cities.accounts.models import Membership, User


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        language = form.cleaned_data["preferred_language"]
        translation.activate(language)
        messages.success(request, _("Your profile is saved."))
        response = redirect("profile")
        response.set_cookie("django_language", language, samesite="Lax")
        return response
    memberships = Membership.objects.filter(user=cast(User, request.user)).select_related("organisation")
    return render(request, "accounts/profile.html", {"form": form, "memberships": memberships})


@login_required
def organisation_list(request: HttpRequest) -> HttpResponse:
    organisations = selectors.organisations_for_user(request.user)
    return render(request, "accounts/organisation_list.html", {"organisations": organisations})


@login_required
def organisation_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    organisation = selectors.organisation_for_user(request.user, public_id)
    can_manage = selectors.can_manage_organisation(request.user, organisation)
    form = AddMemberForm(request.POST or None) if can_manage else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            services.membership_grant(
                actor=request.user,
                organisation=organisation,
                user=form.cleaned_data["username"],
                role=MemberRole(form.cleaned_data["role"]),
            )
            messages.success(request, _("The member is added."))
            return redirect("accounts:organisation", public_id=organisation.public_id)
    context = {
        "organisation": organisation,
        "memberships": selectors.memberships_of_organisation(organisation),
        "can_manage": can_manage,
        "form": form,
    }
    return render(request, "accounts/organisation_detail.html", context)


@login_required
@require_POST
def membership_remove(request: HttpRequest, public_id: str, membership_id: int) -> HttpResponse:
    organisation = selectors.organisation_for_user(request.user, public_id)
    membership = Membership.objects.filter(organisation=organisation, pk=membership_id).first()
    if membership is None or not selectors.can_manage_organisation(request.user, organisation):
        from django.http import Http404

        raise Http404
    services.membership_revoke(actor=request.user, membership=membership)
    messages.success(request, _("The membership is removed."))
    return redirect("accounts:organisation", public_id=organisation.public_id)
