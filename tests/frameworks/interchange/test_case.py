"""1EdTech CASE 1.1 packages: exports valid against the schema, exact round trips, foreign (OpenSALT-style)
packages, and bad files refused with file, line and field while nothing is written.

Fixtures: ``case/mini-package.json`` (our export of the mini framework), ``case/opensalt-framework.json``
(a hand-written package as OpenSALT exports them), ``case/tiny-package.json`` (a small foreign package)
and ``malformed/case/`` (bad files, most of them one change away from the tiny or the mini package).
"""

from __future__ import annotations

import copy
import json
import uuid
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings

from skills4cities.frameworks.interchange import case
from skills4cities.frameworks.interchange.document import DocumentErrors
from skills4cities.frameworks.interchange.native import read_framework
from skills4cities.frameworks.models import Framework, RoleRequirement, Statement
from skills4cities.frameworks.services import framework_export, framework_import_document, framework_import_file

pytestmark = pytest.mark.django_db

HERE = Path(__file__).parent
FIXTURES = HERE / "case"
MALFORMED = HERE / "malformed" / "case"
WHEN = datetime(2025, 3, 13, 9, 30, tzinfo=UTC)
BASE_URL = "https://skills.example.eu"
ESCO_STAKEHOLDERS = "http://data.europa.eu/esco/skill/1af2db15-2af9-44dd-9639-bf1fc69d4c34"
ESCO_PROJECT_MANAGER = "http://data.europa.eu/esco/occupation/bea99fea-0383-4c63-b944-70d4799de2c5"
ITEM_TYPES = {"Role", "Unit", "Element", "Performance Criterion", "Knowledge", "Skill", "Attitude"}


