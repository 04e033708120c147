"""W3C Bitstring Status List v1.0: the ``BitstringStatusListCredential`` that publishes revocations."""

from __future__ import annotations

import base64
import gzip
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from skills4cities.credentials.composition.credential import VC2_CONTEXT, iso

# The spec's minimum: 131,072 entries (16 KiB), so a list's population hides in a large set.
MIN_SIZE_BITS = 131_072


def encode_bits(indices: Iterable[int], size: int) -> str:
    """Multibase base64url (``u``, no padding) of the GZIP-compressed bitstring, bit 0 the most significant."""
    if size < MIN_SIZE_BITS or size % 8:
        raise ValueError("a status list holds at least 131072 bits, in whole bytes")
    bits = bytearray(size // 8)
    for index in indices:
        if not 0 <= index < size:
            raise ValueError(f"status index {index} is outside the list")
        bits[index // 8] |= 0x80 >> (index % 8)
    return "u" + base64.urlsafe_b64encode(gzip.compress(bytes(bits), mtime=0)).decode("ascii").rstrip("=")


def decode_bits(encoded: str) -> bytes:
    if not encoded.startswith("u"):
        raise ValueError("encodedList is not multibase base64url")
    data = encoded[1:]
    return gzip.decompress(base64.urlsafe_b64decode(data + "=" * (-len(data) % 4)))


def bit_is_set(bits: bytes, index: int) -> bool:
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def status_list_credential(
    *, issuer_did: str, url: str, indices: Iterable[int], size: int, valid_from: datetime, valid_until: datetime
) -> dict[str, Any]:
    """The unsigned list credential (purpose revocation); signed like a credential before it is served."""
    return {
        "@context": [VC2_CONTEXT],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_did,
        "validFrom": iso(valid_from),
        "validUntil": iso(valid_until),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encode_bits(indices, size),
        },
    }
