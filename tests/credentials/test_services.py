from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

import jwt
import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from openbadgeslib.ob3 import verifier as ob3_verifier
from openbadgeslib.ob3.did import _pem_from_vm

from skills4cities.core.models import AuditEntry
from skills4cities.credentials import services, signing
from skills4cities.credentials.composition.status_list import bit_is_set, decode_bits
from skills4cities.credentials.enums import CredentialKind, VerificationState
from skills4cities.credentials.models import Credential, SigningKey
from skills4cities.frameworks.models import Unit


def test_issued_credential_verifies_and_is_audited(credential: Any, alice: Any, officer: Any) -> None:
    result = services.credential_verify(credential.document)
    assert (result.valid, result.revoked, result.state, result.reasons) == (True, False, "valid", [])
    assert result.credential == credential
    entry = AuditEntry.objects.get(action="credentials.issued")
    assert (entry.actor, entry.object_id) == (officer, str(credential.public_id))
    assert entry.data["unit"] == credential.unit.code
    document = json.loads(credential.document)
    assert document["issuer"]["id"] == "did:web:127.0.0.1%3A8000"
    assert document["proof"]["verificationMethod"] == "did:web:127.0.0.1%3A8000#key-1"
    assert document["proof"]["cryptosuite"] == "eddsa-rdfc-2022"


def test_content_is_in_the_holders_language(issue: Any, alice: Any, unit: Unit) -> None:
    alice.preferred_language, alice.first_name, alice.last_name = "de", "Alice", "Muster"
    alice.save()
    credential = issue(alice)
    achievement = json.loads(credential.document)["credentialSubject"]["achievement"]
    assert achievement["inLanguage"] == "de"
    assert credential.language == "de"
    assert credential.holder_name == "Alice Muster"
    assert achievement["name"].startswith(f"{unit.code} {unit.title_de or unit.title_en}")


def test_criteria_name_every_element_and_how_it_was_evidenced(issue: Any, alice: Any, unit: Unit) -> None:
    codes = list(unit.elements.values_list("code", flat=True))
    credential = issue(alice, element_evidence={codes[0]: "exam 80 %"})
    narrative = json.loads(credential.document)["credentialSubject"]["achievement"]["criteria"]["narrative"]
    assert f"- {codes[0]} " in narrative and narrative.splitlines()[1].endswith(": exam 80 %")
    assert [code for code in codes if f"- {code} " in narrative] == codes


def test_tampered_copy_fails_with_a_clear_reason(credential: Any) -> None:
    document = json.loads(credential.document)
    document["credentialSubject"]["identifier"][0]["identityHash"] = "Mallory"
    result = services.credential_verify(json.dumps(document))
    assert (result.valid, result.state) == (False, VerificationState.INVALID)
    assert result.reasons == ["The signature does not match: the credential was changed after it was signed."]


def test_revocation_flips_the_bit_and_is_audited(credential: Any, officer: Any) -> None:
    services.credential_revoke(credential=credential, by=officer, reason="Exam fraud")
    credential.refresh_from_db()
    result = services.credential_verify(credential.document)
    assert (result.valid, result.revoked, result.state) == (False, True, "revoked")
    assert result.reasons[0].endswith(": Exam fraud")
    status = json.loads(credential.status_list.document)
    assert bit_is_set(decode_bits(status["credentialSubject"]["encodedList"]), credential.status_index)
    entry = AuditEntry.objects.get(action="credentials.revoked")
    assert (entry.actor, entry.data["reason"]) == (officer, "Exam fraud")


def test_revoke_needs_a_reason_and_happens_once(credential: Any, officer: Any, unchanged_database: Any) -> None:
    with unchanged_database(), pytest.raises(ValidationError, match="Give a reason"):
        services.credential_revoke(credential=credential, by=officer, reason="  ")
    services.credential_revoke(credential=credential, by=officer, reason="Wrong person")
    with pytest.raises(ValidationError, match="already revoked"):
        services.credential_revoke(credential=credential, by=officer, reason="again")
    credential.refresh_from_db()
    assert credential.revocation_reason == "Wrong person"


def test_key_rotation_keeps_old_credentials_verifiable(issue: Any, alice: Any, bob: Any) -> None:
    old = issue(alice)
    services.signing_key_rotate(actor=None)
    new = issue(bob)
    assert json.loads(new.document)["proof"]["verificationMethod"].endswith("#key-2")
    assert services.credential_verify(old.document).valid
    assert services.credential_verify(new.document).valid
    assert list(SigningKey.objects.values_list("number", "active")) == [(1, False), (2, True)]
    assert [m["id"].split("#")[1] for m in services.did_document()["verificationMethod"]] == ["key-1", "key-2"]


def test_keys_are_read_for_every_verification(issue: Any, alice: Any, bob: Any) -> None:
    old = issue(alice)
    assert services.credential_verify(old.document).valid  # our DID document as of key 1 only
    services.signing_key_rotate(actor=None)
    new = issue(bob)
    assert services.credential_verify(new.document).valid  # key 2 is found at once
    _private, stranger = signing.generate_key()
    SigningKey.objects.filter(number=2).update(public_key_multibase=stranger)
    result = services.credential_verify(new.document)
    assert (result.valid, result.state) == (False, "invalid")  # the key as stored now, not a remembered one
    assert "signature does not match" in result.reasons[0]
    assert services.credential_verify(old.document).valid


def test_verification_reads_the_keys_and_the_register_entry_only(
    credential: Any, django_assert_num_queries: Any
) -> None:
    text = credential.document
    services.credential_verify(text)
    with django_assert_num_queries(2):  # the keys; the credential with its status list
        result = services.credential_verify(text)
    assert result.valid and result.credential is not None
    assert result.credential.revoked_at is None and result.credential.public_id == credential.public_id


