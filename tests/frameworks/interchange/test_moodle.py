"""Moodle competency framework CSV (``tool_lpimportcsv``): round trips, a hand-written Moodle file, bad files."""

from __future__ import annotations

import copy
import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest

from skills4cities.frameworks.interchange import moodle
from skills4cities.frameworks.interchange.document import DocumentErrors
from skills4cities.frameworks.interchange.native import read_framework
from skills4cities.frameworks.models import Framework
from skills4cities.frameworks.services import framework_export, framework_import_document, framework_import_file

MALFORMED = Path(__file__).parent / "malformed" / "moodle"

# Written by hand in Moodle's layout (quoted the way Moodle's exporter quotes), not by our exporter: the City of
# Sofia's "Digital transformation" framework. Rows are out of tree order on purpose; three levels below the
# framework; a custom 4-item scale; taxonomies; a points rule and an "all children" rule; cross-references; a
# criterion with a scale of its own; Moodle HTML, a plain-text description and multilang spans.
HAND_WRITTEN = """\
"Parent ID number","ID number","Short name",Description,"Description format","Scale values","Scale configuration",\
"Rule type (optional)","Rule outcome (optional)","Rule config (optional)","Cross-referenced competency ID numbers",\
"Exported ID (optional)","Is framework",Taxonomy
DT.DATA.1,DT.DATA.1.a,"Publishes each dataset on the city open-data portal under an open licence",\
"<p>Uses CC BY 4.0 unless a law requires otherwise.</p>",1,,,,0,null,,31,,
,SOF-DT-2024,"Digital transformation","<p>What the staff of the <strong>City of Sofia</strong> need to plan and run
digital-transformation projects.</p>",1,"Not yet competent,Developing,Competent,Leading",\
"[{""scaleid"":""12""},{""id"":1,""scaledefault"":0,""proficient"":0},{""id"":2,""scaledefault"":1,""proficient"":1},\
{""id"":3,""scaledefault"":0,""proficient"":1},{""id"":4,""scaledefault"":0,""proficient"":1}]",,,,,,1,\
"domain,skill,behaviour"
,DT.DATA,"Data and interoperability","<p><span lang=""en"" class=""multilang"">Open data, data sharing and systems \
that work together.</span><span lang=""bg"" class=""multilang"">Отворени данни, споделяне на данни и съвместими \
системи.</span></p>",1,,,,0,null,,20,,
DT.DATA,DT.DATA.1,"Publish open data",,1,,,core_competency\\competency_rule_points,2,\
"{""base"":{""points"":2},""competencies"":[{""id"":31,""points"":1,""required"":1},\
{""id"":32,""points"":1,""required"":0}]}",,21,,
DT.DATA.1,DT.DATA.1.b,"Describes each dataset with DCAT-AP metadata",,1,,,,0,null,DT.SERV.1.a,32,,
DT.DATA,DT.DATA.2,"Agree data sharing with utilities","<p>Covers:</p><ul><li>energy</li><li>water</li></ul>",1,,,\
core_competency\\competency_rule_all,1,null,,22,,
DT.DATA.2,DT.DATA.2.a,"Drafts a data-sharing agreement that names the purpose, the fields and the retention period",,1,,,,\
0,null,,33,,
,DT.SERV,"<span lang=""en"" class=""multilang"">Digital public services</span><span lang=""bg"" class=""multilang"">\
Цифрови обществени услуги</span>",,1,,,,0,null,,40,,
DT.SERV,DT.SERV.1,"Co-design services with residents","Involves residents from discovery to testing.",2,,,,0,null,,41,,
DT.SERV.1,DT.SERV.1.a,"Runs a usability test with at least five residents before launch",,1,"Not observed,Observed",\
"[{""scaleid"":""3""},{""id"":2,""scaledefault"":1,""proficient"":1}]",,0,null,DT.DATA.1.b,42,,
DT.SERV.1,DT.SERV.1.b,"Publishes what changed after each round of feedback",,1,,,,0,null,,43,,
"""

