"""Demo organisations and users for ``make demo`` (idempotent; never run it on a production database)."""

from __future__ import annotations

import datetime
import os
from dataclasses import dataclass

from django.db import transaction

from skills4cities.accounts.enums import MemberRole, OrganisationKind
from skills4cities.accounts.models import Organisation, User
from skills4cities.accounts.services import membership_grant
from skills4cities.assessments import selectors as assessment_selectors
from skills4cities.assessments import services as assessment_services
from skills4cities.certification import services as certification_services
from skills4cities.credentials import services as credentials_services
from skills4cities.curriculum import selectors as curriculum_selectors
from skills4cities.curriculum import services as curriculum_services
from skills4cities.exams import services as exams_services
from skills4cities.learning import selectors as learning_selectors
from skills4cities.learning import services as learning_services
from skills4cities.validation import services as validation_services

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
    DemoUser("demo-certified", "Sofia", "Ivanova", "en", "demo-city", (MemberRole.LEARNER,)),
    # meets the rules for the Smart City Project Manager certificate once the exams, validation and
    # certification seeds below have run; holds no credential until a certification officer issues one
    DemoUser("demo-graduate", "Jonas", "Berg", "en", "demo-city", (MemberRole.LEARNER,)),
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
    demo_self_assessments()
    demo_learning_path()
    demo_cohort()
    certification_services.seed_demo()  # accredited provider and trainer, rules, demo-graduate's records
    exams_services.exam_sessions_demo_seed()  # demo-trainer's open exam sessions for the accredited provider
    exams_services.exams_demo_seed(password=password, organisation=organisations["demo-city"])
    validation_services.validation_demo_seed(password=password)  # portfolio, a submitted and a final request
    credentials_services.credentials_demo_seed(holder=User.objects.get(username="demo-certified"))
    return USERS


#: demo-learner's self-ratings for the Smart City Project Manager, per unit (cycled over the unit's elements):
#: a city project officer strong on stakeholders and delivery, weak on data protection and funding.
DEMO_SELF_RATINGS = {
    "U03": (1, 2, 1, 1),
    "U04": (2, 3, 2, 2),
    "U05": (3, 4, 3, 3),
    "U06": (1, 2, 1, 2),
    "U08": (3, 3, 2, 3),
    "U09": (2, 2, 3, 2),
    "U10": (3, 2, 3, 4),
    "U11": (2, 1, 2, 3),
    "U12": (3, 3, 2, 2),
}
DEMO_ROLE = "smart-city-project-manager"


def demo_self_assessments() -> None:
    """demo-learner's submitted self-assessment for the Smart City Project Manager (once; needs the reference
    content)."""
    learner = User.objects.get(username="demo-learner")
    role = assessment_selectors.assessable_role(learner, DEMO_ROLE)
    if role is None or assessment_selectors.latest_submitted(learner, role) is not None:
        return
    assessment = assessment_services.self_assessment_start(learner=learner, role=role)
    positions: dict[str, int] = {}
    for step in assessment_selectors.assessment_steps(assessment):
        for item in step.elements:
            levels = DEMO_SELF_RATINGS.get(step.code, (2,))
            index = positions.get(step.code, 0)
            positions[step.code] = index + 1
            assessment_services.self_rating_save(
                actor=learner, assessment=assessment, element=item.element, level=levels[index % len(levels)]
            )
    assessment_services.self_assessment_submit(actor=learner, assessment=assessment)


def demo_learning_path() -> None:
    """demo-learner's accepted learning path for the Smart City Project Manager, first module completed (once)."""
    learner = User.objects.get(username="demo-learner")
    role = assessment_selectors.assessable_role(learner, DEMO_ROLE)
    if role is None or assessment_selectors.latest_submitted(learner, role) is None:
        return
    if learning_selectors.latest_path(learner, role) is not None:
        return
    path = learning_services.learning_path_propose(learner=learner, role=role)
    learning_services.learning_path_accept(path=path, actor=learner)
    first = next(iter(learning_selectors.modules_of(path)), None)
    if first is not None:
        learning_services.path_module_complete(module=first, actor=learner)


DEMO_COHORT = "Smart City Project Managers — spring cohort"
DEMO_COHORT_ORGANISATION = "demo-vet"
#: The cohort's learners and, for those without one yet, a flat self-rating for the Smart City Project Manager.
DEMO_COHORT_LEARNERS = {"demo-learner": None, "demo-learner-bg": 3, "demo-learner-el": 2}


def demo_cohort_self_assessment(learner: User, level: int) -> None:
    """A submitted self-assessment for the Smart City Project Manager rating every element at ``level`` (once)."""
    role = assessment_selectors.assessable_role(learner, DEMO_ROLE)
    if role is None or assessment_selectors.latest_submitted(learner, role) is not None:
        return
    assessment = assessment_services.self_assessment_start(learner=learner, role=role)
    for step in assessment_selectors.assessment_steps(assessment):
        for item in step.elements:
            assessment_services.self_rating_save(
                actor=learner, assessment=assessment, element=item.element, level=level
            )
    assessment_services.self_assessment_submit(actor=learner, assessment=assessment)


def demo_cohort() -> None:
    """demo-trainer's cohort on course C2 with three demo learners (learners of the VET centre too), once."""
    trainer = User.objects.get(username="demo-trainer")
    organisation = Organisation.objects.get(slug=DEMO_COHORT_ORGANISATION)
    course = curriculum_selectors.offered_courses("skills4cities").filter(code="C2").first()
    if course is None:
        return
    cohort = (
        curriculum_selectors.cohorts_for_trainer(trainer).filter(organisation=organisation, name=DEMO_COHORT).first()
    )
    if cohort is None:
        cohort = curriculum_services.cohort_create(
            actor=trainer,
            organisation=organisation,
            course=course,
            name=DEMO_COHORT,
            start_date=datetime.date(2026, 3, 2),
        )
    for username, level in DEMO_COHORT_LEARNERS.items():
        learner = User.objects.get(username=username)
        membership_grant(actor=None, organisation=organisation, user=learner, role=MemberRole.LEARNER)
        curriculum_services.cohort_enrol(cohort=cohort, learner=learner, actor=trainer)
        if level is not None:
            demo_cohort_self_assessment(learner, level)
