"""Rules and records services: who may change them, validation, audit; the demo seed."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from skills4cities.certification import selectors, services
from skills4cities.certification.models import AttendanceRecord, CertificationRule, ExperienceRecord
from skills4cities.core.models import AuditEntry
from skills4cities.curriculum.models import Course
from tests.certification.conftest import MANAGER, Evidence, role_element_codes

pytestmark = pytest.mark.django_db


def test_only_officers_change_rules(reference: Any, alice: Any, unchanged_database: Any) -> None:
    with unchanged_database(), pytest.raises(PermissionDenied):
        services.rule_save(actor=alice, role_slug=MANAGER, min_training_hours=10)


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"accept_exam": False, "accept_assessor": False}, "At least one kind of evidence"),
        ({"validity_months": 0}, "Ensure this value is greater than or equal to 1."),
        ({"validity_months": 241}, "Ensure this value is less than or equal to 240."),
    ],
)
def test_bad_rules_are_refused(
    reference: Any, officer: Any, values: dict[str, Any], message: str, unchanged_database: Any
) -> None:
    with unchanged_database(), pytest.raises(ValidationError) as refused:
        services.rule_save(actor=officer, role_slug=MANAGER, **values)
    assert message in " ".join(refused.value.messages)


def test_rules_are_for_published_roles(reference: Any, officer: Any) -> None:
    with pytest.raises(ValidationError) as refused:
        services.rule_save(actor=officer, role_slug="astronaut")
    assert refused.value.messages == ["There is no published job role “astronaut”."]


def test_a_rule_change_is_audited_with_before_and_after(reference: Any, officer: Any) -> None:
    services.rule_save(actor=officer, role_slug=MANAGER)
    services.rule_save(actor=officer, role_slug=MANAGER, validity_months=24)
    services.rule_save(actor=officer, role_slug=MANAGER, validity_months=24)  # no change: no entry

    entries = list(AuditEntry.objects.filter(action__startswith="certification.rule").order_by("id"))
    assert [(e.action, e.data["changes"]) for e in entries] == [
        ("certification.rule_created", {}),
        ("certification.rule_changed", {"validity_months": [36, 24]}),
    ]
    assert CertificationRule.objects.get().validity_months == 24


def test_only_assessors_and_officers_verify_experience(
    reference: Any, alice: Any, bob: Any, assessor: Any, unchanged_database: Any
) -> None:
    with unchanged_database(), pytest.raises(PermissionDenied):
        services.experience_record(actor=bob, user=alice, months=12, description="x")
    record = services.experience_record(actor=assessor, user=alice, months=12, description="  Smart parking  ")
    assert (record.description, record.verified_by) == ("Smart parking", assessor)
    assert AuditEntry.objects.get(action="certification.experience_verified").data == {
        "user": str(alice.public_id),
        "months": 12,
    }


def test_attendance_module_must_belong_to_the_course(reference: Any, alice: Any, officer: Any) -> None:
    c1 = Course.objects.get(curriculum__framework=reference, code="C1")
    outside = (
        Course.objects.get(curriculum__framework=reference, code="C2")
        .modules.exclude(pk__in=c1.modules.values("pk"))
        .first()
    )
    assert outside is not None
    with pytest.raises(ValidationError):
        services.attendance_record(
            actor=officer, user=alice, hours=3, attended_on=datetime.date(2026, 1, 5), module=outside, course=c1
        )
    assert AttendanceRecord.objects.count() == 0


def test_seed_demo_is_idempotent_and_prepares_the_graduate(reference: Any, evidence: Evidence) -> None:
    first = services.seed_demo()
    counts = (
        CertificationRule.objects.count(),
        ExperienceRecord.objects.count(),
        AttendanceRecord.objects.count(),
        AuditEntry.objects.count(),
    )
    second = services.seed_demo()

    assert (
        CertificationRule.objects.count(),
        ExperienceRecord.objects.count(),
        AttendanceRecord.objects.count(),
        AuditEntry.objects.count(),
    ) == counts
    assert counts[0] == 3
    assert first["provider"].pk == second["provider"].pk
    assert selectors.provider_may_run_exams(first["provider"].organisation) is True
    assert selectors.trainer_may_run_exams(first["trainer"].trainer) is True
    assert first["trainer"].trainer.username == "demo-trainer"

    graduate = first["graduate"]
    rule = selectors.rule_for(MANAGER)
    assert (rule.min_experience_months, rule.min_training_hours) == (24, 40)
    assert selectors.verified_experience_months(graduate) >= 24
    assert selectors.attended_hours(graduate) >= 40
    # Once the exams' and validation's seeds have run (stood in for here), the graduate meets the manager rule:
    assert selectors.eligibility(user=graduate, role_slug=MANAGER).met is False
    evidence.pass_exam(graduate, *role_element_codes(reference, MANAGER))
    assert selectors.eligibility(user=graduate, role_slug=MANAGER).met is True


def test_the_graduate_meets_the_manager_rule_with_the_real_exam_records(reference: Any) -> None:
    """With the exams app's own demo seed (real attempts and element results, no stand-in)."""
    from skills4cities.exams.services import exams_demo_seed

    seeded = services.seed_demo()
    exams_demo_seed(password="demo-password-1", organisation=seeded["provider"].organisation)

    from skills4cities.exams.selectors import exam_element_results

    graduate = seeded["graduate"]
    passed = {code for code, r in exam_element_results(graduate).items() if r.passed}
    required = role_element_codes(reference, MANAGER)
    assert passed & set(required)  # the exams seed passed elements of the role

    result = selectors.eligibility(user=graduate, role_slug=MANAGER)

    assert result.evidence == {code: "exam" for code in required if code in passed}
    assert [line.split(" ")[1] for line in result.missing] == [code for code in required if code not in passed]
    assert result.met is (not set(required) - passed)
