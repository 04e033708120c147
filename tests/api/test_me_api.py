from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token

from skills4cities.frameworks.models import Framework
from tests.assessments.helpers import MANAGER, manager, submitted

pytestmark = pytest.mark.django_db

URL = "/api/v1/me/gap/"


def token_client(user: Any) -> Client:
    token = Token.objects.create(user=user)
    return Client(HTTP_AUTHORIZATION=f"Token {token.key}")


def test_gap_answers_with_a_token(alice: Any, reference: Framework) -> None:
    role = manager(reference)
    first = role.requirements.select_related("element").order_by("element__unit__position", "element__position")[0]
    submitted(alice, role, {}, default=2, at=datetime(2026, 1, 1, tzinfo=UTC))
    latest = submitted(alice, role, {first.element.code: 5}, default=2, at=datetime(2026, 2, 1, tzinfo=UTC))

    response = token_client(alice).get(URL, {"role": MANAGER})

    assert response.status_code == 200
    body = response.json()
    assert (body["role"], body["framework"], body["version"]) == (MANAGER, "skills4cities", "1.0.0")
    assert body["assessment"] == str(latest.public_id)
    assert datetime.fromisoformat(body["submitted_at"]) == datetime(2026, 2, 1, tzinfo=UTC)
    assert len(body["elements"]) == role.requirements.count()
    assert body["total_gap"] == sum(row["gap"] for row in body["elements"])
    by_code = {row["code"]: row for row in body["elements"]}
    assert by_code[first.element.code] == {
        "code": first.element.code,
        "title": first.element.title,
        "unit": first.element.unit.code,
        "target_level": first.target_level,
        "current_level": 5,
        "gap": 0,
        "essential": first.essential,
        "evidence": "self_rating",
        "previous_level": 2,
    }
    keys = [(-row["gap"], not row["essential"]) for row in body["elements"]]
    assert keys == sorted(keys)


def test_gap_needs_a_role(alice: Any, reference: Framework) -> None:
    response = token_client(alice).get(URL)

    assert response.status_code == 400
    assert response.json() == {"error": {"code": "role_required", "message": "Give the role's slug as ?role=<slug>."}}


def test_gap_of_an_unknown_role_is_not_found(alice: Any, reference: Framework) -> None:
    response = token_client(alice).get(URL, {"role": "astronaut"})

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_gap_without_a_submitted_self_assessment(alice: Any, charlie: Any, reference: Framework) -> None:
    submitted(charlie, manager(reference), {})  # someone else's never counts

    response = token_client(alice).get(URL, {"role": MANAGER})

    assert response.status_code == 404
    assert response.json() == {
        "error": {"code": "no_assessment", "message": "You have no submitted self-assessment for this role yet."}
    }


def test_gap_needs_authentication(client: Client, reference: Framework) -> None:
    response = client.get(URL, {"role": MANAGER})

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_gap_queries_do_not_grow_with_history(alice: Any, reference: Framework) -> None:
    role = manager(reference)
    client = token_client(alice)
    submitted(alice, role, {})
    submitted(alice, role, {})
    with CaptureQueriesContext(connection) as two:
        client.get(URL, {"role": MANAGER})
    for _ in range(3):
        submitted(alice, role, {})
    with CaptureQueriesContext(connection) as five:
        assert client.get(URL, {"role": MANAGER}).status_code == 200

    # token, framework, roles, latest, previous, ratings of both, requirements
    assert len(five) == len(two) == 11  # 8 for the self-ratings and the role, 3 for the exam and assessor streams
