"""The issuer's DID and its DID document (did:web, or did:key for local development)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlsplit

DID_CONTEXTS = ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"]


def did_web_for(site_url: str) -> str:
    """``did:web`` of a site: the host, its port percent-encoded, then any path segments joined by ``:``.

    >>> did_web_for("http://127.0.0.1:8000")
    'did:web:127.0.0.1%3A8000'
    >>> did_web_for("https://skills.example.org/")
    'did:web:skills.example.org'
    """
    parts = urlsplit(site_url)
    if not parts.hostname:
        raise ValueError("SITE_URL has no host")
    authority = parts.hostname if parts.port is None else f"{parts.hostname}:{parts.port}"
    pieces = [quote(authority, safe="")] + [quote(segment, safe="") for segment in parts.path.split("/") if segment]
    return "did:web:" + ":".join(pieces)


def verification_method(did: str, fragment: str, public_key_multibase: str) -> dict[str, Any]:
    return {
        "id": f"{did}#{fragment}",
        "type": "Multikey",
        "controller": did,
        "publicKeyMultibase": public_key_multibase,
    }


def did_document(did: str, keys: list[tuple[str, str]]) -> dict[str, Any]:
    """Every key, active and retired, as a Multikey method usable for assertions: rotation never breaks old proofs."""
    methods = [verification_method(did, fragment, multibase) for fragment, multibase in keys]
    return {
        "@context": list(DID_CONTEXTS),
        "id": did,
        "verificationMethod": methods,
        "assertionMethod": [method["id"] for method in methods],
    }
