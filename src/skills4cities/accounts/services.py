from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from skills4cities.accounts.enums import MemberRole, OrganisationKind
from skills4cities.accounts.models import Membership, Organisation, User
from skills4cities.accounts.selectors import can_manage_organisation
from skills4cities.core.audit import audit


@transaction.atomic
def organisation_create(*, actor: Any, slug: str, name: str, kind: OrganisationKind, country: str = "") -> Organisation:
    organisation = Organisation.objects.create(slug=slug, name=name, kind=kind, country=country)
    audit(actor=actor, action="organisation.create", obj=organisation, data={"slug": slug})
    return organisation


@transaction.atomic
def membership_grant(*, actor: Any, organisation: Organisation, user: User, role: MemberRole) -> Membership:
    """Give ``user`` a role in ``organisation``; only its admins and site admins may."""
    if actor is not None and not can_manage_organisation(actor, organisation):
        raise PermissionDenied
    membership, created = Membership.objects.get_or_create(user=user, organisation=organisation, role=role.value)
    if created:
        audit(
            actor=actor,
            action="membership.grant",
            obj=organisation,
            data={"user": str(user.public_id), "role": role.value},
        )
    return membership


@transaction.atomic
def membership_revoke(*, actor: Any, membership: Membership) -> None:
    if not can_manage_organisation(actor, membership.organisation):
        raise PermissionDenied
    audit(
        actor=actor,
        action="membership.revoke",
        obj=membership.organisation,
        data={"user": str(membership.user.public_id), "role": membership.role},
    )
    membership.delete()


def user_set_preferred_language(*, user: User, language: str) -> None:
    user.preferred_language = language
    user.save(update_fields=["preferred_language"])
