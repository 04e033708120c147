from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from skills4cities.exams import selectors, services
from skills4cities.exams.enums import AttemptState, ExamKind
from skills4cities.exams.models import AttemptItem, ExamAttempt, ExamConfig
from tests.conftest import client_for
from tests.exams.conftest import Bank, right_answer, wrong_answer
from tests.exams.test_attempts import answer_all, officer


@pytest.fixture(autouse=True)
def _accredited(exam_session: Any) -> None:
    """The city is an accredited provider with an open exam session of an accredited trainer (conftest)."""


def start_url(bank: Bank) -> str:
    return reverse("exams:certification-start", args=[bank.role.slug, bank.unit.code])


def form_answer(row: AttemptItem, answer: Any) -> dict[str, Any]:
    if row.item.type == "ordering":
        return {f"rank-{option}": str(rank) for rank, option in enumerate(answer, start=1)}
    return {"answer": answer}


def test_the_exams_page_lists_quizzes_and_the_roles_exams(
    bank: Bank, alice: Any, django_assert_max_num_queries: Any
) -> None:
    client = client_for(alice)
    with django_assert_max_num_queries(19):  # 4 for the exam sessions: organisations, accreditations, sessions
        page = client.get(reverse("exams:home")).content.decode()
    assert 'data-testid="quiz-U03"' in page
    assert f'data-testid="start-{bank.role.slug}-U03"' in page
    assert 'data-testid="quiz-start-U03"' in page


