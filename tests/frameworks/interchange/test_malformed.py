"""Bad native and general files: every one is refused with messages naming file, line and field, and
nothing is written. The files are in ``malformed/``; each YAML file says in its first line what is wrong."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from skills4cities.frameworks.interchange.document import DocumentErrors
from skills4cities.frameworks.services import framework_import_file

MALFORMED = Path(__file__).parent / "malformed"
ESCO_ZERO = "http://data.europa.eu/esco/skill/00000000-0000-0000-0000-000000000000"
UNIT_FIELDS = "alignments, code, description, elements, extra, title"

CASES = [
    # Size, encoding, empty and truncated files
    (
        "oversized.yaml",
        ["oversized.yaml: the file is larger than the 1000 bytes an import accepts (FRAMEWORK_IMPORT_MAX_BYTES)"],
    ),
    ("empty.yaml", ["empty.yaml: the file is empty"]),
    ("blank.json", ["blank.json: the file is empty"]),
    (
        "latin1.yaml",
        [
            "latin1.yaml: line 28: byte 0xfc at byte offset 778 is not valid UTF-8 (the file may be Latin-1 or "
            "Windows-1252); save it as UTF-8 and import it again"
        ],
    ),
    ("utf16.json", ["utf16.json: line 1: the file is encoded as UTF-16; save it as UTF-8 and import it again"]),
    (
        "utf16-no-bom.yaml",
        [
            "utf16-no-bom.yaml: line 1: the file contains a NUL character (character 1), so it is not UTF-8 text; "
            "is it UTF-16? Save it as UTF-8 and import it again"
        ],
    ),
    (
        "truncated-utf8.yaml",
        [
            "truncated-utf8.yaml: line 7: the file ends in the middle of a character (byte offset 157); it looks truncated"
        ],
    ),
    (
        "truncated.yaml",
        [
            "truncated.yaml: line 21, column 79, roles[0].alignments: the file ends too early; it looks truncated "
            "(found unexpected end of stream (while scanning a quoted scalar at line 21))"
        ],
    ),
    (
        "truncated.json",
        [
            "truncated.json: line 100, column 11, units[0].elements[0]: the file ends too early; it looks truncated "
            "(Expecting property name enclosed in double quotes)"
        ],
    ),
    # Broken YAML and JSON
    (
        "bad-indentation.yaml",
        [
            "bad-indentation.yaml: line 40, column 8, units[0].elements[1]: invalid YAML: did not find expected '-' "
            "indicator (while parsing a block collection at line 30)"
        ],
    ),
    (
        "tab-indentation.yaml",
        [
            "tab-indentation.yaml: line 19, column 1, roles[0]: invalid YAML: found character that cannot start any "
            "token (while scanning for the next token at line 19)"
        ],
    ),
    (
        "unclosed-bracket.yaml",
        [
            "unclosed-bracket.yaml: line 19, column 14, roles[0].title: invalid YAML: did not find expected ',' or '}' "
            "(while parsing a flow mapping at line 18)"
        ],
    ),
    (
        "multiple-documents.yaml",
        [
            "multiple-documents.yaml: line 43, column 1: invalid YAML: but found another document (expected a single "
            "document in the stream at line 2)"
        ],
    ),
    ("missing-comma.json", ["missing-comma.json: line 7, column 3, status: invalid JSON: Expecting ',' delimiter"]),
    ("duplicate-key.yaml", ["duplicate-key.yaml: line 18, roles[0].code: duplicate key 'code' (first at line 17)"]),
    ("duplicate-key.json", ["duplicate-key.json: line 42, roles[0].code: duplicate key 'code' (first at line 41)"]),
    (
        "alias.yaml",
        [
            "alias.yaml: line 43, units[0].description: anchors and aliases (& and *) are not supported; write the value out"
        ],
    ),
    (
        "not-a-mapping.json",
        [
            "not-a-mapping.json: line 1: the file must hold one framework: a mapping with slug, version, title, "
            "scale, roles and units"
        ],
    ),
    # The schema: header, fields, types, forms
    (
        "wrong-format-version.yaml",
        [
            "wrong-format-version.yaml: line 3, format_version: format version 2 is not supported; this platform reads version 1"
        ],
    ),
    (
        "wrong-format-name.json",
        ["wrong-format-name.json: line 2, format: must be 'skills4cities-framework', not 'skills4cities-curriculum'"],
    ),
    (
        "missing-fields.json",
        [
            "missing-fields.json: line 29, scale.levels[1].name: is missing",
            "missing-fields.json: line 71, units[0].title: is missing",
            "missing-fields.json: line 117, units[0].elements[1].criteria: is missing",
        ],
    ),
    (
        "unknown-field.yaml",
        [
            "unknown-field.yaml: line 27, units[0].title: is missing",
            f"unknown-field.yaml: line 28, units[0].titel: unknown field; the fields here are: {UNIT_FIELDS}",
            f"unknown-field.yaml: line 29, units[0].colour: unknown field; the fields here are: {UNIT_FIELDS}",
        ],
    ),
    (
        "wrong-types.yaml",
        [
            "wrong-types.yaml: line 14, scale.levels[1].value: must be a whole number, not '2'",
            "wrong-types.yaml: line 19, roles[0].eqf_level: must be a whole number, not 'six'",
            "wrong-types.yaml: line 41, units[0].elements[1].criteria: must be a list, not a mapping",
        ],
    ),
    (
        "code-too-long.yaml",
        [
            "code-too-long.yaml: line 16, roles[0].slug: 'Mini_Role' is not a lowercase slug such as 'skills4cities'",
            "code-too-long.yaml: line 27, units[0].code: is longer than 32 characters",
        ],
    ),
    # The meaning: codes, references, scale, languages, ESCO, e-CF
    (
        "duplicate-codes.yaml",
        [
            "duplicate-codes.yaml: line 25, roles[0].requirements[0].elements.M1.E2: is not an element of this unit",
            "duplicate-codes.yaml: line 39, units[0].elements[1].code: duplicate code 'M1.E1' "
            "(first used at line 30, units[0].elements[0].code)",
        ],
    ),
    (
        "requirement-unknown-unit.yaml",
        [
            "requirement-unknown-unit.yaml: line 23, roles[0].requirements[0].unit: unknown unit 'M9'",
            "requirement-unknown-unit.yaml: line 25, roles[0].requirements[0].elements.M1.E2: "
            "is not an element of this unit",
        ],
    ),
    (
        "requirement-level-off-scale.yaml",
        [
            "requirement-level-off-scale.yaml: line 24, roles[0].requirements[0].level: level 7 is not on the scale ([1, 2])"
        ],
    ),
    (
        "element-without-criteria.yaml",
        [
            "element-without-criteria.yaml: line 41, units[0].elements[1].criteria: "
            "an element needs at least 1 performance criteria"
        ],
    ),
    (
        "unknown-language.yaml",
        ["unknown-language.yaml: line 8, title.fr: unknown language; use one of en, bg, ro, el, es, de"],
    ),
    (
        "bad-esco-uri.yaml",
        [
            "bad-esco-uri.yaml: line 37, units[0].elements[0].alignments[0].uri: not an ESCO skill URI: "
            "'https://esco.ec.europa.eu/en/classification/skill?uri=1af2db15'"
        ],
    ),
    (
        "unknown-esco-concept.yaml",
        [
            f"unknown-esco-concept.yaml: line 36, units[0].elements[0].alignments[0]: ESCO concept not found: {ESCO_ZERO}"
        ],
    ),
    (
        "bad-ecf-code.yaml",
        ["bad-ecf-code.yaml: line 38, units[0].elements[0].alignments[1].code: unknown e-CF 4.0 competence code 'Z.9'"],
    ),
    (
        "published-role-without-requirements.yaml",
        ["published-role-without-requirements.yaml: role mini-role requires no elements"],
    ),
    # A file whose format cannot be told
    (
        "notes.txt",
        ["notes.txt: cannot tell the format of this file from its name; choose one of yaml, json, case, moodle-csv"],
    ),
]


def test_every_malformed_file_has_a_case() -> None:
    assert sorted(path.name for path in MALFORMED.iterdir() if path.is_file()) == sorted(
        name for name, _problems in CASES
    )


@pytest.mark.parametrize(("name", "expected"), CASES, ids=[name for name, _problems in CASES])
def test_a_malformed_file_is_refused_with_file_line_and_field_and_nothing_is_written(
    name: str, expected: list[str], unchanged_database: Any, settings: Any
) -> None:
    if name == "oversized.yaml":
        settings.FRAMEWORK_IMPORT_MAX_BYTES = 1000
    data = (MALFORMED / name).read_bytes()

    with unchanged_database(), pytest.raises(DocumentErrors) as caught:
        framework_import_file(data=data, filename=name)

    assert [str(problem) for problem in caught.value.problems] == expected


def test_the_oversized_file_is_valid_apart_from_its_size(db: Any) -> None:
    result = framework_import_file(data=(MALFORMED / "oversized.yaml").read_bytes(), filename="oversized.yaml")

    assert (result.created, result.framework.slug, result.framework.version) == (True, "mini", "1.0.0")
