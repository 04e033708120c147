"""An Open Badges 3.0 ``OpenBadgeCredential`` (W3C VC 2.0) for a unit, a role or a course attendance.

Format decisions (docs/credentials.md):

* ``id`` is ``urn:uuid:<public id>``; the public verification page is ``<SITE_URL>/verify/<public id>/``.
* ``issuer.id`` is the DID whose key signs the proof (digitalbazaar's verifier requires it).
* The holder is named by an unhashed ``IdentityObject`` of ``identityType`` "name" (OB 3.0 allows it),
  plus a salted SHA-256 of the e-mail address when there is one, so a verifier can check a claimed address.
* The EQF level is an ``alignment`` with ``targetFramework`` "European Qualifications Framework" and
  ``targetUrl`` ``http://data.europa.eu/snb/eqf/<n>`` (the Europass/ELM URI), and also a tag ``EQF <n>``.
* Elements are aligned to their pages on this platform (``targetType`` "CFItem"), ESCO skills and
  occupations to their URIs (``targetFramework`` "ESCO").
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

VC2_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB3_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
OB3_EXTENSIONS_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json"
CONTEXTS = [VC2_CONTEXT, OB3_CONTEXT, OB3_EXTENSIONS_CONTEXT]
OB3_SCHEMA = {
    "id": "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json",
    "type": "1EdTechJsonSchemaValidator2019",
}
EQF_FRAMEWORK = "European Qualifications Framework"
EQF_URL = "http://data.europa.eu/snb/eqf/{level}"
ESCO_FRAMEWORK = "ESCO"

# OB 3.0 AchievementType enumeration values per kind of credential.
ACHIEVEMENT_TYPES = {"unit": "MicroCredential", "role": "Certificate", "attendance": "CertificateOfCompletion"}


@dataclass(frozen=True)
class AlignmentTarget:
    name: str
    url: str
    framework: str = ""
    code: str = ""
    description: str = ""
    target_type: str = ""


@dataclass(frozen=True)
class EvidenceLink:
    url: str
    name: str = ""
    narrative: str = ""


@dataclass(frozen=True)
class Holder:
    name: str
    email: str = ""
    salt: str = ""


@dataclass(frozen=True)
class AchievementData:
    id: str
    kind: str
    name: str
    description: str
    criteria: str
    eqf_level: int | None
    language: str
    human_code: str = ""
    version: str = ""
    alignments: tuple[AlignmentTarget, ...] = ()
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class CredentialData:
    public_id: str
    name: str
    description: str
    issuer_did: str
    issuer_name: str
    issuer_url: str
    holder: Holder
    achievement: AchievementData
    valid_from: datetime
    status_list_url: str
    status_index: int
    valid_until: datetime | None = None
    evidence: tuple[EvidenceLink, ...] = field(default_factory=tuple)
    image_url: str = ""


def iso(moment: datetime) -> str:
    """XSD dateTime in UTC with a ``Z`` and whole seconds (what every verifier parses)."""
    if moment.tzinfo is None:
        raise ValueError("credential dates must be timezone-aware")
    return moment.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_iso(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def email_identity(email: str, salt: str) -> dict[str, Any]:
    digest = hashlib.sha256((email.strip().lower() + salt).encode()).hexdigest()
    return {
        "type": "IdentityObject",
        "hashed": True,
        "identityHash": f"sha256${digest}",
        "identityType": "emailAddress",
        "salt": salt,
    }


def alignment(target: AlignmentTarget) -> dict[str, Any]:
    result: dict[str, Any] = {"type": ["Alignment"], "targetName": target.name, "targetUrl": target.url}
    if target.framework:
        result["targetFramework"] = target.framework
    if target.code:
        result["targetCode"] = target.code
    if target.description:
        result["targetDescription"] = target.description
    if target.target_type:
        result["targetType"] = target.target_type
    return result


def eqf_alignment(level: int, name: str) -> AlignmentTarget:
    return AlignmentTarget(name=name, url=EQF_URL.format(level=level), framework=EQF_FRAMEWORK, code=str(level))


def achievement(data: AchievementData) -> dict[str, Any]:
    result: dict[str, Any] = {
        "id": data.id,
        "type": ["Achievement"],
        "achievementType": ACHIEVEMENT_TYPES[data.kind],
        "name": data.name,
        "description": data.description,
        "criteria": {"narrative": data.criteria},
        "inLanguage": data.language,
    }
    if data.human_code:
        result["humanCode"] = data.human_code
    if data.version:
        result["version"] = data.version
    tags = list(data.tags)
    if data.eqf_level is not None:
        tags.append(f"EQF {data.eqf_level}")
    if tags:
        result["tag"] = tags
    if data.alignments:
        result["alignment"] = [alignment(a) for a in data.alignments]
    return result


def open_badge_credential(data: CredentialData) -> dict[str, Any]:
    """The unsigned credential; ``signing.sign_document`` adds the Data Integrity proof."""
    identifiers: list[dict[str, Any]] = [
        {"type": "IdentityObject", "hashed": False, "identityHash": data.holder.name, "identityType": "name"}
    ]
    if data.holder.email and data.holder.salt:
        identifiers.append(email_identity(data.holder.email, data.holder.salt))
    issuer: dict[str, Any] = {"id": data.issuer_did, "type": ["Profile"], "name": data.issuer_name}
    if data.issuer_url:
        issuer["url"] = data.issuer_url
    list_url = data.status_list_url
    document: dict[str, Any] = {
        "@context": list(CONTEXTS),
        "id": f"urn:uuid:{data.public_id}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": data.name,
        "description": data.description,
        "issuer": issuer,
        "validFrom": iso(data.valid_from),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": identifiers,
            "achievement": achievement(data.achievement),
        },
        "credentialSchema": [dict(OB3_SCHEMA)],
        "credentialStatus": {
            "id": f"{list_url}#{data.status_index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": str(data.status_index),
            "statusListCredential": list_url,
        },
    }
    if data.valid_until is not None:
        document["validUntil"] = iso(data.valid_until)
    if data.image_url:
        document["image"] = {"id": data.image_url, "type": "Image"}
    if data.evidence:
        document["evidence"] = [_evidence(item) for item in data.evidence]
    return document


def _evidence(item: EvidenceLink) -> dict[str, Any]:
    result: dict[str, Any] = {"id": item.url, "type": ["Evidence"]}
    if item.name:
        result["name"] = item.name
    if item.narrative:
        result["narrative"] = item.narrative
    return result


def jwt_claims(document: dict[str, Any]) -> dict[str, Any]:
    """OB 3.0 §8.2.4.1 native VC-JWT payload: the credential (without its proof) plus iss/jti/nbf/exp."""
    payload = {key: value for key, value in document.items() if key != "proof"}
    payload["iss"] = document["issuer"]["id"]
    payload["jti"] = document["id"]
    payload["nbf"] = int(parse_iso(document["validFrom"]).timestamp())
    if "validUntil" in document:
        payload["exp"] = int(parse_iso(document["validUntil"]).timestamp())
    return payload