def test_expired_credential_is_reported_as_expired(issue: Any, alice: Any, monkeypatch: Any) -> None:
    credential = issue(alice, valid_until=timezone.now() + timedelta(days=1))

    class Later(datetime):
        @classmethod
        def now(cls, tz: Any = None) -> Any:
            return datetime.now(tz) + timedelta(days=2)

    monkeypatch.setattr(ob3_verifier, "datetime", Later)
    result = services.credential_verify(credential.document)
    assert (result.valid, result.expired, result.state) == (False, True, "expired")
    assert result.reasons == ["The credential has expired."]


def test_a_credential_of_another_issuer_is_unknown(credential: Any) -> None:
    document = json.loads(credential.document)
    document["issuer"]["id"] = "did:web:elsewhere.example"
    result = services.credential_verify(document)
    assert (result.valid, result.state) == (False, "unknown")
    assert "is not this platform" in result.reasons[0]


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("not json", "This is not a JSON document."),
        ("[1]", "A credential is a JSON object."),
        ("x" * 300_000, "larger"),
    ],
)
def test_garbage_is_refused_with_a_message(text: str, reason: str, db: Any) -> None:
    result = services.credential_verify(text)
    assert not result.valid
    assert reason in result.reasons[0]


def test_vc_jwt_verifies_with_pyjwt_and_the_did_document_key(credential: Any) -> None:
    header = jwt.get_unverified_header(credential.jwt)
    assert (header["alg"], header["kid"]) == ("EdDSA", "did:web:127.0.0.1%3A8000#key-1")
    method = next(m for m in services.did_document()["verificationMethod"] if m["id"] == header["kid"])
    claims = jwt.decode(credential.jwt, _pem_from_vm(method), algorithms=["EdDSA"])
    assert claims["jti"] == f"urn:uuid:{credential.public_id}"
    assert claims["iss"] == "did:web:127.0.0.1%3A8000"
    assert claims["credentialSubject"] == json.loads(credential.document)["credentialSubject"]
    tampered = credential.jwt[:-4] + ("AAAA" if not credential.jwt.endswith("AAAA") else "BBBB")
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(tampered, _pem_from_vm(method), algorithms=["EdDSA"])


def test_status_indices_are_unique(issue: Any, alice: Any) -> None:
    credentials = [issue(alice) for _ in range(5)]
    assert len({c.status_index for c in credentials}) == 5
    assert {c.status_list.number for c in credentials} == {1}


def test_attendance_is_visibly_different(issue: Any, alice: Any) -> None:
    credential = issue(alice, kind=CredentialKind.ATTENDANCE, unit=None)
    achievement = json.loads(credential.document)["credentialSubject"]["achievement"]
    assert achievement["achievementType"] == "CertificateOfCompletion"
    assert achievement["tag"] == ["attendance", "EQF 6"]
    assert achievement["description"].startswith("Certificate of attendance — not an exam certificate.")


def test_wrong_kind_and_unit_combinations_are_refused(
    role: Any, unit: Unit, alice: Any, officer: Any, unchanged_database: Any
) -> None:
    other_unit = Unit.objects.filter(framework=role.framework).exclude(elements__requirements__role=role).first()
    cases: list[tuple[dict[str, Any], str]] = [
        ({"kind": "unit", "unit": None}, "needs a unit"),
        ({"kind": "role", "unit": unit}, "whole role"),
        ({"kind": "gold-star", "unit": None}, "Unknown kind"),
        ({"kind": "unit", "unit": unit, "valid_until": timezone.now() - timedelta(days=1)}, "future"),
        ({"kind": "unit", "unit": unit, "evidence_urls": ["javascript:alert(1)"]}, "http"),
    ]
    if other_unit is not None:
        cases.append(({"kind": "unit", "unit": other_unit}, "not part of the job role"))
    with unchanged_database():
        for kwargs, message in cases:
            with pytest.raises(ValidationError, match=message):
                services.credential_issue(holder=alice, role=role, issued_by=officer, **kwargs)
    assert Credential.objects.count() == 0


def test_did_key_mode_for_local_development(issue: Any, alice: Any, settings: Any) -> None:
    settings.CREDENTIALS_USE_DID_KEY = True
    credential = issue(alice)
    document = json.loads(credential.document)
    key = SigningKey.objects.get(active=True)
    assert document["issuer"]["id"] == f"did:key:{key.public_key_multibase}"
    assert document["proof"]["verificationMethod"] == f"did:key:{key.public_key_multibase}#{key.public_key_multibase}"
    assert services.credential_verify(credential.document).valid


def test_a_course_goes_only_on_a_certificate_of_attendance_with_hours_per_module(
    role: Any, unit: Unit, alice: Any, officer: Any, unchanged_database: Any
) -> None:
    from skills4cities.curriculum.models import Course

    course = Course.objects.get(code="C2", curriculum__framework=role.framework)
    modules = list(course.modules.order_by("course_modules__position"))
    whole = [(module, module.hours) for module in modules]
    cases: list[tuple[dict[str, Any], str]] = [
        ({"kind": "role", "unit": None, "attendance": whole}, "Only a certificate of attendance"),
        ({"kind": "attendance", "unit": unit, "attendance": whole}, "Only a certificate of attendance"),
        ({"kind": "attendance", "unit": None, "attendance": ()}, "lists the hours attended per module"),
        (
            {"kind": "attendance", "unit": None, "attendance": [(modules[0], modules[0].hours + 1)]},
            "lists the hours attended per module",
        ),
    ]
    with unchanged_database():
        for kwargs, message in cases:
            with pytest.raises(ValidationError, match=message):
                services.credential_issue(holder=alice, role=role, issued_by=officer, course=course, **kwargs)
