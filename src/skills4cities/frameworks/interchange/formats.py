"""The registry of framework interchange formats.

Every format is a module with ``read(data: bytes, *, source: str) -> dict`` (a native document, or
:class:`DocumentErrors` naming file, line and field) and ``write(document: dict) -> bytes``. It may
also have ``relocate(data, *, source, problems) -> list[Problem]``, which gives the problems found
later by the import (``validate_document``, ESCO and e-CF checks) the line of the file they are on.
Modules are imported when first used, by dotted path.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import PurePath
from types import ModuleType
from typing import Any

from django.utils.translation import gettext as _

from skills4cities.frameworks.interchange.document import DocumentErrors, Problem

_PACKAGE = "skills4cities.frameworks.interchange"


@dataclass(frozen=True)
class FormatSpec:
    name: str
    label: str
    module: str
    extensions: tuple[str, ...]
    media_type: str
    reader: str = "read"
    writer: str = "write"
    relocator: str = "relocate"
    native: bool = False

    def load(self) -> ModuleType:
        return importlib.import_module(self.module)

    def read(self, data: bytes, *, source: str) -> dict[str, Any]:
        document: dict[str, Any] = getattr(self.load(), self.reader)(data, source=source)
        return document

    def write(self, document: dict[str, Any], *, changed: datetime | None = None) -> bytes:
        """The file of ``document``. ``changed`` is the version's last-change time, for formats that stamp
        objects with one (CASE); writers of the other formats accept and ignore it, so exports stay
        deterministic whatever the format."""
        data: bytes = getattr(self.load(), self.writer)(document, changed=changed)
        return data

    def relocate(self, data: bytes, *, source: str, problems: list[Problem]) -> list[Problem]:
        """``problems`` with the line of each place, where the format can tell; else unchanged."""
        relocator: Callable[..., list[Problem]] | None = getattr(self.load(), self.relocator, None)
        if relocator is None:
            return problems
        try:
            return relocator(data, source=source, problems=problems)
        except DocumentErrors:  # the file was readable a moment ago; keep the problems as they are
            return problems

    def import_notes(self, document: dict[str, Any]) -> list[str]:
        """What the reader wants the importing user to know (e.g. CASE items of other types); often nothing."""
        notes: Callable[[dict[str, Any]], list[str]] | None = getattr(self.load(), "import_notes", None)
        return list(notes(document)) if notes is not None else []

    @property
    def extension(self) -> str:
        return self.extensions[0]


FORMATS: dict[str, FormatSpec] = {
    "yaml": FormatSpec(
        name="yaml",
        label="Skills4Cities YAML",
        module=f"{_PACKAGE}.native_files",
        extensions=(".yaml", ".yml"),
        media_type="application/yaml",
        reader="read_yaml",
        writer="write_yaml",
        relocator="relocate_yaml",
        native=True,
    ),
    "json": FormatSpec(
        name="json",
        label="Skills4Cities JSON",
        module=f"{_PACKAGE}.native_files",
        extensions=(".json",),
        media_type="application/json",
        reader="read_json",
        writer="write_json",
        relocator="relocate_json",
        native=True,
    ),
    "case": FormatSpec(
        name="case",
        label="1EdTech CASE 1.1 (JSON)",
        module=f"{_PACKAGE}.case",
        extensions=(".json",),
        media_type="application/json",
    ),
    "moodle-csv": FormatSpec(
        name="moodle-csv",
        label="Moodle competency framework (CSV)",
        module=f"{_PACKAGE}.moodle",
        extensions=(".csv",),
        media_type="text/csv",
    ),
}

_CASE_MARKERS = (b'"CFDocument"', b'"CFItems"', b'"CFPackage"')
_NATIVE_HEADER = re.compile(rb'"format"\s*:\s*"skills4cities-framework"')
_MOODLE_HEADER = b"id number"


def get_format(name: str, *, source: str = "") -> FormatSpec:
    """The format called ``name``; :class:`DocumentErrors` for an unknown name."""
    try:
        return FORMATS[name]
    except KeyError:
        message = _("unknown format %(name)r; use one of %(formats)s") % {"name": name, "formats": ", ".join(FORMATS)}
        raise DocumentErrors([Problem(source or name, message)]) from None


def guess_format(filename: str, data: bytes) -> str:
    """The format of a file from its name and its first bytes.

    JSON is native when it starts with the native header, else CASE when it has CASE's ``CFDocument``
    or ``CFItems``, else native; a CSV file is a Moodle competency framework. Raises
    :class:`DocumentErrors` when the format cannot be told.
    """
    suffix = PurePath(filename).suffix.lower()
    head = data[:65536].lstrip(b"\xef\xbb\xbf \t\r\n")
    if suffix == ".json" or (not suffix and head.startswith((b"{", b"["))):
        if _NATIVE_HEADER.search(head[:4096]):
            return "json"
        return "case" if any(marker in data for marker in _CASE_MARKERS) else "json"
    if suffix in FORMATS["yaml"].extensions:
        return "yaml"
    if suffix in FORMATS["moodle-csv"].extensions:
        return "moodle-csv"
    first_line = head.split(b"\n", 1)[0].lower()
    if _MOODLE_HEADER in first_line and b"," in first_line:
        return "moodle-csv"
    if head.startswith((b"format: skills4cities-framework", b"slug:", b"---")):
        return "yaml"
    message = _("cannot tell the format of this file from its name; choose one of %(formats)s") % {
        "formats": ", ".join(FORMATS)
    }
    raise DocumentErrors([Problem(PurePath(filename).name or filename, message)])
