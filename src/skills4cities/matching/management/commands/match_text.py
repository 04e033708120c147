from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, TextIO

from django.core.management.base import BaseCommand, CommandError, CommandParser

from skills4cities.matching import services
from skills4cities.matching.services import MAX_TOP, TARGETS, MatchingUnavailable, match_texts

BATCH = 256  # input lines ranked per encoder call


class Command(BaseCommand):
    help = (
        "Rank ESCO skills or framework elements for texts in any language: one JSON object per input line, "
        '{"text": …, "matches": [{"uri": …, "label": …, "score": …}, …]}, best first. Input: the TEXT '
        "arguments, or the lines of --input FILE ('-' reads standard input)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("texts", nargs="*", metavar="TEXT", help="Texts to match (each gives one output line).")
        parser.add_argument("--input", dest="input_file", help="A UTF-8 text file, one text per line; '-' for stdin.")
        parser.add_argument("--target", default="esco", help="What to rank: esco (default) or framework.")
        parser.add_argument(
            "--labels", type=Path, help="Rank the labels listed in this file (one per line) instead of the database."
        )
        parser.add_argument("--top", type=int, default=10, help=f"Matches per text, 1 … {MAX_TOP} (default 10).")
        parser.add_argument("--output", help="Write the JSON lines to this file instead of standard output.")

    def handle(self, *args: Any, **options: Any) -> None:
        target = options["target"]
        if target not in TARGETS:
            raise CommandError(f"Unknown target {target!r}: use one of {', '.join(TARGETS)}.", returncode=2)
        top = options["top"]
        if not 1 <= top <= MAX_TOP:
            raise CommandError(f"--top must be between 1 and {MAX_TOP}, not {top}.", returncode=2)
        labels: Path | None = options["labels"]
        if labels is not None and not labels.is_file():
            raise CommandError(f"The label file {labels} does not exist.", returncode=2)
        if labels is not None and not labels.read_text(encoding="utf-8", errors="replace").strip():
            raise CommandError(f"The label file {labels} lists no labels.", returncode=2)
        texts = self._texts(options["texts"], options["input_file"])
        if not any(text.strip() for text in texts):
            raise CommandError("Nothing to match: give TEXT arguments or a non-empty --input file.", returncode=2)
        handle: TextIO | None = None
        if options["output"]:
            try:
                handle = open(options["output"], "w", encoding="utf-8")  # noqa: SIM115 - closed below
            except OSError as exc:
                raise CommandError(f"Cannot write {options['output']}: {exc.strerror}.", returncode=2) from None
        try:
            self._prepare(target, labels)
        except MatchingUnavailable as exc:
            raise CommandError(str(exc), returncode=2) from None
        try:
            for start in range(0, len(texts), BATCH):
                batch = texts[start : start + BATCH]
                try:
                    rankings = match_texts(batch, target=target, top=top, labels=labels)
                except MatchingUnavailable as exc:
                    raise CommandError(str(exc), returncode=2) from None
                for text, matches in zip(batch, rankings, strict=True):
                    record = {
                        "text": text,
                        "matches": [{"uri": m.uri, "label": m.label, "score": m.score} for m in matches],
                    }
                    line = json.dumps(record, ensure_ascii=False)
                    if handle is not None:
                        handle.write(line + "\n")
                    else:
                        self.stdout.write(line)
        finally:
            if handle is not None:
                handle.close()

    def _prepare(self, target: str, labels: Path | None) -> None:
        """Build (or load) the ranker first; on a cold start the encoding progress goes to stderr."""
        name = f"labels of {labels}" if labels is not None else {"esco": "ESCO skills"}.get(target, target)
        shown = [-1]

        def progress(done: int, total: int) -> None:
            percent = int(100 * done / total) if total else 100
            if shown[0] < 0:
                self.stderr.write(f"Building the index of the {name} (first run; cached afterwards) …")
            if percent >= shown[0] + 5 or done >= total:
                shown[0] = percent
                self.stderr.write(f"{done}/{total} texts encoded ({percent} %)")

        if labels is not None:
            services.label_ranker(labels, progress=progress)
        elif target == services.TARGET_ESCO:
            services.esco_ranker(progress=progress)

    @staticmethod
    def _texts(arguments: list[str], input_file: str | None) -> list[str]:
        texts = list(arguments)
        if input_file is None:
            return texts
        try:
            content = sys.stdin.read() if input_file == "-" else Path(input_file).read_text(encoding="utf-8")
        except FileNotFoundError:
            raise CommandError(f"The input file {input_file} does not exist.", returncode=2) from None
        except UnicodeDecodeError:
            raise CommandError(f"The input file {input_file} is not UTF-8 text.", returncode=2) from None
        except OSError as exc:
            raise CommandError(f"Cannot read {input_file}: {exc.strerror}.", returncode=2) from None
        return texts + content.splitlines()