POINTS_RULE = (
    '{"base":{"points":2},"competencies":[{"id":31,"points":1,"required":1},{"id":32,"points":1,"required":0}]}'
)
SOFIA_DESCRIPTION = (
    "<p>What the staff of the <strong>City of Sofia</strong> need to plan and run\ndigital-transformation projects.</p>"
)
DATA_DESCRIPTION = (
    '<p><span lang="en" class="multilang">Open data, data sharing and systems that work together.</span>'
    '<span lang="bg" class="multilang">Отворени данни, споделяне на данни и съвместими системи.</span></p>'
)
SERVICES_SHORT_NAME = (
    '<span lang="en" class="multilang">Digital public services</span>'
    '<span lang="bg" class="multilang">Цифрови обществени услуги</span>'
)

HAND_WRITTEN_DOCUMENT: dict[str, Any] = {
    "slug": "sof-dt-2024",
    "version": "1.0.0",
    "status": "draft",
    "languages": ["en", "bg"],
    "title": {"en": "Digital transformation"},
    "description": {"en": "What the staff of the City of Sofia need to plan and run digital-transformation projects."},
    "scale": {
        "slug": "scale",
        "title": {"en": "Competency scale: Digital transformation"},
        "levels": [
            {"value": 1, "name": {"en": "Not yet competent"}},
            {"value": 2, "name": {"en": "Developing"}},
            {"value": 3, "name": {"en": "Competent"}},
            {"value": 4, "name": {"en": "Leading"}},
        ],
        "extra": {"moodle": {"scaleid": "12", "proficient": [2, 3, 4], "default": 2}},
    },
    "roles": [],
    "extra": {
        "moodle": {
            "idnumber": "SOF-DT-2024",
            "description": SOFIA_DESCRIPTION,
            "taxonomies": ["domain", "skill", "behaviour"],
        }
    },
    "units": [
        {
            "code": "DT.DATA",
            "title": {"en": "Data and interoperability"},
            "description": {
                "en": "Open data, data sharing and systems that work together.",
                "bg": "Отворени данни, споделяне на данни и съвместими системи.",
            },
            "extra": {"moodle": {"description": DATA_DESCRIPTION, "exported_id": "20"}},
            "elements": [
                {
                    "code": "DT.DATA.1",
                    "title": {"en": "Publish open data"},
                    "extra": {
                        "moodle": {
                            "rule": {"type": moodle.RULE_POINTS, "outcome": "2", "config": POINTS_RULE},
                            "exported_id": "21",
                        }
                    },
                    "criteria": [
                        {
                            "code": "DT.DATA.1.a",
                            "text": {"en": "Publishes each dataset on the city open-data portal under an open licence"},
                            "extra": {
                                "moodle": {
                                    "description": "<p>Uses CC BY 4.0 unless a law requires otherwise.</p>",
                                    "exported_id": "31",
                                }
                            },
                        },
                        {
                            "code": "DT.DATA.1.b",
                            "text": {"en": "Describes each dataset with DCAT-AP metadata"},
                            "extra": {"moodle": {"related": ["DT.SERV.1.a"], "exported_id": "32"}},
                        },
                    ],
                },
                {
                    "code": "DT.DATA.2",
                    "title": {"en": "Agree data sharing with utilities"},
                    "description": {"en": "Covers:\nenergy\nwater"},
                    "extra": {
                        "moodle": {
                            "description": "<p>Covers:</p><ul><li>energy</li><li>water</li></ul>",
                            "rule": {"type": moodle.RULE_ALL, "outcome": "1", "config": "null"},
                            "exported_id": "22",
                        }
                    },
                    "criteria": [
                        {
                            "code": "DT.DATA.2.a",
                            "text": {
                                "en": "Drafts a data-sharing agreement that names the purpose, the fields and the "
                                "retention period"
                            },
                            "extra": {"moodle": {"exported_id": "33"}},
                        }
                    ],
                },
            ],
        },
        {
            "code": "DT.SERV",
            "title": {"en": "Digital public services", "bg": "Цифрови обществени услуги"},
            "extra": {"moodle": {"shortname": SERVICES_SHORT_NAME, "exported_id": "40"}},
            "elements": [
                {
                    "code": "DT.SERV.1",
                    "title": {"en": "Co-design services with residents"},
                    "description": {"en": "Involves residents from discovery to testing."},
                    "extra": {
                        "moodle": {
                            "description": "Involves residents from discovery to testing.",
                            "description_format": "2",
                            "exported_id": "41",
                        }
                    },
                    "criteria": [
                        {
                            "code": "DT.SERV.1.a",
                            "text": {"en": "Runs a usability test with at least five residents before launch"},
                            "extra": {
                                "moodle": {
                                    "scale": {
                                        "values": "Not observed,Observed",
                                        "configuration": '[{"scaleid":"3"},{"id":2,"scaledefault":1,"proficient":1}]',
                                    },
                                    "related": ["DT.DATA.1.b"],
                                    "exported_id": "42",
                                }
                            },
                        },
                        {
                            "code": "DT.SERV.1.b",
                            "text": {"en": "Publishes what changed after each round of feedback"},
                            "extra": {"moodle": {"exported_id": "43"}},
                        },
                    ],
                }
            ],
        },
    ],
}


