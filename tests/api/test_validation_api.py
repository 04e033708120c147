from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from skills4cities.accounts.enums import MemberRole
from skills4cities.portfolio.services import evidence_item_create
from skills4cities.validation import selectors
from skills4cities.validation.models import ValidationRequest
from tests import factories
from tests.conftest import client_for

pytestmark = pytest.mark.django_db
BASE = "/api/v1/validation/requests/"


@pytest.fixture(autouse=True)
def private_storage(settings: Any, tmp_path: Path) -> None:
    settings.PORTFOLIO_STORAGE_ROOT = tmp_path / "portfolio"


@pytest.fixture
def dave(city: Any) -> Any:
    user = factories.UserFactory(username="dave")
    factories.MembershipFactory(user=user, organisation=city, role=MemberRole.ASSESSOR)
    return user


def create(alice: Any, **extra: Any) -> dict[str, Any]:
    item = evidence_item_create(owner=alice, title="Report", description="I led it.")
    body = {"unit": "U01", "evidence": [str(item.public_id)], "statement": "Mine.", **extra}
    response = client_for(alice).post(BASE, body, content_type="application/json")
    assert response.status_code == 201, response.json()
    return response.json()


def post(user: Any, public_id: str, action: str, body: dict[str, Any] | None = None) -> Any:
    return client_for(user).post(f"{BASE}{public_id}/{action}/", body or {}, content_type="application/json")


def test_full_workflow_through_the_api(alice: Any, bob: Any, dave: Any) -> None:
    req = create(alice, submit=True)
    assert (req["state"], req["unit"], req["elements"][:1]) == ("submitted", "U01", ["U01.E1"])
    assert post(bob, req["id"], "assign", {"assessor": "dave"}).json()["assessor"] == "dave"
    assert post(dave, req["id"], "start-review").json()["state"] == "in_review"
    request_obj = ValidationRequest.objects.get(public_id=req["id"])
    for entry in selectors.scope_elements(request_obj):
        response = post(
            dave,
            req["id"],
            "judgements",
            {"element": entry.element.code, "criteria": {c.code: "met" for c in entry.criteria}, "level": 4},
        )
        assert response.status_code == 200
        assert (response.json()["outcome"], response.json()["stage"]) == ("met", "first")
    decided = post(dave, req["id"], "decide", {"comment": "Good."}).json()
    assert decided["state"] == "decided"
    assert {d["element"]: (d["outcome"], d["level"]) for d in decided["decisions"]} == dict.fromkeys(
        req["elements"], ("met", 4)
    )
    assert post(alice, req["id"], "finalise").json()["state"] == "final"


def test_invalid_transition_answers_409_with_a_stable_code(alice: Any, unchanged_database: Any) -> None:
    req = create(alice)
    with unchanged_database():
        response = post(alice, req["id"], "resubmit")
    assert response.status_code == 409
    assert response.json() == {
        "error": {"code": "invalid_transition", "message": "This step is not possible while the request is “Draft”."}
    }


def test_wrong_actor_answers_403_and_outsider_404(alice: Any, bob: Any, charlie: Any, dave: Any) -> None:
    req = create(alice, submit=True)
    assert post(dave, req["id"], "assign", {"assessor": "dave"}).status_code == 404  # not assigned: not visible
    assert post(alice, req["id"], "assign", {"assessor": "dave"}).json()["error"]["code"] == "permission_denied"
    assert post(charlie, req["id"], "appeal", {"reason": "x"}).json()["error"]["code"] == "not_found"
    assert client_for(charlie).get(f"{BASE}{req['id']}/").status_code == 404
    assert client_for(bob).get(f"{BASE}{req['id']}/").status_code == 200


def test_bad_input_answers_invalid_with_details(alice: Any, bob: Any) -> None:
    response = client_for(alice).post(BASE, {"unit": "NOPE"}, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"]["details"] == {"scope": ["No such role or unit."]}
    req = create(alice, submit=True)
    response = post(bob, req["id"], "assign", {"assessor": "alice"})
    assert response.json()["error"] == {
        "code": "invalid",
        "message": "The request is invalid.",
        "details": {"assessor": ["Learners cannot assess their own request."]},
    }


def test_list_shows_visible_requests_within_a_query_budget(
    alice: Any, charlie: Any, dave: Any, django_assert_max_num_queries: Any
) -> None:
    for _number in range(3):
        create(alice)
    create(charlie)
    client = client_for(alice)
    client.get(BASE)  # the session is set up on the first request
    with django_assert_max_num_queries(6):
        response = client.get(BASE)
    assert response.json()["count"] == 3
    assert client_for(dave).get(BASE).json()["count"] == 0
