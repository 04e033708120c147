"""Certificates of attendance of a course: the rule's edges, who may issue, one live certificate per course, the
signed credential (attendance, not an exam result), the audit entry, the officer's page and the demo data."""

from __future__ import annotations

import datetime
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from skills4cities.accounts.enums import MemberRole
from skills4cities.certification import selectors, services
from skills4cities.certification.models import AttendanceRecord
from skills4cities.core.models import AuditEntry
from skills4cities.credentials import services as credential_services
from skills4cities.credentials.models import Credential
from skills4cities.curriculum.models import Course
from tests import factories
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

NOT_AN_EXAM = "Certificate of attendance — not an exam certificate."


@pytest.fixture
def city_officer(city: Any) -> Any:
    """A certification officer of the city, alice's organisation."""
    user = factories.UserFactory(username="olivia")
    factories.MembershipFactory(user=user, organisation=city, role=MemberRole.CERTIFICATION_OFFICER)
    return user


@pytest.fixture
def share(settings: Any) -> float:
    settings.CERTIFICATION_ATTENDANCE_MIN_SHARE = 0.75
    return 0.75


def course(reference: Any, code: str) -> Course:
    return Course.objects.select_related("curriculum").get(code=code, curriculum__framework=reference)


def modules_of(course: Course) -> list[Any]:
    return list(course.modules.order_by("course_modules__position"))


def attend(user: Any, course: Course, hours: int, *, by: Any) -> None:
    """Record ``hours`` of the course, module after module in the course's order (the last one partly)."""
    for module in modules_of(course):
        if hours <= 0:
            break
        done = min(hours, module.hours)
        services.attendance_record(
            actor=by, user=user, module=module, course=course, hours=done, attended_on=datetime.date(2026, 10, 1)
        )
        hours -= done


def total_hours(course: Course) -> int:
    return sum(module.hours for module in modules_of(course))


# --------------------------------------------------------------------------------------------------
# The rule


def test_attendance_just_below_the_required_share_is_refused_and_at_it_is_met(
    reference: Any, alice: Any, city_officer: Any, share: float
) -> None:
    c2 = course(reference, "C2")
    total = total_hours(c2)
    assert total % 4 == 0  # 75 % of the course is a whole number of hours
    required = total * 3 // 4
    attend(alice, c2, required - 1, by=city_officer)

    below = selectors.attendance_eligibility(user=alice, course=c2)

    assert (below.met, below.attended_hours, below.total_hours, below.percent, below.required_percent) == (
        False,
        required - 1,
        total,
        74,
        75,
    )
    assert below.missing == [
        f"Attendance of at least 75% of the course hours is required (recorded: {required - 1} of {total} hours)"
    ]
    last = AttendanceRecord.objects.filter(user=alice).order_by("-id").first()
    assert last is not None
    services.attendance_record(
        actor=city_officer, user=alice, module=last.module, hours=1, attended_on=datetime.date(2026, 10, 2)
    )

    at = selectors.attendance_eligibility(user=alice, course=c2)

    assert (at.met, at.missing, at.attended_hours, at.share, at.percent) == (True, [], required, 0.75, 75)
    assert [hours for _module, hours in at.modules] == [
        min(module.hours, max(0, required - sum(m.hours for m in modules_of(c2)[:i])))
        for i, module in enumerate(modules_of(c2))
    ]


def test_hours_beyond_a_module_count_only_up_to_its_hours(
    reference: Any, alice: Any, city_officer: Any, share: float
) -> None:
    c2 = course(reference, "C2")
    first, *rest = modules_of(c2)
    services.attendance_record(
        actor=city_officer, user=alice, module=first, hours=first.hours * 10, attended_on=datetime.date(2026, 10, 1)
    )
    services.attendance_record(  # training outside the curriculum never counts for a course
        actor=city_officer, user=alice, title="Smart-city summit", hours=500, attended_on=datetime.date(2026, 10, 1)
    )

    result = selectors.attendance_eligibility(user=alice, course=c2)

    assert (result.met, result.attended_hours, result.total_hours) == (False, first.hours, total_hours(c2))
    assert result.modules[0] == (first, first.hours)
    assert [hours for _module, hours in result.modules[1:]] == [0] * len(rest)
    with pytest.raises(services.CertificateRefused) as refused:
        services.attendance_certificate_issue(actor=city_officer, user=alice, course_code="C2")
    assert refused.value.missing == [
        f"Attendance of at least 75% of the course hours is required (recorded: {first.hours} of "
        f"{total_hours(c2)} hours)"
    ]


