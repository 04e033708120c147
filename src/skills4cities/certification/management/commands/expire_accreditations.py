"""Mark accreditations past their expiry as expired (idempotent; reads already treat them as expired)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from skills4cities.certification.services import accreditations_expire


class Command(BaseCommand):
    help = "Mark accreditations of providers and trainers past their yearly expiry as expired."

    def handle(self, *args: Any, **options: Any) -> None:
        count = accreditations_expire()
        self.stdout.write(f"{count} accreditation(s) marked as expired.")