def rows_of(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))


def without_roles(document: dict[str, Any]) -> dict[str, Any]:
    """What a Moodle file can carry of a document: everything but the roles; an import is a draft."""
    return document | {"roles": [], "status": "draft"}


# --- the columns -----------------------------------------------------------------------------------------------------


def test_header_is_moodles_fourteen_columns_in_moodles_order(mini: dict[str, Any]) -> None:
    header = next(csv.reader(io.StringIO(moodle.write(mini).decode())))

    assert header == [
        "Parent ID number",
        "ID number",
        "Short name",
        "Description",
        "Description format",
        "Scale values",
        "Scale configuration",
        "Rule type (optional)",
        "Rule outcome (optional)",
        "Rule config (optional)",
        "Cross-referenced competency ID numbers",
        "Exported ID (optional)",
        "Is framework",
        "Taxonomy",
    ]


def test_export_has_one_framework_row_then_the_tree_through_parent_id_numbers(mini: dict[str, Any]) -> None:
    rows = rows_of(moodle.write(mini))

    assert [(r["Parent ID number"], r["ID number"], r["Short name"], r["Is framework"]) for r in rows] == [
        ("", "mini", "Mini framework", "1"),
        ("", "M1", "Engagement", ""),
        ("M1", "M1.E1", "Map stakeholders", ""),
        ("M1.E1", "M1.E1.PC1", "Names every affected group.", ""),
        ("M1", "M1.E2", "Run a co-creation workshop", ""),
        ("M1.E2", "M1.E2.PC1", "Documents what residents proposed.", ""),
    ]
    framework = rows[0]
    assert framework["Scale values"] == "Basic,Advanced"
    assert framework["Taxonomy"] == "domain,competency,indicator"
    assert {r["Rule type (optional)"] + r["Rule outcome (optional)"] + r["Rule config (optional)"] for r in rows} == {
        ""
    }


def test_scale_configuration_marks_level_three_and_up_proficient_and_the_first_proficient_level_default(
    reference: Framework,
) -> None:
    framework_row = rows_of(framework_export(framework=reference, format="moodle-csv"))[0]

    assert framework_row["Scale values"] == "Aware,Practising,Proficient,Advanced,Expert"
    assert json.loads(framework_row["Scale configuration"]) == [
        {"scaleid": ""},
        {"id": 1, "scaledefault": 0, "proficient": 0},
        {"id": 2, "scaledefault": 0, "proficient": 0},
        {"id": 3, "scaledefault": 1, "proficient": 1},
        {"id": 4, "scaledefault": 0, "proficient": 1},
        {"id": 5, "scaledefault": 0, "proficient": 1},
    ]


def test_a_two_level_scale_makes_its_top_level_proficient_and_default(mini: dict[str, Any]) -> None:
    framework_row = rows_of(moodle.write(mini))[0]

    assert json.loads(framework_row["Scale configuration"]) == [
        {"scaleid": ""},
        {"id": 1, "scaledefault": 0, "proficient": 0},
        {"id": 2, "scaledefault": 1, "proficient": 1},
    ]


def test_export_says_that_roles_do_not_travel_and_carries_no_role(mini: dict[str, Any]) -> None:
    rows = rows_of(moodle.write(mini))

    assert f'<p class="s4c-note">{moodle.EXPORT_NOTE}</p>' in rows[0]["Description"]
    assert moodle.EXPORT_NOTE.startswith("Exported from Skills4Cities. Only the competency tree travels in this file")
    assert [r["ID number"] for r in rows] == ["mini", "M1", "M1.E1", "M1.E1.PC1", "M1.E2", "M1.E2.PC1"]
    assert moodle.read(moodle.write(mini), source="mini.csv")["roles"] == []