def test_a_course_prepares_for_the_role_its_outcomes_cover_most(reference: Any) -> None:
    roles = {code: selectors.course_role(course(reference, code)) for code in ("C1", "C2", "C3")}
    assert {code: role.slug if role else None for code, role in roles.items()} == {
        "C1": "smart-city-project-developer",
        "C2": "smart-city-project-manager",
        "C3": "smart-city-project-management-consultant",
    }


# --------------------------------------------------------------------------------------------------
# Issuing


def test_issued_certificate_verifies_and_says_it_is_attendance_not_an_exam(
    reference: Any, alice: Any, city_officer: Any, share: float, client: Any
) -> None:
    c2 = course(reference, "C2")
    attend(alice, c2, total_hours(c2), by=city_officer)

    credential = services.attendance_certificate_issue(actor=city_officer, user=alice, course_code="C2")

    assert (credential.kind, credential.course, credential.unit, credential.role.slug, credential.valid_until) == (
        "attendance",
        c2,
        None,
        "smart-city-project-manager",
        None,
    )
    assert credential.issued_by == city_officer
    verified = credential_services.credential_verify(credential.document)
    assert (verified.valid, verified.state, verified.credential) == (True, "valid", credential)
    document = json.loads(credential.document)
    achievement = document["credentialSubject"]["achievement"]
    assert (achievement["achievementType"], achievement["humanCode"], achievement["tag"]) == (
        "CertificateOfCompletion",
        "C2",
        ["attendance", "EQF 6"],
    )
    assert document["name"] == f"Certificate of attendance: C2 {c2.title}"
    total = total_hours(c2)
    assert achievement["description"] == (
        f"{NOT_AN_EXAM[:-1]}. The holder attended {total} of the {total} hours of the course C2 {c2.title} "
        f"(framework {reference.title} {reference.version}); no exam or assessment is certified by it."
    )
    assert achievement["criteria"]["narrative"].splitlines() == [
        "Hours attended per module of the course (attendance only, not assessed):",
        *[f"- {m.code} {m.title}: {m.hours} of {m.hours} hours attended" for m in modules_of(c2)],
    ]
    # The public verification page says so too.
    page = client.get(reverse("credentials:verify-detail", args=[credential.public_id])).content.decode()
    assert 'data-state="valid"' in page
    assert NOT_AN_EXAM in page
    assert f'data-testid="course">C2 {c2.title}</dd>' in page


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils is not installed")
def test_attendance_pdf_names_the_course_and_says_it_is_not_an_exam_certificate(
    reference: Any, alice: Any, city_officer: Any, share: float, tmp_path: Path
) -> None:
    c1 = course(reference, "C1")
    attend(alice, c1, total_hours(c1), by=city_officer)
    credential = services.attendance_certificate_issue(actor=city_officer, user=alice, course_code="C1")

    response = client_for(alice).get(f"/credentials/{credential.public_id}/certificate.pdf")

    pdf = tmp_path / "attendance.pdf"
    pdf.write_bytes(response.content)
    text = " ".join(
        subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout.split()
    )
    assert NOT_AN_EXAM in text
    assert f"attended the course C1 {c1.title}" in text
    assert "has been certified for" not in text


def test_issuing_writes_an_audit_entry(reference: Any, alice: Any, city_officer: Any, share: float) -> None:
    c2 = course(reference, "C2")
    attend(alice, c2, total_hours(c2), by=city_officer)

    credential = services.attendance_certificate_issue(actor=city_officer, user=alice, course_code="C2")

    entry = AuditEntry.objects.get(action="certification.attendance_certificate_issued")
    assert (entry.actor, entry.object_type, entry.object_id) == (city_officer, "curriculum.course", str(c2.public_id))
    assert entry.data == {
        "holder": str(alice.public_id),
        "credential": str(credential.public_id),
        "course": "C2",
        "curriculum": f"{c2.curriculum.slug} {c2.curriculum.version}",
        "attended_hours": total_hours(c2),
        "total_hours": total_hours(c2),
        "required_share": 0.75,
        "modules": {m.code: m.hours for m in modules_of(c2)},
    }
    issued = AuditEntry.objects.get(action="credentials.issued")
    assert (issued.data["kind"], issued.data["course"], issued.data["unit"]) == ("attendance", "C2", "")


