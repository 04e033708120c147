from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError

from skills4cities.portfolio.validators import check_name, display_name, inspect_upload
from tests.portfolio.helpers import HTML, PDF, PNG, SVG, TEXT, docx, odt


def inspect(name: str, data: bytes, limit: int = 1000) -> object:
    return inspect_upload(name=name, stream=io.BytesIO(data), size=len(data), max_bytes=limit)


@pytest.mark.parametrize(
    ("name", "data", "content_type"),
    [
        ("report.pdf", PDF, "application/pdf"),
        ("photo.PNG", PNG, "image/png"),
        ("notes.txt", TEXT, "text/plain; charset=utf-8"),
        ("cv.docx", docx(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("cv.odt", odt(), "application/vnd.oasis.opendocument.text"),
    ],
)
def test_accepted_types_are_detected_by_content(name: str, data: bytes, content_type: str) -> None:
    info = inspect(name, data)
    assert (info.content_type, info.size, info.display_name) == (content_type, len(data), name)


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty.pdf", b"", "“empty.pdf”: the file is empty."),
        ("big.txt", b"a" * 1001, "“big.txt”: the file is larger than the limit of 1000\xa0bytes."),
        ("fake.pdf", HTML, "“fake.pdf”: HTML, SVG and XML files are not accepted."),
        (
            "page.html",
            HTML,
            "“page.html”: files of type .html are not accepted. Accepted: .pdf, .png, .jpg, .jpeg, .webp, .docx, .xlsx, .odt, .txt.",
        ),
        (
            "logo.svg",
            SVG,
            "“logo.svg”: files of type .svg are not accepted. Accepted: .pdf, .png, .jpg, .jpeg, .webp, .docx, .xlsx, .odt, .txt.",
        ),
        ("logo.png", SVG, "“logo.png”: HTML, SVG and XML files are not accepted."),
        ("note.txt", HTML, "“note.txt”: the text contains markup or a script, which is not accepted."),
        (
            "run.txt",
            b"#!/bin/sh\nrm -rf /\n",
            "“run.txt”: the text contains markup or a script, which is not accepted.",
        ),
        ("image.pdf", PNG, "“image.pdf”: the file name ends in .pdf but the content is not of that type."),
        ("latin1.txt", "café".encode("latin-1"), "“latin1.txt”: a .txt file must be plain text in UTF-8."),
        ("text.docx", TEXT, "“text.docx”: the content is not a valid office document."),
        ("other.docx", odt(), "“other.docx”: the file name ends in .docx but the content is not such a document."),
        (
            "../../etc/passwd.txt",
            TEXT,
            "“../../etc/passwd.txt”: the file name must not contain a folder or drive (/, \\, .., C:).",
        ),
        (
            "/abs/report.pdf",
            PDF,
            "“/abs/report.pdf”: the file name must not contain a folder or drive (/, \\, .., C:).",
        ),
        ("..\\win.pdf", PDF, "“..\\win.pdf”: the file name must not contain a folder or drive (/, \\, .., C:)."),
        ("nul\x00.pdf", PDF, "“nul.pdf”: the file name must not contain a folder or drive (/, \\, .., C:)."),
        ("C:report.pdf", PDF, "“C:report.pdf”: the file name must not contain a folder or drive (/, \\, .., C:)."),
        ("noextension", PDF, "“noextension”: the file name needs an extension such as .pdf."),
    ],
)
def test_refused_uploads_name_the_file_and_the_problem(name: str, data: bytes, message: str) -> None:
    with pytest.raises(ValidationError) as refused:
        inspect(name, data)
    assert refused.value.messages == [message]


def test_display_name_drops_control_characters_and_caps_length() -> None:
    assert display_name("a\u202eb\r\n.pdf") == "ab.pdf"
    assert len(display_name("x" * 400 + ".pdf")) == 150


def test_check_name_gives_the_lower_case_extension() -> None:
    assert check_name("Report.PDF") == ("Report.PDF", "pdf")
