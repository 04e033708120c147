from __future__ import annotations

import datetime
from collections import Counter
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from skills4cities.accounts.enums import MemberRole, OrganisationKind
from skills4cities.assessments.enums import EvidenceKind
from skills4cities.certification.enums import AccreditationStatus
from skills4cities.certification.models import Accreditation
from skills4cities.core.models import AuditEntry
from skills4cities.exams import selectors, services
from skills4cities.exams.enums import AttemptState, ExamKind, ItemStatus
from skills4cities.exams.models import AttemptItem, ElementResult, ExamAttempt, ExamConfig
from tests import factories
from tests.exams.conftest import Bank, right_answer, wrong_answer


@pytest.fixture(autouse=True)
def _accredited(exam_session: Any) -> None:
    """The city is an accredited provider with an open exam session of an accredited trainer (conftest)."""


def start(bank: Bank, learner: Any, **kwargs: Any) -> ExamAttempt:
    return services.attempt_start(
        learner=learner, kind=ExamKind.CERTIFICATION, role=bank.role, unit=bank.unit, **kwargs
    )


def answer_all(attempt: ExamAttempt, right: Any) -> None:
    """Answer every item; ``right(code, n)`` says whether the n-th item (from 0) of element ``code`` is right."""
    seen: Counter[str] = Counter()
    for row in selectors.attempt_items(attempt):
        n = seen[row.element_code]
        seen[row.element_code] += 1
        answer = right_answer(row.item) if right(row.element_code, n) else wrong_answer(row.item)
        services.answer_save(actor=attempt.learner, attempt=attempt, attempt_item=row, answer=answer)


def codes(bank: Bank) -> list[str]:
    return [element.code for element in bank.elements]


def test_a_certification_exam_draws_ten_reviewed_items_per_element(bank: Bank, alice: Any) -> None:
    attempt = start(bank, alice)
    rows = list(AttemptItem.objects.filter(attempt=attempt).select_related("item"))
    assert Counter(row.element_code for row in rows) == dict.fromkeys(codes(bank), 10)
    assert {row.item.status for row in rows} == {ItemStatus.REVIEWED}
    assert sorted(row.position for row in rows) == list(range(1, 41))
    assert (attempt.state, attempt.certifying, attempt.pass_threshold, attempt.items_per_element) == (
        AttemptState.OPEN,
        True,
        Decimal("0.660"),
        10,
    )
    assert attempt.deadline == attempt.started_at + datetime.timedelta(minutes=90)
    assert attempt.scope == "certification:skills4cities:smart-city-project-manager:U03"
    for row in rows:
        assert sorted(row.option_order) == sorted(str(o.public_id) for o in row.item.options.all())
    assert AuditEntry.objects.filter(action="exams.attempt.start", object_id=str(attempt.public_id)).count() == 1


def test_the_draw_follows_the_configuration_and_takes_fewer_when_the_bank_has_fewer(bank: Bank, alice: Any) -> None:
    ExamConfig.objects.create(role=bank.role, items_per_element=3, pass_threshold=Decimal("0.7"), time_limit_minutes=30)
    first = codes(bank)[0]
    for item in bank.items[first][2:]:
        item.status = ItemStatus.RETIRED if item.pk % 2 else ItemStatus.DRAFT
        item.save()
    attempt = start(bank, alice)
    assert Counter(AttemptItem.objects.filter(attempt=attempt).values_list("element_code", flat=True)) == {
        first: 2,
        **dict.fromkeys(codes(bank)[1:], 3),
    }
    assert attempt.deadline is not None
    assert (attempt.pass_threshold, attempt.deadline - attempt.started_at) == (
        Decimal("0.700"),
        datetime.timedelta(minutes=30),
    )


def test_a_practice_quiz_draws_two_items_per_element_without_deadline(bank: Bank, alice: Any) -> None:
    attempt = services.attempt_start(learner=alice, kind=ExamKind.PRACTICE, unit=bank.unit)
    assert Counter(AttemptItem.objects.filter(attempt=attempt).values_list("element_code", flat=True)) == dict.fromkeys(
        codes(bank), 2
    )
    assert (attempt.deadline, attempt.certifying, attempt.role, attempt.scope) == (
        None,
        False,
        None,
        "practice:skills4cities:U03",
    )


