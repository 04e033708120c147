from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from skills4cities.credentials import keyencryption, services


class Command(BaseCommand):
    help = (
        "Re-encrypt the private half of every signing key with the first key of CREDENTIALS_KEY_ENCRYPTION_KEYS "
        "(after putting a new key-encryption key first). Idempotent; all keys or none."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--from-secret-key",
            action="store_true",
            help=(
                "Also decrypt with the key derived from SECRET_KEY: once, after setting "
                "CREDENTIALS_KEY_ENCRYPTION_KEYS on a database whose keys were encrypted without it."
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            changed, current = services.signing_keys_reencrypt(actor=None, from_secret_key=options["from_secret_key"])
        except keyencryption.KeyEncryptionError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"{changed} signing key(s) re-encrypted with the first key-encryption key, {current} already were."
        )
