"""A controlled item bank for the exam tests: the shipped items are set to draft inside each test, and unit U03
of the Smart City Project Manager gets 12 reviewed items per element with known keys."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

import pytest

from skills4cities.exams.enums import ItemStatus, ItemType
from skills4cities.exams.models import Item, Option
from skills4cities.frameworks.models import Framework

ROLE = "smart-city-project-manager"
UNIT = "U03"
TYPES = (ItemType.SINGLE, ItemType.MULTIPLE, ItemType.TRUE_FALSE, ItemType.ORDERING)


@dataclass
class Bank:
    framework: Framework
    role: Any
    unit: Any
    elements: list[Any]
    items: dict[str, list[Item]] = field(default_factory=dict)  # element code → items


def make_item(element: Any, key: str, type: str, *, status: str = ItemStatus.REVIEWED, level: int = 3) -> Item:
    item = Item.objects.create(key=key, element=element, level=level, type=type, status=status, stem=f"Stem {key}")
    texts: list[tuple[str, bool]]
    if type == ItemType.SINGLE:
        texts = [("right", True), ("wrong a", False), ("wrong b", False)]
    elif type == ItemType.MULTIPLE:
        texts = [("right a", True), ("wrong a", False), ("right b", True), ("wrong b", False)]
    elif type == ItemType.TRUE_FALSE:
        texts = [("True", True), ("False", False)]
    else:
        texts = [("first", False), ("second", False), ("third", False)]
    for position, (text, correct) in enumerate(texts, start=1):
        Option.objects.create(item=item, position=position, text=text, correct=correct, feedback=f"because {text}")
    return item


def right_answer(item: Item) -> Any:
    options = list(item.options.order_by("position"))
    if item.type == ItemType.ORDERING:
        return [str(o.public_id) for o in options]
    correct = [str(o.public_id) for o in options if o.correct]
    return correct if item.type == ItemType.MULTIPLE else correct[0]


def wrong_answer(item: Item) -> Any:
    options = list(item.options.order_by("position"))
    if item.type == ItemType.ORDERING:
        return [str(o.public_id) for o in reversed(options)]
    wrong = [str(o.public_id) for o in options if not o.correct]
    return wrong[:1] if item.type == ItemType.MULTIPLE else wrong[0]


@pytest.fixture
def bank(reference: Framework) -> Bank:
    Item.objects.update(status=ItemStatus.DRAFT)
    role = reference.roles.get(slug=ROLE)
    unit = reference.units.get(code=UNIT)
    elements = list(unit.elements.order_by("position", "code"))
    result = Bank(reference, role, unit, elements)
    for element in elements:
        result.items[element.code] = [
            make_item(element, f"T.{element.code}.{n:02d}", TYPES[n % 4]) for n in range(1, 13)
        ]
    return result


# --- exam sessions: real accreditations of the city (as a provider) and of a trainer, and an open session ---------


def accredit(*, organisation: Any = None, trainer: Any = None, days: int = 365) -> Any:
    """A current provider (``organisation``) or trainer (``trainer``) accreditation, granted yesterday."""
    from django.utils import timezone

    from skills4cities.certification.enums import AccreditationKind, AccreditationStatus
    from skills4cities.certification.models import Accreditation

    now = timezone.now()
    return Accreditation.objects.create(
        kind=AccreditationKind.PROVIDER if organisation is not None else AccreditationKind.TRAINER,
        organisation=organisation,
        trainer=trainer,
        status=AccreditationStatus.ACCREDITED,
        granted_at=now - datetime.timedelta(days=1),
        expires_at=now + datetime.timedelta(days=days),
    )


def make_trainer(organisation: Any, username: str = "tina", *, accredited: bool = True) -> Any:
    from skills4cities.accounts.enums import MemberRole
    from tests import factories

    user = factories.UserFactory(username=username, first_name="Tina", last_name="Trainer")
    factories.MembershipFactory(user=user, organisation=organisation, role=MemberRole.TRAINER)
    if accredited:
        accredit(trainer=user)
    return user


def open_session(organisation: Any, trainer: Any, role: Any, *, unit: Any = None, hours: int = 24) -> Any:
    """An exam session inside its window (opened an hour ago), written directly (the service is tested itself)."""
    from django.utils import timezone

    from skills4cities.exams.models import ExamSession

    now = timezone.now()
    return ExamSession.objects.create(
        organisation=organisation,
        trainer=trainer,
        role=role,
        unit=unit,
        opens_at=now - datetime.timedelta(hours=1),
        closes_at=now + datetime.timedelta(hours=hours),
        location="Room 2.14",
    )


@pytest.fixture
def exam_session(reference: Framework, city: Any) -> Any:
    """The city is an accredited provider; its accredited trainer Tina has opened a session for every unit of the
    Smart City Project Manager."""
    accredit(organisation=city)
    return open_session(city, make_trainer(city), reference.roles.get(slug=ROLE))


def provider_with_session(organisation: Any, role: Any, trainer_username: str) -> Any:
    """Make ``organisation`` an accredited provider whose accredited trainer has opened a session for ``role``."""
    accredit(organisation=organisation)
    return open_session(organisation, make_trainer(organisation, trainer_username), role)
