from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from skills4cities.credentials import keyencryption, services


class Command(BaseCommand):
    help = (
        "Retire the active signing key and create a new one. Retired keys stay in /.well-known/did.json, so every "
        "credential signed before keeps verifying."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            key = services.signing_key_rotate(actor=None)
        except keyencryption.KeyEncryptionError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"New signing key {key.fragment} ({key.public_key_multibase}) is active.")