def test_knowledge_skills_attitudes_and_alignments_travel_in_the_element_description(mini: dict[str, Any]) -> None:
    element = rows_of(moodle.write(mini))[2]

    assert element["Description"] == (
        '<div class="s4c-knowledge"><h4>Knowledge</h4><ul><li>Power-interest grids</li></ul></div>'
        '<div class="s4c-skills"><h4>Skills</h4><ul><li>Keep a stakeholder register</li></ul></div>'
        '<div class="s4c-attitudes"><h4>Attitudes</h4><ul><li>Listens to residents</li></ul></div>'
        '<div class="s4c-alignments"><h4>Alignments</h4><ul>'
        '<li data-target="esco-skill" data-uri="http://data.europa.eu/esco/skill/1af2db15-2af9-44dd-9639-bf1fc69d4c34" '
        'data-label="manage relationships with stakeholders" data-relation="related">'
        '<a href="http://data.europa.eu/esco/skill/1af2db15-2af9-44dd-9639-bf1fc69d4c34">'
        "manage relationships with stakeholders</a></li>"
        '<li data-target="ecf" data-code="E.4" data-level="3" data-relation="related">e-CF 4.0 E.4, level e-3</li>'
        "</ul></div>"
    )


def test_translations_travel_as_moodle_multilang_spans_and_come_back(reference: Framework) -> None:
    data = framework_export(framework=reference, format="moodle-csv")
    unit_row = next(r for r in rows_of(data) if r["ID number"] == "U01")
    document = moodle.read(data, source="skills4cities.csv")

    assert unit_row["Short name"] == "Smart-city strategy and city needs"
    assert unit_row["Description"].startswith(
        '<div class="s4c-title"><span lang="en" class="multilang">Smart-city strategy and city needs</span>'
        '<span lang="bg" class="multilang">Стратегия за интелигентен град и нужди на града</span>'
    )
    assert document["units"][0]["title"] == read_framework(reference)["units"][0]["title"]
    assert set(document["units"][0]["title"]) == {"en", "bg", "ro", "el", "es", "de"}


def test_a_long_criterion_gets_a_shortened_short_name_and_its_full_text_in_the_description(
    mini: dict[str, Any],
) -> None:
    text = "The person " + "names every group affected by the project, " * 3 + "including those without a voice."
    mini["units"][0]["elements"][0]["criteria"][0]["text"] = {"en": text}
    data = moodle.write(mini)
    row = rows_of(data)[3]

    assert row["Short name"] == (
        "The person names every group affected by the project, names every group affected by the project…"
    )
    assert len(row["Short name"]) <= 100
    assert row["Description"] == f'<div class="s4c-text">{text}</div>'
    assert moodle.read(data, source="mini.csv")["units"][0]["elements"][0]["criteria"][0]["text"] == {"en": text}


def test_a_level_name_with_a_comma_cannot_become_a_moodle_scale_item(mini: dict[str, Any]) -> None:
    mini["scale"]["levels"][0]["name"] = {"en": "Basic, supervised"}

    with pytest.raises(DocumentErrors) as raised:
        moodle.write(mini)

    assert str(raised.value) == "scale.levels[0].name: Moodle scale items cannot contain a comma: 'Basic, supervised'"


# --- round trips -----------------------------------------------------------------------------------------------------


def test_export_import_export_is_byte_identical_on_the_mini_framework(mini: dict[str, Any], db: Any) -> None:
    stored = framework_import_document(document=mini, source="mini.yaml").framework
    original = read_framework(stored)
    first = framework_export(framework=stored, format="moodle-csv")

    again = framework_import_file(data=first, filename="mini.csv", format="moodle-csv").framework

    assert framework_export(framework=again, format="moodle-csv") == first
    assert read_framework(again) == without_roles(original)


def test_export_import_export_is_byte_identical_on_the_reference_framework(reference: Framework) -> None:
    first = framework_export(framework=reference, format="moodle-csv")
    document = moodle.read(first, source="skills4cities.csv")

    assert moodle.write(document) == first
    assert document == without_roles(read_framework(reference)) | {"scale": document["scale"]}
    levels = read_framework(reference)["scale"]["levels"]
    assert document["scale"] == read_framework(reference)["scale"] | {
        "levels": [{key: value for key, value in level.items() if value is not None} for level in levels]
    }


