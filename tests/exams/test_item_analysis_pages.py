"""Item analysis for trainers (docs/adr/0015): the statistics page, the item detail, sending an item back to
review, and the 2PL calibration (service and ``calibrate_items`` command) on simulated responses."""

from __future__ import annotations

import math
import random
from io import StringIO
from typing import Any

import numpy as np
import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command

from skills4cities.accounts.enums import MemberRole
from skills4cities.core.models import AuditEntry
from skills4cities.exams import item_analysis, selectors, services
from skills4cities.exams.enums import ExamKind, IrtSource, ItemStatus
from skills4cities.exams.models import ExamConfig, Item
from tests import factories
from tests.conftest import client_for
from tests.exams.conftest import Bank, provider_with_session, right_answer, wrong_answer

HARD = 0  # the index (per element) of the item everybody answers wrong


@pytest.fixture(autouse=True)
def _accredited(exam_session: Any) -> None:
    """The city is an accredited provider with an open exam session of an accredited trainer (conftest)."""


@pytest.fixture
def trainer(city: Any) -> Any:
    user = factories.UserFactory(username="tess")
    factories.MembershipFactory(user=user, organisation=city, role=MemberRole.TRAINER)
    return user


@pytest.fixture
def small_bank(bank: Bank) -> Bank:
    """Six reviewed items per element with spread difficulties; the others are drafts."""
    for items in bank.items.values():
        for n, item in enumerate(items):
            status = ItemStatus.REVIEWED if n < 6 else ItemStatus.DRAFT
            Item.objects.filter(pk=item.pk).update(status=status, irt_a=1.2, irt_b=-1.5 + 0.6 * n, irt_c=0.0)
        bank.items[items[0].element.code] = items[:6]
    return bank


def simulate(bank: Bank, learners: list[Any], attempts: int, *, seed: int = 5) -> None:
    """Finished certification exams (3 items per element) answered by simulated examinees (2PL, fixed RNG)."""
    ExamConfig.objects.create(role=bank.role, items_per_element=3)
    rng = np.random.default_rng(seed)
    hard = {items[HARD].pk for items in bank.items.values()}
    truth = {item.pk: item for item in Item.objects.filter(status=ItemStatus.REVIEWED)}
    for n in range(attempts):
        learner = learners[n % len(learners)]
        theta = float(rng.normal())
        attempt = services.attempt_start(
            learner=learner, kind=ExamKind.CERTIFICATION, role=bank.role, unit=bank.unit, rng=random.Random(n)
        )
        for row in selectors.attempt_items(attempt):
            item = truth[row.item_id]
            p = 1 / (1 + math.exp(-item.irt_a * (theta - item.irt_b)))
            right = row.item_id not in hard and rng.random() < p
            answer = right_answer(row.item) if right else wrong_answer(row.item)
            services.answer_save(actor=learner, attempt=attempt, attempt_item=row, answer=answer)
        services.attempt_finish(actor=learner, attempt=attempt)


def test_only_trainers_officers_and_staff_see_the_analysis(
    small_bank: Bank, alice: Any, bob: Any, trainer: Any, client: Any
) -> None:
    assert client.get("/exams/analysis/").status_code == 302  # to the login
    assert client_for(alice).get("/exams/analysis/").status_code == 403
    assert client_for(bob).get("/exams/analysis/").status_code == 403  # an organisation admin is no trainer
    item = small_bank.items[small_bank.elements[0].code][0]
    assert client_for(alice).get(f"/exams/analysis/items/{item.public_id}/").status_code == 403
    assert client_for(alice).post(f"/exams/analysis/items/{item.public_id}/").status_code == 403
    assert Item.objects.get(pk=item.pk).status == ItemStatus.REVIEWED
    assert client_for(trainer).get("/exams/analysis/").status_code == 200
    staff = factories.UserFactory(username="staff", is_staff=True)
    assert client_for(staff).get("/exams/analysis/").status_code == 200
    assert b'data-testid="item-analysis"' in client_for(trainer).get("/exams/").content
    assert b'data-testid="item-analysis"' not in client_for(alice).get("/exams/").content
    assert client_for(trainer).get("/exams/analysis/items/00000000-0000-0000-0000-000000000000/").status_code == 404