def test_one_open_attempt_per_learner_and_exam(bank: Bank, alice: Any, bob: Any) -> None:
    attempt = start(bank, alice)
    with pytest.raises(services.ExamError) as error:
        start(bank, alice)
    assert (error.value.code, error.value.attempt) == ("attempt_open", attempt)
    assert ExamAttempt.objects.filter(learner=alice).count() == 1
    start(bank, bob)  # another learner
    services.attempt_start(learner=alice, kind=ExamKind.PRACTICE, unit=bank.unit)  # another exam
    with pytest.raises(IntegrityError), transaction.atomic():
        ExamAttempt.objects.create(
            learner=alice,
            kind=ExamKind.CERTIFICATION,
            scope=attempt.scope,
            started_at=timezone.now(),
            pass_threshold=Decimal("0.66"),
            items_per_element=10,
        )


def test_an_answer_is_saved_when_given_and_replaced_before_submission(bank: Bank, alice: Any) -> None:
    attempt = start(bank, alice)
    row = selectors.attempt_item_at(attempt, 1)
    services.answer_save(actor=alice, attempt=attempt, attempt_item=row, answer=wrong_answer(row.item))
    row.refresh_from_db()
    assert (row.answer, row.score) == (
        wrong_answer(row.item),
        Decimal("0"),
    )
    services.answer_save(actor=alice, attempt=attempt, attempt_item=row, answer=right_answer(row.item))
    row.refresh_from_db()
    assert (row.answer, row.score) == (right_answer(row.item), Decimal("1"))
    assert AttemptItem.objects.filter(attempt=attempt, answered_at__isnull=False).count() == 1


def test_an_invalid_answer_is_refused_and_changes_nothing(bank: Bank, alice: Any, charlie: Any) -> None:
    attempt = start(bank, alice)
    row = selectors.attempt_item_at(attempt, 1)
    for bad in ("not-an-option", ["x", "y"], 42, []):
        with pytest.raises(services.ExamError) as error:
            services.answer_save(actor=alice, attempt=attempt, attempt_item=row, answer=bad)
        assert error.value.code == "invalid_answer"
    with pytest.raises(PermissionDenied):
        services.answer_save(actor=charlie, attempt=attempt, attempt_item=row, answer=right_answer(row.item))
    row.refresh_from_db()
    assert (row.answer, row.answered_at, row.score) == (None, None, None)


def test_past_the_deadline_answers_are_refused_and_the_attempt_is_scored_as_it_stands(bank: Bank, alice: Any) -> None:
    attempt = start(bank, alice)
    first, second = selectors.attempt_item_at(attempt, 1), selectors.attempt_item_at(attempt, 2)
    services.answer_save(actor=alice, attempt=attempt, attempt_item=first, answer=right_answer(first.item))
    assert attempt.deadline is not None
    late = attempt.deadline + datetime.timedelta(seconds=1)
    with pytest.raises(services.ExamError) as error:
        services.answer_save(
            actor=alice, attempt=attempt, attempt_item=second, answer=right_answer(second.item), now=late
        )
    assert error.value.code == "deadline_passed"
    attempt.refresh_from_db()
    second.refresh_from_db()
    assert (attempt.state, attempt.finished_at, second.answer) == (AttemptState.EXPIRED, late, None)
    results = {r.element_code: r for r in ElementResult.objects.filter(attempt=attempt)}
    assert set(results) == set(codes(bank))
    assert results[first.element_code].score == Decimal("1")
    with pytest.raises(services.ExamError) as closed:
        services.answer_save(actor=alice, attempt=attempt, attempt_item=second, answer=right_answer(second.item))
    assert closed.value.code == "attempt_closed"


def test_an_open_attempt_past_its_deadline_expires_on_the_next_request(bank: Bank, alice: Any) -> None:
    attempt = start(bank, alice)
    assert services.attempt_expire_if_due(attempt=attempt) is False
    assert attempt.deadline is not None
    assert services.attempt_expire_if_due(attempt=attempt, now=attempt.deadline + datetime.timedelta(minutes=1))
    assert attempt.state == AttemptState.EXPIRED
    # and a new attempt can start: the expired one no longer blocks the exam
    assert start(bank, alice).state == AttemptState.OPEN


