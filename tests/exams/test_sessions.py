"""Exam sessions (issue 6): certification attempts start only inside an open session of the learner's accredited
provider, opened by an accredited trainer; both accreditations are checked again at every start."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from skills4cities.accounts.enums import MemberRole
from skills4cities.certification.enums import AccreditationStatus
from skills4cities.certification.models import Accreditation
from skills4cities.core.models import AuditEntry
from skills4cities.exams import selectors, services
from skills4cities.exams.enums import AttemptState, ExamKind
from skills4cities.exams.models import ExamAttempt, ExamConfig, ExamSession
from tests import factories
from tests.conftest import client_for
from tests.exams.conftest import Bank, accredit, make_trainer, open_session, right_answer
from tests.exams.test_attempts import answer_all

API = "/api/v1/exams/"


def start(bank: Bank, learner: Any, **kwargs: Any) -> ExamAttempt:
    return services.attempt_start(
        learner=learner, kind=ExamKind.CERTIFICATION, role=bank.role, unit=bank.unit, **kwargs
    )


def refused(bank: Bank, learner: Any) -> tuple[str, int]:
    with pytest.raises(services.ExamError) as error:
        start(bank, learner)
    return error.value.code, error.value.status


@pytest.fixture
def provider(city: Any) -> Any:
    """The city is an accredited provider (no session yet)."""
    accredit(organisation=city)
    return city


@pytest.fixture
def tina(provider: Any) -> Any:
    return make_trainer(provider)


def window(hours: int = 3) -> dict[str, Any]:
    now = timezone.now()
    return {"opens_at": now - datetime.timedelta(minutes=5), "closes_at": now + datetime.timedelta(hours=hours)}


# --- the start rule ------------------------------------------------------------------------------------------


def test_without_an_open_session_a_certification_exam_does_not_start(bank: Bank, alice: Any, tina: Any) -> None:
    assert refused(bank, alice) == ("no_open_session", 403)
    assert not ExamAttempt.objects.exists()
    check = selectors.session_for_exam(alice, bank.role, bank.unit)
    assert check.session is None and "No exam session of your training provider is open" in check.message


def test_inside_an_open_session_the_attempt_starts_and_records_it(
    bank: Bank, alice: Any, provider: Any, tina: Any
) -> None:
    session = open_session(provider, tina, bank.role)
    attempt = start(bank, alice)
    assert (attempt.session, attempt.provider) == (session, provider)
    entry = AuditEntry.objects.get(action="exams.attempt.start", object_id=str(attempt.public_id))
    assert entry.data["session"] == str(session.public_id)


def test_a_session_outside_its_window_or_closed_early_lets_no_attempt_start(
    bank: Bank, alice: Any, provider: Any, tina: Any
) -> None:
    session = open_session(provider, tina, bank.role)
    now = timezone.now()
    ExamSession.objects.filter(pk=session.pk).update(closes_at=now - datetime.timedelta(minutes=1))  # ended
    assert refused(bank, alice) == ("no_open_session", 403)
    ExamSession.objects.filter(pk=session.pk).update(
        opens_at=now + datetime.timedelta(hours=1), closes_at=now + datetime.timedelta(hours=3)
    )  # not open yet
    assert refused(bank, alice) == ("no_open_session", 403)
    ExamSession.objects.filter(pk=session.pk).update(opens_at=now - datetime.timedelta(hours=1))
    services.exam_session_close(actor=tina, session=session)
    assert refused(bank, alice) == ("no_open_session", 403)
    assert not ExamAttempt.objects.exists()


def test_a_session_of_another_organisation_or_unit_does_not_count(
    bank: Bank, alice: Any, charlie: Any, provider: Any, reference: Any
) -> None:
    other = charlie.memberships.get().organisation
    accredit(organisation=other)
    open_session(other, make_trainer(other, "tom"), bank.role)  # Cluj's session: not alice's provider
    assert refused(bank, alice) == ("no_open_session", 403)
    start(bank, charlie)  # but Cluj's learner starts in it
    tina = make_trainer(provider)
    another_unit = reference.units.get(code="U04")
    open_session(provider, tina, bank.role, unit=another_unit)
    assert refused(bank, alice) == ("no_open_session", 403)
    other_role = reference.roles.exclude(slug=bank.role.slug).first()
    open_session(provider, tina, other_role)
    assert refused(bank, alice) == ("no_open_session", 403)
    session = open_session(provider, tina, bank.role, unit=bank.unit)  # this unit only
    assert start(bank, alice).session == session


def test_an_accreditation_lapsing_after_opening_stops_new_attempts_but_running_ones_finish(
    bank: Bank, alice: Any, bob: Any, provider: Any, tina: Any
) -> None:
    open_session(provider, tina, bank.role)
    running = start(bank, alice)
    Accreditation.objects.filter(trainer=tina).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert refused(bank, bob) == ("trainer_not_accredited", 403)
    assert "no longer accredited" in selectors.session_for_exam(bob, bank.role, bank.unit).message
    Accreditation.objects.filter(trainer=tina).update(expires_at=timezone.now() + datetime.timedelta(days=30))
    Accreditation.objects.filter(organisation=provider).update(status=AccreditationStatus.SUSPENDED)
    assert refused(bank, bob) == ("provider_not_accredited", 403)
    assert ExamAttempt.objects.filter(learner=bob).count() == 0
    row = selectors.attempt_item_at(running, 1)
    services.answer_save(actor=alice, attempt=running, attempt_item=row, answer=right_answer(row.item))
    assert services.attempt_finish(actor=alice, attempt=running).state == AttemptState.SUBMITTED


def test_practice_quizzes_and_self_checks_need_no_session(bank: Bank, alice: Any) -> None:
    assert services.attempt_start(learner=alice, kind=ExamKind.PRACTICE, unit=bank.unit).session is None
    assert services.adaptive_start(learner=alice, unit=bank.unit, seed=1).session is None


def test_a_resit_and_an_adaptive_certification_need_an_open_session(
    bank: Bank, alice: Any, provider: Any, tina: Any
) -> None:
    session = open_session(provider, tina, bank.role)
    first = start(bank, alice)
    answer_all(first, lambda code, n: code != bank.elements[0].code)
    services.attempt_finish(actor=alice, attempt=first)
    ExamConfig.objects.create(role=bank.role, adaptive_allowed=True)
    services.exam_session_close(actor=tina, session=session)
    with pytest.raises(services.ExamError) as error:
        start(bank, alice, resit_of=first)
    assert error.value.code == "no_open_session"
    with pytest.raises(services.ExamError) as error:
        services.adaptive_start(learner=alice, role=bank.role, unit=bank.unit)
    assert error.value.code == "no_open_session"
    again = open_session(provider, tina, bank.role)
    assert start(bank, alice, resit_of=first).session == again


# --- opening and closing -----------------------------------------------------------------------------------


def test_an_accredited_trainer_opens_and_closes_a_session_with_audit_entries(
    bank: Bank, provider: Any, tina: Any
) -> None:
    session = services.exam_session_open(
        actor=tina, organisation=provider, role=bank.role, unit=bank.unit, location="Room 3", **window()
    )
    assert (session.trainer, session.unit, session.location, session.is_open()) == (tina, bank.unit, "Room 3", True)
    opened = AuditEntry.objects.get(action="exams.session.open")
    assert (opened.actor, opened.object_id, opened.data["unit"]) == (tina, str(session.public_id), bank.unit.code)
    colleague = make_trainer(provider, "tom", accredited=False)  # any trainer of the provider may close it
    services.exam_session_close(actor=colleague, session=session)
    session.refresh_from_db()
    assert (session.closed_by, session.is_open()) == (colleague, False)
    closed = AuditEntry.objects.get(action="exams.session.close")
    assert (closed.actor, closed.object_id, closed.data) == (colleague, str(session.public_id), {"running_attempts": 0})
    with pytest.raises(services.ExamError) as error:
        services.exam_session_close(actor=tina, session=session)
    assert (error.value.code, error.value.status) == ("session_closed", 409)


def test_opening_is_refused_to_a_trainer_or_provider_without_accreditation(
    bank: Bank, city: Any, alice: Any, unchanged_database: Any
) -> None:
    novice = make_trainer(city, "nora", accredited=False)
    with unchanged_database():
        with pytest.raises(services.ExamError) as error:
            services.exam_session_open(actor=novice, organisation=city, role=bank.role, **window())
        assert (error.value.code, error.value.status) == ("trainer_not_accredited", 403)
    tina = make_trainer(city, "tina")
    with unchanged_database():
        with pytest.raises(services.ExamError) as error:  # the city is no accredited provider
            services.exam_session_open(actor=tina, organisation=city, role=bank.role, **window())
        assert error.value.code == "provider_not_accredited"
        with pytest.raises(PermissionDenied):  # a learner is no trainer
            services.exam_session_open(actor=alice, organisation=city, role=bank.role, **window())


def test_the_window_and_the_unit_are_checked(bank: Bank, reference: Any, provider: Any, tina: Any) -> None:
    now = timezone.now()
    hour = datetime.timedelta(hours=1)
    cases = [
        (now, now - hour, "The session must close after it opens."),
        (now - 3 * hour, now - hour, "The session must close in the future."),
        (now, now + datetime.timedelta(days=400), "A session lasts at most 366 days."),
    ]
    for opens_at, closes_at, message in cases:
        with pytest.raises(services.ExamError) as error:
            services.exam_session_open(
                actor=tina, organisation=provider, role=bank.role, opens_at=opens_at, closes_at=closes_at
            )
        assert (error.value.code, error.value.message) == ("invalid_window", message)
    unrequired = next(
        unit for unit in reference.units.all() if not bank.role.requirements.filter(element__unit=unit).exists()
    )
    with pytest.raises(services.ExamError) as error:
        services.exam_session_open(actor=tina, organisation=provider, role=bank.role, unit=unrequired, **window())
    assert error.value.code == "invalid_unit"
    assert not ExamSession.objects.exists()


# --- pages -------------------------------------------------------------------------------------------------------


def test_the_session_pages_are_for_trainers_only(bank: Bank, alice: Any, provider: Any, tina: Any) -> None:
    session = open_session(provider, tina, bank.role)
    client = client_for(alice)
    assert client.get(reverse("exams:sessions")).status_code == 403
    assert client.get(reverse("exams:session-open")).status_code == 403
    assert client.post(reverse("exams:session-close", args=[session.public_id])).status_code == 403
    session.refresh_from_db()
    assert session.closed_at is None
    assert 'data-testid="exam-sessions"' not in client.get(reverse("exams:home")).content.decode()


def test_a_trainer_sees_and_closes_only_the_sessions_of_their_organisations(
    bank: Bank, charlie: Any, provider: Any, tina: Any, django_assert_max_num_queries: Any
) -> None:
    own = open_session(provider, tina, bank.role)
    other_org = charlie.memberships.get().organisation
    accredit(organisation=other_org)
    theirs = open_session(other_org, make_trainer(other_org, "tom"), bank.role)
    client = client_for(tina)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("exams:sessions")).content.decode()
    assert f'data-testid="session-{own.public_id}"' in page
    assert f'data-testid="session-{theirs.public_id}"' not in page
    assert "Tina Trainer" in page and "Room 2.14" in page
    assert client.post(reverse("exams:session-close", args=[theirs.public_id])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.closed_at is None
    response = client.post(reverse("exams:session-close", args=[own.public_id]))
    assert response["Location"] == reverse("exams:sessions")
    own.refresh_from_db()
    assert own.closed_by == tina
    home = client.get(reverse("exams:home")).content.decode()
    assert 'data-testid="exam-sessions"' in home
    assert 'data-testid="exam-sessions"' in client.get(reverse("exams:analysis")).content.decode()


def _form(bank: Bank, provider: Any, **values: Any) -> dict[str, Any]:
    now = timezone.localtime()
    data = {
        "organisation": provider.pk,
        "role": bank.role.pk,
        "unit": "",
        "opens_at": now.strftime("%Y-%m-%dT%H:%M"),
        "closes_at": (now + datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "location": "Remote, webcam proctor",
    }
    return data | values


def test_the_open_form_opens_a_session_and_redisplays_refusals(bank: Bank, provider: Any, tina: Any) -> None:
    client = client_for(tina)
    page = client.get(reverse("exams:session-open")).content.decode()
    assert 'data-testid="session-form"' in page and 'type="datetime-local"' in page
    assert 'data-testid="not-accredited"' not in page
    past = (timezone.localtime() - datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(reverse("exams:session-open"), _form(bank, provider, closes_at=past))
    assert response.status_code == 200
    assert "The session must close after it opens." in response.content.decode()
    assert 'data-testid="error-closes_at"' in response.content.decode()
    response = client.post(reverse("exams:session-open"), _form(bank, provider, opens_at="soon"))
    assert 'data-testid="error-opens_at"' in response.content.decode()
    assert not ExamSession.objects.exists()
    response = client.post(reverse("exams:session-open"), _form(bank, provider, unit=bank.unit.pk))
    assert response.status_code == 302 and response["Location"] == reverse("exams:sessions")
    session = ExamSession.objects.get()
    assert (session.trainer, session.organisation, session.unit, session.location) == (
        tina,
        provider,
        bank.unit,
        "Remote, webcam proctor",
    )


def test_a_trainer_without_accreditation_is_told_why_and_cannot_open(bank: Bank, provider: Any) -> None:
    novice = make_trainer(provider, "nora", accredited=False)
    client = client_for(novice)
    assert 'data-testid="not-accredited"' in client.get(reverse("exams:sessions")).content.decode()
    response = client.post(reverse("exams:session-open"), _form(bank, provider))
    page = response.content.decode()
    assert response.status_code == 200 and 'data-testid="form-error"' in page
    assert "Only an accredited trainer can open a certification exam session" in page
    assert not ExamSession.objects.exists()


def test_the_exams_page_names_the_session_or_why_an_exam_cannot_start(
    bank: Bank, alice: Any, provider: Any, tina: Any
) -> None:
    client = client_for(alice)
    page = client.get(reverse("exams:home")).content.decode()
    assert f'data-testid="start-{bank.role.slug}-U03"' not in page
    assert f'data-testid="no-session-{bank.role.slug}-U03"' in page
    assert "No exam session of your training provider is open for this exam." in page
    session = open_session(provider, tina, bank.role)
    page = client.get(reverse("exams:home")).content.decode()
    assert f'data-testid="start-{bank.role.slug}-U03"' in page
    until = date_format(timezone.localtime(session.closes_at), "SHORT_DATETIME_FORMAT")
    assert f"Session by Tina Trainer, until {until} · Room 2.14" in page
    response = client.post(reverse("exams:certification-start", args=[bank.role.slug, bank.unit.code]))
    assert ExamAttempt.objects.get(learner=alice).session == session
    assert response.status_code == 302


def test_starting_on_the_page_without_a_session_shows_the_reason(bank: Bank, alice: Any, provider: Any) -> None:
    client = client_for(alice)
    response = client.post(reverse("exams:certification-start", args=[bank.role.slug, bank.unit.code]), follow=True)
    assert "No exam session of your training provider is open for this exam." in response.content.decode()
    assert not ExamAttempt.objects.exists()


# --- API ---------------------------------------------------------------------------------------------------------


def test_the_api_refuses_a_start_without_a_session_with_a_stable_code(
    bank: Bank, alice: Any, provider: Any, tina: Any
) -> None:
    client = client_for(alice)
    body = {"kind": "certification", "role": bank.role.slug, "unit": bank.unit.code}
    response = client.post(f"{API}attempts/", body, content_type="application/json")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "no_open_session"
    rows = client.get(API).json()
    exam = next(r for r in rows if r["kind"] == "certification" and r["role"] == bank.role.slug and r["unit"] == "U03")
    assert (exam["session"], exam["start_refused"]["code"]) == (None, "no_open_session")
    session = open_session(provider, tina, bank.role)
    response = client.post(f"{API}attempts/", body, content_type="application/json")
    assert response.status_code == 201 and response.json()["session"] == str(session.public_id)
    practice = client.post(f"{API}attempts/", {"kind": "practice", "unit": "U03"}, content_type="application/json")
    assert practice.status_code == 201 and practice.json()["session"] is None


# --- demo data ---------------------------------------------------------------------------------------------------


def test_the_demo_trainer_opens_a_long_session_per_role_once(bank: Bank, reference: Any) -> None:
    vet = factories.OrganisationFactory(slug="demo-vet", name="Demo VET Centre")
    trainer = factories.UserFactory(username="demo-trainer")
    factories.MembershipFactory(user=trainer, organisation=vet, role=MemberRole.TRAINER)
    assert services.exam_sessions_demo_seed() == []  # nobody accredited yet
    accredit(organisation=vet)
    accredit(trainer=trainer)
    opened = services.exam_sessions_demo_seed()
    assert services.exam_sessions_demo_seed() == []  # idempotent
    assert sorted(s.role.slug for s in opened) == sorted(reference.roles.values_list("slug", flat=True))
    assert all(
        s.unit is None and s.is_open() and s.closes_at - s.opens_at > datetime.timedelta(days=300) for s in opened
    )
    learner = factories.UserFactory(username="demo-learner")
    factories.MembershipFactory(user=learner, organisation=vet, role=MemberRole.LEARNER)
    assert start(bank, learner).session in opened
