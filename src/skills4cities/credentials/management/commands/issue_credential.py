from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from skills4cities.certification import services as certification
from skills4cities.credentials import keyencryption, services


class Command(BaseCommand):
    help = (
        "Issue a job role certificate (or, with --unit, a unit micro-credential) when the certification rules are "
        "met and no valid one is held, or, with --course instead of --role, a certificate of attendance of the "
        "course when enough of it was attended and none is held; write the signed Open Badges 3.0 credential to "
        "--output. Refuses, naming what is missing, otherwise."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--user", required=True, help="The holder's username.")
        scope = parser.add_mutually_exclusive_group(required=True)
        scope.add_argument("--role", help="The job role's slug, e.g. smart-city-project-manager.")
        scope.add_argument(
            "--course", help="A course code of the curriculum, e.g. C2, for a certificate of attendance."
        )
        parser.add_argument("--unit", help="A unit code of the role, for a unit micro-credential.")
        parser.add_argument("--output", required=True, help="The file to write ('-' writes to standard output).")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["course"] and options["unit"]:
            raise CommandError("--unit goes with --role, not with --course.")
        holder = get_user_model().objects.filter(username=options["user"]).first()
        if holder is None:
            raise CommandError(f"There is no user {options['user']}.")
        try:  # the rules decide (eligibility, one valid credential at a time, the rule's validity)
            if options["course"]:
                credential = certification.attendance_certificate_issue(
                    actor=None, user=holder, course_code=options["course"]
                )
            else:
                credential = certification.certificate_issue(
                    actor=None, user=holder, role_slug=options["role"], unit_code=options["unit"] or None
                )
        except certification.CertificateRefused as refusal:
            for missing in refusal.missing:
                self.stderr.write(f"- {missing}")
            if options["course"]:
                raise CommandError("Not issued: the course was not attended enough (see above).") from None
            raise CommandError("Not issued: the certification rules are not met (see above).") from None
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        except keyencryption.KeyEncryptionError as error:  # the signing key cannot be decrypted: say which setting
            raise CommandError(str(error)) from None
        self._write(options["output"], credential.document)
        self.stdout.write(
            f"Issued {credential.public_id} ({credential.title}) to {holder.get_username()}; "
            f"verify at {services.selectors.verify_url(credential)}"
        )

    def _write(self, output: str, text: str) -> None:
        if output == "-":
            self.stdout.write(text)
            return
        path = Path(output)
        temporary = None
        try:
            handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                stream.write(text)
            os.chmod(temporary, 0o644)
            os.replace(temporary, path)
        except OSError as exc:
            if temporary is not None:
                Path(temporary).unlink(missing_ok=True)
            raise CommandError(
                f"The credential was issued but cannot be written to {output}: {exc.strerror or exc}. "
                "Download it from the holder's credential page."
            ) from None
