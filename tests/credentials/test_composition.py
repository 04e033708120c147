from __future__ import annotations

from datetime import UTC, datetime

import pytest

from skills4cities.credentials.composition import credential as compose
from skills4cities.credentials.composition.did import did_document, did_web_for
from skills4cities.credentials.composition.status_list import bit_is_set, decode_bits, encode_bits


def test_did_web_percent_encodes_the_port() -> None:
    assert did_web_for("http://127.0.0.1:8000") == "did:web:127.0.0.1%3A8000"
    assert did_web_for("https://skills.example.org/") == "did:web:skills.example.org"
    assert did_web_for("https://example.org/s4c/") == "did:web:example.org:s4c"


def test_did_document_lists_every_key_for_assertions() -> None:
    document = did_document("did:web:x", [("key-1", "z6MkA"), ("key-2", "z6MkB")])
    assert document["assertionMethod"] == ["did:web:x#key-1", "did:web:x#key-2"]
    assert document["verificationMethod"][1] == {
        "id": "did:web:x#key-2",
        "type": "Multikey",
        "controller": "did:web:x",
        "publicKeyMultibase": "z6MkB",
    }


def test_status_list_round_trips_and_has_the_minimum_size() -> None:
    encoded = encode_bits([0, 9, 131071], 131072)
    bits = decode_bits(encoded)
    assert len(bits) == 16384
    assert [i for i in (0, 1, 8, 9, 131071) if bit_is_set(bits, i)] == [0, 9, 131071]
    with pytest.raises(ValueError, match="at least 131072"):
        encode_bits([], 1024)


def _data(kind: str) -> compose.CredentialData:
    achievement = compose.AchievementData(
        id="https://s4c.example/frameworks/f/units/U1/",
        kind=kind,
        name="U1 Funding",
        description="About U1",
        criteria="All elements:\n- U1.E1 One",
        eqf_level=6,
        language="bg",
        alignments=(compose.eqf_alignment(6, "EQF level 6"),),
    )
    return compose.CredentialData(
        public_id="00000000-0000-4000-8000-000000000001",
        name="U1 Funding",
        description="About U1",
        issuer_did="did:web:s4c.example",
        issuer_name="Skills4Cities",
        issuer_url="https://s4c.example/",
        holder=compose.Holder(name="Мария Иванова", email="m@example.org", salt="00"),
        achievement=achievement,
        valid_from=datetime(2026, 1, 2, 3, 4, 5, 678, tzinfo=UTC),
        valid_until=datetime(2029, 1, 2, tzinfo=UTC),
        status_list_url="https://s4c.example/credentials/status/1/",
        status_index=42,
    )


def test_credential_carries_the_ob3_shape_we_document() -> None:
    document = compose.open_badge_credential(_data("unit"))
    assert document["@context"] == compose.CONTEXTS
    assert document["id"] == "urn:uuid:00000000-0000-4000-8000-000000000001"
    assert document["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert document["issuer"]["id"] == "did:web:s4c.example"
    assert (document["validFrom"], document["validUntil"]) == ("2026-01-02T03:04:05Z", "2029-01-02T00:00:00Z")
    achievement = document["credentialSubject"]["achievement"]
    assert achievement["achievementType"] == "MicroCredential"
    assert achievement["tag"] == ["EQF 6"]
    assert achievement["alignment"][0]["targetUrl"] == "http://data.europa.eu/snb/eqf/6"
    assert document["credentialSubject"]["identifier"][0] == {
        "type": "IdentityObject",
        "hashed": False,
        "identityHash": "Мария Иванова",
        "identityType": "name",
    }
    assert document["credentialStatus"] == {
        "id": "https://s4c.example/credentials/status/1/#42",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": "42",
        "statusListCredential": "https://s4c.example/credentials/status/1/",
    }


@pytest.mark.parametrize(("kind", "expected"), [("role", "Certificate"), ("attendance", "CertificateOfCompletion")])
def test_achievement_type_follows_the_kind(kind: str, expected: str) -> None:
    achievement = compose.open_badge_credential(_data(kind))["credentialSubject"]["achievement"]
    assert achievement["achievementType"] == expected


def test_naive_dates_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        compose.iso(datetime(2026, 1, 1))  # noqa: DTZ001 - the point of the test