def fixture(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((FIXTURES / name).read_text(encoding="utf-8"))
    return loaded


def as_file(package: dict[str, Any]) -> bytes:
    return json.dumps(package, ensure_ascii=False, indent=2).encode("utf-8")


def outline(package: dict[str, Any]) -> dict[str, Any]:
    """A package without its identifiers, URIs and dates: items and associations by codes and texts."""
    items = {item["identifier"]: item for item in package["CFItems"]}

    def name(link: dict[str, Any]) -> str:
        item = items.get(link["identifier"])
        if item is not None:
            return str(item.get("humanCodingScheme") or item["fullStatement"])
        return "(document)" if link["identifier"] == package["CFDocument"]["identifier"] else str(link["uri"])

    def dump(value: Any) -> str:
        return json.dumps(value, sort_keys=True, ensure_ascii=False)

    [rubric] = package["CFRubrics"]
    return {
        "items": sorted(
            (item["CFItemType"], item["humanCodingScheme"], item["fullStatement"], dump(item.get("extensions")))
            for item in package["CFItems"]
        ),
        "associations": sorted(
            (
                association["associationType"],
                name(association["originNodeURI"]),
                name(association["destinationNodeURI"]),
                association.get("sequenceNumber", 0),
                dump(association.get("extensions")),
            )
            for association in package["CFAssociations"]
        ),
        "levels": [
            (level["score"], level["quality"], dump(level["extensions"]))
            for level in rubric["CFRubricCriteria"][0]["CFRubricCriterionLevels"]
        ],
    }


def canonical(package: dict[str, Any]) -> dict[str, Any]:
    """The same package whatever the order of its lists (CASE gives them no order) and without empty lists."""

    def by_id(values: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return sorted(values, key=lambda value: value["identifier"])

    result: dict[str, Any] = {key: by_id(value) if isinstance(value, list) else value for key, value in package.items()}
    definitions: dict[str, list[dict[str, Any]]] = result.get("CFDefinitions") or {}
    if definitions:
        result["CFDefinitions"] = {key: by_id(value) for key, value in definitions.items() if value}
    return result


def identifiers(package: dict[str, Any]) -> set[str]:
    return {obj["identifier"] for section in ("CFItems", "CFAssociations") for obj in package[section]}


def requirements(framework: Framework) -> set[tuple[str, str, int, bool]]:
    return set(
        RoleRequirement.objects.filter(role__framework=framework).values_list(
            "role__code", "element__code", "target_level", "essential"
        )
    )


# Export -----------------------------------------------------------------------------------------------


def test_reference_export_is_a_valid_case_1_1_package_with_every_item(reference: Framework) -> None:
    package = json.loads(framework_export(framework=reference, format="case"))

    assert case.export_problems(package) == []
    statements = Counter(Statement.objects.filter(element__framework=reference).values_list("kind", flat=True))
    assert Counter(item["CFItemType"] for item in package["CFItems"]) == {
        "Role": 3,
        "Unit": 13,
        "Element": 52,
        "Performance Criterion": reference.criteria.count(),
        "Knowledge": statements["knowledge"],
        "Skill": statements["skill"],
        "Attitude": statements["attitude"],
    }
    kinds = Counter(association["associationType"] for association in package["CFAssociations"])
    assert kinds["isChildOf"] == len(package["CFItems"])
    assert kinds["exactMatchOf"] + kinds["isRelatedTo"] == (
        reference.alignments.count() + RoleRequirement.objects.filter(role__framework=reference).count()
    )
    assert {item_type["title"] for item_type in package["CFDefinitions"]["CFItemTypes"]} == ITEM_TYPES
    assert [grouping["title"] for grouping in package["CFDefinitions"]["CFAssociationGroupings"]] == [
        "Role requirements"
    ]
    [rubric] = package["CFRubrics"]
    assert [
        (level["score"], level["quality"]) for level in rubric["CFRubricCriteria"][0]["CFRubricCriterionLevels"]
    ] == [(level.value, level.name_en) for level in reference.scale.levels.all()]
    assert package["CFDocument"]["adoptionStatus"] == "Adopted"
    assert package["CFDocument"]["caseVersion"] == "1.1"


def test_mini_export_is_the_committed_package(mini: dict[str, Any]) -> None:
    """The whole mapping at once: items, tree, alignments, requirements, scale and translations.

    After a deliberate change of the mapping, write the fixture again with
    ``case.package(MINI, changed=WHEN, base_url=BASE_URL)`` (JSON, indent 2) and review the diff.
    """
    package = case.package(mini, changed=WHEN, base_url=BASE_URL)

    assert case.export_problems(package) == []
    assert package == fixture("mini-package.json")


def test_mini_export_maps_requirements_alignments_translations_and_levels(mini: dict[str, Any]) -> None:
    package = case.package(mini, changed=WHEN, base_url=BASE_URL)
    outlined = outline(package)

    assert [(kind, code) for kind, code, _text, _ext in outlined["items"]] == sorted(
        [
            ("Role", "R1"),
            ("Unit", "M1"),
            ("Element", "M1.E1"),
            ("Performance Criterion", "M1.E1.PC1"),
            ("Knowledge", "M1.E1.K1"),
            ("Skill", "M1.E1.S1"),
            ("Attitude", "M1.E1.A1"),
            ("Element", "M1.E2"),
            ("Performance Criterion", "M1.E2.PC1"),
        ]
    )
    links = [
        (kind, origin, destination, sequence) for kind, origin, destination, sequence, _ext in outlined["associations"]
    ]
    assert links == sorted(
        [
            ("isChildOf", "R1", "(document)", 1),
            ("isChildOf", "M1", "(document)", 2),
            ("isChildOf", "M1.E1", "M1", 1),
            ("isChildOf", "M1.E1.PC1", "M1.E1", 1),
            ("isChildOf", "M1.E1.K1", "M1.E1", 2),
            ("isChildOf", "M1.E1.S1", "M1.E1", 3),
            ("isChildOf", "M1.E1.A1", "M1.E1", 4),
            ("isChildOf", "M1.E2", "M1", 2),
            ("isChildOf", "M1.E2.PC1", "M1.E2", 1),
            ("isRelatedTo", "R1", ESCO_PROJECT_MANAGER, 0),
            ("isRelatedTo", "M1.E1", ESCO_STAKEHOLDERS, 0),
            ("isRelatedTo", "M1.E1", "urn:e-cf:4.0:E.4", 0),
            ("isRelatedTo", "R1", "M1.E1", 0),
            ("isRelatedTo", "R1", "M1.E2", 0),
        ]
    )
    extensions = {
        (origin, destination): json.loads(ext)["skills4cities"]
        for kind, origin, destination, _seq, ext in outlined["associations"]
        if kind != "isChildOf"
    }
    assert extensions[("R1", "M1.E1")] == {"kind": "requirement", "targetLevel": 2, "essential": True}
    assert extensions[("R1", "M1.E2")] == {"kind": "requirement", "targetLevel": 1, "essential": True}
    assert extensions[("M1.E1", "urn:e-cf:4.0:E.4")] == {
        "kind": "alignment",
        "target": "ecf",
        "relation": "related",
        "level": 3,
    }
    role = next(item for item in package["CFItems"] if item["CFItemType"] == "Role")
    assert role["educationLevel"] == ["EQF 6"]
    assert role["extensions"]["skills4cities"]["translations"] == {"fullStatement": {"de": "Mini-Rolle"}}
    assert package["CFDocument"]["extensions"]["skills4cities"]["translations"] == {"title": {"de": "Mini-Rahmen"}}
    assert [(score, quality) for score, quality, _ext in outlined["levels"]] == [(1, "Basic"), (2, "Advanced")]


def test_an_exact_alignment_is_an_exact_match_association(mini: dict[str, Any]) -> None:
    mini["units"][0]["elements"][0]["alignments"][0]["relation"] = "exact"

    package = case.package(mini, changed=WHEN)

    [association] = [a for a in package["CFAssociations"] if a["destinationNodeURI"]["uri"] == ESCO_STAKEHOLDERS]
    assert association["associationType"] == "exactMatchOf"
    assert association["destinationNodeURI"] == {
        "title": "manage relationships with stakeholders",
        "identifier": "1af2db15-2af9-44dd-9639-bf1fc69d4c34",
        "uri": ESCO_STAKEHOLDERS,
        "targetType": "ext:esco-skill",
    }


def test_identifiers_are_uuid5_of_slug_version_and_object(mini: dict[str, Any]) -> None:
    package = case.package(mini, changed=WHEN)
    again = case.package(copy.deepcopy(mini), changed=WHEN)
    next_version = case.package(mini | {"version": "1.1.0"}, changed=WHEN)

    assert package["CFDocument"]["identifier"] == str(uuid.uuid5(case.NAMESPACE, "mini/1.0.0/document"))
    unit = next(item for item in package["CFItems"] if item["CFItemType"] == "Unit")
    assert unit["identifier"] == str(uuid.uuid5(case.NAMESPACE, "mini/1.0.0/unit:M1"))
    assert identifiers(again) == identifiers(package)
    assert identifiers(next_version).isdisjoint(identifiers(package))


def test_an_identifier_kept_from_an_import_is_exported(mini: dict[str, Any]) -> None:
    kept = "0f8e6a52-4b1d-4c3e-9a7f-2b5c8d1e0a39"
    mini["units"][0]["extra"] = {"case": {"identifier": kept}, "moodle": {"ruleoutcome": 1}}

    package = case.package(mini, changed=WHEN, base_url=BASE_URL)

    unit = next(item for item in package["CFItems"] if item["CFItemType"] == "Unit")
    assert (unit["identifier"], unit["uri"]) == (kept, f"{BASE_URL}/ims/case/v1p1/CFItems/{kept}")
    assert unit["extensions"]["skills4cities"]["extra"] == {"moodle": {"ruleoutcome": 1}}
    parents = {
        a["destinationNodeURI"]["identifier"] for a in package["CFAssociations"] if a["associationType"] == "isChildOf"
    }
    assert kept in parents
    back = case.read(as_file(package), source="mini.json")
    assert back["units"][0]["extra"] == {"case": {"identifier": kept}, "moodle": {"ruleoutcome": 1}}


# Round trips ------------------------------------------------------------------------------------------


def test_our_export_reads_back_as_the_same_document(reference: Framework) -> None:
    document = read_framework(reference)

    assert case.read(case.write(document), source="skills4cities.json") == document


def test_case_export_imported_as_a_new_version_exports_the_same_framework(reference: Framework) -> None:
    first = json.loads(framework_export(framework=reference, format="case"))
    first["CFDocument"]["version"] = "1.1.0"

    result = framework_import_file(data=as_file(first), filename="skills4cities-1.1.0.json")

    new = result.framework
    assert (result.created, new.slug, new.version, new.status) == (True, "skills4cities", "1.1.0", "published")
    assert read_framework(new) == read_framework(reference) | {"version": "1.1.0"}
    assert requirements(new) == requirements(reference)
    second = json.loads(framework_export(framework=new, format="case"))
    assert case.export_problems(second) == []
    assert outline(second) == outline(first)
    assert identifiers(second).isdisjoint(identifiers(first))  # a new version has identifiers of its own


def test_importing_the_same_case_file_again_changes_nothing(unchanged_database: Any) -> None:
    data = (FIXTURES / "mini-package.json").read_bytes()
    first = framework_import_file(data=data, filename="mini-package.json")

    with unchanged_database():
        again = framework_import_file(data=data, filename="mini-package.json")

    assert (first.created, again.created, again.framework) == (True, False, first.framework)


def test_our_package_imports_with_roles_requirements_alignments_and_translations() -> None:
    framework = framework_import_file(
        data=(FIXTURES / "mini-package.json").read_bytes(), filename="mini.json"
    ).framework

    assert (framework.slug, framework.version, framework.status, framework.title_de) == (
        "mini",
        "1.0.0",
        "draft",
        "Mini-Rahmen",
    )
    role = framework.roles.get()
    assert (role.slug, role.code, role.eqf_level, role.title_de) == ("mini-role", "R1", 6, "Mini-Rolle")
    assert requirements(framework) == {("R1", "M1.E1", 2, True), ("R1", "M1.E2", 1, True)}
    assert set(framework.alignments.values_list("target", "uri", "ecf_code", "ecf_level", "relation")) == {
        ("esco-occupation", ESCO_PROJECT_MANAGER, "", None, "related"),
        ("esco-skill", ESCO_STAKEHOLDERS, "", None, "related"),
        ("ecf", "", "E.4", 3, "related"),
    }
    assert list(framework.scale.levels.values_list("value", "name", "eqf_level")) == [
        (1, "Basic", 3),
        (2, "Advanced", 6),
    ]


# Packages published by others ------------------------------------------------------------------------


def test_opensalt_package_imports_as_a_three_level_tree() -> None:
    data = (FIXTURES / "opensalt-framework.json").read_bytes()

    framework = framework_import_file(data=data, filename="opensalt-framework.json").framework

    assert (framework.slug, framework.version, framework.status, framework.title) == (
        "digital-project-skills-for-municipalities",
        "2.0",
        "published",
        "Digital Project Skills for Municipalities",
    )
    tree = [
        (
            unit.code,
            unit.title,
            [(e.code, e.title, [(c.code, c.text) for c in e.criteria.all()]) for e in unit.elements.all()],
        )
        for unit in framework.units.all()
    ]
    assert tree == [
        (
            "D1",
            "Project initiation",
            [
                (
                    "D1.1",
                    "Define the scope of a digital project together with its stakeholders",
                    [
                        ("D1.1.a", "Writes a scope statement that the project sponsor signs off."),
                        ("D1.1.b", "Lists what the project will not deliver."),
                    ],
                ),
                (
                    "D1.2",
                    "Estimate the effort and cost of a digital project",
                    [("D1.2.a", "Bases the estimate on at least two comparable projects.")],
                ),
            ],
        )
    ]
    assert list(framework.alignments.values_list("element__code", "target", "uri", "relation", "label")) == [
        ("D1.1", "esco-skill", ESCO_STAKEHOLDERS, "exact", "manage relationships with stakeholders")
    ]
    assert (
        framework.elements.get(code="D1.2").description == "Covers procurement budgets as well as internal staff time."
    )
    assert framework.licence == "Creative Commons Attribution 4.0 International"
    assert framework.units.get().extra["case"]["CFItemType"] == "Domain"


def test_opensalt_import_reports_the_items_it_imported_as_generic_items() -> None:
    progress: list[str] = []

    result = framework_import_file(
        data=(FIXTURES / "opensalt-framework.json").read_bytes(), filename="opensalt.json", progress=progress.append
    )

    assert set(result.notes) <= set(progress)
    assert list(result.notes) == [
        "item a1000000-1c2d-4e3f-8a4b-5c6d7e8f9001 (type 'Domain') was imported as a unit D1; "
        "its type is kept for export",
        "item a1000000-1c2d-4e3f-8a4b-5c6d7e8f9002 (type 'Competency') was imported as an element D1.1; "
        "its type is kept for export",
        "item a1000000-1c2d-4e3f-8a4b-5c6d7e8f9004 (type 'Learning Objective') was imported as a performance "
        "criterion D1.1.b; its type is kept for export",
        "item a1000000-1c2d-4e3f-8a4b-5c6d7e8f9005 (type 'Competency') was imported as an element D1.2; "
        "its type is kept for export",
        "the file has no Skills4Cities proficiency scale; a one-level scale was made up (it is not exported)",
        "kept as they are and exported again: 0 items outside the tree, 1 associations, 0 rubrics, 3 definitions",
    ]


def test_opensalt_package_exports_back_unchanged() -> None:
    data = (FIXTURES / "opensalt-framework.json").read_bytes()
    framework = framework_import_file(data=data, filename="opensalt-framework.json").framework

    exported = json.loads(framework_export(framework=framework, format="case"))

    assert canonical(exported) == canonical(json.loads(data))


def test_items_deeper_than_three_levels_are_kept_as_criteria_of_their_element() -> None:
    package = fixture("opensalt-framework.json")
    deep = copy.deepcopy(package["CFItems"][2]) | {
        "identifier": "a1000000-1c2d-4e3f-8a4b-5c6d7e8f9007",
        "uri": "https://opensalt.example.org/uri/a1000000-1c2d-4e3f-8a4b-5c6d7e8f9007",
        "fullStatement": "Names the sponsor in the statement.",
        "humanCodingScheme": "D1.1.a.i",
    }
    package["CFItems"].append(deep)
    placement = copy.deepcopy(package["CFAssociations"][3])
    placement |= {"identifier": "e1000000-1c2d-4e3f-8a4b-5c6d7e8f9009", "uri": "https://opensalt.example.org/uri/e9"}
    placement["originNodeURI"] = {"title": deep["fullStatement"], "identifier": deep["identifier"], "uri": deep["uri"]}
    placement["destinationNodeURI"] = copy.deepcopy(package["CFAssociations"][3]["originNodeURI"])
    package["CFAssociations"].append(placement)

    document = case.read(as_file(package), source="deep.json")

    element = document["units"][0]["elements"][0]
    assert [criterion["code"] for criterion in element["criteria"]] == ["D1.1.a", "D1.1.a.i", "D1.1.b"]
    assert (
        "item a1000000-1c2d-4e3f-8a4b-5c6d7e8f9007 sits deeper than three levels "
        "(under a1000000-1c2d-4e3f-8a4b-5c6d7e8f9003); it is kept as performance criterion D1.1.a.i"
    ) in case.import_notes(document)
    assert canonical(case.package(document)) == canonical(package)


def test_missing_levels_get_placeholders_that_are_not_exported() -> None:
    package = fixture("tiny-package.json")
    del package["CFItems"][2], package["CFAssociations"][2]  # the element loses its only criterion
    orphan = copy.deepcopy(package["CFItems"][0]) | {"identifier": "a0000000-0000-4000-8000-000000000009"}
    package["CFItems"].append(orphan)  # an item outside the tree

    document = case.read(as_file(package), source="tiny.json")

    [element] = document["units"][0]["elements"]
    assert element["criteria"] == [
        {"code": "T1.1.PC1", "text": {"en": "Map stakeholders"}, "extra": {"case": {"_skip": True}}}
    ]
    assert (
        "a performance criterion T1.1.PC1 was added because the file has no item at this level; it is not exported"
    ) in case.import_notes(document)
    assert document["extra"]["case"]["unmapped"]["CFItems"] == [orphan]
    assert canonical(case.package(document)) == canonical(package)
    framework_import_document(document=document, source="tiny.json")  # a valid framework


def test_problems_found_while_storing_are_placed_on_the_lines_of_the_case_file(unchanged_database: Any) -> None:
    package = fixture("tiny-package.json")
    unknown = "http://data.europa.eu/esco/skill/00000000-0000-4000-8000-000000000000"
    alignment = copy.deepcopy(package["CFAssociations"][1]) | {"associationType": "exactMatchOf"}
    alignment["identifier"] = "e0000000-0000-4000-8000-000000000009"
    alignment["destinationNodeURI"] = {"title": "unknown skill", "identifier": "00000000", "uri": unknown}
    package["CFAssociations"].append(alignment)

    with unchanged_database(), pytest.raises(DocumentErrors) as raised:
        framework_import_file(data=as_file(package), filename="tiny.json")

    assert [str(problem) for problem in raised.value.problems] == [
        f"tiny.json: line 88, CFAssociations[3] (units[0].elements[0].alignments[0]): ESCO concept not found: {unknown}"
    ]


def test_changing_a_published_version_is_refused_on_the_version_line(
    reference: Framework, unchanged_database: Any
) -> None:
    package = json.loads(framework_export(framework=reference, format="case"))
    package["CFItems"][3]["fullStatement"] += " (changed)"

    with unchanged_database(), pytest.raises(DocumentErrors) as raised:
        framework_import_file(data=as_file(package), filename="skills4cities.json")

    assert [str(problem) for problem in raised.value.problems] == [
        "skills4cities.json: line 10, CFDocument.version (version): skills4cities 1.0.0 is published and cannot "
        "change; give the changed content a new version number"
    ]


# Bad files --------------------------------------------------------------------------------------------

UUID_EXAMPLE = "4a1c2e2b-3f6d-4e8a-9b0c-1d2e3f405162"
MALFORMED_CASES = [
    ("missing-cfdocument.json", ["missing-cfdocument.json: line 1, CFDocument: is missing"]),
    ("not-a-package.json", [
        "not-a-package.json: line 1: a CASE file holds one CFPackage: a JSON object with CFDocument, CFItems and "
        "CFAssociations"
    ]),
    ("documents-answer.json", [
        "documents-answer.json: line 1: this is a CASE REST answer about documents, not a package; download the "
        "package (GET /ims/case/v1p1/CFPackages/{id}) and import that"
    ]),
    ("bad-uuid.json", [f"bad-uuid.json: line 20, CFItems[1].identifier: 'item-2' is not a UUID such as {UUID_EXAMPLE}"]),
    ("duplicate-identifier.json", [
        "duplicate-identifier.json: line 28, CFItems[2].identifier: duplicate identifier "
        "a0000000-0000-4000-8000-000000000002: line 19, CFItems[1] has it too"
    ]),
    ("ischildof-cycle.json", [
        "ischildof-cycle.json: line 66, CFAssociations[1].destinationNodeURI.identifier: isChildOf associations form a "
        "cycle: a0000000-0000-4000-8000-000000000002 → a0000000-0000-4000-8000-000000000003 → "
        "a0000000-0000-4000-8000-000000000002"
    ]),
    ("missing-parent.json", [
        "missing-parent.json: line 83, CFAssociations[2].destinationNodeURI.identifier: the parent "
        "a0000000-0000-4000-8000-000000000099 is missing: no CFItem or CFDocument in this file has this identifier"
    ]),
    ("association-from-missing-item.json", [
        "association-from-missing-item.json: line 78, CFAssociations[2].originNodeURI.identifier: no CFItem in this "
        "file has the identifier a0000000-0000-4000-8000-000000000098; an isChildOf association must start at an item"
    ]),
    ("unknown-association-type.json", [
        "unknown-association-type.json: line 57, CFAssociations[1].associationType: unknown association type "
        "'isFriendOf'; CASE 1.1 has isChildOf, isPeerOf, isPartOf, exactMatchOf, precedes, isRelatedTo, replacedBy, "
        "exemplar, hasSkillLevel, isTranslationOf, or an extension named 'ext:…'"
    ]),
    ("unknown-target-type.json", [
        "unknown-target-type.json: line 51, CFAssociations[0].destinationNodeURI.targetType: must be 'CASE' or an "
        "extension named 'ext:…', not 'ESCO'"
    ]),
    ("duplicate-code.json", [
        "duplicate-code.json: line 185, CFItems[7].humanCodingScheme: duplicate code 'M1.E1': line 86, CFItems[2] has "
        "it too"
    ]),
    ("missing-required-field.json", ["missing-required-field.json: line 19, CFItems[1].fullStatement: is missing"]),
    ("empty-statement.json", ["empty-statement.json: line 31, CFItems[2].fullStatement: must not be empty"]),
    ("bad-date.json", [
        "bad-date.json: line 17, CFItems[0].lastChangeDateTime: '15/01/2025' is not a date-time such as "
        "2025-03-13T09:30:00Z"
    ]),
    ("no-items.json", [
        "no-items.json: line 10, CFItems: the package has no items under its CFDocument (isChildOf the document): "
        "nothing to import"
    ]),
    ("invalid-json.json", ["invalid-json.json: line 10, column 3, CFDocument: invalid JSON: Expecting ',' delimiter"]),
    ("duplicate-key.json", ["duplicate-key.json: line 7, CFDocument.title: duplicate key 'title' (first at line 6)"]),
    ("truncated.json", [
        "truncated.json: line 41, column 1, CFAssociations[0]: the file ends too early; it looks truncated "
        "(Expecting property name enclosed in double quotes)"
    ]),
    ("latin1.json", [
        "latin1.json: line 23: byte 0xfc at byte offset 873 is not valid UTF-8 (the file may be Latin-1 or "
        "Windows-1252); save it as UTF-8 and import it again"
    ]),
    ("rubric-level-not-numeric.json", [
        "rubric-level-not-numeric.json: line 620, CFRubrics[0].CFRubricCriteria[0].CFRubricCriterionLevels[1].score: "
        "must be a number, not 'high'"
    ]),
    ("rubric-level-fraction.json", [
        "rubric-level-fraction.json: line 620, CFRubrics[0].CFRubricCriteria[0].CFRubricCriterionLevels[1].score: "
        "a level of the proficiency scale needs a whole-number score from 1 to 100, not 2.5"
    ]),
    ("requirement-level-off-scale.json", [
        "requirement-level-off-scale.json: line 464, CFAssociations[12].extensions.skills4cities.targetLevel: "
        "level 9 is not on the proficiency scale (1, 2)"
    ]),
    ("role-without-eqf-level.json", [
        "role-without-eqf-level.json: line 48, CFItems[0].extensions.skills4cities.eqfLevel: every job role needs an "
        "EQF level from 1 to 8"
    ]),
    ("unknown-language.json", [
        "unknown-language.json: line 63, CFItems[0].extensions.skills4cities.translations.fullStatement.fr: unknown "
        "language 'fr'; use one of bg, ro, el, es, de"
    ]),
]  # fmt: skip


@pytest.mark.parametrize(("name", "expected"), MALFORMED_CASES, ids=[name for name, _expected in MALFORMED_CASES])
def test_bad_case_file_is_refused_with_file_line_and_field(
    name: str, expected: list[str], unchanged_database: Any
) -> None:
    with unchanged_database(), pytest.raises(DocumentErrors) as raised:
        framework_import_file(data=(MALFORMED / name).read_bytes(), filename=name, format="case")

    assert [str(problem) for problem in raised.value.problems] == expected


def test_every_bad_case_file_has_a_test() -> None:
    assert sorted(path.name for path in MALFORMED.iterdir()) == sorted(name for name, _expected in MALFORMED_CASES)


@override_settings(FRAMEWORK_IMPORT_MAX_BYTES=1000)
def test_oversized_case_file_is_refused_before_it_is_read(unchanged_database: Any) -> None:
    with unchanged_database(), pytest.raises(DocumentErrors) as raised:
        framework_import_file(data=(FIXTURES / "tiny-package.json").read_bytes(), filename="tiny-package.json")

    assert [str(problem) for problem in raised.value.problems] == [
        "tiny-package.json: the file is larger than the 1000 bytes an import accepts (FRAMEWORK_IMPORT_MAX_BYTES)"
    ]


def test_the_bad_files_are_one_change_away_from_files_that_import() -> None:
    for name in ("tiny-package.json", "mini-package.json"):
        assert framework_import_file(data=(FIXTURES / name).read_bytes(), filename=name).created
