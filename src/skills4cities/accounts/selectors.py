from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from skills4cities.accounts.enums import MemberRole
from skills4cities.accounts.models import Membership, Organisation


def organisations_for_user(user: Any) -> QuerySet[Organisation]:
    """Organisations the user may see: their own, or all for a site admin."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    if user.is_superuser:
        return Organisation.objects.all()
    return Organisation.objects.filter(memberships__user=user).distinct()


def organisation_for_user(user: Any, public_id: Any) -> Organisation:
    """The organisation if the user is a member (or a site admin); 404 otherwise."""
    try:
        return organisations_for_user(user).get(public_id=public_id)
    except (Organisation.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def memberships_of_organisation(organisation: Organisation) -> QuerySet[Membership]:
    return organisation.memberships.select_related("user").order_by("user__username", "role")


def roles_of_user(user: Any, organisation: Organisation) -> set[str]:
    return set(organisation.memberships.filter(user=user).values_list("role", flat=True))


def can_manage_organisation(user: Any, organisation: Organisation) -> bool:
    return bool(user.is_superuser or MemberRole.ORG_ADMIN.value in roles_of_user(user, organisation))
