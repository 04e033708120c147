from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.authtoken.models import Token

from skills4cities.exams import selectors
from skills4cities.exams.enums import AttemptState
from skills4cities.exams.models import AttemptItem, ExamAttempt
from tests.conftest import client_for
from tests.exams.conftest import Bank, right_answer, wrong_answer

API = "/api/v1/exams/"


@pytest.fixture(autouse=True)
def _accredited(exam_session: Any) -> None:
    """The city is an accredited provider with an open exam session of an accredited trainer (conftest)."""


def start(client: Client, bank: Bank, **extra: Any) -> Any:
    body = {"kind": "certification", "role": bank.role.slug, "unit": bank.unit.code, **extra}
    return client.post(f"{API}attempts/", body, content_type="application/json")


def answer(client: Client, attempt_id: Any, item_id: Any, value: Any) -> Any:
    return client.post(
        f"{API}attempts/{attempt_id}/answers/", {"item": str(item_id), "answer": value}, content_type="application/json"
    )


def test_the_exam_list(bank: Bank, alice: Any, django_assert_max_num_queries: Any) -> None:
    client = client_for(alice)
    with django_assert_max_num_queries(19):  # 4 for the exam sessions: organisations, accreditations, sessions
        rows = client.get(API).json()
    exam = next(r for r in rows if r["kind"] == "certification" and r["role"] == bank.role.slug and r["unit"] == "U03")
    assert exam["elements"] == [e.code for e in bank.elements]
    assert (exam["items_in_bank"], exam["pass_threshold"], exam["items_per_element"], exam["open_attempt"]) == (
        48,
        "0.660",
        10,
        None,
    )
    quiz = next(r for r in rows if r["kind"] == "practice" and r["unit"] == "U03")
    assert (quiz["items_in_bank"], quiz["items_per_element"]) == (48, 2)
    assert exam["start_refused"] is None
    assert (exam["session"]["trainer"], exam["session"]["unit"], exam["session"]["location"]) == (
        "Tina Trainer",
        None,
        "Room 2.14",
    )
    assert (quiz["session"], quiz["start_refused"]) == (None, None)


def test_start_next_answer_finish_result(bank: Bank, alice: Any, django_assert_max_num_queries: Any) -> None:
    client = client_for(alice)
    response = start(client, bank)
    assert response.status_code == 201
    attempt = response.json()
    assert (attempt["state"], attempt["answered"], attempt["total"], attempt["unit"]) == ("open", 0, 40, "U03")
    assert 0 < attempt["seconds_left"] <= 90 * 60
    with django_assert_max_num_queries(10):
        step = client.get(f"{API}attempts/{attempt['id']}/next/").json()
    item = step["item"]
    assert (step["answered"], step["total"], item["position"], item["answer"]) == (0, 40, 1, None)
    assert set(item) == {"id", "position", "element", "type", "stem", "options", "answer", "answered_at"}
    assert all(set(option) == {"id", "text"} for option in item["options"])
    row = selectors.attempt_item_at(ExamAttempt.objects.get(public_id=attempt["id"]), 1)
    with django_assert_max_num_queries(15):
        saved = answer(client, attempt["id"], item["id"], right_answer(row.item))
    assert saved.status_code == 200
    assert (saved.json()["answered"], saved.json()["feedback"], saved.json()["answer"]) == (
        1,
        None,
        right_answer(row.item),
    )
    assert client.get(f"{API}attempts/{attempt['id']}/next/").json()["item"]["position"] == 2
    assert client.get(f"{API}attempts/{attempt['id']}/items/1/").json()["answer"] == right_answer(row.item)
    assert client.get(f"{API}attempts/{attempt['id']}/result/").json()["error"]["code"] == "attempt_open"
    result = client.post(f"{API}attempts/{attempt['id']}/finish/")
    assert result.status_code == 200
    body = result.json()
    assert body["attempt"]["state"] == "submitted"
    assert [e["element"] for e in body["elements"]] == [e.code for e in bank.elements]
    assert {e["passed"] for e in body["elements"]} == {False}
    assert body["resit_available"] is True and body["resit_elements"] == [e.code for e in bank.elements]
    assert client.get(f"{API}attempts/{attempt['id']}/result/").json() == body
    again = client.post(f"{API}attempts/{attempt['id']}/finish/")
    assert (again.status_code, again.json()["error"]["code"]) == (409, "attempt_closed")
    late = answer(client, attempt["id"], item["id"], right_answer(row.item))
    assert (late.status_code, late.json()["error"]["code"]) == (409, "attempt_closed")
    resit = start(client, bank, resit_of=attempt["id"])
    assert resit.status_code == 201 and resit.json()["resit_of"] == attempt["id"]


