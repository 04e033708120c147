from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from skills4cities.esco.services import EscoImportError, esco_import_download


class Command(BaseCommand):
    help = (
        "Import a folder in the official ESCO CSV download layout (skills_en.csv, occupations_en.csv, "
        "occupationSkillRelations_en.csv, skillGroups_en.csv, broaderRelationsSkillPillar_en.csv; "
        "ISCOGroups_en.csv and *Collection_en.csv when present). Idempotent; one transaction."
    )

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        # ``--version`` names the ESCO version here, replacing Django's "print the Django version".
        return super().create_parser(prog_name, subcommand, conflict_handler="resolve", **kwargs)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", type=Path, help="The unpacked ESCO download (English, CSV).")
        parser.add_argument(
            "--version",
            dest="esco_version",
            help="The ESCO version, e.g. 1.2.0 (default: read from the folder name, e.g. '… - v1.2.0 - …').",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        verbose = options["verbosity"] > 0
        try:
            esco_import_download(
                folder=options["folder"],
                version=options["esco_version"],
                progress=self.stdout.write if verbose else None,
            )
        except EscoImportError as exc:
            problems = "\n".join(f"  {problem}" for problem in exc.problems)
            raise CommandError(f"The ESCO files cannot be imported; nothing was changed.\n{problems}") from None