def test_the_exams_page_needs_a_sign_in() -> None:
    response = Client().get(reverse("exams:home"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_learner_takes_a_certification_exam_item_by_item(
    bank: Bank, alice: Any, django_assert_max_num_queries: Any
) -> None:
    client = client_for(alice)
    response = client.post(start_url(bank))
    attempt = ExamAttempt.objects.get(learner=alice)
    assert response["Location"] == reverse("exams:attempt", args=[attempt.public_id])
    assert client.get(response["Location"])["Location"] == reverse("exams:item", args=[attempt.public_id, 1])
    with django_assert_max_num_queries(12):
        page = client.get(reverse("exams:item", args=[attempt.public_id, 1])).content.decode()
    for testid in ("item", "answer-1", "navigator", "nav-item-40", "finish", "countdown", "progress"):
        assert f'data-testid="{testid}"' in page
    row = selectors.attempt_item_at(attempt, 1)
    assert row.item.stem in page
    assert "correct" not in page.split('data-testid="item"')[1].split("</form>")[0].replace("Correct option", "")
    response = client.post(reverse("exams:item", args=[attempt.public_id, 1]), form_answer(row, right_answer(row.item)))
    assert response["Location"] == reverse("exams:item", args=[attempt.public_id, 2])
    row.refresh_from_db()
    assert row.score == 1


def test_htmx_saves_an_answer_and_says_so(bank: Bank, alice: Any) -> None:
    client = client_for(alice)
    client.post(start_url(bank))
    attempt = ExamAttempt.objects.get(learner=alice)
    row = selectors.attempt_item_at(attempt, 3)
    url = reverse("exams:item", args=[attempt.public_id, 3])
    response = client.post(url, form_answer(row, wrong_answer(row.item)), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="saved"' in body and '<span id="progress-count" hx-swap-oob="true">1</span>' in body
    response = client.post(url, {"answer": "nonsense"}, HTTP_HX_REQUEST="true")
    assert 'data-testid="save-error"' in response.content.decode()
    row.refresh_from_db()
    assert row.answer == wrong_answer(row.item)


def test_the_attempt_resumes_after_a_restart_with_every_answer(bank: Bank, alice: Any) -> None:
    first = client_for(alice)
    first.post(start_url(bank))
    attempt = ExamAttempt.objects.get(learner=alice)
    given = {}
    for position in (1, 2, 3):
        row = selectors.attempt_item_at(attempt, position)
        given[position] = right_answer(row.item)
        first.post(reverse("exams:item", args=[attempt.public_id, position]), form_answer(row, given[position]))
    again = client_for(alice)  # a new browser session after the server restarted: nothing lives in the session
    assert again.get(reverse("exams:attempt", args=[attempt.public_id]))["Location"] == reverse(
        "exams:item", args=[attempt.public_id, 4]
    )
    again.post(start_url(bank))
    assert ExamAttempt.objects.filter(learner=alice).count() == 1
    for position, answer in given.items():
        assert selectors.attempt_item_at(attempt, position).answer == answer
    page = again.get(reverse("exams:item", args=[attempt.public_id, 1])).content.decode()
    assert "checked" in page or "selected" in page


def test_finish_lists_unanswered_items_then_shows_results_and_the_resit(bank: Bank, alice: Any) -> None:
    client = client_for(alice)
    client.post(start_url(bank))
    attempt = ExamAttempt.objects.get(learner=alice)
    e1, e2, e3, e4 = (element.code for element in bank.elements)
    answer_all(attempt, lambda code, n: code in (e1, e3))
    AttemptItem.objects.filter(attempt=attempt, position=40).update(answer=None, answered_at=None, score=None)
    page = client.get(reverse("exams:finish", args=[attempt.public_id])).content.decode()
    assert 'data-testid="unanswered-40"' in page and 'data-testid="unanswered-39"' not in page
    response = client.post(reverse("exams:finish", args=[attempt.public_id]))
    assert response["Location"] == reverse("exams:result", args=[attempt.public_id])
    page = client.get(response["Location"]).content.decode()
    assert f'data-testid="result-{e1}" data-passed="true"' in page
    assert f'data-testid="result-{e2}" data-passed="false"' in page
    assert 'data-testid="resit"' in page
    response = client.post(reverse("exams:resit", args=[attempt.public_id]))
    resit = ExamAttempt.objects.get(learner=alice, state=AttemptState.OPEN)
    assert response["Location"] == reverse("exams:attempt", args=[resit.public_id])
    assert set(AttemptItem.objects.filter(attempt=resit).values_list("element_code", flat=True)) == {e2, e4}


def test_an_answer_after_the_deadline_is_refused_with_a_message(bank: Bank, alice: Any) -> None:
    client = client_for(alice)
    client.post(start_url(bank))
    attempt = ExamAttempt.objects.get(learner=alice)
    ExamAttempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - datetime.timedelta(seconds=1))
    row = selectors.attempt_item_at(attempt, 1)
    response = client.post(reverse("exams:item", args=[attempt.public_id, 1]), form_answer(row, right_answer(row.item)))
    assert response["Location"] == reverse("exams:result", args=[attempt.public_id])
    attempt.refresh_from_db()
    row.refresh_from_db()
    assert (attempt.state, row.answer) == (AttemptState.EXPIRED, None)


def test_a_practice_quiz_gives_feedback_after_each_answer(bank: Bank, alice: Any) -> None:
    client = client_for(alice)
    client.post(reverse("exams:practice-start", args=[bank.unit.code]))
    attempt = ExamAttempt.objects.get(learner=alice, kind=ExamKind.PRACTICE)
    row = selectors.attempt_item_at(attempt, 1)
    url = reverse("exams:item", args=[attempt.public_id, 1])
    assert 'data-testid="feedback"' not in client.get(url).content.decode()
    response = client.post(url, form_answer(row, wrong_answer(row.item)))
    assert response["Location"] == url
    page = client.get(url).content.decode()
    assert 'data-testid="feedback"' in page and "Your score on this question: 0.0 %" in page


@pytest.mark.parametrize("name", ["attempt", "finish", "result"])
def test_another_learner_gets_404_and_nothing_changes(bank: Bank, alice: Any, charlie: Any, name: str) -> None:
    attempt = services.attempt_start(learner=alice, kind=ExamKind.CERTIFICATION, role=bank.role, unit=bank.unit)
    client = client_for(charlie)
    assert client.get(reverse(f"exams:{name}", args=[attempt.public_id])).status_code == 404
    assert client.post(reverse("exams:finish", args=[attempt.public_id])).status_code == 404
    row = selectors.attempt_item_at(attempt, 1)
    assert client.post(reverse("exams:item", args=[attempt.public_id, 1]), {"answer": "x"}).status_code == 404
    assert client.post(reverse("exams:resit", args=[attempt.public_id])).status_code == 404
    row.refresh_from_db()
    attempt.refresh_from_db()
    assert (attempt.state, row.answer) == (AttemptState.OPEN, None)
    anonymous = Client().get(reverse(f"exams:{name}", args=[attempt.public_id]))
    assert anonymous.status_code == 302


def test_the_officer_edits_the_rules_and_a_learner_may_not(bank: Bank, alice: Any) -> None:
    assert client_for(alice).get(reverse("exams:config-list")).status_code == 403
    client = client_for(officer())
    page = client.get(reverse("exams:config-list")).content.decode()
    assert f'data-testid="config-{bank.role.slug}"' in page
    url = reverse("exams:config-edit", args=[bank.role.public_id])
    bad = {"items_per_element": "0", "pass_threshold": "1.5", "time_limit_minutes": "90", "enabled": "on"}
    assert client.post(url, bad).status_code == 200
    assert not ExamConfig.objects.exists()
    good = {"items_per_element": "8", "pass_threshold": "0.700", "time_limit_minutes": "45", "enabled": "on"}
    assert client.post(url, good)["Location"] == reverse("exams:config-list")
    config = ExamConfig.objects.get(role=bank.role)
    assert (config.items_per_element, str(config.pass_threshold), config.time_limit_minutes, config.enabled) == (
        8,
        "0.700",
        45,
        True,
    )
    assert client_for(alice).post(url, good).status_code == 403


def test_htmx_after_the_deadline_says_the_time_is_up(bank: Bank, alice: Any) -> None:
    client = client_for(alice)
    client.post(start_url(bank))
    attempt = ExamAttempt.objects.get(learner=alice)
    ExamAttempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - datetime.timedelta(seconds=1))
    row = selectors.attempt_item_at(attempt, 1)
    response = client.post(
        reverse("exams:item", args=[attempt.public_id, 1]),
        form_answer(row, right_answer(row.item)),
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "The time for this exam is up; your answer was not saved." in body
    assert reverse("exams:result", args=[attempt.public_id]) in body
    attempt.refresh_from_db()
    assert attempt.state == AttemptState.EXPIRED
