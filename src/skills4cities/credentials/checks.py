"""System checks of the credentials settings (docs/credentials.md, "Key encryption")."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register

from skills4cities.credentials import keyencryption


@register(Tags.security)
def key_encryption_keys_valid(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """credentials.E001: every entry of CREDENTIALS_KEY_ENCRYPTION_KEYS must be a Fernet key."""
    try:
        keyencryption.check_configuration()
    except keyencryption.KeyEncryptionError as error:
        return [Error(str(error), id="credentials.E001")]
    return []


@register(Tags.security, deploy=True)
def key_encryption_keys_set(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """credentials.W001 (check --deploy): outside DEBUG the signing keys must not be encrypted with SECRET_KEY."""
    if settings.DEBUG or not keyencryption.derived_from_secret_key():
        return []
    return [
        Warning(
            f"{keyencryption.SETTING} is not set, so the signing keys of credentials are encrypted with a key "
            "derived from SECRET_KEY (meant for development only): whoever has SECRET_KEY and a database dump can "
            "forge certificates.",
            hint=(
                f"Set {keyencryption.SETTING} to a Fernet key kept apart from SECRET_KEY and the database, then run "
                "`skills4cities reencrypt_signing_keys --from-secret-key` (docs/credentials.md, 'Key encryption')."
            ),
            id="credentials.W001",
        )
    ]
