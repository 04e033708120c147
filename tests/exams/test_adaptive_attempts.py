"""Adaptive attempts (docs/adr/0015): one item at a time chosen by catsim over the reviewed items of the unit,
the state recomputed from the answered rows, SE / cut-score stopping, the result, adaptive certification."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from skills4cities.core.models import AuditEntry
from skills4cities.exams import selectors, services
from skills4cities.exams.enums import AttemptState, ExamKind
from skills4cities.exams.models import AttemptItem, ElementResult, ExamAttempt, ExamConfig, Item
from tests.conftest import client_for
from tests.exams.conftest import Bank, right_answer, wrong_answer

API = "/api/v1/exams/"


@pytest.fixture
def cat_bank(bank: Bank) -> Bank:
    """The test bank with spread difficulties (−2.2 … 2.2) and a discrimination of 1.5."""
    for items in bank.items.values():
        for n, item in enumerate(items):
            Item.objects.filter(pk=item.pk).update(irt_a=1.5, irt_b=-2.2 + 0.4 * n, irt_c=0.0)
    return bank


def take(attempt: ExamAttempt, right: Any, *, limit: int = 100) -> list[AttemptItem]:
    """Answer the item waiting until the test stops; ``right(item)`` says whether to answer it right."""
    answered: list[AttemptItem] = []
    row = services.adaptive_advance(attempt=attempt)
    while row is not None and len(answered) < limit:
        answer = right_answer(row.item) if right(row.item) else wrong_answer(row.item)
        answered.append(services.answer_save(actor=attempt.learner, attempt=attempt, attempt_item=row, answer=answer))
        row = services.adaptive_advance(attempt=attempt)
    return answered


def self_check(bank: Bank, learner: Any, seed: int = 7) -> ExamAttempt:
    return services.adaptive_start(learner=learner, unit=bank.unit, seed=seed)


def allow_adaptive(bank: Bank, **values: Any) -> ExamConfig:
    return ExamConfig.objects.create(role=bank.role, adaptive_allowed=True, **values)


# --- self-checks -----------------------------------------------------------------------------------------


def test_a_self_check_starts_with_one_chosen_item(cat_bank: Bank, alice: Any) -> None:
    attempt = self_check(cat_bank, alice)
    rows = list(AttemptItem.objects.filter(attempt=attempt))
    assert len(rows) == 1 and rows[0].position == 1 and rows[0].answered_at is None
    assert (attempt.kind, attempt.certifying, attempt.role, attempt.deadline, attempt.cut_theta) == (
        ExamKind.ADAPTIVE,
        False,
        None,
        None,
        None,
    )
    assert (attempt.scope, attempt.seed, attempt.max_items) == ("adaptive:skills4cities:U03", 7, 20)
    assert rows[0].element_code in {e.code for e in cat_bank.elements}
    assert AuditEntry.objects.filter(action="exams.attempt.start", object_id=str(attempt.public_id)).count() == 1


def test_the_items_follow_the_answers_without_repeats_and_the_test_stops(cat_bank: Bank, alice: Any) -> None:
    attempt = self_check(cat_bank, alice)
    answered = take(attempt, lambda item: True)
    items = [row.item_id for row in answered]
    assert len(items) == len(set(items)) == 20  # no cut in a self-check: the SE rule or the length stops it
    assert [row.position for row in answered] == list(range(1, 21))
    difficulties = [row.item.irt_b for row in answered]
    assert sum(difficulties[-5:]) / 5 > sum(difficulties[:3]) / 3  # all right: the items get harder
    assert services.adaptive_advance(attempt=attempt) is None  # nothing more is chosen
    assert AttemptItem.objects.filter(attempt=attempt).count() == 20
    services.attempt_finish(actor=alice, attempt=attempt)
    attempt.refresh_from_db()
    assert attempt.state == AttemptState.SUBMITTED
    assert attempt.theta is not None and attempt.theta > 1.5
    assert attempt.theta_se is not None and 0 < attempt.theta_se < 0.6
    found = services.adaptive_result(attempt)
    assert found is not None
    assert (found.level, found.items, found.max_items, found.passed) == (5, 20, 20, None)
    assert not ElementResult.objects.filter(attempt=attempt).exists()  # a self-check is no evidence
    assert selectors.exam_element_results(alice) == {}


def test_a_weak_learner_is_placed_low(cat_bank: Bank, alice: Any) -> None:
    attempt = self_check(cat_bank, alice)
    take(attempt, lambda item: False)
    services.attempt_finish(actor=alice, attempt=attempt)
    found = services.adaptive_result(attempt)
    assert found is not None and found.theta < -1.5 and found.level == 1


def test_the_choice_is_reproducible_from_the_seed(cat_bank: Bank, alice: Any, bob: Any, charlie: Any) -> None:
    def pattern(item: Item) -> bool:
        return item.pk % 3 != 0

    first = [row.item_id for row in take(self_check(cat_bank, alice, seed=11), pattern)]
    second = [row.item_id for row in take(self_check(cat_bank, bob, seed=11), pattern)]
    other = [row.item_id for row in take(self_check(cat_bank, charlie, seed=12), pattern)]
    assert first == second
    assert other != first


def test_an_adaptive_answer_is_final_and_nothing_changes(cat_bank: Bank, alice: Any) -> None:
    attempt = self_check(cat_bank, alice)
    row = services.adaptive_advance(attempt=attempt)
    assert row is not None
    services.answer_save(actor=alice, attempt=attempt, attempt_item=row, answer=right_answer(row.item))
    with pytest.raises(services.ExamError) as error:
        services.answer_save(actor=alice, attempt=attempt, attempt_item=row, answer=wrong_answer(row.item))
    assert (error.value.code, error.value.status) == ("answer_final", 409)
    row.refresh_from_db()
    assert row.score == 1
    assert AttemptItem.objects.filter(attempt=attempt).count() == 2


def test_one_open_self_check_per_unit(cat_bank: Bank, alice: Any) -> None:
    attempt = self_check(cat_bank, alice)
    with pytest.raises(services.ExamError) as error:
        self_check(cat_bank, alice)
    assert (error.value.code, error.value.attempt) == ("attempt_open", attempt)
    # through attempt_start as well (the API's path); a resit of an adaptive test does not exist
    with pytest.raises(services.ExamError) as error:
        services.attempt_start(learner=alice, kind=ExamKind.ADAPTIVE, unit=cat_bank.unit, resit_of=attempt)
    assert error.value.code == "invalid_resit"


def test_a_self_check_needs_reviewed_items(bank: Bank, alice: Any, reference: Any) -> None:
    unit = reference.units.exclude(code="U03").order_by("position").first()
    with pytest.raises(services.ExamError) as error:
        services.adaptive_start(learner=alice, unit=unit)
    assert error.value.code == "no_items"
    assert not ExamAttempt.objects.exists()


def test_the_state_is_the_answered_rows_so_a_lost_step_is_redone(cat_bank: Bank, alice: Any) -> None:
    """A crash between saving an answer and choosing the next item: the next call chooses it, from the DB."""
    attempt = self_check(cat_bank, alice)
    take(attempt, lambda item: True, limit=3)
    waiting = AttemptItem.objects.get(attempt=attempt, answered_at__isnull=True)
    waiting.delete()  # as if the step after the third answer never happened
    again = services.adaptive_advance(attempt=attempt)
    assert again is not None and (again.position, again.item_id) == (4, waiting.item_id)  # same seed, same choice
    assert services.adaptive_advance(attempt=attempt) == again  # idempotent


# --- adaptive certification ------------------------------------------------------------------------------


def test_adaptive_certification_only_where_allowed(cat_bank: Bank, alice: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(services, "exam_provider", lambda learner: (True, None))
    with pytest.raises(services.ExamError) as error:
        services.adaptive_start(learner=alice, role=cat_bank.role, unit=cat_bank.unit)
    assert (error.value.code, error.value.status) == ("adaptive_not_allowed", 403)
    ExamConfig.objects.create(role=cat_bank.role, adaptive_allowed=True, enabled=False)
    with pytest.raises(services.ExamError) as error:
        services.adaptive_start(learner=alice, role=cat_bank.role, unit=cat_bank.unit)
    assert error.value.code == "exam_disabled"
    assert not ExamAttempt.objects.exists()


def test_adaptive_certification_needs_an_accredited_provider(cat_bank: Bank, alice: Any) -> None:
    allow_adaptive(cat_bank)
    with pytest.raises(services.ExamError) as error:
        services.adaptive_start(learner=alice, role=cat_bank.role, unit=cat_bank.unit)
    assert (error.value.code, error.value.status) == ("provider_not_accredited", 403)
    assert not ExamAttempt.objects.exists()


@pytest.fixture
def accredited(exam_session: Any) -> None:
    """The city is an accredited provider with an open exam session of an accredited trainer (conftest)."""


def test_a_passed_adaptive_certification_passes_every_element_of_the_unit(
    cat_bank: Bank, alice: Any, accredited: None
) -> None:
    allow_adaptive(cat_bank, items_per_element=10, time_limit_minutes=45)
    attempt = services.adaptive_start(learner=alice, role=cat_bank.role, unit=cat_bank.unit, seed=3)
    assert attempt.certifying and attempt.max_items == 40 and attempt.cut_theta is not None
    assert attempt.scope == "adaptive:skills4cities:smart-city-project-manager:U03"
    assert attempt.deadline is not None and (attempt.deadline - attempt.started_at).total_seconds() == 45 * 60
    answered = take(attempt, lambda item: True)
    assert 5 <= len(answered) < 20  # the decision is clear long before the fixed form's 40 items
    services.attempt_finish(actor=alice, attempt=attempt)
    found = services.adaptive_result(attempt)
    assert found is not None and found.passed is True and found.items == len(answered)
    results = {r.element_code: r for r in selectors.element_results(attempt)}
    assert set(results) == {e.code for e in cat_bank.elements}
    assert all(r.passed for r in results.values())
    assert sum(r.items for r in results.values()) == len(answered)
    targets = dict(cat_bank.role.requirements.values_list("element__code", "target_level"))
    assert {code: r.level for code, r in results.items()} == {code: targets[code] for code in results}
    standing = selectors.exam_element_results(alice)
    assert {code for code, r in standing.items() if r.passed} == set(results)
    evidence = selectors.exam_evidence_stream(alice)
    assert {e.element_code for e in evidence.items} == set(results)


def test_a_failed_adaptive_certification_fails_the_unit_and_offers_no_resit(
    cat_bank: Bank, alice: Any, accredited: None
) -> None:
    allow_adaptive(cat_bank)
    attempt = services.adaptive_start(learner=alice, role=cat_bank.role, unit=cat_bank.unit, seed=3)
    take(attempt, lambda item: False)
    services.attempt_finish(actor=alice, attempt=attempt)
    assert ElementResult.objects.filter(attempt=attempt, passed=False).count() == len(cat_bank.elements)
    assert not ElementResult.objects.filter(attempt=attempt, passed=True).exists()
    page = client_for(alice).get(f"/exams/attempts/{attempt.public_id}/result/")
    assert page.status_code == 200
    assert b'data-testid="resit"' not in page.content
    assert b'data-passed="false"' in page.content


def test_ending_an_adaptive_certification_early_does_not_pass(cat_bank: Bank, alice: Any, accredited: None) -> None:
    allow_adaptive(cat_bank)
    attempt = services.adaptive_start(learner=alice, role=cat_bank.role, unit=cat_bank.unit, seed=3)
    take(attempt, lambda item: True, limit=2)
    services.attempt_finish(actor=alice, attempt=attempt)
    found = services.adaptive_result(attempt)
    assert found is not None and found.items == 2 and found.passed is False


# --- pages -------------------------------------------------------------------------------------------------


def test_the_pages_of_a_self_check(cat_bank: Bank, alice: Any, django_assert_max_num_queries: Any) -> None:
    client = client_for(alice)
    home = client.get("/exams/")
    assert b'data-testid="self-check-start-U03"' in home.content
    response = client.post("/exams/adaptive/U03/start/")
    attempt = ExamAttempt.objects.get(learner=alice, kind=ExamKind.ADAPTIVE)
    assert response.url == f"/exams/attempts/{attempt.public_id}/"
    assert client.get(response.url).url == f"/exams/attempts/{attempt.public_id}/items/1/"
    with django_assert_max_num_queries(20):
        page = client.get(f"/exams/attempts/{attempt.public_id}/items/1/")
    text = page.content.decode()
    assert "Question 1 (at most 20)" in text
    assert 'data-testid="navigator"' not in text and "hx-post" not in text
    row = AttemptItem.objects.get(attempt=attempt, position=1)
    body = _form(row, right=True)
    response = client.post(f"/exams/attempts/{attempt.public_id}/items/1/", body)
    assert response.url == f"/exams/attempts/{attempt.public_id}/"
    assert client.get(response.url).url == f"/exams/attempts/{attempt.public_id}/items/2/"
    # going back to the answered item leads on to the item waiting, and a changed answer is refused
    assert client.get(f"/exams/attempts/{attempt.public_id}/items/1/").url == f"/exams/attempts/{attempt.public_id}/"
    client.post(f"/exams/attempts/{attempt.public_id}/items/1/", _form(row, right=False))
    row.refresh_from_db()
    assert row.score == 1
    # a "restart": a new browser session continues at the item waiting, with the answer kept
    again = client_for(alice)
    assert again.get("/exams/").status_code == 200
    assert b"self-check-continue-U03" in again.get("/exams/").content
    assert again.get(f"/exams/attempts/{attempt.public_id}/").url == f"/exams/attempts/{attempt.public_id}/items/2/"
    take(attempt, lambda item: True)
    assert again.get(f"/exams/attempts/{attempt.public_id}/").url == f"/exams/attempts/{attempt.public_id}/finish/"
    finish = again.get(f"/exams/attempts/{attempt.public_id}/finish/")
    assert b'data-testid="adaptive-complete"' in finish.content
    again.post(f"/exams/attempts/{attempt.public_id}/finish/")
    result = again.get(f"/exams/attempts/{attempt.public_id}/result/").content.decode()
    assert 'data-testid="adaptive-level">5<' in result
    assert 'data-testid="adaptive-items">20 of at most 20<' in result


def test_others_cannot_see_an_adaptive_attempt(cat_bank: Bank, alice: Any, charlie: Any) -> None:
    attempt = self_check(cat_bank, alice)
    assert client_for(charlie).get(f"/exams/attempts/{attempt.public_id}/items/1/").status_code == 404


def test_the_adaptive_certification_button_shows_where_allowed(cat_bank: Bank, alice: Any, accredited: None) -> None:
    client = client_for(alice)
    marker = f'data-testid="adaptive-start-{cat_bank.role.slug}-U03"'.encode()
    assert marker not in client.get("/exams/").content
    allow_adaptive(cat_bank)
    assert marker in client.get("/exams/").content
    response = client.post(f"/exams/adaptive/{cat_bank.role.slug}/U03/start/")
    attempt = ExamAttempt.objects.get(learner=alice, kind=ExamKind.ADAPTIVE, certifying=True)
    assert response.url == f"/exams/attempts/{attempt.public_id}/"


def _form(row: AttemptItem, *, right: bool) -> dict[str, Any]:
    answer = right_answer(row.item) if right else wrong_answer(row.item)
    if row.item.type == "ordering":
        return {f"rank-{option_id}": str(rank) for rank, option_id in enumerate(answer, start=1)}
    return {"answer": answer}


# --- API ---------------------------------------------------------------------------------------------------


def test_the_api_flow_of_an_adaptive_test(cat_bank: Bank, alice: Any, django_assert_max_num_queries: Any) -> None:
    client: Client = client_for(alice)
    response = client.post(f"{API}attempts/", {"kind": "adaptive", "unit": "U03"}, content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["kind"], body["certifying"], body["max_items"], body["total"], body["answered"]) == (
        "adaptive",
        False,
        20,
        1,
        0,
    )
    attempt_id = body["id"]
    seen: list[int] = []
    while True:
        with django_assert_max_num_queries(20):
            step = client.get(f"{API}attempts/{attempt_id}/next/").json()
        if step["item"] is None:
            break
        assert step["max_items"] == 20 and step["answered"] == len(seen)
        row = AttemptItem.objects.select_related("item").get(
            item__public_id=step["item"]["id"], attempt__public_id=attempt_id
        )
        seen.append(row.item_id)
        saved = client.post(
            f"{API}attempts/{attempt_id}/answers/",
            {"item": step["item"]["id"], "answer": right_answer(row.item)},
            content_type="application/json",
        )
        assert saved.status_code == 200, saved.content
    assert len(seen) == len(set(seen)) == 20
    again = client.post(
        f"{API}attempts/{attempt_id}/answers/",
        {"item": step_item_id(seen[0]), "answer": right_answer(Item.objects.get(pk=seen[0]))},
        content_type="application/json",
    )
    assert (again.status_code, again.json()["error"]["code"]) == (409, "answer_final")
    finished = client.post(f"{API}attempts/{attempt_id}/finish/").json()
    assert (finished["level"], finished["items_used"], finished["unit_passed"], finished["elements"]) == (
        5,
        20,
        None,
        [],
    )
    result = client.get(f"{API}attempts/{attempt_id}/result/").json()
    assert result["theta"] > 1.5 and 0 < result["se"] < 0.6 and result["resit_available"] is False


def step_item_id(item_pk: int) -> str:
    return str(Item.objects.get(pk=item_pk).public_id)


def test_the_api_refuses_adaptive_certification_where_not_allowed(cat_bank: Bank, alice: Any, accredited: None) -> None:
    client = client_for(alice)
    body = {"kind": "adaptive", "unit": "U03", "role": cat_bank.role.slug}
    response = client.post(f"{API}attempts/", body, content_type="application/json")
    assert (response.status_code, response.json()["error"]["code"]) == (403, "adaptive_not_allowed")
    allow_adaptive(cat_bank)
    response = client.post(f"{API}attempts/", body, content_type="application/json")
    assert response.status_code == 201 and response.json()["certifying"] is True
