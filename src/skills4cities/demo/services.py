"""Demo organisations and users for ``make demo`` (idempotent; never run it on a production database)."""

from __future__ import annotations

import os
from dataclasses import dataclass

from django.db import transaction

from skills4cities.accounts.enums import MemberRole, OrganisationKind
from skills4cities.accounts.models import Organisation, User
from skills4cities.accounts.services import membership_grant

DEFAULT_PASSWORD = "skills4cities-demo"  # noqa: S105 - documented demo password, overridable by DEMO_PASSWORD


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    language: str
    organisation: str
    roles: tuple[MemberRole, ...]
    superuser: bool = False


ORGANISATIONS = {
    "demo-city": ("Demo City Municipality", OrganisationKind.CITY, "BG"),
    "demo-vet": ("Demo VET Centre", OrganisationKind.VET_CENTRE, "RO"),
    "demo-certification": ("Demo Certification Body", OrganisationKind.CERTIFICATION_BODY, "AT"),
}

USERS = [
    DemoUser("demo-learner", "Elena", "Petrova", "en", "demo-city", (MemberRole.LEARNER,)),
    DemoUser("demo-trainer", "Andrei", "Popescu", "en", "demo-vet", (MemberRole.TRAINER,)),
    DemoUser("demo-assessor", "Maria", "Papadopoulou", "en", "demo-certification", (MemberRole.ASSESSOR,)),
    DemoUser("demo-hr", "Georgi", "Dimitrov", "en", "demo-city", (MemberRole.ORG_ADMIN,)),
    DemoUser(
        "demo-admin",
        "Lucía",
        "García",
        "en",
        "demo-certification",
        (MemberRole.CERTIFICATION_OFFICER, MemberRole.FRAMEWORK_EDITOR, MemberRole.ORG_ADMIN),
        superuser=True,
    ),
    DemoUser("demo-learner-bg", "Ivan", "Georgiev", "bg", "demo-city", (MemberRole.LEARNER,)),
    DemoUser("demo-learner-el", "Nikos", "Georgiou", "el", "demo-city", (MemberRole.LEARNER,)),
    DemoUser("demo-learner-de", "Anna", "Huber", "de", "demo-city", (MemberRole.LEARNER,)),
]


def demo_password() -> str:
    return os.environ.get("DEMO_PASSWORD") or DEFAULT_PASSWORD


@transaction.atomic
def demo_seed() -> list[DemoUser]:
    password = demo_password()
    organisations = {}
    for slug, (name, kind, country) in ORGANISATIONS.items():
        organisations[slug], _created = Organisation.objects.get_or_create(
            slug=slug, defaults={"name": name, "kind": kind, "country": country}
        )
    for spec in USERS:
        user, created = User.objects.get_or_create(
            username=spec.username,
            defaults={
                "first_name": spec.first_name,
                "last_name": spec.last_name,
                "email": f"{spec.username}@example.org",
                "preferred_language": spec.language,
                "is_staff": spec.superuser,
                "is_superuser": spec.superuser,
            },
        )
        if created or not user.check_password(password):
            user.set_password(password)
            user.save(update_fields=["password"])
        for role in spec.roles:
            membership_grant(actor=None, organisation=organisations[spec.organisation], user=user, role=role)
    return USERS