def test_the_reference_tree_stored_from_its_moodle_export_equals_the_original_tree(reference: Framework) -> None:
    document = moodle.read(framework_export(framework=reference, format="moodle-csv"), source="skills4cities.csv")
    stored = framework_import_document(document=document | {"version": "1.0.0-moodle"}, source="x.csv").framework

    assert read_framework(stored) == without_roles(read_framework(reference)) | {"version": "1.0.0-moodle"}


def test_the_reference_export_cannot_overwrite_the_published_version_and_the_message_names_the_row(
    reference: Framework, unchanged_database: Any
) -> None:
    data = framework_export(framework=reference, format="moodle-csv")

    with unchanged_database(), pytest.raises(DocumentErrors) as raised:
        framework_import_file(data=data, filename="skills4cities.csv", format="moodle-csv")

    assert str(raised.value) == (
        "skills4cities.csv: line 2, column 'Description', version: skills4cities 1.0.0 is published and cannot "
        "change; give the changed content a new version number"
    )


# --- a file written in Moodle ----------------------------------------------------------------------------------------


def test_hand_written_moodle_file_reads_with_its_tree_scale_taxonomies_rules_and_cross_references() -> None:
    document = moodle.read(HAND_WRITTEN.encode(), source="sofia.csv")

    assert document == HAND_WRITTEN_DOCUMENT


def test_hand_written_moodle_file_is_stored_and_exports_its_moodle_data_back(db: Any) -> None:
    framework = framework_import_file(data=HAND_WRITTEN.encode(), filename="sofia.csv").framework
    exported = framework_export(framework=framework, format="moodle-csv")
    rows = {row["ID number"]: row for row in rows_of(exported)}

    assert (framework.slug, framework.version, framework.status) == ("sof-dt-2024", "1.0.0", "draft")
    assert (framework.units.count(), framework.elements.count(), framework.criteria.count()) == (2, 3, 5)
    assert framework.title_bg == ""
    assert framework.units.get(code="DT.SERV").title_bg == "Цифрови обществени услуги"
    assert list(rows) == [
        "SOF-DT-2024",
        "DT.DATA",
        "DT.DATA.1",
        "DT.DATA.1.a",
        "DT.DATA.1.b",
        "DT.DATA.2",
        "DT.DATA.2.a",
        "DT.SERV",
        "DT.SERV.1",
        "DT.SERV.1.a",
        "DT.SERV.1.b",
    ]
    points = rows["DT.DATA.1"]
    assert (points["Rule type (optional)"], points["Rule outcome (optional)"], points["Rule config (optional)"]) == (
        "core_competency\\competency_rule_points",
        "2",
        POINTS_RULE,
    )
    assert [rows[code]["Exported ID (optional)"] for code in ("DT.DATA.1.a", "DT.DATA.1.b")] == ["31", "32"]
    assert rows["DT.DATA.1.b"]["Cross-referenced competency ID numbers"] == "DT.SERV.1.a"
    assert rows["DT.SERV.1.a"]["Cross-referenced competency ID numbers"] == "DT.DATA.1.b"
    assert rows["DT.SERV.1.a"]["Scale values"] == "Not observed,Observed"
    assert rows["DT.SERV"]["Short name"] == SERVICES_SHORT_NAME
    assert rows["DT.DATA"]["Description"] == DATA_DESCRIPTION
    assert (rows["DT.SERV.1"]["Description"], rows["DT.SERV.1"]["Description format"]) == (
        "Involves residents from discovery to testing.",
        "2",
    )
    assert rows["SOF-DT-2024"]["Taxonomy"] == "domain,skill,behaviour"
    assert json.loads(rows["SOF-DT-2024"]["Scale configuration"]) == [
        {"scaleid": "12"},
        {"id": 1, "scaledefault": 0, "proficient": 0},
        {"id": 2, "scaledefault": 1, "proficient": 1},
        {"id": 3, "scaledefault": 0, "proficient": 1},
        {"id": 4, "scaledefault": 0, "proficient": 1},
    ]
    assert rows["SOF-DT-2024"]["Description"].startswith(SOFIA_DESCRIPTION + '<p class="s4c-note">')
    assert moodle.read(exported, source="again.csv") == HAND_WRITTEN_DOCUMENT
    assert moodle.write(moodle.read(exported, source="again.csv")) == exported


