"""Issuing for real (the credentials app signs): one valid credential at a time, renewal, the criteria, revocation."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from skills4cities.accounts.enums import MemberRole
from skills4cities.certification import selectors, services
from skills4cities.certification.models import AttendanceRecord
from skills4cities.core.models import AuditEntry
from skills4cities.credentials.models import Credential
from tests import factories
from tests.certification.conftest import MANAGER, Evidence, role_element_codes, unit_element_codes
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def city_officer(city: Any) -> Any:
    user = factories.UserFactory(username="olivia")
    factories.MembershipFactory(user=user, organisation=city, role=MemberRole.CERTIFICATION_OFFICER)
    return user


def _issue_unit(officer: Any, user: Any) -> Any:
    return services.certificate_issue(actor=officer, user=user, role_slug=MANAGER, unit_code="U08")


def _move(credential: Any, *, issued: datetime.timedelta, until: datetime.timedelta) -> None:
    now = timezone.now()
    Credential.objects.filter(pk=credential.pk).update(issued_at=now + issued, valid_until=now + until)


def test_a_second_valid_credential_is_refused_naming_the_first(
    reference: Any, officer: Any, alice: Any, evidence: Evidence
) -> None:
    evidence.validate(alice, *unit_element_codes(reference, "U08"))
    first = _issue_unit(officer, alice)

    with pytest.raises(ValidationError) as refused:
        _issue_unit(officer, alice)

    (message,) = refused.value.messages
    assert message.startswith(f"alice already holds “{first.title}” (credential {first.public_id}, issued on ")
    renewable = selectors.renewable_from(first)
    assert renewable is not None
    assert f"It can be renewed from {timezone.localtime(renewable):%d/%m/%Y}" in message
    assert list(Credential.objects.values_list("pk", flat=True)) == [first.pk]
    # Another unit of the same role is another credential.
    evidence.validate(alice, *unit_element_codes(reference, "U04"))
    other = services.certificate_issue(actor=officer, user=alice, role_slug=MANAGER, unit_code="U04")
    assert other.unit.code == "U04"


def test_renewal_in_the_window_after_expiry_and_after_revocation(
    reference: Any, officer: Any, alice: Any, evidence: Evidence
) -> None:
    evidence.validate(alice, *unit_element_codes(reference, "U08"))
    first = _issue_unit(officer, alice)
    _move(first, issued=datetime.timedelta(days=-1000), until=datetime.timedelta(days=30))  # in the 3-month window

    renewed = _issue_unit(officer, alice)

    entry = AuditEntry.objects.filter(action="certification.certificate_issued").order_by("-id").first()
    assert entry is not None
    assert (entry.data["renewal_of"], entry.data["route"]) == (str(first.public_id), "rule")
    _move(renewed, issued=datetime.timedelta(days=-1100), until=datetime.timedelta(days=-1))  # expired
    expired_then_renewed = _issue_unit(officer, alice)
    services.certificate_revoke(actor=officer, credential=expired_then_renewed, reason="Issued in error")
    again = _issue_unit(officer, alice)
    assert Credential.objects.filter(holder=alice).count() == 4
    assert again.revoked_at is None


def test_a_role_certificate_is_renewed_by_cpd_hours(
    reference: Any, officer: Any, alice: Any, evidence: Evidence
) -> None:
    evidence.validate(alice, *role_element_codes(reference, MANAGER))
    services.rule_save(actor=officer, role_slug=MANAGER, renewal_cpd_hours=10)
    first = services.certificate_issue(actor=officer, user=alice, role_slug=MANAGER)
    _move(first, issued=datetime.timedelta(days=-1000), until=datetime.timedelta(days=20))
    evidence.assessor.clear()  # the old decisions no longer count
    with pytest.raises(services.CertificateRefused) as refused:
        services.certificate_issue(actor=officer, user=alice, role_slug=MANAGER)
    assert refused.value.missing[-1] == (
        "Or at least 10 hours of training attended since the certificate was issued (recorded: 0)"
    )
    AttendanceRecord.objects.create(
        user=alice, title="CPD seminar", hours=10, attended_on=timezone.localdate(), recorded_by=officer
    )

    renewed = services.certificate_issue(actor=officer, user=alice, role_slug=MANAGER)

    assert renewed.kind == "role"
    assert (
        "renewed by continuing professional development"
        in renewed.document_dict["credentialSubject"]["achievement"]["criteria"]["narrative"]
    )


def test_every_element_in_the_criteria_says_how_it_was_met(
    reference: Any, officer: Any, alice: Any, evidence: Evidence
) -> None:
    evidence.validate(alice, *role_element_codes(reference, MANAGER))
    evidence.pass_exam(alice, "U03.E1")

    credential = services.certificate_issue(actor=officer, user=alice, role_slug=MANAGER)

    narrative = credential.document_dict["credentialSubject"]["achievement"]["criteria"]["narrative"]
    lines = narrative.splitlines()[1:]
    assert lines, narrative
    assert all(": " in line for line in lines), narrative
    u03 = [line for line in lines if line.startswith("- U03.")]
    assert [line.rsplit(": ", 1)[1] for line in u03] == [
        "passed by exam",
        "optional unit, not required for this certificate",
        "optional unit, not required for this certificate",
        "optional unit, not required for this certificate",
    ]
    expected = selectors.credential_valid_until(role_slug=MANAGER, issued_at=credential.issued_at)
    assert credential.valid_until is not None
    assert abs(credential.valid_until - expected) < datetime.timedelta(seconds=5)  # the rule's 36 months


def test_candidate_page_shows_the_credential_held_instead_of_the_issue_button(
    reference: Any, city_officer: Any, alice: Any, evidence: Evidence
) -> None:
    evidence.validate(alice, *unit_element_codes(reference, "U08"))
    url = reverse("certification:candidate", args=[alice.public_id])
    assert 'data-testid="issue-unit-U08"' in client_for(city_officer).get(url).content.decode()
    credential = _issue_unit(city_officer, alice)

    html = client_for(city_officer).get(url).content.decode()

    assert 'data-testid="issue-unit-U08"' not in html
    assert 'data-testid="held-unit-U08"' in html
    assert f'data-testid="revoke-{credential.public_id}"' in html
    refused = client_for(city_officer).post(
        reverse("certification:candidate-issue", args=[alice.public_id]), {"role": MANAGER, "unit": "U08"}, follow=True
    )
    assert f"already holds “{credential.title}” (credential {credential.public_id}" in refused.content.decode()
    assert Credential.objects.count() == 1


def test_the_issuing_officer_revokes_with_a_reason_and_a_confirmation(
    reference: Any, city_officer: Any, alice: Any, evidence: Evidence
) -> None:
    evidence.validate(alice, *unit_element_codes(reference, "U08"))
    credential = _issue_unit(city_officer, alice)
    url = reverse("certification:credential-revoke", args=[credential.public_id])
    client = client_for(city_officer)
    assert client.get(url).status_code == 200

    unconfirmed = client.post(url, {"reason": "Exam fraud"})
    no_reason = client.post(url, {"reason": "  ", "confirm": "on"})
    assert (unconfirmed.status_code, no_reason.status_code) == (400, 400)
    assert "Confirm that you want to revoke this credential." in unconfirmed.content.decode()
    assert "Give a reason for the revocation." in no_reason.content.decode()
    credential.refresh_from_db()
    assert credential.revoked_at is None

    done = client.post(url, {"reason": "Exam fraud", "confirm": "on"}, follow=True)

    credential.refresh_from_db()
    assert (credential.revoked_by, credential.revocation_reason) == (city_officer, "Exam fraud")
    assert AuditEntry.objects.get(action="credentials.revoked").actor == city_officer
    html = done.content.decode()
    assert done.redirect_chain[-1][0] == reverse("credentials:verify-detail", args=[credential.public_id])
    assert 'data-state="revoked"' in html
    assert html.count("Exam fraud") == 1  # once, in the banner
    assert client.post(url, {"reason": "Again", "confirm": "on"}).status_code == 200  # already revoked: shown
    credential.refresh_from_db()
    assert credential.revocation_reason == "Exam fraud"


def test_only_officers_of_the_issuing_body_and_staff_may_revoke(
    reference: Any, city_officer: Any, officer: Any, alice: Any, evidence: Evidence, unchanged_database: Any
) -> None:
    evidence.validate(alice, *unit_element_codes(reference, "U08"))
    credential = _issue_unit(city_officer, alice)
    url = reverse("certification:credential-revoke", args=[credential.public_id])
    staff = factories.UserFactory(username="stella", is_staff=True)
    held_url = reverse("certification:candidate", args=[alice.public_id])
    assert "revoke-" not in client_for(alice).get(reverse("certification:me")).content.decode()

    with unchanged_database():
        assert client_for(alice).get(url).status_code == 404
        assert client_for(alice).post(url, {"reason": "x", "confirm": "on"}).status_code == 404
        assert client_for(officer).get(url).status_code == 404  # an officer of another organisation
        assert client_for(officer).post(url, {"reason": "x", "confirm": "on"}).status_code == 404
        anonymous = Client().post(url, {"reason": "x", "confirm": "on"})
        assert anonymous.status_code == 302
        assert "login" in anonymous["Location"]
        assert client_for(city_officer).get(held_url).status_code == 200
    with pytest.raises(PermissionDenied, match="Only a certification officer of the issuing body"):
        services.certificate_revoke(actor=officer, credential=credential, reason="x")
    assert client_for(staff).post(url, {"reason": "Withdrawn", "confirm": "on"}).status_code == 302
    credential.refresh_from_db()
    assert credential.revocation_reason == "Withdrawn"
