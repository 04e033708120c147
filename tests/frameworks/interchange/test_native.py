"""Native YAML and JSON files: lossless, deterministic round trips; the header; lines in later problems."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator

from skills4cities.frameworks.interchange.document import DocumentErrors
from skills4cities.frameworks.interchange.native import read_framework
from skills4cities.frameworks.interchange.native_files import read_json, read_yaml, write_json, write_yaml
from skills4cities.frameworks.interchange.schema import framework_schema, schema_problems
from skills4cities.frameworks.models import Framework
from skills4cities.frameworks.services import framework_export, framework_import_document, framework_import_file

pytestmark = pytest.mark.django_db

HERE = Path(__file__).parent
DOCS = Path(__file__).resolve().parents[3] / "docs" / "formats" / "framework.md"


def test_yaml_export_import_under_a_new_slug_and_export_again_gives_the_same_bytes(reference: Framework) -> None:
    first = framework_export(framework=reference, format="yaml")
    renamed = first.replace(b"\nslug: skills4cities\n", b"\nslug: skills4cities-copy\n", 1)
    assert renamed.count(b"\nslug: skills4cities-copy\n") == 1

    result = framework_import_file(data=renamed, filename="copy.yaml")

    assert result.created is True
    assert (result.framework.slug, result.framework.version) == ("skills4cities-copy", "1.0.0")
    assert framework_export(framework=result.framework, format="yaml") == renamed


def test_json_export_import_under_a_new_version_and_export_again_gives_the_same_bytes(reference: Framework) -> None:
    first = framework_export(framework=reference, format="json")
    renamed = first.replace(b'\n  "version": "1.0.0",\n', b'\n  "version": "1.1.0",\n', 1)
    assert renamed != first

    result = framework_import_file(data=renamed, filename="next.json")

    assert result.created is True
    assert (result.framework.slug, result.framework.version) == ("skills4cities", "1.1.0")
    assert framework_export(framework=result.framework, format="json") == renamed
    assert read_framework(result.framework) == read_framework(reference) | {"version": "1.1.0"}


def test_yaml_and_json_exports_hold_the_same_document(reference: Framework) -> None:
    from_yaml = read_yaml(framework_export(framework=reference, format="yaml"), source="a.yaml")
    from_json = read_json(framework_export(framework=reference, format="json"), source="a.json")

    assert from_yaml == from_json == read_framework(reference)


def test_exports_start_with_the_format_header_and_fit_the_schema(reference: Framework) -> None:
    exported_yaml = framework_export(framework=reference, format="yaml")
    exported_json = json.loads(framework_export(framework=reference, format="json"))

    assert exported_yaml.startswith(b"format: skills4cities-framework\nformat_version: 1\nslug: skills4cities\n")
    assert list(exported_json)[:3] == ["format", "format_version", "slug"]
    assert schema_problems(exported_json) == []
    assert framework_schema()["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(framework_schema())


def test_exported_yaml_has_no_anchors_or_aliases_and_is_plain_utf8(reference: Framework) -> None:
    text = framework_export(framework=reference, format="yaml").decode("utf-8")

    assert re.search(r"[&*]id\d+", text) is None
    assert "Референтна рамка" in text  # Bulgarian written as it is, not escaped


def test_reimporting_an_export_of_a_stored_version_changes_nothing(reference: Framework) -> None:
    data = framework_export(framework=reference, format="yaml")

    result = framework_import_file(data=data, filename="skills4cities.yaml")

    assert (result.created, result.framework.pk) == (False, reference.pk)
    assert Framework.objects.filter(slug="skills4cities").count() == 1


def test_a_file_without_the_header_is_read_as_version_1(db: Any) -> None:
    data = (HERE / "mini.yaml").read_bytes().replace(b"format: skills4cities-framework\nformat_version: 1\n", b"")

    result = framework_import_file(data=data, filename="mini.yaml")

    assert (result.created, result.framework.slug) == (True, "mini")


def test_a_utf8_byte_order_mark_is_accepted(db: Any) -> None:
    result = framework_import_file(data=b"\xef\xbb\xbf" + (HERE / "mini.yaml").read_bytes(), filename="mini.yaml")

    assert result.framework.title_de == "Mini-Rahmen"


def test_format_data_survives_a_yaml_and_a_json_round_trip(mini: dict[str, Any]) -> None:
    mini["extra"] = {"case": {"identifier": "c0ffee00-0000-4000-8000-000000000001", "uri": "https://case.example/d"}}
    mini["units"][0]["extra"] = {"moodle": {"ruletype": "core_competency\\competency_rule_all", "ruleoutcome": 1}}
    framework = framework_import_document(document=mini).framework
    document = read_framework(framework)

    assert read_yaml(write_yaml(document), source="x.yaml") == document
    assert read_json(write_json(document), source="x.json") == document
    assert read_yaml(write_yaml(document), source="x.yaml")["units"][0]["extra"] == {
        "moodle": {"ruleoutcome": 1, "ruletype": "core_competency\\competency_rule_all"}
    }


def test_writing_is_deterministic_whatever_the_key_order_of_the_document(mini: dict[str, Any]) -> None:
    shuffled = dict(reversed(list(mini.items())))
    shuffled["units"] = [dict(reversed(list(unit.items()))) for unit in mini["units"]]

    assert write_yaml(shuffled) == write_yaml(mini)
    assert write_json(shuffled) == write_json(mini)


def test_multi_line_texts_are_written_as_literal_blocks_and_read_back_exactly(mini: dict[str, Any]) -> None:
    mini["description"] = {"en": "First paragraph.\n\nSecond paragraph:\n- a point\n"}

    data = write_yaml(mini)

    assert b"description:\n  en: |\n    First paragraph.\n" in data
    assert read_yaml(data, source="x.yaml")["description"] == mini["description"]


def test_changing_a_published_version_is_refused_at_the_line_of_its_version(db: Any) -> None:
    published = (HERE / "mini.yaml").read_bytes().replace(b"status: draft", b"status: published")
    framework_import_file(data=published, filename="mini.yaml")
    changed = published.replace(b"{en: Engagement}", b"{en: Engagement (changed)}")

    with pytest.raises(DocumentErrors) as caught:
        framework_import_file(data=changed, filename="mini.yaml")

    assert [str(problem) for problem in caught.value.problems] == [
        "mini.yaml: line 4, version: mini 1.0.0 is published and cannot change; give the changed content a new "
        "version number"
    ]


def test_problems_found_by_the_import_get_lines_in_json_files_too(db: Any) -> None:
    document = read_yaml((HERE / "mini.yaml").read_bytes(), source="mini.yaml")
    document["units"][0]["elements"][1]["criteria"][0]["code"] = "M1.E1.PC1"
    data = write_json(document)

    with pytest.raises(DocumentErrors) as caught:
        framework_import_file(data=data, filename="mini.json")

    assert [str(problem) for problem in caught.value.problems] == [
        "mini.json: line 108, units[0].elements[1].criteria[0].code: duplicate code 'M1.E1.PC1' "
        "(first used at line 83, units[0].elements[0].criteria[0].code)"
    ]
    assert data.decode().splitlines()[107].strip() == '"code": "M1.E1.PC1",'
    assert data.decode().splitlines()[82].strip() == '"code": "M1.E1.PC1",'


def test_the_documented_example_imports(db: Any) -> None:
    example = DOCS.read_text(encoding="utf-8").split("## Example\n", 1)[1].split("```yaml\n", 1)[1].split("```", 1)[0]

    result = framework_import_file(data=example.encode(), filename="example.yaml")

    assert result.framework.slug == "mini"
    assert result.framework.elements.get(code="M1.E2").extra == {
        "moodle": {"ruletype": "core_competency\\competency_rule_all"}
    }
    assert yaml.safe_load(example)["format_version"] == 1