def test_a_moodle_description_changed_here_is_exported_from_our_text_not_from_the_kept_moodle_html() -> None:
    document = copy.deepcopy(HAND_WRITTEN_DOCUMENT)
    document["units"][1]["elements"][0]["description"] = {"en": "Involves residents & businesses."}

    row = rows_of(moodle.write(document))[8]

    assert (row["ID number"], row["Description"], row["Description format"]) == (
        "DT.SERV.1",
        'Involves residents from discovery to testing.<div class="s4c-description">Involves residents &amp; '
        "businesses.</div>",
        "1",
    )
    assert moodle.read(moodle.write(document), source="x.csv")["units"][1]["elements"][0]["description"] == {
        "en": "Involves residents & businesses."
    }


def test_levels_deeper_than_three_fold_into_criteria_and_their_nesting_comes_back_on_export() -> None:
    deep = HAND_WRITTEN + (
        "DT.SERV.1.b,DT.SERV.1.b.i,Publishes a change log,,1,,,,0,null,,44,,\n"
        "DT.SERV.1.b.i,DT.SERV.1.b.i.x,Links each change to the feedback behind it,,1,,,,0,null,,45,,\n"
    )

    document = moodle.read(deep.encode(), source="deep.csv")
    exported = rows_of(moodle.write(document))

    criteria = document["units"][1]["elements"][0]["criteria"]
    assert [(c["code"], c["extra"]["moodle"].get("parent"), c["extra"]["moodle"].get("depth")) for c in criteria] == [
        ("DT.SERV.1.a", None, None),
        ("DT.SERV.1.b", None, None),
        ("DT.SERV.1.b.i", "DT.SERV.1.b", 4),
        ("DT.SERV.1.b.i.x", "DT.SERV.1.b.i", 5),
    ]
    assert [(r["Parent ID number"], r["ID number"]) for r in exported[-4:]] == [
        ("DT.SERV.1", "DT.SERV.1.a"),
        ("DT.SERV.1", "DT.SERV.1.b"),
        ("DT.SERV.1.b", "DT.SERV.1.b.i"),
        ("DT.SERV.1.b.i", "DT.SERV.1.b.i.x"),
    ]


def test_semicolon_separated_file_with_a_byte_order_mark_from_a_spreadsheet_reads_the_same() -> None:
    rows = list(csv.reader(io.StringIO(HAND_WRITTEN, newline="")))
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerows(rows)

    document = moodle.read(b"\xef\xbb\xbf" + buffer.getvalue().encode(), source="sofia.csv")

    assert document == HAND_WRITTEN_DOCUMENT


def test_the_older_moodle_header_spelling_is_accepted() -> None:
    old_header = (
        '"Parent id number","Id number",Shortname,Description,"Description format","Scale values",'
        '"Scale configuration","Rule type (optional)","Rule outcome (optional)","Rule config (optional)",'
        '"Cross referenced competency id numbers","Exported id (optional)","Is framework",Taxonomy'
    )
    data = old_header + "\n" + HAND_WRITTEN.split("\n", 1)[1]

    assert moodle.read(data.encode(), source="old.csv") == HAND_WRITTEN_DOCUMENT


def test_a_large_framework_in_reverse_row_order_is_read_whole() -> None:
    lines = []
    for u in range(1, 101):
        lines.append(f",U{u},Unit {u},,1,,,,0,null,,,,")
        for e in range(1, 6):
            lines.append(f"U{u},U{u}.E{e},Element {u}.{e},,1,,,,0,null,,,,")
            lines += [f"U{u}.E{e},U{u}.E{e}.PC{c},Criterion {u}.{e}.{c},,1,,,,0,null,,,," for c in range(1, 9)]
    header = HAND_WRITTEN.split("\n", 1)[0]
    framework = ',large,Large framework,,1,"No,Yes","[{""scaleid"":""""},{""id"":2,""scaledefault"":1,""proficient"":1}]",,,,,,1,'
    data = "\n".join([header, *reversed(lines), framework])

    document = moodle.read(data.encode(), source="large.csv")

    assert len(document["units"]) == 100
    assert sum(len(unit["elements"]) for unit in document["units"]) == 500
    assert sum(len(e["criteria"]) for unit in document["units"] for e in unit["elements"]) == 4000
    assert [c["code"] for c in document["units"][0]["elements"][0]["criteria"]] == [
        f"U100.E5.PC{c}" for c in range(8, 0, -1)
    ]


