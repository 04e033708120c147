from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from skills4cities.credentials import services


class Command(BaseCommand):
    help = (
        "Verify a credential file issued by this platform: signature (against our DID document, resolved locally), "
        "issuer, validity dates and revocation. Exits 0 only when it is valid and not revoked; prints why not."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The credential (JSON) to verify ('-' reads standard input).")

    def handle(self, *args: Any, **options: Any) -> None:
        name = options["file"]
        try:
            if name == "-":
                import sys

                raw = sys.stdin.buffer.read(services.MAX_DOCUMENT_BYTES + 1)
            else:
                with Path(name).open("rb") as stream:
                    raw = stream.read(services.MAX_DOCUMENT_BYTES + 1)
        except OSError as exc:
            raise CommandError(f"Cannot read {name}: {exc.strerror or exc}") from None
        result = services.credential_verify(raw)
        if not result.valid:
            reasons = "\n".join(f"- {reason}" for reason in result.reasons)
            raise CommandError(f"{name}: NOT VALID ({result.state})\n{reasons}")
        credential = result.credential
        assert credential is not None
        self.stdout.write(
            f"{name}: VALID — {credential.title}, holder {credential.holder_name}, "
            f"issued {credential.issued_at:%Y-%m-%d}"
            + (f", valid until {credential.valid_until:%Y-%m-%d}" if credential.valid_until else "")
            + "."
        )
