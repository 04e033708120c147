from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from skills4cities.credentials import services


class Command(BaseCommand):
    help = (
        "Retire the active signing key and create a new one. Retired keys stay in /.well-known/did.json, so every "
        "credential signed before keeps verifying."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        key = services.signing_key_rotate(actor=None)
        self.stdout.write(f"New signing key {key.fragment} ({key.public_key_multibase}) is active.")