def test_a_deeply_nested_moodle_description_is_read_as_its_text() -> None:
    nested = "<div>" * 5000 + "Works with residents." + "</div>" * 5000
    data = HAND_WRITTEN.replace("Involves residents from discovery to testing.", nested).replace(
        ",2,,,,0,null,,41", ",1,,,,0,null,,41"
    )

    element = moodle.read(data.encode(), source="nested.csv")["units"][1]["elements"][0]

    assert element["description"] == {"en": "Works with residents."}


# --- bad files -------------------------------------------------------------------------------------------------------

COLUMNS = (
    "Parent ID number, ID number, Short name, Description, Description format, Scale values, Scale configuration, "
    "Rule type (optional), Rule outcome (optional), Rule config (optional), Cross-referenced competency ID numbers, "
    "Exported ID (optional), Is framework, Taxonomy"
)

MALFORMED_CASES = [
    (
        "missing-column.csv",
        [
            "missing-column.csv: line 1, column 'Scale configuration': is missing from the header row; a Moodle "
            f"competency framework file has the columns {COLUMNS}"
        ],
    ),
    (
        "unknown-column.csv",
        [
            "unknown-column.csv: line 1, column 'Colour': unknown column; a Moodle competency framework file has the "
            f"columns {COLUMNS}",
            "unknown-column.csv: line 1, column 'Taxonomy': is missing from the header row; a Moodle competency "
            f"framework file has the columns {COLUMNS}",
        ],
    ),
    (
        "not-a-header.csv",
        [
            "not-a-header.csv: line 1: the first line must be the header row of a Moodle competency framework file, "
            f"with the columns {COLUMNS}"
        ],
    ),
    (
        "short-row.csv",
        [
            "short-row.csv: line 5, column 'Rule config (optional)': is missing: the row has 9 of the 14 columns; is "
            "the file cut off, or is a delimiter missing?"
        ],
    ),
    (
        "unquoted-comma.csv",
        [
            "unquoted-comma.csv: line 4, column 'Short name': the row has 15 values but the header has 14 columns; a "
            "value that contains the delimiter must be in double quotes"
        ],
    ),
    (
        "truncated.csv",
        [
            "truncated.csv: line 6, column 'Description': a quoted value is never closed: the file ends inside it; is "
            "the file cut off?"
        ],
    ),
    (
        "duplicate-id.csv",
        ["duplicate-id.csv: line 7, column 'ID number': duplicate ID number 'DT1.1.a' (first used on line 5)"],
    ),
    (
        "bad-id-number.csv",
        [
            "bad-id-number.csv: line 6, column 'ID number': 'DT1.1 b' cannot be used as a code: use letters, digits, "
            "'.', '_' or '-', at most 40 characters, starting with a letter or digit"
        ],
    ),
    (
        "cycle.csv",
        [
            "cycle.csv: line 7, column 'Parent ID number': the parents form a cycle: DT2 → DT2.1 → DT2; one of them "
            "must have another parent or none"
        ],
    ),
    ("missing-parent.csv", ["missing-parent.csv: line 7, column 'Parent ID number': no row has the ID number 'DT9'"]),
    (
        "element-without-criteria.csv",
        [
            "element-without-criteria.csv: line 7, column 'ID number': 'DT1.2' is a second-level competency (an "
            "element) without child competencies; every element needs at least one performance criterion below it"
        ],
    ),
    (
        "no-framework.csv",
        [
            "no-framework.csv: line 1, column 'Is framework': no row is marked as the framework (1 in 'Is "
            "framework'); one row must be"
        ],
    ),
    (
        "two-frameworks.csv",
        [
            "two-frameworks.csv: line 7, column 'Is framework': a second framework row (the first is on line 2); a "
            "file holds one framework"
        ],
    ),
    (
        "unknown-scale-value.csv",
        [
            "unknown-scale-value.csv: line 2, column 'Scale configuration': refers to scale value 3, but 'Scale "
            "values' has 2 items (Not yet competent, Competent)"
        ],
    ),
    (
        "no-scale-configuration.csv",
        [
            "no-scale-configuration.csv: line 2, column 'Scale configuration': is missing; give it as "
            '[{"scaleid": ""}, {"id": 1, "scaledefault": 1, "proficient": 1}, …]'
        ],
    ),
    (
        "no-proficient-value.csv",
        [
            "no-proficient-value.csv: line 2, column 'Scale configuration': no scale value is marked "
            '"proficient": 1; Moodle needs at least one'
        ],
    ),
    (
        "bad-scale-json.csv",
        [
            "bad-scale-json.csv: line 2, column 'Scale configuration': is not valid JSON: Expecting ',' delimiter "
            "(character 57)"
        ],
    ),
    (
        "unknown-taxonomy.csv",
        [
            "unknown-taxonomy.csv: line 2, column 'Taxonomy': unknown taxonomy 'competence'; use one of behaviour, "
            "competency, concept, domain, indicator, level, outcome, practice, proficiency, skill, value"
        ],
    ),
    (
        "bad-rule-config.csv",
        [
            "bad-rule-config.csv: line 4, column 'Rule config (optional)': is not valid JSON: Expecting ',' delimiter "
            "(character 70)"
        ],
    ),
    (
        "rule-unknown-exported-id.csv",
        [
            "rule-unknown-exported-id.csv: line 4, column 'Rule config (optional)': refers to the exported ID '9', "
            "which no row has in 'Exported ID (optional)'"
        ],
    ),
    (
        "unknown-rule-type.csv",
        [
            "unknown-rule-type.csv: line 4, column 'Rule type (optional)': unknown rule type 'competency_rule_most'; "
            "Moodle has core_competency\\competency_rule_all and core_competency\\competency_rule_points"
        ],
    ),
    (
        "unknown-cross-reference.csv",
        [
            "unknown-cross-reference.csv: line 6, column 'Cross-referenced competency ID numbers': no row has the ID "
            "number 'DT1.1.c'"
        ],
    ),
    (
        "bad-description-format.csv",
        [
            "bad-description-format.csv: line 4, column 'Description format': must be 1 (HTML), 0 (Moodle "
            "auto-format), 2 (plain text) or 4 (Markdown), not 'html'"
        ],
    ),
]


