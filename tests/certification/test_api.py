"""API: the caller's eligibility and the public list of accredited providers and trainers."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client

from skills4cities.accounts.enums import OrganisationKind
from skills4cities.certification import services
from skills4cities.curriculum.models import Course
from tests import factories
from tests.certification.conftest import MANAGER, Evidence, role_element_codes, unit_element_codes
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

ELIGIBILITY = "/api/v1/certification/eligibility/"
ACCREDITED = "/api/v1/certification/accredited/"


def test_eligibility_needs_sign_in(db: Any) -> None:
    response = Client().get(ELIGIBILITY, {"role": MANAGER})
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


@pytest.mark.parametrize(
    ("params", "status", "code"),
    [
        ({}, 400, "role_required"),
        ({"role": "astronaut"}, 404, "not_found"),
        ({"role": MANAGER, "unit": "U01"}, 404, "not_found"),
    ],
)
def test_eligibility_errors(reference: Any, alice: Any, params: dict[str, str], status: int, code: str) -> None:
    response = client_for(alice).get(ELIGIBILITY, params)
    assert response.status_code == status
    assert response.json()["error"]["code"] == code


def test_role_eligibility_of_the_caller(
    reference: Any, alice: Any, evidence: Evidence, django_assert_max_num_queries: Any
) -> None:
    codes = role_element_codes(reference, MANAGER)
    evidence.pass_exam(alice, *codes[1:])
    client = client_for(alice)
    client.get(ACCREDITED)
    with django_assert_max_num_queries(12):
        response = client.get(ELIGIBILITY, {"role": MANAGER})

    assert response.status_code == 200
    body = response.json()
    assert body == {
        "met": False,
        "kind": "role",
        "role": MANAGER,
        "role_title": "Smart City Project Manager",
        "unit": "",
        "unit_title": "",
        "missing": [
            "Element U04.E1 Plan the procurement strategy and procedure: not passed by exam nor validated by an assessor"
        ],
        "evidence": dict.fromkeys(codes[1:], "exam"),
        "elements_total": 32,
        "elements_met": 31,
        "validity_months": 36,
    }


def test_unit_eligibility_of_the_caller(reference: Any, alice: Any, evidence: Evidence) -> None:
    evidence.validate(alice, *unit_element_codes(reference, "U08"))

    body = client_for(alice).get(ELIGIBILITY, {"role": MANAGER, "unit": "U08"}).json()

    assert (body["met"], body["kind"], body["unit"], body["missing"]) == (True, "unit", "U08", [])


def test_public_accredited_list(reference: Any, django_assert_max_num_queries: Any) -> None:
    officer = factories.UserFactory(username="root", is_superuser=True)
    vet = factories.OrganisationFactory(
        name="Sofia VET", slug="sofia-vet", kind=OrganisationKind.VET_CENTRE, country="BG"
    )
    applied = factories.OrganisationFactory(name="Applied VET", slug="applied-vet", kind=OrganisationKind.VET_CENTRE)
    courses = list(Course.objects.filter(curriculum__framework=reference))
    provider = services.accreditation_apply(actor=officer, kind="provider", organisation=vet, courses=courses)
    provider = services.accreditation_grant(actor=officer, accreditation=provider)
    services.accreditation_apply(actor=officer, kind="provider", organisation=applied, courses=courses)
    trainer = factories.UserFactory(username="tina", first_name="Tina", last_name="Trainer")
    application = services.accreditation_apply(
        actor=officer,
        kind="trainer",
        trainer=trainer,
        trainer_exam_passed=True,
        train_the_trainer_attended=True,
        experience_years=6,
    )
    accredited_trainer = services.accreditation_grant(actor=officer, accreditation=application)

    client = Client()
    with django_assert_max_num_queries(1):
        response = client.get(ACCREDITED)

    assert response.status_code == 200
    assert [(e["kind"], e["name"], e["country"], e["id"]) for e in response.json()] == [
        ("provider", "Sofia VET", "BG", str(provider.public_id)),
        ("trainer", "Tina Trainer", "", str(accredited_trainer.public_id)),
    ]
    expires = datetime.datetime.fromisoformat(response.json()[0]["expires_at"])
    assert expires == provider.expires_at
