"""The version diff: pure functions over two native documents (edited copies of real ones)."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from skills4cities.frameworks.diff import (
    FieldChange,
    Item,
    ItemChange,
    Move,
    Requirement,
    RequirementChange,
    diff_documents,
    groups,
    requirements_of,
    word_diff,
)
from skills4cities.frameworks.interchange.native import read_framework
from skills4cities.frameworks.models import Framework


def _unit(document: dict[str, Any], code: str) -> dict[str, Any]:
    return next(unit for unit in document["units"] if unit["code"] == code)


def _element(document: dict[str, Any], code: str) -> dict[str, Any]:
    return next(e for unit in document["units"] for e in unit["elements"] if e["code"] == code)


@pytest.fixture
def new(mini: dict[str, Any]) -> dict[str, Any]:
    document = copy.deepcopy(mini)
    document["version"] = "1.1.0"
    return document


def test_a_version_compared_with_an_identical_copy_has_no_changes(mini: dict[str, Any], new: dict[str, Any]) -> None:
    diff = diff_documents(mini, new)

    assert diff.is_empty
    assert (diff.slug, diff.from_version, diff.to_version) == ("mini", "1.0.0", "1.1.0")
    assert diff.summary == {"added": 0, "removed": 0, "moved": 0, "changed": 0, "requirements": 0}


def test_an_added_element_is_listed_with_its_criteria_and_the_requirements_it_brings(
    mini: dict[str, Any], new: dict[str, Any]
) -> None:
    _unit(new, "M1")["elements"].insert(
        0,
        {
            "code": "M1.E0",
            "title": {"en": "Read the city's strategy"},
            "criteria": [{"code": "M1.E0.PC1", "text": {"en": "Names the strategy's goals."}}],
        },
    )

    diff = diff_documents(mini, new)

    assert diff.added == (
        Item("element", "M1.E0", {"en": "Read the city's strategy"}, "M1", "M1", 1),
        Item("criterion", "M1.E0.PC1", {"en": "Names the strategy's goals."}, "M1", "M1.E0", 1),
    )
    assert diff.removed == ()
    assert diff.moved == (), "inserting a sibling moves nothing"
    assert diff.changed == ()
    assert diff.requirements == (
        RequirementChange(
            role="R1",
            role_slug="mini-role",
            role_title={"en": "Mini role", "de": "Mini-Rolle"},
            element="M1.E0",
            element_title={"en": "Read the city's strategy"},
            unit="M1",
            change="added",
            before=None,
            after=Requirement(level=2, essential=True),
        ),
    )


def test_a_removed_element_is_listed_with_its_criteria_and_lost_requirements(
    mini: dict[str, Any], new: dict[str, Any]
) -> None:
    _unit(new, "M1")["elements"].pop(1)

    diff = diff_documents(mini, new)

    assert diff.removed == (
        Item("element", "M1.E2", {"en": "Run a co-creation workshop"}, "M1", "M1", 2),
        Item("criterion", "M1.E2.PC1", {"en": "Documents what residents proposed."}, "M1", "M1.E2", 1),
    )
    assert diff.added == () and diff.moved == ()
    assert [(r.element, r.change, r.before, r.after) for r in diff.requirements] == [
        ("M1.E2", "removed", Requirement(level=1, essential=True), None)
    ]


def test_an_element_moved_to_another_unit_is_a_move_not_a_removal(mini: dict[str, Any], new: dict[str, Any]) -> None:
    moved = _unit(new, "M1")["elements"].pop(1)
    new["units"].append({"code": "M2", "title": {"en": "Delivery"}, "elements": [moved]})

    diff = diff_documents(mini, new)

    assert diff.added == (Item("unit", "M2", {"en": "Delivery"}, "M2", None, 2),)
    assert diff.removed == ()
    assert diff.moved == (
        Move(
            kind="element",
            code="M1.E2",
            title={"en": "Run a co-creation workshop"},
            from_parent="M1",
            to_parent="M2",
            from_unit="M1",
            to_unit="M2",
            from_position=2,
            to_position=1,
        ),
    )
    assert not diff.moved[0].reordered
    assert diff.changed == (), "the element's criterion moved with it and is unchanged"
    assert [(r.element, r.change) for r in diff.requirements] == [("M1.E2", "removed")], (
        "the role requires unit M1 only, so the element left the role's profile"
    )


def test_swapping_two_siblings_reports_one_reordered_item(mini: dict[str, Any], new: dict[str, Any]) -> None:
    elements = _unit(new, "M1")["elements"]
    elements.reverse()

    diff = diff_documents(mini, new)

    assert [(m.code, m.from_position, m.to_position, m.reordered) for m in diff.moved] == [("M1.E2", 2, 1, True)]
    assert diff.added == diff.removed == diff.changed == ()
    assert diff.requirements == ()


def test_reordering_many_items_reports_only_those_that_left_the_longest_kept_order() -> None:
    def document(codes: list[str]) -> dict[str, Any]:
        elements = [
            {"code": code, "title": {"en": code}, "criteria": [{"code": f"{code}.PC", "text": {"en": "x"}}]}
            for code in codes
        ]
        return {"slug": "x", "version": "1", "units": [{"code": "U", "title": {"en": "U"}, "elements": elements}]}

    diff = diff_documents(document(["A", "B", "C", "D", "E", "F"]), document(["B", "C", "D", "E", "F", "A"]))

    assert [(m.code, m.from_position, m.to_position) for m in diff.moved] == [("A", 1, 6)]


def test_changed_texts_are_reported_per_language_and_field(mini: dict[str, Any], new: dict[str, Any]) -> None:
    element = _element(new, "M1.E1")
    element["title"] = {"en": "Map the stakeholders", "bg": "Картографиране на заинтересованите страни"}
    element["knowledge"].append({"en": "Salience model"})
    element["criteria"][0]["text"]["de"] = "Nennt jede betroffene Gruppe."
    new["roles"][0]["mission"] = {"en": "Deliver the pilot."}

    diff = diff_documents(mini, new)

    assert diff.changed == (
        ItemChange(
            "role",
            "R1",
            {"en": "Mini role", "de": "Mini-Rolle"},
            None,
            None,
            1,
            (FieldChange("mission", "en", None, "Deliver the pilot."),),
        ),
        ItemChange(
            "element",
            "M1.E1",
            {"en": "Map the stakeholders", "bg": "Картографиране на заинтересованите страни"},
            "M1",
            "M1",
            1,
            (
                FieldChange("title", "en", "Map stakeholders", "Map the stakeholders"),
                FieldChange("title", "bg", None, "Картографиране на заинтересованите страни"),
                FieldChange("knowledge", "en", ["Power-interest grids"], ["Power-interest grids", "Salience model"]),
            ),
        ),
        ItemChange(
            "criterion",
            "M1.E1.PC1",
            {"en": "Names every affected group.", "de": "Nennt jede betroffene Gruppe."},
            "M1",
            "M1.E1",
            1,
            (FieldChange("text", "de", None, "Nennt jede betroffene Gruppe."),),
        ),
    )
    assert diff.changed[1].fields[2].added_entries == ["Salience model"]
    assert diff.changed[1].fields[2].removed_entries == []
    assert diff.added == diff.removed == diff.moved == diff.requirements == ()


def test_alignment_changes_list_what_was_added_and_removed(mini: dict[str, Any], new: dict[str, Any]) -> None:
    element = _element(new, "M1.E1")
    element["alignments"][1]["level"] = 4
    element["alignments"].reverse()  # the order of alignments means nothing

    diff = diff_documents(mini, new)

    (change,) = diff.changed
    (alignments,) = change.fields
    assert alignments.field == "alignments"
    assert alignments.removed_entries == [{"target": "ecf", "code": "E.4", "level": 3, "relation": "related"}]
    assert alignments.added_entries == [{"target": "ecf", "code": "E.4", "level": 4, "relation": "related"}]


def test_scale_levels_and_framework_fields_are_compared_too(mini: dict[str, Any], new: dict[str, Any]) -> None:
    new["scale"]["levels"][1]["name"]["en"] = "Expert"
    new["scale"]["levels"][1]["eqf_level"] = 7
    new["scale"]["levels"].append({"value": 3, "name": {"en": "Leading"}})
    new["licence"] = "CC BY-SA 4.0"

    diff = diff_documents(mini, new)

    assert diff.added == (Item("level", "3", {"en": "Leading"}, None, None, 3),)
    assert [(c.kind, c.code, c.fields) for c in diff.changed] == [
        ("framework", "mini", (FieldChange("licence", None, "CC BY 4.0", "CC BY-SA 4.0"),)),
        (
            "level",
            "2",
            (FieldChange("name", "en", "Advanced", "Expert"), FieldChange("eqf_level", None, 6, 7)),
        ),
    ]


def test_requirement_changes_name_role_element_level_and_essential(mini: dict[str, Any], new: dict[str, Any]) -> None:
    requirement = new["roles"][0]["requirements"][0]
    requirement["elements"] = {"M1.E2": {"essential": False}}  # M1.E2: level 1 → 2 (the unit's), not essential

    diff = diff_documents(mini, new)

    assert [(r.role, r.element, r.change, r.before, r.after) for r in diff.requirements] == [
        ("R1", "M1.E2", "changed", Requirement(level=1, essential=True), Requirement(level=2, essential=False))
    ]
    assert diff.changed == ()


def test_requirements_are_expanded_per_element_with_overrides(mini: dict[str, Any]) -> None:
    assert requirements_of(mini) == {
        ("R1", "M1.E1"): Requirement(level=2, essential=True),
        ("R1", "M1.E2"): Requirement(level=1, essential=True),
    }


def test_a_removed_role_removes_its_requirements(mini: dict[str, Any], new: dict[str, Any]) -> None:
    new["roles"] = []

    diff = diff_documents(mini, new)

    assert [(i.kind, i.code) for i in diff.removed] == [("role", "R1")]
    assert [(r.element, r.change) for r in diff.requirements] == [("M1.E1", "removed"), ("M1.E2", "removed")]


def test_groups_put_framework_first_then_units_then_roles_in_tree_order(
    mini: dict[str, Any], new: dict[str, Any]
) -> None:
    new["licence"] = "CC0"
    element = _element(new, "M1.E2")
    element["criteria"].append({"code": "M1.E2.PC2", "text": {"en": "Publishes the results."}})
    element["title"]["en"] = "Run a workshop"
    _unit(new, "M1")["elements"].reverse()
    new["roles"][0]["requirements"][0]["level"] = 1

    diff = diff_documents(mini, new)
    grouped = groups(diff, mini, new)

    assert [(g.kind, g.code) for g in grouped] == [("framework", ""), ("unit", "M1"), ("role", "R1")]
    assert [(e.change, e.code) for e in grouped[1].entries] == [
        ("moved", "M1.E2"),
        ("changed", "M1.E2"),
        ("added", "M1.E2.PC2"),
    ]
    assert [(e.change, e.code) for e in grouped[2].entries] == [("requirement", "M1.E1")]


def test_word_diff_marks_deleted_and_inserted_words() -> None:
    assert word_diff("Names every affected group.", "Names each affected group and their needs.") == [
        ("equal", "Names "),
        ("delete", "every"),
        ("insert", "each"),
        ("equal", " affected group"),
        ("insert", " and their needs"),
        ("equal", "."),
    ]
    assert word_diff(None, "New") == [("insert", "New")]


@pytest.mark.django_db
def test_the_reference_framework_diffed_against_an_edited_copy(reference: Framework) -> None:
    old = read_framework(reference)
    new = copy.deepcopy(old) | {"version": "1.1.0", "status": "draft"}
    u01, u02 = new["units"][0], new["units"][1]
    element = u01["elements"].pop(0)
    u02["elements"].append(element)
    u02["title"]["el"] = "Νέος τίτλος"

    diff = diff_documents(old, new)

    assert [(m.code, m.from_parent, m.to_parent) for m in diff.moved] == [(element["code"], "U01", "U02")]
    assert [(c.kind, c.code, [(f.field, f.language) for f in c.fields]) for c in diff.changed] == [
        ("unit", "U02", [("title", "el")])
    ]
    assert diff.added == diff.removed == ()
    role_units = {
        role["code"]: {r["unit"]: r for r in role["requirements"]} for role in old["roles"]
    }  # which roles need U01 and U02 decides the requirement changes
    expected = set()
    for role, units in role_units.items():
        in_u01, in_u02 = "U01" in units, "U02" in units
        if in_u01 and not in_u02:
            expected.add((role, "removed"))
        elif in_u02 and not in_u01:
            expected.add((role, "added"))
    assert {(r.role, r.change) for r in diff.requirements if r.change != "changed"} == expected
    assert {r.element for r in diff.requirements} <= {element["code"]}