def test_finishing_scores_each_element_with_partial_credit_and_the_threshold(bank: Bank, alice: Any) -> None:
    e1, e2, e3, e4 = codes(bank)
    right = {e1: 10, e2: 0, e3: 7, e4: 6}
    attempt = start(bank, alice)
    answer_all(attempt, lambda code, n: n < right[code])
    services.attempt_finish(actor=alice, attempt=attempt)
    attempt.refresh_from_db()
    assert attempt.state == AttemptState.SUBMITTED
    results = {r.element_code: (r.items, r.fraction, r.passed, r.level) for r in selectors.element_results(attempt)}
    targets = dict(bank.role.requirements.values_list("element__code", "target_level"))
    assert results == {
        e1: (10, Decimal("1.0000"), True, targets[e1]),
        e2: (10, Decimal("0.0000"), False, targets[e2]),
        e3: (10, Decimal("0.7000"), True, targets[e3]),
        e4: (10, Decimal("0.6000"), False, targets[e4]),
    }
    with pytest.raises(services.ExamError) as error:
        services.attempt_finish(actor=alice, attempt=attempt)
    assert error.value.code == "attempt_closed"


def test_unanswered_items_score_zero(bank: Bank, alice: Any) -> None:
    attempt = start(bank, alice)
    services.attempt_finish(actor=alice, attempt=attempt)
    assert {r.passed for r in selectors.element_results(attempt)} == {False}
    assert {r.fraction for r in selectors.element_results(attempt)} == {Decimal("0")}


def finished(bank: Bank, learner: Any, right: dict[str, int], **kwargs: Any) -> ExamAttempt:
    attempt = start(bank, learner, **kwargs)
    answer_all(attempt, lambda code, n: n < right.get(code, 0))
    return services.attempt_finish(actor=learner, attempt=attempt)


def test_a_resit_draws_only_the_failed_elements_preferring_unseen_items(bank: Bank, alice: Any) -> None:
    e1, e2, e3, e4 = codes(bank)
    first = finished(bank, alice, {e1: 10, e2: 0, e3: 7, e4: 6})
    resit = start(bank, alice, resit_of=first)
    rows = list(AttemptItem.objects.filter(attempt=resit))
    assert Counter(row.element_code for row in rows) == {e2: 10, e4: 10}
    seen = set(AttemptItem.objects.filter(attempt=first).values_list("item_id", flat=True))
    assert sum(1 for row in rows if row.item_id not in seen) == 4  # 12 items per element, 10 seen: 2 new each
    assert resit.resit_of == first


def test_a_resit_must_follow_the_latest_attempt_and_have_failed_elements(bank: Bank, alice: Any, bob: Any) -> None:
    e1, e2, e3, e4 = codes(bank)
    first = finished(bank, alice, {e1: 10, e2: 0, e3: 10, e4: 10})
    second = finished(bank, alice, {e1: 10, e2: 10, e3: 10, e4: 10}, resit_of=first)
    with pytest.raises(services.ExamError) as error:
        start(bank, alice, resit_of=first)
    assert error.value.code == "invalid_resit"
    with pytest.raises(services.ExamError) as error:
        start(bank, alice, resit_of=second)
    assert error.value.code == "nothing_to_resit"
    with pytest.raises(services.ExamError) as error:
        start(bank, bob, resit_of=second)
    assert error.value.code == "invalid_resit"


def test_exam_element_results_keep_a_pass_and_the_evidence_stream_shows_target_levels(bank: Bank, alice: Any) -> None:
    e1, e2, e3, e4 = codes(bank)
    first = finished(bank, alice, {e1: 10, e2: 0, e3: 7, e4: 0})
    services.attempt_start(learner=alice, kind=ExamKind.PRACTICE, unit=bank.unit)  # practice is never evidence
    second = finished(bank, alice, {e1: 0, e2: 9, e3: 0, e4: 0})  # a full retake: fails e1 and e3 this time
    results = selectors.exam_element_results(alice)
    assert {code: (r.passed, r.fraction, r.attempt_public_id) for code, r in results.items()} == {
        e1: (True, Decimal("1.0000"), first.public_id),
        e2: (True, Decimal("0.9000"), second.public_id),
        e3: (True, Decimal("0.7000"), first.public_id),
        e4: (False, Decimal("0.0000"), second.public_id),
    }
    assert results[e1].at == first.finished_at
    targets = dict(bank.role.requirements.values_list("element__code", "target_level"))
    stream = selectors.exam_evidence_stream(alice)
    assert stream.kind == EvidenceKind.TEST_RESULT
    assert sorted((e.element_code, e.level) for e in stream.evidence()) == sorted(
        (code, targets[code]) for code in (e1, e2, e3)
    )


