"""Importing framework documents: validation with locations, idempotence, immutability of published versions."""

from __future__ import annotations

from typing import Any

import pytest

from skills4cities.frameworks.interchange.document import DocumentErrors
from skills4cities.frameworks.interchange.native import read_framework
from skills4cities.frameworks.models import Framework, RoleRequirement
from skills4cities.frameworks.services import framework_import_document

pytestmark = pytest.mark.django_db


def _problems(document: dict[str, Any]) -> list[str]:
    with pytest.raises(DocumentErrors) as caught:
        framework_import_document(document=document, source="mini.yaml")
    return [str(problem) for problem in caught.value.problems]


def test_import_creates_the_tree_and_expands_unit_requirements_with_overrides(mini: dict[str, Any]) -> None:
    result = framework_import_document(document=mini)

    framework = result.framework
    assert result.created is True
    assert list(framework.elements.values_list("code", flat=True)) == ["M1.E1", "M1.E2"]
    assert set(
        RoleRequirement.objects.filter(role__framework=framework).values_list("element__code", "target_level")
    ) == {
        ("M1.E1", 2),
        ("M1.E2", 1),
    }
    assert framework.roles.get().title_de == "Mini-Rolle"
    assert framework.elements.get(code="M1.E1").alignments.count() == 2


def test_importing_the_same_document_twice_changes_nothing(mini: dict[str, Any]) -> None:
    first = framework_import_document(document=mini)

    second = framework_import_document(document=mini)

    assert second.created is False
    assert second.framework.pk == first.framework.pk
    assert Framework.objects.filter(slug="mini").count() == 1


def test_export_then_import_of_a_version_is_lossless(mini: dict[str, Any]) -> None:
    framework = framework_import_document(document=mini).framework
    document = read_framework(framework)
    framework.delete()

    again = framework_import_document(document=document).framework

    assert read_framework(again) == document


def test_format_data_kept_by_an_import_survives_the_round_trip(mini: dict[str, Any]) -> None:
    mini["extra"] = {"case": {"identifier": "2f0c…"}}
    mini["units"][0]["extra"] = {"moodle": {"ruletype": "core_competency\\competency_rule_all"}}
    mini["units"][0]["elements"][0]["criteria"][0]["extra"] = {"case": {"CFItemType": "Indicator"}}
    framework = framework_import_document(document=mini).framework

    document = read_framework(framework)

    assert document["extra"] == {"case": {"identifier": "2f0c…"}}
    assert document["units"][0]["extra"] == {"moodle": {"ruletype": "core_competency\\competency_rule_all"}}
    assert document["units"][0]["elements"][0]["criteria"][0]["extra"] == {"case": {"CFItemType": "Indicator"}}
    assert "extra" not in document["units"][0]["elements"][0]


def test_format_data_must_be_a_mapping(mini: dict[str, Any]) -> None:
    mini["units"][0]["extra"] = ["not", "a", "mapping"]

    assert _problems(mini) == ["mini.yaml: units[0].extra: must be a mapping"]


def test_duplicate_codes_are_reported_with_their_location_and_nothing_is_written(
    mini: dict[str, Any],
) -> None:
    mini["units"][0]["elements"][1]["code"] = "M1.E1"

    problems = _problems(mini)

    assert problems == [
        "mini.yaml: units[0] elements[1].code: duplicate code 'M1.E1' (first used at mini.yaml: units[0] elements[0].code)",
        "mini.yaml: role mini-role.requirements[0].elements.M1.E2: is not an element of this unit",
    ]
    assert Framework.objects.filter(slug="mini").count() == 0


def test_an_element_without_criteria_is_refused(mini: dict[str, Any]) -> None:
    mini["units"][0]["elements"][1]["criteria"] = []

    assert _problems(mini) == [
        "mini.yaml: units[0] element M1.E2.criteria: an element needs at least 1 performance criteria"
    ]


def test_requirement_levels_must_be_on_the_scale(mini: dict[str, Any]) -> None:
    mini["roles"][0]["requirements"][0]["level"] = 7

    assert _problems(mini) == ["mini.yaml: role mini-role.requirements[0].level: level 7 is not on the scale ([1, 2])"]


def test_unknown_esco_concepts_are_refused(mini: dict[str, Any]) -> None:
    uri = "http://data.europa.eu/esco/skill/00000000-0000-0000-0000-000000000000"
    mini["units"][0]["elements"][0]["alignments"][0]["uri"] = uri

    assert _problems(mini) == [f"mini.yaml: element M1.E1.alignments[0]: ESCO concept not found: {uri}"]


def test_unknown_ecf_codes_and_languages_are_refused(mini: dict[str, Any]) -> None:
    mini["units"][0]["elements"][0]["alignments"][1]["code"] = "Z.9"
    mini["title"]["fr"] = "Cadre"

    assert sorted(_problems(mini)) == [
        "mini.yaml: title.fr: unknown language; use one of en, bg, ro, el, es, de",
        "mini.yaml: units[0] element M1.E1.alignments[1].code: unknown e-CF 4.0 competence code 'Z.9'",
    ]


def test_a_published_version_cannot_be_changed_by_a_new_import(mini: dict[str, Any]) -> None:
    mini["status"] = "published"
    framework_import_document(document=mini)
    mini["units"][0]["title"]["en"] = "Engagement, changed"

    assert _problems(mini) == [
        "mini.yaml: version: mini 1.0.0 is published and cannot change; give the changed content a new version number"
    ]
    assert Framework.objects.get(slug="mini").units.get().title_en == "Engagement"