@pytest.mark.parametrize(("name", "messages"), MALFORMED_CASES, ids=[case[0] for case in MALFORMED_CASES])
def test_bad_moodle_file_is_refused_with_file_line_and_column_and_nothing_is_written(
    name: str, messages: list[str], unchanged_database: Any
) -> None:
    with unchanged_database(), pytest.raises(DocumentErrors) as raised:
        framework_import_file(data=(MALFORMED / name).read_bytes(), filename=name, format="moodle-csv")

    assert [str(problem) for problem in raised.value.problems] == messages


def test_every_malformed_moodle_file_has_a_case() -> None:
    assert sorted(path.name for path in MALFORMED.iterdir()) == sorted([*(c[0] for c in MALFORMED_CASES), "latin1.csv"])


def test_a_latin1_moodle_file_is_refused_with_the_line_and_the_column_of_the_first_bad_byte(
    unchanged_database: Any,
) -> None:
    data = (MALFORMED / "latin1.csv").read_bytes()
    message = (
        "byte 0xe9 at byte offset 554 is not valid UTF-8 (the file may be Latin-1 or Windows-1252); save it as UTF-8 "
        "and import it again"
    )

    with pytest.raises(DocumentErrors) as read_error:
        moodle.read(data, source="latin1.csv")
    with unchanged_database(), pytest.raises(DocumentErrors) as import_error:
        framework_import_file(data=data, filename="latin1.csv", format="moodle-csv")

    assert str(read_error.value) == f"latin1.csv: line 4, column 'Short name': {message}"
    assert str(import_error.value).startswith("latin1.csv: line 4")
    assert str(import_error.value).endswith(message)


def test_a_problem_found_after_reading_names_the_row_and_column(mini: dict[str, Any], unchanged_database: Any) -> None:
    unknown = "http://data.europa.eu/esco/skill/00000000-0000-0000-0000-000000000000"
    mini["units"][0]["elements"][0]["alignments"][0]["uri"] = unknown
    data = moodle.write(mini)

    with unchanged_database(), pytest.raises(DocumentErrors) as raised:
        framework_import_file(data=data, filename="mini.csv", format="moodle-csv")

    assert str(raised.value) == (
        f"mini.csv: line 4, column 'Description', units[0].elements[0].alignments[0]: ESCO concept not found: {unknown}"
    )
