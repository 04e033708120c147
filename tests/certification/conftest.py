from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import pytest

from skills4cities.accounts.enums import MemberRole
from skills4cities.certification import selectors
from skills4cities.frameworks.models import Element
from tests import factories

MANAGER = "smart-city-project-manager"


@dataclass(frozen=True)
class FakeExamResult:
    element_code: str
    passed: bool
    fraction: float = 0.8
    at: Any = None
    attempt_public_id: Any = None


@dataclass(frozen=True)
class FakeAssessorResult:
    element_code: str
    outcome: str
    level: int
    met: bool
    at: Any = None
    request_public_id: Any = None


class Evidence:
    """Exam passes and assessor decisions per user, fed to the eligibility selectors in place of the apps."""

    def __init__(self) -> None:
        self.exam: dict[int, dict[str, FakeExamResult]] = {}
        self.assessor: dict[int, dict[str, FakeAssessorResult]] = {}

    def pass_exam(self, user: Any, *codes: str, passed: bool = True) -> None:
        for code in codes:
            self.exam.setdefault(user.pk, {})[code] = FakeExamResult(code, passed)

    def validate(self, user: Any, *codes: str, met: bool = True) -> None:
        for code in codes:
            outcome = "met" if met else "not_met"
            self.assessor.setdefault(user.pk, {})[code] = FakeAssessorResult(code, outcome, 3, met)


@pytest.fixture
def evidence(monkeypatch: pytest.MonkeyPatch) -> Evidence:
    store = Evidence()
    monkeypatch.setattr(selectors, "_exam_results", lambda user: dict(store.exam.get(user.pk, {})))
    monkeypatch.setattr(selectors, "_assessor_results", lambda user: dict(store.assessor.get(user.pk, {})))
    return store


def role_element_codes(reference: Any, role_slug: str, *, essential_only: bool = True) -> list[str]:
    role = reference.roles.get(slug=role_slug)
    requirements = role.requirements.all()
    if essential_only:
        requirements = requirements.filter(essential=True)
    unit_ids = set(requirements.values_list("element__unit_id", flat=True))
    return list(Element.objects.filter(unit_id__in=unit_ids).order_by("code").values_list("code", flat=True))


def unit_element_codes(reference: Any, unit_code: str) -> list[str]:
    return list(reference.elements.filter(unit__code=unit_code).order_by("code").values_list("code", flat=True))


@pytest.fixture
def officer(db: Any) -> Any:
    user = factories.UserFactory(username="olga")
    body = factories.OrganisationFactory(name="Certification Body", slug="cert-body", kind="certification_body")
    factories.MembershipFactory(user=user, organisation=body, role=MemberRole.CERTIFICATION_OFFICER)
    return user


@pytest.fixture
def assessor(db: Any) -> Any:
    user = factories.UserFactory(username="arto")
    body = factories.OrganisationFactory(name="Certification Body", slug="cert-body", kind="certification_body")
    factories.MembershipFactory(user=user, organisation=body, role=MemberRole.ASSESSOR)
    return user


TODAY = datetime.date(2026, 11, 25)