def test_the_evidence_selectors_cost_one_query(bank: Bank, alice: Any, django_assert_num_queries: Any) -> None:
    e1, *_rest = codes(bank)
    finished(bank, alice, {e1: 10})
    with django_assert_num_queries(1):
        selectors.exam_element_results(alice)
    with django_assert_num_queries(1):
        list(selectors.exam_evidence_stream(alice).evidence())


def test_practice_and_disabled_or_unaccredited_exams(bank: Bank, alice: Any) -> None:
    ExamConfig.objects.create(role=bank.role, enabled=False)
    with pytest.raises(services.ExamError) as error:
        start(bank, alice)
    assert error.value.code == "exam_disabled"
    ExamConfig.objects.filter(role=bank.role).update(enabled=True)
    Accreditation.objects.filter(organisation__isnull=False).update(status=AccreditationStatus.SUSPENDED)
    with pytest.raises(services.ExamError) as error:
        start(bank, alice)
    assert (error.value.code, error.value.status) == ("provider_not_accredited", 403)
    assert not ExamAttempt.objects.filter(learner=alice).exists()


def test_no_reviewed_items_no_exam(bank: Bank, alice: Any) -> None:
    from skills4cities.exams.models import Item

    Item.objects.update(status=ItemStatus.DRAFT)
    with pytest.raises(services.ExamError) as error:
        start(bank, alice)
    assert error.value.code == "no_items"


def officer() -> Any:
    user = factories.UserFactory(username="olga")
    body = factories.OrganisationFactory(slug="ecqa", name="ECQA", kind=OrganisationKind.CERTIFICATION_BODY)
    factories.MembershipFactory(user=user, organisation=body, role=MemberRole.CERTIFICATION_OFFICER)
    return user


def test_only_a_certification_officer_sets_the_rules(bank: Bank, alice: Any) -> None:
    rules = {
        "role": bank.role,
        "items_per_element": 8,
        "pass_threshold": Decimal("0.75"),
        "time_limit_minutes": 60,
        "adaptive_allowed": True,
        "enabled": True,
    }
    with pytest.raises(PermissionDenied):
        services.exam_config_save(actor=alice, **rules)
    assert not ExamConfig.objects.exists()
    config = services.exam_config_save(actor=officer(), **rules)
    assert (config.items_per_element, config.pass_threshold, config.time_limit_minutes, config.adaptive_allowed) == (
        8,
        Decimal("0.75"),
        60,
        True,
    )
    assert AuditEntry.objects.filter(action="exams.config.save").count() == 1


def test_an_officer_of_another_kind_of_organisation_may_not(bank: Bank, city: Any) -> None:
    user = factories.UserFactory(username="oscar")
    factories.MembershipFactory(user=user, organisation=city, role=MemberRole.CERTIFICATION_OFFICER)
    assert services.can_configure_exams(user) is False


def test_demo_seed_gives_a_resit_and_a_graduate(bank: Bank) -> None:
    from skills4cities.accounts.models import Organisation, User

    organisation = factories.OrganisationFactory(slug="demo-city", name="Demo City")
    learner: Any = factories.UserFactory(username="demo-learner")
    services.exams_demo_seed(password="pw-demo-1", organisation=organisation)
    services.exams_demo_seed(password="pw-demo-1", organisation=organisation)  # idempotent
    attempts = list(ExamAttempt.objects.filter(learner=learner))
    assert [(a.scope, a.state) for a in attempts] == [
        ("certification:skills4cities:smart-city-project-manager:U03", AttemptState.SUBMITTED)
    ]
    e1, e2, e3, e4 = codes(bank)
    assert {r.element_code: r.passed for r in selectors.element_results(attempts[0])} == {
        e1: True,
        e2: False,
        e3: True,
        e4: False,
    }
    graduate = User.objects.get(username="demo-graduate")
    assert graduate.check_password("pw-demo-1")
    assert Organisation.objects.filter(memberships__user=graduate, slug="demo-city").exists()
    results = selectors.exam_element_results(graduate)
    assert {code for code, r in results.items() if r.passed} == set(codes(bank))
    assert ExamAttempt.objects.filter(learner=graduate).count() == 1
