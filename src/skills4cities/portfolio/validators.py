"""Checks of uploaded evidence files, by content (never by the name or the browser's content type).

Accepted: PDF, PNG, JPEG, WebP, DOCX, XLSX, ODT (zip containers inspected without extracting anything) and
plain UTF-8 text (``.txt``) without markup. Refused: empty or oversize files, names with path components,
a name whose extension does not match the content, and HTML, SVG, XML or scripts in any disguise.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from typing import IO

import filetype
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

#: extension → (content type, kind of check)
ALLOWED: dict[str, str] = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "webp": "image/webp",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "odt": "application/vnd.oasis.opendocument.text",
    "txt": "text/plain; charset=utf-8",
}
_MAGIC = {"pdf": "application/pdf", "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "webp": "image/webp"}
_ZIP_MAX_ENTRIES = 5000
_MARKUP = re.compile(rb"<\s*[a-zA-Z!?/]")
_SCRIPT_START = (b"#!",)
_NAME_MAX = 150


@dataclass(frozen=True)
class InspectedUpload:
    display_name: str  # sanitised: for display and the download's file name only, never a path
    extension: str
    content_type: str
    size: int
    sha256: str


def _refuse(name: str, problem: str, code: str) -> ValidationError:
    return ValidationError(
        _("“%(name)s”: %(problem)s") % {"name": name, "problem": problem}, code=code, params={"file": name}
    )


def display_name(raw: str) -> str:
    """The original name as harmless display text: control characters dropped, length capped."""
    cleaned = "".join(ch for ch in unicodedata.normalize("NFC", raw) if unicodedata.category(ch)[0] != "C")
    return cleaned.strip()[:_NAME_MAX] or "file"


def check_name(raw: str) -> tuple[str, str]:
    """(display name, lower-case extension) or a ValidationError for names with path components."""
    shown = display_name(raw)
    if not raw or not raw.strip():
        raise _refuse(shown, _("the file has no name."), "name")
    if "\x00" in raw or "/" in raw or "\\" in raw or raw.strip() in {".", ".."} or re.match(r"^[A-Za-z]:", raw):
        raise _refuse(shown, _("the file name must not contain a folder or drive (/, \\, .., C:)."), "name")
    if "." not in shown.strip(".") or shown.startswith("."):
        raise _refuse(shown, _("the file name needs an extension such as .pdf."), "name")
    extension = shown.rsplit(".", 1)[1].lower()
    if extension not in ALLOWED:
        raise _refuse(
            shown,
            _("files of type .%(extension)s are not accepted. Accepted: %(accepted)s.")
            % {"extension": extension[:10], "accepted": ", ".join(f".{ext}" for ext in ALLOWED)},
            "type",
        )
    return shown, extension


def _zip_names(name: str, stream: IO[bytes]) -> tuple[zipfile.ZipFile, set[str]]:
    try:
        archive = zipfile.ZipFile(stream)
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise _refuse(name, _("the content is not a valid office document."), "content") from None
    if len(infos) > _ZIP_MAX_ENTRIES:
        raise _refuse(name, _("the office document has too many parts."), "content")
    return archive, {info.filename for info in infos}


def _check_office(name: str, extension: str, stream: IO[bytes]) -> None:
    stream.seek(0)
    archive, names = _zip_names(name, stream)
    if any(part.lower().endswith("vbaproject.bin") for part in names):
        raise _refuse(name, _("documents with macros are not accepted."), "content")
    if extension == "docx":
        ok = "[Content_Types].xml" in names and "word/document.xml" in names
    elif extension == "xlsx":
        ok = "[Content_Types].xml" in names and "xl/workbook.xml" in names
    else:  # odt: the first part is an uncompressed "mimetype" naming the document type
        info = archive.infolist()[0] if archive.infolist() else None
        ok = bool(
            info is not None
            and info.filename == "mimetype"
            and info.file_size < 100
            and archive.read(info).strip() == b"application/vnd.oasis.opendocument.text"
        )
    if not ok:
        raise _refuse(
            name,
            _("the file name ends in .%(extension)s but the content is not such a document.")
            % {"extension": extension},
            "content",
        )


def _check_text(name: str, data: bytes) -> None:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise _refuse(name, _("a .txt file must be plain text in UTF-8."), "content") from None
    if "\x00" in text:
        raise _refuse(name, _("a .txt file must be plain text in UTF-8."), "content")
    if _MARKUP.search(data) or data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(_SCRIPT_START):
        raise _refuse(name, _("the text contains markup or a script, which is not accepted."), "markup")


def inspect_upload(*, name: str, stream: IO[bytes], size: int, max_bytes: int) -> InspectedUpload:
    """Check one upload by its content; raise ValidationError (naming the file and the problem) or describe it."""
    shown, extension = check_name(name)
    if size <= 0:
        raise _refuse(shown, _("the file is empty."), "empty")
    if size > max_bytes:
        raise _refuse(
            shown,
            _("the file is larger than the limit of %(limit)s.") % {"limit": filesizeformat(max_bytes)},
            "size",
        )
    stream.seek(0)
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise _refuse(
            shown,
            _("the file is larger than the limit of %(limit)s.") % {"limit": filesizeformat(max_bytes)},
            "size",
        )
    if not data:
        raise _refuse(shown, _("the file is empty."), "empty")
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"<") and extension != "txt":
        raise _refuse(shown, _("HTML, SVG and XML files are not accepted."), "markup")
    if extension in _MAGIC:
        kind = filetype.guess(data[:8192])
        if kind is None or kind.mime != _MAGIC[extension]:
            raise _refuse(
                shown,
                _("the file name ends in .%(extension)s but the content is not of that type.")
                % {"extension": extension},
                "content",
            )
    elif extension == "txt":
        _check_text(shown, data)
    else:
        _check_office(shown, extension, stream)
    stream.seek(0)
    return InspectedUpload(
        display_name=shown,
        extension=extension,
        content_type=ALLOWED[extension],
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )
