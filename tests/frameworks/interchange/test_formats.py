"""The format registry: names, lazy modules, recognising a file's format."""

from __future__ import annotations

import pytest

from skills4cities.frameworks.interchange.document import DocumentErrors
from skills4cities.frameworks.interchange.formats import FORMATS, get_format, guess_format

CASE_JSON = b'{"CFDocument": {"identifier": "9f0b", "title": "Framework"}, "CFItems": []}'
MOODLE_CSV = b'"Parent ID number","ID number","Short name","Description"\n'


def test_the_registry_names_the_four_formats_with_their_modules() -> None:
    assert {name: (spec.module, spec.reader, spec.writer) for name, spec in FORMATS.items()} == {
        "yaml": ("skills4cities.frameworks.interchange.native_files", "read_yaml", "write_yaml"),
        "json": ("skills4cities.frameworks.interchange.native_files", "read_json", "write_json"),
        "case": ("skills4cities.frameworks.interchange.case", "read", "write"),
        "moodle-csv": ("skills4cities.frameworks.interchange.moodle", "read", "write"),
    }


@pytest.mark.parametrize(
    ("filename", "data", "expected"),
    [
        ("partner.yaml", b"slug: x\n", "yaml"),
        ("partner.YML", b"slug: x\n", "yaml"),
        ("partner.json", b'{"format": "skills4cities-framework"}', "json"),
        ("ministry.json", CASE_JSON, "case"),
        ("ministry", CASE_JSON, "case"),
        ("moodle-export.csv", MOODLE_CSV, "moodle-csv"),
        ("export", MOODLE_CSV, "moodle-csv"),
        ("framework", b"format: skills4cities-framework\nformat_version: 1\n", "yaml"),
        ("framework", b'\xef\xbb\xbf{"slug": "x"}', "json"),
        ("mine.json", b'{"format": "skills4cities-framework", "extra": {"case": {"CFDocument": {}}}}', "json"),
    ],
)
def test_guess_format_uses_the_name_and_then_the_content(filename: str, data: bytes, expected: str) -> None:
    assert guess_format(filename, data) == expected


def test_guess_format_refuses_a_file_it_cannot_tell() -> None:
    with pytest.raises(DocumentErrors) as caught:
        guess_format("data/notes.txt", b"Some notes")

    assert [str(problem) for problem in caught.value.problems] == [
        "notes.txt: cannot tell the format of this file from its name; choose one of yaml, json, case, moodle-csv"
    ]


def test_an_unknown_format_name_is_refused_with_the_known_names() -> None:
    with pytest.raises(DocumentErrors) as caught:
        get_format("xlsx", source="partner.xlsx")

    assert [str(problem) for problem in caught.value.problems] == [
        "partner.xlsx: unknown format 'xlsx'; use one of yaml, json, case, moodle-csv"
    ]