def test_a_second_live_certificate_of_the_same_course_is_refused_until_revoked(
    reference: Any, alice: Any, city_officer: Any, share: float
) -> None:
    c2, c1 = course(reference, "C2"), course(reference, "C1")
    attend(alice, c2, total_hours(c2), by=city_officer)
    attend(alice, c1, total_hours(c1), by=city_officer)
    first = services.attendance_certificate_issue(actor=city_officer, user=alice, course_code="C2")

    with pytest.raises(ValidationError) as refused:
        services.attendance_certificate_issue(actor=city_officer, user=alice, course_code="C2")

    (message,) = refused.value.messages
    assert message.startswith(f"alice already holds “Certificate of attendance: C2 {c2.title}” (credential ")
    assert f"(credential {first.public_id}, issued on " in message
    assert message.endswith("Revoke it first to issue a new one.")
    assert list(Credential.objects.values_list("pk", flat=True)) == [first.pk]
    # Another course is another certificate; a role certificate is not a certificate of attendance.
    other = services.attendance_certificate_issue(actor=city_officer, user=alice, course_code="C1")
    assert other.course == c1
    services.certificate_revoke(actor=city_officer, credential=first, reason="Issued to the wrong person")
    again = services.attendance_certificate_issue(actor=city_officer, user=alice, course_code="C2")
    assert (again.course, again.revoked_at, Credential.objects.count()) == (c2, None, 3)


def test_unknown_course_is_refused(reference: Any, alice: Any, city_officer: Any, unchanged_database: Any) -> None:
    with (
        unchanged_database(),
        pytest.raises(ValidationError, match=r"There is no course C9 in a published curriculum\."),
    ):
        services.attendance_certificate_issue(actor=city_officer, user=alice, course_code="C9")


def test_only_an_officer_who_sees_the_candidate_may_issue(
    reference: Any, alice: Any, city: Any, city_officer: Any, share: float, unchanged_database: Any
) -> None:
    c2 = course(reference, "C2")
    attend(alice, c2, total_hours(c2), by=city_officer)
    assessor = factories.UserFactory(username="arto")
    factories.MembershipFactory(user=assessor, organisation=city, role=MemberRole.ASSESSOR)
    trainer = factories.UserFactory(username="tara")
    factories.MembershipFactory(user=trainer, organisation=city, role=MemberRole.TRAINER)
    stranger = factories.UserFactory(username="otto")  # an officer of another organisation
    body = factories.OrganisationFactory(name="Other Certification Body", slug="other-body", kind="certification_body")
    factories.MembershipFactory(user=stranger, organisation=body, role=MemberRole.CERTIFICATION_OFFICER)
    url = reverse("certification:candidate-issue-attendance", args=[alice.public_id])

    with unchanged_database():
        for user in (alice, assessor, trainer, stranger):
            assert client_for(user).post(url, {"course": "C2"}).status_code == 404, user.username
        for user in (alice, assessor, trainer):
            with pytest.raises(PermissionDenied, match=r"Only a certification officer may do this\."):
                services.attendance_certificate_issue(actor=user, user=alice, course_code="C2")
        with pytest.raises(PermissionDenied, match="certification officer of the person's organisation"):
            services.attendance_certificate_issue(actor=stranger, user=alice, course_code="C2")
        assert client_for(city_officer).get(url).status_code == 405
    assert not Credential.objects.exists()
    assert not AuditEntry.objects.filter(action="certification.attendance_certificate_issued").exists()


# --------------------------------------------------------------------------------------------------
# The officer's candidate page


