"""Eligibility under the certification rules: unit micro-credentials, role certificates, extra requirements,
validity and renewal, attendance certificates."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from skills4cities.certification import selectors, services
from skills4cities.certification.models import AttendanceRecord, CertificationRule, ExperienceRecord
from skills4cities.curriculum.models import Course
from tests.certification.conftest import MANAGER, Evidence, role_element_codes, unit_element_codes

pytestmark = pytest.mark.django_db


def _all_manager_elements(reference: Any, evidence: Evidence, user: Any) -> list[str]:
    codes = role_element_codes(reference, MANAGER)
    half = len(codes) // 2
    evidence.pass_exam(user, *codes[:half])
    evidence.validate(user, *codes[half:])
    return codes


def test_role_is_met_when_every_essential_element_is_passed_or_validated(
    reference: Any, alice: Any, evidence: Evidence
) -> None:
    codes = _all_manager_elements(reference, evidence, alice)

    result = selectors.eligibility(user=alice, role_slug=MANAGER)

    assert result.met is True
    assert result.missing == []
    assert result.kind == "role"
    assert len(codes) == 32  # 8 essential units × 4 elements; the optional U03 is not required by default
    assert result.evidence == {code: ("exam" if i < 16 else "assessor") for i, code in enumerate(codes)}
    assert (result.elements_met, result.elements_total, result.validity_months) == (32, 32, 36)


def test_each_missing_element_is_named_with_both_streams(reference: Any, alice: Any, evidence: Evidence) -> None:
    codes = _all_manager_elements(reference, evidence, alice)
    evidence.pass_exam(alice, "U04.E2", passed=False)  # a failed exam does not count …
    evidence.validate(alice, "U04.E2", met=False)  # … nor an assessor's "not met"
    evidence.exam[alice.pk].pop("U04.E1")
    assert "U04.E1" in codes and "U04.E2" in codes

    result = selectors.eligibility(user=alice, role_slug=MANAGER)

    assert result.met is False
    assert result.missing == [
        "Element U04.E1 Plan the procurement strategy and procedure: not passed by exam nor validated by an assessor",
        "Element U04.E2 Specify requirements with open standards and without vendor lock-in: "
        "not passed by exam nor validated by an assessor",
    ]
    assert "U04.E1" not in result.evidence
    assert result.elements_met == 30


def test_a_rule_that_counts_only_exams_ignores_assessor_decisions(
    reference: Any, alice: Any, evidence: Evidence
) -> None:
    codes = role_element_codes(reference, MANAGER)
    evidence.pass_exam(alice, *codes[1:])
    evidence.validate(alice, codes[0])
    services.rule_save(actor=None, role_slug=MANAGER, accept_assessor=False)

    result = selectors.eligibility(user=alice, role_slug=MANAGER)

    assert result.met is False
    assert len(result.missing) == 1
    assert result.missing[0].startswith(f"Element {codes[0]} ")
    assert result.missing[0].endswith(": not passed by exam")


def test_a_rule_that_counts_only_assessors_names_the_validation(reference: Any, alice: Any, evidence: Evidence) -> None:
    codes = role_element_codes(reference, MANAGER)
    evidence.pass_exam(alice, *codes)
    services.rule_save(actor=None, role_slug=MANAGER, accept_exam=False)

    result = selectors.eligibility(user=alice, role_slug=MANAGER, unit_code="U08")

    assert result.met is False
    assert [line.rsplit(": ", 1)[1] for line in result.missing] == ["not validated by an assessor"] * 4


def test_optional_units_are_required_when_the_rule_says_so(reference: Any, alice: Any, evidence: Evidence) -> None:
    _all_manager_elements(reference, evidence, alice)
    services.rule_save(actor=None, role_slug=MANAGER, include_optional_units=True)

    result = selectors.eligibility(user=alice, role_slug=MANAGER)

    assert result.met is False
    assert [line.split(" ")[1] for line in result.missing] == unit_element_codes(reference, "U03")
    evidence.validate(alice, *unit_element_codes(reference, "U03"))
    assert selectors.eligibility(user=alice, role_slug=MANAGER).met is True


def test_experience_requirement_is_named_with_what_is_recorded(
    reference: Any, alice: Any, officer: Any, evidence: Evidence
) -> None:
    _all_manager_elements(reference, evidence, alice)
    services.rule_save(actor=officer, role_slug=MANAGER, min_experience_months=24)

    assert selectors.eligibility(user=alice, role_slug=MANAGER).missing == [
        "At least 2 years of project experience are required (recorded: none)"
    ]
    services.experience_record(actor=officer, user=alice, months=7, description="Street lighting")
    assert selectors.eligibility(user=alice, role_slug=MANAGER).missing == [
        "At least 2 years of project experience are required (recorded: 7 months)"
    ]
    services.experience_record(actor=officer, user=alice, months=17, description="Mobility hub")
    assert selectors.eligibility(user=alice, role_slug=MANAGER).met is True


def test_training_hours_requirement_is_named_with_what_is_recorded(
    reference: Any, alice: Any, officer: Any, evidence: Evidence
) -> None:
    _all_manager_elements(reference, evidence, alice)
    services.rule_save(actor=officer, role_slug=MANAGER, min_training_hours=40)
    services.attendance_record(
        actor=officer, user=alice, hours=39, attended_on=datetime.date(2026, 3, 1), title="PM workshop"
    )

    assert selectors.eligibility(user=alice, role_slug=MANAGER).missing == [
        "At least 40 hours of attended training are required (recorded: 39)"
    ]
    services.attendance_record(actor=officer, user=alice, hours=1, attended_on=datetime.date(2026, 3, 2), title="Q&A")
    assert selectors.eligibility(user=alice, role_slug=MANAGER).met is True


def test_extra_requirements_do_not_apply_to_unit_micro_credentials(
    reference: Any, alice: Any, evidence: Evidence
) -> None:
    services.rule_save(actor=None, role_slug=MANAGER, min_experience_months=24, min_training_hours=40)
    evidence.validate(alice, *unit_element_codes(reference, "U08"))

    result = selectors.eligibility(user=alice, role_slug=MANAGER, unit_code="U08")

    assert (result.met, result.kind, result.unit_code, result.missing) == (True, "unit", "U08", [])
    assert result.evidence == dict.fromkeys(unit_element_codes(reference, "U08"), "assessor")


def test_a_unit_outside_the_role_and_an_unknown_role_are_refused(
    reference: Any, alice: Any, evidence: Evidence
) -> None:
    outside = selectors.eligibility(user=alice, role_slug=MANAGER, unit_code="U01")
    unknown = selectors.eligibility(user=alice, role_slug="astronaut")

    assert (outside.met, outside.missing) == (False, ["Unit U01 is not part of the role Smart City Project Manager."])
    assert (unknown.met, unknown.kind, unknown.missing) == (
        False,
        "role",
        ["There is no published job role “astronaut”."],
    )


def test_no_evidence_at_all_lists_every_required_element(reference: Any, alice: Any, evidence: Evidence) -> None:
    result = selectors.eligibility(user=alice, role_slug=MANAGER)

    assert result.met is False
    assert len(result.missing) == 32
    assert result.evidence == {}


def test_without_the_exams_and_validation_apps_there_is_no_evidence(reference: Any, alice: Any) -> None:
    assert selectors.eligibility(user=alice, role_slug=MANAGER, unit_code="U08").met is False


def test_eligibility_costs_a_bounded_number_of_queries(
    reference: Any, alice: Any, evidence: Evidence, django_assert_max_num_queries: Any
) -> None:
    _all_manager_elements(reference, evidence, alice)
    with django_assert_max_num_queries(7):
        assert selectors.eligibility(user=alice, role_slug=MANAGER).met is True


# Validity and renewal


def test_a_certificate_is_valid_for_the_rule_months(reference: Any) -> None:
    issued = datetime.datetime(2026, 1, 31, 10, 0, tzinfo=datetime.UTC)

    assert selectors.credential_valid_until(role_slug=MANAGER, issued_at=issued) == datetime.datetime(
        2029, 1, 31, 10, 0, tzinfo=datetime.UTC
    )
    services.rule_save(actor=None, role_slug=MANAGER, validity_months=13)
    assert selectors.credential_valid_until(role_slug=MANAGER, issued_at=issued) == datetime.datetime(
        2027, 2, 28, 10, 0, tzinfo=datetime.UTC
    )


def test_add_months_keeps_the_day_or_takes_the_last_of_the_month() -> None:
    start = datetime.datetime(2028, 1, 31, tzinfo=datetime.UTC)
    assert selectors.add_months(start, 1) == datetime.datetime(2028, 2, 29, tzinfo=datetime.UTC)
    assert selectors.add_months(start, 12) == datetime.datetime(2029, 1, 31, tzinfo=datetime.UTC)
    assert selectors.add_months(start, 11) == datetime.datetime(2028, 12, 31, tzinfo=datetime.UTC)


def test_renewal_by_meeting_the_rule_again_or_by_cpd_hours(
    reference: Any, alice: Any, officer: Any, evidence: Evidence
) -> None:
    issued = timezone.now() - datetime.timedelta(days=3 * 365)
    not_met = selectors.renewal_eligibility(user=alice, role_slug=MANAGER, issued_at=issued)
    assert (not_met.met, not_met.route, len(not_met.missing)) == (False, "", 32)

    services.rule_save(actor=officer, role_slug=MANAGER, renewal_cpd_hours=20)
    services.attendance_record(actor=officer, user=alice, hours=19, attended_on=timezone.localdate(), title="CPD")
    short = selectors.renewal_eligibility(user=alice, role_slug=MANAGER, issued_at=issued)
    assert short.missing[-1] == (
        "Or at least 20 hours of training attended since the certificate was issued (recorded: 19)"
    )
    services.attendance_record(actor=officer, user=alice, hours=1, attended_on=timezone.localdate(), title="CPD 2")
    cpd = selectors.renewal_eligibility(user=alice, role_slug=MANAGER, issued_at=issued)
    assert (cpd.met, cpd.route, cpd.cpd_hours) == (True, "cpd", 20)

    _all_manager_elements(reference, evidence, alice)
    assert selectors.renewal_eligibility(user=alice, role_slug=MANAGER, issued_at=issued).route == "rule"


def test_training_before_the_issue_date_is_not_cpd(reference: Any, alice: Any, officer: Any) -> None:
    services.rule_save(actor=officer, role_slug=MANAGER, renewal_cpd_hours=10)
    services.attendance_record(actor=officer, user=alice, hours=50, attended_on=datetime.date(2020, 1, 1), title="Old")
    issued = datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)

    assert selectors.renewal_eligibility(user=alice, role_slug=MANAGER, issued_at=issued).cpd_hours == 0


# Attendance certificates


def test_attendance_certificate_needs_the_configured_share_of_course_hours(
    reference: Any, alice: Any, officer: Any, settings: Any
) -> None:
    course = Course.objects.get(code="C2", curriculum__framework=reference)
    modules = list(course.modules.order_by("course_modules__position"))
    total = sum(m.hours for m in modules)
    settings.CERTIFICATION_ATTENDANCE_MIN_SHARE = 0.8
    for module in modules:
        services.attendance_record(
            actor=officer,
            user=alice,
            module=module,
            course=course,
            hours=module.hours,
            attended_on=datetime.date(2026, 5, 1),
        )
    result = selectors.attendance_eligibility(user=alice, course=course)
    assert (result.met, result.kind, result.attended_hours, result.total_hours) == (True, "attendance", total, total)

    AttendanceRecord.objects.filter(user=alice, module=modules[0]).delete()
    done = total - modules[0].hours
    short = selectors.attendance_eligibility(user=alice, course=course)
    assert short.met is (done / total >= 0.8)
    settings.CERTIFICATION_ATTENDANCE_MIN_SHARE = 1.0
    refused = selectors.attendance_eligibility(user=alice, course=course)
    assert refused.missing == [
        f"Attendance of at least 100% of the course hours is required (recorded: {done} of {total} hours)"
    ]


def test_attendance_beyond_a_module_hours_does_not_make_up_for_another(
    reference: Any, alice: Any, officer: Any, settings: Any
) -> None:
    course = Course.objects.get(code="C2", curriculum__framework=reference)
    first = course.modules.order_by("course_modules__position").first()
    assert first is not None
    services.attendance_record(
        actor=officer, user=alice, module=first, hours=first.hours * 50, attended_on=datetime.date(2026, 5, 1)
    )

    result = selectors.attendance_eligibility(user=alice, course=course)

    assert result.attended_hours == first.hours
    assert result.met is False


def test_rule_defaults_and_records(reference: Any, alice: Any, officer: Any, assessor: Any) -> None:
    assert selectors.rule_for(MANAGER).pk is None
    assert (selectors.rule_for(MANAGER).validity_months, selectors.rule_for(MANAGER).streams) == (
        36,
        ["exam", "assessor"],
    )
    services.experience_record(actor=assessor, user=alice, months=12, description="Smart parking")
    assert list(ExperienceRecord.objects.values_list("verified_by__username", "months")) == [("arto", 12)]
    assert CertificationRule.objects.count() == 0
