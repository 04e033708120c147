"""Mark framework imports whose worker died as failed (run it before starting ``db_worker``)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from skills4cities.frameworks import services


class Command(BaseCommand):
    help = (
        "Mark running framework imports that have shown no progress for --older-than seconds as failed "
        "(their worker ended; nothing of them was stored). With a single worker, run it with --older-than 0 "
        "before the worker starts."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--older-than",
            type=int,
            default=None,
            metavar="SECONDS",
            help="silence after which a running import counts as dead (default: FRAMEWORK_IMPORT_STALE_SECONDS)",
        )

    def handle(self, *args: Any, older_than: int | None, **options: Any) -> None:
        seconds = settings.FRAMEWORK_IMPORT_STALE_SECONDS if older_than is None else max(older_than, 0)
        failed = services.import_jobs_fail_stale(older_than=timedelta(seconds=seconds))
        if options["verbosity"] >= 1:
            self.stdout.write(f"{failed} stale import(s) marked failed.")