def test_a_second_start_is_409_with_the_open_attempt(bank: Bank, alice: Any) -> None:
    client = client_for(alice)
    first = start(client, bank).json()
    second = start(client, bank)
    assert second.status_code == 409
    assert second.json()["error"]["code"] == "attempt_open"
    assert second.json()["error"]["details"] == {"attempt": first["id"]}


def test_answer_errors_have_stable_codes(bank: Bank, alice: Any) -> None:
    client = client_for(alice)
    attempt = start(client, bank).json()
    item = client.get(f"{API}attempts/{attempt['id']}/next/").json()["item"]
    bad = answer(client, attempt["id"], item["id"], "00000000-0000-0000-0000-000000000000")
    assert (bad.status_code, bad.json()["error"]["code"]) == (400, "invalid_answer")
    bad = answer(client, attempt["id"], item["id"], 7)
    assert (bad.status_code, bad.json()["error"]["code"]) == (400, "invalid_answer")
    other = next(i for i in bank.items[bank.elements[0].code] if not AttemptItem.objects.filter(item=i).exists())
    stray = answer(client, attempt["id"], other.public_id, "x")
    assert (stray.status_code, stray.json()["error"]["code"]) == (404, "item_not_in_attempt")
    ExamAttempt.objects.filter(public_id=attempt["id"]).update(deadline=timezone.now() - datetime.timedelta(seconds=1))
    row = AttemptItem.objects.select_related("item").get(attempt__public_id=attempt["id"], position=1)
    late = answer(client, attempt["id"], item["id"], right_answer(row.item))
    assert (late.status_code, late.json()["error"]["code"]) == (409, "deadline_passed")
    assert ExamAttempt.objects.get(public_id=attempt["id"]).state == AttemptState.EXPIRED
    assert not AttemptItem.objects.filter(attempt__public_id=attempt["id"], answered_at__isnull=False).exists()


def test_practice_answers_come_with_feedback(bank: Bank, alice: Any) -> None:
    client = client_for(alice)
    attempt = client.post(f"{API}attempts/", {"kind": "practice", "unit": "U03"}, content_type="application/json")
    assert attempt.status_code == 201 and attempt.json()["total"] == 8
    item = client.get(f"{API}attempts/{attempt.json()['id']}/next/").json()["item"]
    row = AttemptItem.objects.select_related("item").get(attempt__public_id=attempt.json()["id"], position=1)
    feedback = answer(client, attempt.json()["id"], item["id"], wrong_answer(row.item)).json()["feedback"]
    assert feedback["score"] == "0.0000"
    assert len(feedback["options"]) == row.item.options.count()


def test_start_errors(bank: Bank, alice: Any) -> None:
    client = client_for(alice)
    missing_role = client.post(
        f"{API}attempts/", {"kind": "certification", "unit": "U03"}, content_type="application/json"
    )
    assert missing_role.json()["error"]["code"] == "role_required"
    assert start(client, bank, unit="U99").json()["error"]["code"] == "not_found"
    assert start(client, bank, role="nobody").status_code == 404
    assert client.post(f"{API}attempts/", {"kind": "oral"}, content_type="application/json").status_code == 400


def test_other_learners_and_anonymous_callers_see_nothing(bank: Bank, alice: Any, charlie: Any) -> None:
    attempt = start(client_for(alice), bank).json()
    item = client_for(alice).get(f"{API}attempts/{attempt['id']}/next/").json()["item"]
    outsider = client_for(charlie)
    for path in ("", "next/", "items/1/", "result/"):
        assert outsider.get(f"{API}attempts/{attempt['id']}/{path}").status_code == 404
    assert outsider.post(f"{API}attempts/{attempt['id']}/finish/").status_code == 404
    assert answer(outsider, attempt["id"], item["id"], "x").status_code == 404
    assert start(outsider, bank, resit_of=attempt["id"]).status_code == 404
    assert Client().get(f"{API}attempts/{attempt['id']}/").status_code == 401
    assert Client().get(API).status_code == 401
    assert ExamAttempt.objects.get(public_id=attempt["id"]).state == AttemptState.OPEN
    assert not AttemptItem.objects.filter(attempt__public_id=attempt["id"], answered_at__isnull=False).exists()


def test_token_authentication(bank: Bank, alice: Any) -> None:
    token = Token.objects.create(user=alice)
    response = Client().get(API, HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200
