from __future__ import annotations

import datetime
import json
import re
from dataclasses import dataclass, field
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from skills4cities.certification import selectors as certification_selectors
from skills4cities.certification import services as certification_services
from skills4cities.credentials.models import Credential, SigningKey


@dataclass
class FakeEligibility:
    met: bool
    missing: list[str] = field(default_factory=list)
    kind: str = "role"
    evidence: dict[str, str] = field(default_factory=dict)


@pytest.fixture
def rules(monkeypatch: Any) -> dict[str, Any]:
    """Stands in for certification.selectors.eligibility (the other app's rules): records the calls."""
    state: dict[str, Any] = {"result": FakeEligibility(met=True), "calls": []}

    def eligibility(*, user: Any, role_slug: str, unit_code: str | None = None) -> FakeEligibility:
        state["calls"].append((user.username, role_slug, unit_code))
        return state["result"]

    monkeypatch.setattr(certification_selectors, "eligibility", eligibility)
    return state


def test_issue_writes_a_credential_that_verify_accepts(rules: dict[str, Any], alice: Any, tmp_path: Path) -> None:
    output = tmp_path / "c.json"
    out = StringIO()
    call_command("issue_credential", user="alice", role="smart-city-project-manager", output=str(output), stdout=out)
    assert rules["calls"] == [("alice", "smart-city-project-manager", None)]
    document = json.loads(output.read_text())
    assert document["credentialSubject"]["achievement"]["achievementType"] == "Certificate"
    credential = Credential.objects.get()
    assert (credential.kind, credential.unit) == ("role", None)
    verified = StringIO()
    call_command("verify_credential", str(output), stdout=verified)
    assert verified.getvalue().startswith(f"{output}: VALID")


def test_issue_a_unit_micro_credential(rules: dict[str, Any], alice: Any, unit: Any, tmp_path: Path) -> None:
    rules["result"] = FakeEligibility(met=True, kind="unit", evidence={f"{unit.code}.E1": "passed by exam (75 %)"})
    output = tmp_path / "u.json"
    call_command(
        "issue_credential", user="alice", role="smart-city-project-manager", unit=unit.code, output=str(output),
        stdout=StringIO(),
    )  # fmt: skip
    achievement = json.loads(output.read_text())["credentialSubject"]["achievement"]
    assert (achievement["achievementType"], achievement["humanCode"]) == ("MicroCredential", unit.code)
    assert "passed by exam (75 %)" in achievement["criteria"]["narrative"]


def test_issue_refuses_naming_what_is_missing(
    rules: dict[str, Any], alice: Any, tmp_path: Path, unchanged_database: Any
) -> None:
    rules["result"] = FakeEligibility(met=False, missing=["U01.E1 is not passed.", "U02 has no assessor decision."])
    output = tmp_path / "c.json"
    err = StringIO()
    with unchanged_database(), pytest.raises(CommandError, match="certification rules are not met"):
        call_command(
            "issue_credential", user="alice", role="smart-city-project-manager", output=str(output), stderr=err
        )
    assert err.getvalue().splitlines() == ["- U01.E1 is not passed.", "- U02 has no assessor decision."]
    assert not output.exists()


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"user": "nobody", "role": "smart-city-project-manager"}, "There is no user nobody."),
        ({"user": "alice", "role": "astronaut"}, "There is no published job role astronaut."),
        ({"user": "alice", "role": "smart-city-project-manager", "unit": "U99"}, "has no unit U99"),
    ],
)
def test_issue_refuses_unknown_names(
    rules: dict[str, Any], alice: Any, tmp_path: Path, options: dict[str, str], message: str
) -> None:
    with pytest.raises(CommandError, match=message):
        call_command("issue_credential", output=str(tmp_path / "c.json"), **options)
    assert Credential.objects.count() == 0


def test_issue_uses_the_rules_validity(rules: dict[str, Any], alice: Any, tmp_path: Path) -> None:
    certification_services.rule_save(actor=None, role_slug="smart-city-project-manager", validity_months=24)
    call_command(
        "issue_credential", user="alice", role="smart-city-project-manager", output=str(tmp_path / "c.json"),
        stdout=StringIO(),
    )  # fmt: skip
    credential = Credential.objects.get()
    expected = certification_selectors.credential_valid_until(
        role_slug="smart-city-project-manager", issued_at=credential.issued_at
    )
    assert credential.valid_until is not None
    assert abs(credential.valid_until - expected) < datetime.timedelta(seconds=5)
    assert credential.valid_until.year - credential.issued_at.year == 2


def test_issue_refuses_a_second_valid_credential_naming_the_first(
    rules: dict[str, Any], alice: Any, tmp_path: Path
) -> None:
    first = tmp_path / "first.json"
    call_command(
        "issue_credential", user="alice", role="smart-city-project-manager", output=str(first), stdout=StringIO()
    )
    held = Credential.objects.get()
    second = tmp_path / "second.json"
    with pytest.raises(CommandError, match=f"already holds .*{held.public_id}") as refused:
        call_command("issue_credential", user="alice", role="smart-city-project-manager", output=str(second))
    assert refused.value.returncode == 1
    assert not second.exists()
    assert list(Credential.objects.values_list("pk", flat=True)) == [held.pk]