def test_the_analysis_page_shows_statistics_and_flags(
    small_bank: Bank, alice: Any, charlie: Any, trainer: Any, monkeypatch: Any, django_assert_max_num_queries: Any
) -> None:
    monkeypatch.setattr(item_analysis, "MIN_RESPONSES_FOR_FLAGS", 5)
    provider_with_session(charlie.memberships.get().organisation, small_bank.role, "tom")
    simulate(small_bank, [alice, charlie], 24)
    services.attempt_start(learner=alice, kind=ExamKind.PRACTICE, unit=small_bank.unit)  # practice: left out
    client = client_for(trainer)
    with django_assert_max_num_queries(12):
        page = client.get("/exams/analysis/?unit=U03")
    text = page.content.decode()
    assert "analysis-unit-U03" in text and "analysis-unit-U01" not in text  # one unit at a time
    assert "analysis-unit-U01" in client.get("/exams/analysis/").content.decode()  # the first unit by default
    assert "Practice quizzes are left out" in text
    responses = selectors.analysis_responses()
    assert len(responses) == 24 * 12
    hard = [items[HARD] for items in small_bank.items.values()]
    for item in hard:
        assert f'data-testid="analysis-item-{item.key}" data-flags="too_hard' in text
    assert "Too hard" in text
    with django_assert_max_num_queries(12):
        flagged = client.get("/exams/analysis/?flagged=1").content.decode()
    entries = [
        entry
        for unit in selectors.item_analysis_overview(small_bank.framework)
        for element in unit.elements
        for entry in element.items
    ]
    assert len(entries) == Item.objects.exclude(status=ItemStatus.RETIRED).count()  # reviewed and draft items
    for entry in entries:
        assert (f'analysis-item-{entry.item.key}"' in flagged) == bool(entry.flags), entry.item.key
    assert {item.key for item in hard} <= {entry.item.key for entry in entries if entry.flags}
    # the item detail: option-by-option use
    item = hard[0]
    detail = client.get(f"/exams/analysis/items/{item.public_id}/").content.decode()
    count = sum(1 for r in responses if r.item == str(item.pk))
    assert f'data-testid="item-responses">{count}<' in detail
    assert 'data-testid="option-use"' in detail and "Too hard" in detail


def test_a_flagged_item_is_sent_back_to_review(small_bank: Bank, trainer: Any, alice: Any) -> None:
    item = small_bank.items[small_bank.elements[0].code][HARD]
    with pytest.raises(PermissionDenied):
        services.item_review_reopen(actor=alice, item=item)
    response = client_for(trainer).post(f"/exams/analysis/items/{item.public_id}/")
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == ItemStatus.DRAFT
    assert AuditEntry.objects.filter(action="exams.item.reopen", object_id=str(item.public_id)).count() == 1
    with pytest.raises(services.ExamError) as error:  # only a reviewed item goes back
        services.item_review_reopen(actor=trainer, item=item)
    assert error.value.code == "not_reviewed"
    assert AuditEntry.objects.filter(action="exams.item.reopen").count() == 1
    assert not selectors.reviewed_items("skills4cities", [item.element.code]).filter(pk=item.pk).exists()


def test_calibration_without_enough_responses_changes_nothing(small_bank: Bank, alice: Any) -> None:
    simulate(small_bank, [alice], 3)
    out = StringIO()
    call_command("calibrate_items", stdout=out)
    counts: dict[str, int] = {}
    for response in selectors.analysis_responses():
        counts[response.item] = counts.get(response.item, 0) + 1
    assert out.getvalue() == (
        f"No item calibrated: of {len(counts)} item(s) with responses, 0 have the 150 needed (the most has 3).\n"
    )
    assert max(counts.values()) == 3
    assert not Item.objects.filter(irt_source=IrtSource.CALIBRATED).exists()
    assert not AuditEntry.objects.filter(action="exams.items.calibrate").exists()


def test_calibration_stores_2pl_parameters_of_items_with_enough_responses(
    small_bank: Bank, alice: Any, charlie: Any, trainer: Any, monkeypatch: Any
) -> None:
    monkeypatch.setattr(item_analysis, "MIN_RESPONSES_FOR_CALIBRATION", 8)
    with pytest.raises(PermissionDenied):
        services.items_calibrate(actor=alice)
    provider_with_session(charlie.memberships.get().organisation, small_bank.role, "tom")
    simulate(small_bank, [alice, charlie], 24)
    counts: dict[str, int] = {}
    for response in selectors.analysis_responses():
        counts[response.item] = counts.get(response.item, 0) + 1
    enough = {Item.objects.get(pk=int(pk)).key for pk, n in counts.items() if n >= 8}
    out = StringIO()
    call_command("calibrate_items", stdout=out)
    calibrated = set(Item.objects.filter(irt_source=IrtSource.CALIBRATED).values_list("key", flat=True))
    assert calibrated and calibrated <= enough
    assert out.getvalue().startswith(f"{len(calibrated)} item(s) calibrated (2PL) from 24 attempts")
    for item in Item.objects.filter(irt_source=IrtSource.CALIBRATED):
        assert item.calibrated_at is not None and item.irt_a > 0 and abs(item.irt_b) <= 6
    untouched = Item.objects.filter(status=ItemStatus.REVIEWED).exclude(key__in=calibrated)
    assert all(item.irt_source == IrtSource.EXPERT and item.irt_a == 1.2 for item in untouched)
    entry = AuditEntry.objects.get(action="exams.items.calibrate")
    assert entry.data == {"calibrated": sorted(calibrated), "attempts": 24}
    # a trainer may run it too; the result is the same fit
    report = services.items_calibrate(actor=trainer)
    assert set(report.calibrated) == calibrated
