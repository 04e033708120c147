"""Read the files of the official ESCO CSV download: streamed, with problems that name file, line and column.

ESCO publishes one CSV file per concept kind and relation (``skills_en.csv``,
``occupationSkillRelations_en.csv`` …): UTF-8, a header row, RFC 4180 quoting, multi-valued cells
separated by newlines (``altLabels``) or `` | `` (the collections' ``broaderConceptUri``). A record may
span several lines; the line reported for a record is the line it starts on.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

MAX_FILE_BYTES = 512 * 1024 * 1024  # the largest official file (relations, all languages) is far below
MAX_PROBLEMS = 20
csv.field_size_limit(4 * 1024 * 1024)


@dataclass(frozen=True)
class FileProblem:
    file: str
    message: str
    line: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        where = [self.file]
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.column:
            where.append(f"column '{self.column}'")
        if len(where) == 1:
            return f"{self.file}: {self.message}"
        return f"{where[0]}: {', '.join(where[1:])}: {self.message}"


class EscoImportError(Exception):
    """The ESCO files are not usable; nothing was written. ``problems`` says where and why."""

    def __init__(self, problems: list[FileProblem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


class Problems:
    """Collects problems found in rows; gives up after ``MAX_PROBLEMS`` so that a wrong file fails fast."""

    def __init__(self) -> None:
        self.items: list[FileProblem] = []

    def add(self, problem: FileProblem) -> None:
        self.items.append(problem)
        if len(self.items) >= MAX_PROBLEMS:
            raise EscoImportError(self.items)

    def raise_if_any(self) -> None:
        if self.items:
            raise EscoImportError(self.items)


def split_labels(cell: str) -> list[str]:
    """A multi-valued cell as a list: newline- or `` | ``-separated, stripped, without empties or repeats."""
    if not cell:
        return []
    labels: dict[str, None] = {}
    for line in cell.splitlines():
        for part in line.split(" | ") if " | " in line else (line,):
            label = part.strip()
            if label:
                labels[label] = None
    return list(labels)


class CsvFile:
    """One ESCO CSV file. ``records()`` yields ``(line, fields)``; ``column(name)`` gives a field's index."""

    def __init__(self, path: Path, *, required: tuple[str, ...], problems: Problems) -> None:
        self.path = path
        self.name = path.name
        self.required = required
        self.problems = problems
        self.header: list[str] = []
        self.columns: dict[str, int] = {}
        self.rows = 0

    def problem(self, message: str, *, line: int | None = None, column: str | None = None) -> FileProblem:
        return FileProblem(self.name, message, line, column)

    def column(self, name: str) -> int | None:
        """The index of an optional column, None when the file does not have it."""
        return self.columns.get(name)

    def at(self, name: str) -> int:
        """The index of a required column (``records()`` has checked that the header has it)."""
        return self.columns[name]

    def records(self) -> Iterator[tuple[int, list[str]]]:
        """Open the file and read its header row now (so ``column()`` answers); then stream the records."""
        stream = self._stream()
        next(stream)
        return cast(Iterator[tuple[int, list[str]]], stream)

    def _stream(self) -> Iterator[tuple[int, list[str]] | None]:
        size = self.path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise EscoImportError(
                [self.problem(f"the file has {size:,} bytes, more than the limit of {MAX_FILE_BYTES:,} bytes")]
            )
        with self.path.open("rb") as raw:
            start = raw.read(4)
            if start.startswith((b"\xff\xfe", b"\xfe\xff")):
                raise EscoImportError(
                    [self.problem("the file is encoded as UTF-16; ESCO files are UTF-8 (save it as UTF-8)", line=1)]
                )
            raw.seek(0)
            text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
            reader = csv.reader(text, strict=True)
            try:
                yield from self._records(reader)
            except UnicodeDecodeError:
                raise EscoImportError([self._encoding_problem()]) from None
            except csv.Error as exc:
                raise EscoImportError([self._syntax_problem(str(exc), reader.line_num)]) from None

    def _records(self, reader: Any) -> Iterator[tuple[int, list[str]] | None]:
        try:
            header = next(reader)
        except StopIteration:
            expected = ", ".join(self.required)
            message = f"the file is empty; expected a header row with {expected}"
            raise EscoImportError([self.problem(message, line=1)]) from None
        self.header = [name.strip() for name in header]
        problems = []
        for index, name in enumerate(self.header):
            if name in self.columns:
                problems.append(self.problem("the column appears twice in the header row", line=1, column=name))
            self.columns.setdefault(name, index)
        for name in self.required:
            if name not in self.columns:
                found = ", ".join(self.header) or "none"
                problems.append(
                    self.problem(f"required column is missing (the header has: {found})", line=1, column=name)
                )
        if problems:
            raise EscoImportError(problems)
        yield None  # the header is read
        width = len(self.header)
        start = reader.line_num + 1
        for row in reader:
            line_num = reader.line_num
            if len(row) == width:
                self.rows += 1
                yield start, row
            elif not row or row == [""]:
                pass
            elif len(row) < width:
                self.problems.add(
                    self.problem(
                        f"the row is truncated: it has {len(row)} of {width} fields",
                        line=start,
                        column=self.header[len(row)],
                    )
                )
            else:
                self.problems.add(
                    self.problem(f"the row has {len(row)} fields but the header row has {width}", line=start)
                )
            start = line_num + 1

    def _column_name(self, index: int, text: str) -> str:
        """The header's name for field ``index`` (the header is read from ``text`` when the reader did not get it)."""
        header = self.header
        if not header and "\n" in text:
            header = [name.strip() for name in next(csv.reader(io.StringIO(text[: text.index("\n")])), [])]
        return header[index] if 0 <= index < len(header) else f"#{index + 1}"

    def _encoding_problem(self) -> FileProblem:
        data = self.path.read_bytes()
        offset = 3 if data.startswith(b"\xef\xbb\xbf") else 0
        try:
            data[offset:].decode("utf-8")
        except UnicodeDecodeError as exc:
            bad = data[offset + exc.start : offset + exc.start + 1]
            prefix = data[offset : offset + exc.start].decode("utf-8")
            where = _scan(prefix)
            return self.problem(
                f"the file is not UTF-8: byte 0x{bad.hex()} cannot be decoded (save the file as UTF-8)",
                line=where.line,
                column=self._column_name(where.field, prefix) if where.record > 1 else None,
            )
        return self.problem("the file is not UTF-8 (save the file as UTF-8)")  # pragma: no cover - decoded above

    def _syntax_problem(self, message: str, line: int) -> FileProblem:
        text = self.path.read_bytes().decode("utf-8-sig")
        where = _scan(text)
        if where.error == "eof":
            return self.problem(
                f"the file ends inside a quoted field that starts on line {where.line}: "
                "the file is truncated or a quote is not closed",
                line=where.record_line,
                column=self._column_name(where.field, text),
            )
        if where.error == "quote":
            return self.problem(
                "a closing quote must be followed by a comma or the end of the line",
                line=where.line,
                column=self._column_name(where.field, text),
            )
        return self.problem(f"the CSV syntax is broken ({message})", line=line)


@dataclass
class _Position:
    record: int = 1  # 1 = the header row
    record_line: int = 1
    line: int = 1
    field: int = 0
    error: str = ""


def _scan(text: str) -> _Position:
    """Walk CSV text the way the reader does; stop at the end or at the first quoting mistake."""
    at = _Position()
    quoted = False
    quote_line = 1
    field_start = True
    index, length = 0, len(text)
    while index < length:
        char = text[index]
        if quoted:
            if char == '"':
                if index + 1 < length and text[index + 1] == '"':
                    index += 1
                elif index + 1 < length and text[index + 1] not in ",\r\n":
                    at.error = "quote"
                    return at
                else:
                    quoted = False
            elif char == "\n":
                at.line += 1
        elif char == '"' and field_start:
            quoted = True
            quote_line = at.line
        elif char == ",":
            at.field += 1
            field_start = True
            index += 1
            continue
        elif char == "\n":
            at.line += 1
            at.record += 1
            at.record_line = at.line
            at.field = 0
            field_start = True
            index += 1
            continue
        field_start = False
        index += 1
    if quoted:
        at.error = "eof"
        at.line = quote_line
    return at