def test_verify_fails_on_a_tampered_copy_and_after_revocation(credential: Any, tmp_path: Path) -> None:
    good = tmp_path / "good.json"
    good.write_text(credential.document)
    document = json.loads(credential.document)
    document["credentialSubject"]["achievement"]["name"] = "Mayor of everything"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(document))
    with pytest.raises(CommandError, match="signature does not match") as tampered:
        call_command("verify_credential", str(bad))
    assert tampered.value.returncode == 1
    out = StringIO()
    call_command("revoke_credential", str(credential.public_id), reason="Certificate withdrawn", stdout=out)
    assert out.getvalue().startswith(f"Revoked {credential.public_id}")
    with pytest.raises(CommandError, match=r"NOT VALID \(revoked\)[\s\S]*Certificate withdrawn"):
        call_command("verify_credential", str(good))


def test_verify_explains_unreadable_files(tmp_path: Path, db: Any) -> None:
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("verify_credential", str(tmp_path / "missing.json"))
    garbage = tmp_path / "g.json"
    garbage.write_text("not json")
    with pytest.raises(CommandError, match=r"This is not a JSON document\."):
        call_command("verify_credential", str(garbage))


def test_revoke_refuses_unknown_ids_and_empty_reasons(credential: Any) -> None:
    with pytest.raises(CommandError, match="There is no credential"):
        call_command("revoke_credential", "00000000-0000-4000-8000-000000000000", reason="x")
    with pytest.raises(CommandError, match="Give a reason"):
        call_command("revoke_credential", f"urn:uuid:{credential.public_id}", reason=" ")
    credential.refresh_from_db()
    assert credential.revoked_at is None


def test_rotate_signing_key(credential: Any, tmp_path: Path) -> None:
    out = StringIO()
    call_command("rotate_signing_key", stdout=out)
    assert out.getvalue().startswith("New signing key key-2 ")
    assert list(SigningKey.objects.values_list("number", "active")) == [(1, False), (2, True)]
    old = tmp_path / "old.json"
    old.write_text(credential.document)
    call_command("verify_credential", str(old), stdout=StringIO())  # still valid: key-1 stays published


# Certificates of attendance: --course instead of --role (the attendance rule itself is tested in certification)


def _attend_course(user: Any, code: str, *, share: float = 1.0) -> tuple[int, int]:
    """Record whole modules of the course until ``share`` of its hours; returns (hours recorded, course hours)."""
    from skills4cities.certification.models import AttendanceRecord
    from skills4cities.curriculum.models import Course

    course = Course.objects.get(code=code, curriculum__framework__slug="skills4cities")
    modules = list(course.modules.order_by("course_modules__position"))
    total = sum(module.hours for module in modules)
    done = 0
    for module in modules:
        if done >= total * share:
            break
        AttendanceRecord.objects.create(
            user=user, module=module, hours=module.hours, attended_on=datetime.date(2026, 10, 1), recorded_by=user
        )
        done += module.hours
    return done, total


def test_issue_a_certificate_of_attendance_that_verify_accepts(reference: Any, alice: Any, tmp_path: Path) -> None:
    _attend_course(alice, "C2")
    output = tmp_path / "attendance.json"
    out = StringIO()

    call_command("issue_credential", user="alice", course="C2", output=str(output), stdout=out)

    credential = Credential.objects.get()
    assert credential.course is not None
    assert (credential.kind, credential.course.code, credential.issued_by) == ("attendance", "C2", None)
    assert out.getvalue().startswith(f"Issued {credential.public_id} (Certificate of attendance: C2 ")
    achievement = json.loads(output.read_text())["credentialSubject"]["achievement"]
    assert (achievement["achievementType"], achievement["humanCode"]) == ("CertificateOfCompletion", "C2")
    assert achievement["description"].startswith("Certificate of attendance — not an exam certificate.")
    verified = StringIO()
    call_command("verify_credential", str(output), stdout=verified)
    assert verified.getvalue().startswith(f"{output}: VALID — Certificate of attendance: C2 ")
    with pytest.raises(CommandError, match=f"already holds .*{credential.public_id}") as again:
        call_command("issue_credential", user="alice", course="C2", output=str(tmp_path / "again.json"))
    assert again.value.returncode == 1
    assert not (tmp_path / "again.json").exists()


def test_issue_refuses_a_course_not_attended_enough(
    reference: Any, alice: Any, tmp_path: Path, unchanged_database: Any, settings: Any
) -> None:
    settings.CERTIFICATION_ATTENDANCE_MIN_SHARE = 0.8
    done, total = _attend_course(alice, "C2", share=0.5)
    output = tmp_path / "c.json"
    err = StringIO()
    with unchanged_database(), pytest.raises(CommandError, match="the course was not attended enough") as refused:
        call_command("issue_credential", user="alice", course="C2", output=str(output), stderr=err)
    assert refused.value.returncode == 1
    assert err.getvalue().splitlines() == [
        f"- Attendance of at least 80% of the course hours is required (recorded: {done} of {total} hours)"
    ]
    assert not output.exists()


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"role": "smart-city-project-manager", "course": "C2"}, "not allowed with argument"),
        ({}, "one of the arguments --role --course is required"),
        ({"course": "C2", "unit": "U01"}, "--unit goes with --role, not with --course."),
        ({"course": "C9"}, "There is no course C9 in a published curriculum."),
    ],
)
def test_issue_takes_exactly_one_of_role_and_course(
    reference: Any, alice: Any, tmp_path: Path, options: dict[str, str], message: str, unchanged_database: Any
) -> None:
    with unchanged_database(), pytest.raises(CommandError, match=re.escape(message)):
        call_command("issue_credential", user="alice", output=str(tmp_path / "c.json"), **options)
    assert not (tmp_path / "c.json").exists()
