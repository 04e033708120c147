from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from skills4cities.frameworks.interchange.document import DocumentErrors
from skills4cities.frameworks.interchange.formats import FORMATS
from skills4cities.frameworks.services import framework_import_file


class Command(BaseCommand):
    help = (
        "Import a framework file: native YAML or JSON, 1EdTech CASE JSON or a Moodle competency CSV. Prints its "
        "progress and, as the last line, the framework's slug. On any problem prints every problem and changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The file to import ('-' reads standard input).")
        parser.add_argument(
            "--format",
            choices=list(FORMATS),
            help="The file's format; by default it is recognised from the file's name and content.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        limit = settings.FRAMEWORK_IMPORT_MAX_BYTES
        name = options["file"]
        if name == "-":
            data, filename = sys.stdin.buffer.read(limit + 1), "stdin"
        else:
            try:
                with Path(name).open("rb") as handle:
                    data = handle.read(limit + 1)  # one byte more than the limit is enough to refuse it
            except OSError as exc:
                raise CommandError(f"Cannot read {name}: {exc.strerror or exc}") from None
            filename = name
        progress = self.stdout.write if options["verbosity"] > 0 else None
        try:
            result = framework_import_file(data=data, filename=filename, format=options["format"], progress=progress)
        except DocumentErrors as exc:
            for problem in exc.problems:
                self.stderr.write(str(problem))
            count = len(exc.problems)
            raise CommandError(
                f"{Path(filename).name}: {count} problem{'s' if count != 1 else ''}; nothing was imported."
            ) from None
        self.stdout.write(result.framework.slug)
