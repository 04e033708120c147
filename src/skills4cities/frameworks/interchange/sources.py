"""Helpers shared by every interchange format: decoding a file and naming places in it.

A place is written ``"<file>: line <n>, <field>"`` (the field is a document path such as
``units[0].elements[1].criteria`` or a column name such as ``column 'Parent ID number'``), so that
every message of every format reads the same.
"""

from __future__ import annotations

import codecs
from collections.abc import Sequence

from django.utils.translation import gettext as _

from skills4cities.frameworks.interchange.document import DocumentErrors, Problem

#: A path inside a document: mapping keys and list indexes.
Path = tuple[str | int, ...]

#: More problems than this are summarised in one last line.
MAX_PROBLEMS = 200

_OTHER_ENCODINGS = (
    (codecs.BOM_UTF32_LE, "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)


def path_text(path: Sequence[str | int]) -> str:
    """``("units", 0, "elements", 1, "criteria")`` → ``"units[0].elements[1].criteria"``."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


def place(source: str, line: int | None = None, field: str = "", *, column: int | None = None) -> str:
    """``"partner.yaml: line 7, column 3, units[0].title"``; parts that are unknown are left out."""
    parts = []
    if line is not None:
        parts.append(_("line %(line)d") % {"line": line})
    if column is not None:
        parts.append(_("column %(column)d") % {"column": column})
    if field:
        parts.append(field)
    return f"{source}: {', '.join(parts)}" if parts else source


def line_of_offset(text: str | bytes, offset: int) -> tuple[int, int]:
    """1-based line and column of a character (or byte) offset."""
    newline = "\n" if isinstance(text, str) else b"\n"
    line = text.count(newline, 0, offset) + 1  # type: ignore[arg-type]
    column = offset - (text.rfind(newline, 0, offset) + 1) + 1  # type: ignore[arg-type]
    return line, column


def decode_text(data: bytes, *, source: str) -> str:
    """The text of a UTF-8 file (a byte-order mark is allowed). Anything else is refused with its place.

    Raises :class:`DocumentErrors` naming the file, the line and the byte offset of the first bad byte.
    """
    for bom, name in _OTHER_ENCODINGS:
        if data.startswith(bom):
            raise DocumentErrors(
                [
                    Problem(
                        place(source, 1),
                        _("the file is encoded as %(encoding)s; save it as UTF-8 and import it again")
                        % {"encoding": name},
                    )
                ]
            )
    skipped = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    try:
        text = data[skipped:].decode("utf-8")
    except UnicodeDecodeError as exc:
        offset = exc.start + skipped
        line, _column = line_of_offset(data, offset)
        if exc.reason == "unexpected end of data":
            message = _("the file ends in the middle of a character (byte offset %(offset)d); it looks truncated") % {
                "offset": offset
            }
        else:
            message = _(
                "byte 0x%(byte)02x at byte offset %(offset)d is not valid UTF-8 (the file may be Latin-1 or "
                "Windows-1252); save it as UTF-8 and import it again"
            ) % {"byte": data[offset], "offset": offset}
        raise DocumentErrors([Problem(place(source, line), message)]) from None
    nul = text.find("\x00")
    if nul >= 0:
        line, _column = line_of_offset(text, nul)
        raise DocumentErrors(
            [
                Problem(
                    place(source, line),
                    _(
                        "the file contains a NUL character (character %(offset)d), so it is not UTF-8 text; "
                        "is it UTF-16? Save it as UTF-8 and import it again"
                    )
                    % {"offset": nul},
                )
            ]
        )
    if not text.strip():
        raise DocumentErrors([Problem(source, _("the file is empty"))])
    return text


def capped(problems: list[Problem], source: str, maximum: int = MAX_PROBLEMS) -> list[Problem]:
    """At most ``maximum`` problems, then one line saying how many more there are."""
    if len(problems) <= maximum:
        return problems
    more = len(problems) - maximum
    return [*problems[:maximum], Problem(source, _("… and %(count)d more problems") % {"count": more})]
