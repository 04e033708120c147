"""Ed25519 keys, Data Integrity ``eddsa-rdfc-2022`` proofs and VC-JWT, through openbadgeslib[ldp] and PyJWT.

No database and no settings here: services pass keys and DID documents in.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from openbadgeslib.ob3.did import multikey_from_pem
from openbadgeslib.ob3.ldp import add_data_integrity_proof
from openbadgeslib.ob3.verifier import OB3VerificationError

from skills4cities.credentials import dataintegrity

__all__ = ["OB3VerificationError", "generate_key", "public_multibase", "sign_document", "sign_jwt", "verify_document"]


def generate_key() -> tuple[str, str]:
    """A new Ed25519 key: (private key PEM, public key as a ``z6Mk…`` Multikey)."""
    private = Ed25519PrivateKey.generate()
    pem = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode("ascii")
    return pem, public_multibase(pem)


def public_multibase(private_pem: str) -> str:
    private = serialization.load_pem_private_key(private_pem.encode("ascii"), password=None)
    public_pem = private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return str(multikey_from_pem(public_pem))


def sign_document(document: dict[str, Any], *, private_pem: str, verification_method: str) -> dict[str, Any]:
    """A copy of ``document`` with an embedded DataIntegrityProof (eddsa-rdfc-2022, assertionMethod)."""
    return add_data_integrity_proof(document, private_pem.encode("ascii"), verification_method)


def sign_jwt(payload: dict[str, Any], *, private_pem: str, kid: str) -> str:
    """A compact JWS (EdDSA) whose header names the verification method, as OB 3.0 VC-JWT asks."""
    return jwt.encode(payload, private_pem, algorithm="EdDSA", headers={"kid": kid, "typ": "JWT"})


def verify_document(document: dict[str, Any] | str, *, did_documents: Callable[[str], dict[str, Any] | None]) -> Any:
    """Check the proof, the JSON-LD form, the issuer binding and the validity window; return openbadgeslib's
    reconstructed credential or raise ``OB3VerificationError``.

    The checks are openbadgeslib's (``OB3LdpVerifier.verify``), run by ``dataintegrity`` with a JSON-LD
    processor that remembers processed contexts (ADR 0011). ``did_documents(did)`` returns a DID document we
    trust locally (ours) or ``None``: DIDs are never resolved over the network here. A ``did:key`` issuer is
    its own key (the caller decides whether it trusts that DID).
    """
    return dataintegrity.verify_credential_document(
        document, public_key_for=lambda issuer, method: _assertion_method(issuer, method, did_documents)
    )


def _assertion_method(
    issuer: str, method: str, did_documents: Callable[[str], dict[str, Any] | None]
) -> dict[str, Any]:
    """The verification method ``method`` of ``issuer``'s DID document, if listed for assertions."""
    if issuer.startswith("did:key:"):
        identifier = issuer[len("did:key:") :]
        if method != f"{issuer}#{identifier}":
            raise OB3VerificationError(f"did:key fragment of {method!r} does not name the key {identifier!r}")
        return {"id": method, "controller": issuer, "publicKeyMultibase": identifier}
    known = did_documents(issuer)
    if known is None:
        raise OB3VerificationError(f"the issuer's DID document is not known to this platform ({issuer})")
    methods = known.get("verificationMethod") or []
    entry = next((m for m in methods if isinstance(m, dict) and m.get("id") == method), None)
    if entry is None:
        raise OB3VerificationError(f"the issuer's DID document has no verificationMethod {method!r}")
    if entry.get("controller") != issuer:
        raise OB3VerificationError(f"verificationMethod {method!r} does not belong to the credential issuer")
    if method not in (known.get("assertionMethod") or []):
        raise OB3VerificationError(f"verificationMethod {method!r} is not an assertion method of {issuer}")
    return dict(entry)
