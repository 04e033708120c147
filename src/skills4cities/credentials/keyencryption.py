"""Encryption at rest of the signing keys' private halves (docs/credentials.md, "Key encryption").

The key-encryption keys (KEKs) are Fernet keys from the setting ``CREDENTIALS_KEY_ENCRYPTION_KEYS``: the first
encrypts, every one is tried to decrypt (``MultiFernet``), so a KEK is rotated by putting the new one first and
running ``skills4cities reencrypt_signing_keys``. They are never stored in the database. Without the setting
(development, tests, the demo) one KEK is derived from ``SECRET_KEY`` (and one from each of
``SECRET_KEY_FALLBACKS``) with HKDF-SHA256: anyone who has SECRET_KEY can then decrypt the keys, so the deploy
check warns (``credentials.W001``).

No database here: the migrations and the services pass the stored text in.
"""

from __future__ import annotations

import base64

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

SETTING = "CREDENTIALS_KEY_ENCRYPTION_KEYS"
_HKDF_INFO = b"skills4cities credentials signing-key encryption (development only)"
_PEM_START = "-----BEGIN"

__all__ = [
    "SETTING",
    "KeyEncryptionError",
    "check_configuration",
    "configured_keys",
    "decrypt",
    "derived_from_secret_key",
    "encrypt",
    "encrypted_with_first_key",
    "is_plaintext",
]


class KeyEncryptionError(ImproperlyConfigured):
    """The KEKs are malformed, or none of them decrypts a stored key: a configuration error, never a fallback."""


def derived_from_secret_key() -> bool:
    """True when no KEK is configured, so the KEK is derived from SECRET_KEY (development only)."""
    return not configured_keys()


def configured_keys() -> list[str]:
    value = getattr(settings, SETTING, None) or []
    if isinstance(value, str):
        value = value.split(",")
    return [str(item).strip() for item in value if str(item).strip()]


def _derive(secret: str) -> bytes:
    material = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_HKDF_INFO).derive(secret.encode("utf-8"))
    return base64.urlsafe_b64encode(material)


def _derived_fernets() -> list[Fernet]:
    secrets = [str(settings.SECRET_KEY), *(str(s) for s in getattr(settings, "SECRET_KEY_FALLBACKS", []) or [])]
    return [Fernet(_derive(secret)) for secret in secrets]


def _fernets(*, include_derived: bool = False) -> list[Fernet]:
    """The KEKs, first the one that encrypts. ``include_derived`` adds the SECRET_KEY-derived ones after the
    configured ones, to decrypt once what was encrypted before the setting was set (``reencrypt_signing_keys
    --from-secret-key``)."""
    configured = configured_keys()
    if not configured:
        return _derived_fernets()
    fernets = []
    for position, key in enumerate(configured, 1):
        try:
            fernets.append(Fernet(key.encode("ascii")))
        except (ValueError, UnicodeEncodeError):
            raise KeyEncryptionError(
                f"{SETTING}: entry {position} is not a Fernet key (32 bytes, url-safe base64; create one with "
                '`python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"`).'
            ) from None
    return fernets + (_derived_fernets() if include_derived else [])


def check_configuration() -> None:
    """Raise ``KeyEncryptionError`` when the setting holds a malformed key."""
    _fernets()


def is_plaintext(stored: str) -> bool:
    """A PEM as stored before encryption at rest (only the migration meets one)."""
    return stored.lstrip().startswith(_PEM_START)


def encrypt(private_pem: str) -> str:
    """The Fernet token (ASCII) of a private key PEM, under the first KEK."""
    if not is_plaintext(private_pem):
        raise ValueError("only a PEM private key is encrypted")
    return MultiFernet(_fernets()).encrypt(private_pem.encode("ascii")).decode("ascii")


def _failure(what: str) -> KeyEncryptionError:
    source = (
        f"the key derived from SECRET_KEY, because {SETTING} is not set"
        if derived_from_secret_key()
        else f"any key in {SETTING}"
    )
    return KeyEncryptionError(
        f"The private key of {what} cannot be decrypted with {source}. Set {SETTING} to the key-encryption keys "
        "it was encrypted with (the new one first when rotating), or restore the SECRET_KEY it was derived from; "
        "keys encrypted before the setting was set are moved to it by "
        "`skills4cities reencrypt_signing_keys --from-secret-key`."
    )


def decrypt(stored: str, *, what: str = "a signing key", include_derived: bool = False) -> str:
    """The PEM of a stored token. A plaintext PEM, a wrong or missing KEK are all errors: nothing falls back."""
    if is_plaintext(stored):
        raise KeyEncryptionError(
            f"The private key of {what} is stored unencrypted: run `skills4cities migrate credentials` to encrypt it."
        )
    try:
        pem = MultiFernet(_fernets(include_derived=include_derived)).decrypt(stored.encode("ascii")).decode("ascii")
    except (InvalidToken, UnicodeError):
        raise _failure(what) from None
    if not is_plaintext(pem):
        raise _failure(what)
    return pem


def encrypted_with_first_key(stored: str) -> bool:
    """True when the first KEK alone decrypts ``stored`` (nothing to re-encrypt)."""
    try:
        _fernets()[0].decrypt(stored.encode("ascii"))
    except (InvalidToken, UnicodeError):
        return False
    return True
