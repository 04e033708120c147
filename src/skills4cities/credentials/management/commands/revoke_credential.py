from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.http import Http404

from skills4cities.credentials import keyencryption, selectors, services


class Command(BaseCommand):
    help = "Revoke a credential: its bit is set in the status list at once and the verification page says why."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("id", help="The credential id (a UUID, or urn:uuid:… as in the JSON).")
        parser.add_argument("--reason", required=True, help="Why it is revoked (shown on the verification page).")
        parser.add_argument("--by", help="Username recorded as the one who revoked it (default: none, the CLI).")

    def handle(self, *args: Any, **options: Any) -> None:
        public_id = options["id"].removeprefix("urn:uuid:")
        try:
            credential = selectors.credential_public(public_id)
        except Http404:
            raise CommandError(f"There is no credential {options['id']}.") from None
        by = None
        if options["by"]:
            by = get_user_model().objects.filter(username=options["by"]).first()
            if by is None:
                raise CommandError(f"There is no user {options['by']}.")
        try:
            services.credential_revoke(credential=credential, by=by, reason=options["reason"])
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        except keyencryption.KeyEncryptionError as error:  # the signing key cannot be decrypted: say which setting
            raise CommandError(str(error)) from None
        self.stdout.write(f"Revoked {credential.public_id} ({credential.title}).")