def test_candidate_page_lists_attended_courses_with_issue_missing_and_held(
    reference: Any, alice: Any, city_officer: Any, share: float
) -> None:
    c1, c2, c3 = course(reference, "C1"), course(reference, "C2"), course(reference, "C3")
    attend(alice, c2, total_hours(c2), by=city_officer)
    first_of_c1 = modules_of(c1)[0]
    services.attendance_record(
        actor=city_officer, user=alice, module=first_of_c1, hours=4, attended_on=datetime.date(2026, 10, 1)
    )
    attended = {m.pk: m.hours for m in modules_of(c2)}
    attended[first_of_c1.pk] = attended.get(first_of_c1.pk, 0) + 4

    def done(course: Course) -> int:
        return sum(min(attended.get(m.pk, 0), m.hours) for m in modules_of(course))

    client = client_for(city_officer)
    url = reverse("certification:candidate", args=[alice.public_id])

    html = client.get(url).content.decode()

    assert 'data-testid="attendance-certificates"' in html
    assert "Attendance certificates" in html
    total1, total2, total3 = total_hours(c1), total_hours(c2), total_hours(c3)
    c1_done, c3_done = done(c1), done(c3)
    assert 0 < c1_done < total1 * 0.75 and 0 < c3_done < total3 * 0.75
    assert f"{total2} of {total2} hours" in html
    assert "100% (required: 75%)" in html
    assert 'data-testid="issue-attendance-C2"' in html
    assert 'data-testid="issue-attendance-C1"' not in html
    assert f"Attendance of at least 75% of the course hours is required (recorded: {c1_done} of {total1} hours)" in html
    assert f"{c3_done} of {total3} hours" in html

    issued = client.post(
        reverse("certification:candidate-issue-attendance", args=[alice.public_id]), {"course": "C2"}, follow=True
    )

    credential = Credential.objects.get()
    page = issued.content.decode()
    assert "The certificate of attendance has been issued." in page
    assert 'data-testid="held-attendance-C2"' in page
    assert 'data-testid="issue-attendance-C2"' not in page
    refused = client.post(
        reverse("certification:candidate-issue-attendance", args=[alice.public_id]), {"course": "C1"}, follow=True
    )
    assert (
        "The certificate of attendance was not issued: Attendance of at least 75% of the course hours is required "
        f"(recorded: {c1_done} of {total1} hours)" in refused.content.decode()
    )
    again = client.post(
        reverse("certification:candidate-issue-attendance", args=[alice.public_id]), {"course": "C2"}, follow=True
    )
    assert f"(credential {credential.public_id}, issued on " in again.content.decode()
    assert list(Credential.objects.values_list("pk", flat=True)) == [credential.pk]


def test_candidate_page_without_attendance_and_bad_requests(
    reference: Any, alice: Any, city_officer: Any, unchanged_database: Any
) -> None:
    client = client_for(city_officer)
    html = client.get(reverse("certification:candidate", args=[alice.public_id])).content.decode()
    assert 'data-testid="no-attendance"' in html
    url = reverse("certification:candidate-issue-attendance", args=[alice.public_id])
    with unchanged_database():
        empty = client.post(url, {}, follow=True)
        unknown = client.post(url, {"course": "C9"}, follow=True)
    assert "The request was not understood." in empty.content.decode()
    assert "The certificate of attendance was not issued: There is no course C9" in unknown.content.decode()


def test_candidate_page_queries_do_not_grow_with_the_courses_attended(
    reference: Any, alice: Any, city_officer: Any, share: float
) -> None:
    client = client_for(city_officer)
    url = reverse("certification:candidate", args=[alice.public_id])
    c1, c2, c3 = course(reference, "C1"), course(reference, "C2"), course(reference, "C3")
    attend(alice, c2, 10, by=city_officer)  # C2's first module is in no other course
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        assert len(client.get(url).context["courses"]) == 1
    attend(alice, c1, total_hours(c1), by=city_officer)
    attend(alice, c3, total_hours(c3), by=city_officer)
    with CaptureQueriesContext(connection) as three:
        assert len(client.get(url).context["courses"]) == 3
    assert len(three) == len(one)


def test_demo_graduate_attendance_shows_on_the_candidate_page(reference: Any) -> None:
    seeded = services.seed_demo()
    graduate, officer = seeded["graduate"], seeded["officer"]
    factories.MembershipFactory(
        user=graduate, organisation=officer.memberships.first().organisation, role=MemberRole.LEARNER
    )
    overview = selectors.attendance_overview(graduate)
    assert overview  # the seed records whole modules of the curriculum
    assert all(not entry.result.met and entry.held is None for entry in overview)

    response = client_for(officer).get(reverse("certification:candidate", args=[graduate.public_id]))

    assert response.status_code == 200
    html = response.content.decode()
    for entry in overview:
        assert f'data-course="{entry.course.code}"' in html
        assert f"{entry.result.attended_hours} of {entry.result.total_hours} hours" in html
