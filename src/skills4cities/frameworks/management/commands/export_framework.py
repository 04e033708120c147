from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from skills4cities.frameworks.interchange.formats import FORMATS
from skills4cities.frameworks.selectors import framework_to_export
from skills4cities.frameworks.services import framework_export


class Command(BaseCommand):
    help = (
        "Export a framework version (the given --version, else the newest published one, else the draft) as native "
        "YAML or JSON, 1EdTech CASE JSON or a Moodle competency CSV."
    )

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        # --version selects the framework version here, in place of Django's "show the Django version".
        return super().create_parser(prog_name, subcommand, conflict_handler="resolve", **kwargs)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug", help="The framework's slug, e.g. skills4cities.")
        parser.add_argument("--version", help="The version to export (default: the newest published one).")
        parser.add_argument("--format", required=True, choices=list(FORMATS), help="The file format.")
        parser.add_argument("--output", required=True, help="The file to write ('-' writes to standard output).")

    def handle(self, *args: Any, **options: Any) -> None:
        framework = framework_to_export(options["slug"], options["version"])
        if framework is None:
            wanted = f"{options['slug']} {options['version']}" if options["version"] else options["slug"]
            raise CommandError(f"No framework {wanted} is stored.")
        data = framework_export(framework=framework, format=options["format"])
        output = options["output"]
        if output == "-":
            self.stdout.write(data.decode("utf-8"), ending="")
            return
        path = Path(output)
        temporary = None
        try:
            # Write next to the target and rename, so that an interrupted export never leaves half a file.
            handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
            os.chmod(temporary, 0o644)
            os.replace(temporary, path)
        except OSError as exc:
            if temporary is not None:
                Path(temporary).unlink(missing_ok=True)
            raise CommandError(f"Cannot write {output}: {exc.strerror or exc}") from None
        self.stdout.write(
            f"Wrote {framework.slug} {framework.version} as {options['format']} to {output} ({len(data)} bytes)."
        )
