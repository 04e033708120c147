"""``import_esco``: the official ESCO CSV download layout, idempotent, obsolete instead of delete."""

from __future__ import annotations

import gzip
import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from skills4cities.core.models import AuditEntry
from skills4cities.esco.models import (
    EscoCollection,
    EscoIscoGroup,
    EscoOccupation,
    EscoOccupationSkill,
    EscoRelease,
    EscoSkill,
    EscoSkillGroup,
)
from skills4cities.esco.services import EscoImportError, detect_version, esco_import_download, esco_load_bundle
from tests.esco.official import (
    ANALYST,
    BUDGET_GROUP,
    BUDGETS,
    BUSINESS,
    FINANCE,
    FOLDER,
    MANAGEMENT,
    MANAGER,
    SKILLS,
    STAKEHOLDERS,
    write_download,
    write_optional,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def download(tmp_path: Path) -> Path:
    return write_download(tmp_path / FOLDER)


def _import(folder: Path, *args: str) -> str:
    out = StringIO()
    call_command("import_esco", str(folder), *args, stdout=out)
    return out.getvalue()


def _snapshot() -> dict[str, Any]:
    return {
        "skills": sorted(EscoSkill.objects.values_list("uri", "preferred_label", "status", "release", "updated_at")),
        "occupations": sorted(EscoOccupation.objects.values_list("uri", "status", "updated_at")),
        "groups": sorted(EscoSkillGroup.objects.values_list("uri", "status", "updated_at")),
        "links": sorted(EscoOccupationSkill.objects.values_list("occupation_id", "skill_id", "relation")),
        "skill_groups": sorted(EscoSkill.groups.through.objects.values_list("escoskill_id", "escoskillgroup_id")),
        "releases": EscoRelease.objects.count(),
        "audit": AuditEntry.objects.count(),
    }


def test_import_stores_skills_occupations_groups_and_their_relations(download: Path) -> None:
    output = _import(download)

    budgets = EscoSkill.objects.get(uri=BUDGETS)
    assert (budgets.preferred_label, budgets.skill_type, budgets.reuse_level, budgets.status, budgets.release) == (
        "manage budgets",
        "skill/competence",
        "cross-sector",
        "released",
        "1.2.0",
    )
    assert budgets.alt_label_list == ["budget management", "control budgets"]
    assert budgets.description == "Plan, monitor and report on the budget."
    assert budgets.modified == "2023-11-30T10:00:00Z"
    assert set(budgets.groups.values_list("uri", flat=True)) == {BUDGET_GROUP}
    assert set(budgets.narrower.values_list("uri", flat=True)) == {FINANCE}
    assert set(EscoSkill.objects.get(uri=FINANCE).groups.values_list("uri", flat=True)) == {BUSINESS}
    assert set(EscoSkillGroup.objects.get(uri=BUDGET_GROUP).broader.values_list("uri", flat=True)) == {MANAGEMENT}
    assert EscoSkillGroup.objects.get(uri=BUDGET_GROUP).code == "S4.2"
    assert EscoSkillGroup.objects.get(uri=BUSINESS).code == "04"
    analyst = EscoOccupation.objects.get(uri=ANALYST)
    assert (analyst.isco_code, analyst.code, analyst.alt_label_list) == (
        "2411",
        "2411.2",
        ["budget officer", "budgeting analyst"],
    )
    assert set(EscoOccupationSkill.objects.values_list("occupation__uri", "skill__uri", "relation")) == {
        (ANALYST, BUDGETS, "essential"),
        (ANALYST, FINANCE, "optional"),
        (MANAGER, BUDGETS, "essential"),
        (MANAGER, STAKEHOLDERS, "essential"),
    }
    release = EscoRelease.objects.order_by("-id").first()
    assert release is not None
    assert (release.version, release.source, release.skills, release.occupations) == (
        "1.2.0",
        f"download:{FOLDER}",
        3,
        2,
    )
    assert "skills_en.csv: 3 concepts: 3 new, 0 changed, 0 unchanged" in output
    assert "occupationSkillRelations_en.csv: 4 links: 4 new, 0 changed, 0 removed, 0 unchanged" in output
    assert output.rstrip().endswith("ESCO 1.2.0 imported.")
    assert AuditEntry.objects.filter(action="esco.import", object_id=str(release.pk)).exists()


def test_concepts_of_the_shipped_bundle_missing_from_the_download_are_marked_obsolete(download: Path) -> None:
    bundle_skills = EscoSkill.objects.count()

    _import(download)

    assert EscoSkill.objects.count() == bundle_skills + 3
    assert EscoSkill.objects.filter(status="released").count() == 3
    assert EscoSkill.objects.filter(status="obsolete").count() == bundle_skills


def test_a_second_import_of_the_same_files_changes_nothing_and_says_so(download: Path) -> None:
    _import(download)
    before = _snapshot()

    output = _import(download)

    assert _snapshot() == before
    assert "skills_en.csv: 3 concepts: 0 new, 0 changed, 3 unchanged, 0 marked obsolete" in output
    assert "broaderRelationsSkillPillar_en.csv: 5 links: 0 new, 0 changed, 0 removed, 5 unchanged" in output
    assert output.rstrip().endswith("ESCO 1.2.0 is already imported: nothing changed.")


def test_a_concept_missing_from_a_newer_release_is_marked_obsolete_and_kept(tmp_path: Path) -> None:
    _import(write_download(tmp_path / "ESCO dataset - v1.2.0 - classification - en - csv"))
    newer = write_download(
        tmp_path / "ESCO dataset - v1.2.1 - classification - en - csv",
        skills=[row for row in SKILLS if row[1] != FINANCE],
        relations=[[ANALYST, "", "essential", "", BUDGETS, ""], [MANAGER, "", "optional", "", BUDGETS, ""]],
        broader=[["KnowledgeSkillCompetence", BUDGETS, "SkillGroup", BUDGET_GROUP]],
    )

    output = _import(newer)

    finance = EscoSkill.objects.get(uri=FINANCE)
    assert (finance.status, finance.release) == ("obsolete", "1.2.0")
    assert EscoSkill.objects.get(uri=BUDGETS).release == "1.2.0"  # unchanged concepts keep the version that made them
    assert set(EscoOccupationSkill.objects.values_list("occupation__uri", "skill__uri", "relation")) == {
        (ANALYST, BUDGETS, "essential"),
        (MANAGER, BUDGETS, "optional"),
    }
    assert "skills_en.csv: 2 concepts: 0 new, 0 changed, 2 unchanged, 1 marked obsolete" in output
    assert "occupationSkillRelations_en.csv: 2 links: 0 new, 1 changed, 2 removed, 1 unchanged" in output
    assert EscoRelease.objects.order_by("-id").values_list("version", "obsoleted").first() == ("1.2.1", 1)


def test_an_obsolete_concept_that_comes_back_is_released_again(tmp_path: Path) -> None:
    _import(write_download(tmp_path / "v1.2.0", skills=SKILLS[:2], relations=[], broader=[]))
    _import(write_download(tmp_path / "v1.2.1", skills=SKILLS[:1], relations=[], broader=[]))
    assert EscoSkill.objects.get(uri=FINANCE).status == "obsolete"

    _import(write_download(tmp_path / "v1.2.2", skills=SKILLS[:2], relations=[], broader=[]))

    finance = EscoSkill.objects.get(uri=FINANCE)
    assert (finance.status, finance.release) == ("released", "1.2.2")


def test_a_changed_label_updates_the_concept_and_records_the_new_version(tmp_path: Path) -> None:
    _import(write_download(tmp_path / "v1.2.0"))
    changed = [[*SKILLS[0][:4], "manage budget", *SKILLS[0][5:]], *SKILLS[1:]]

    output = _import(write_download(tmp_path / "v1.2.1", skills=changed))

    budgets = EscoSkill.objects.get(uri=BUDGETS)
    assert (budgets.preferred_label, budgets.release) == ("manage budget", "1.2.1")
    assert "skills_en.csv: 3 concepts: 0 new, 1 changed, 2 unchanged, 0 marked obsolete" in output


def test_optional_files_are_imported_when_present(download: Path) -> None:
    write_optional(download)

    output = _import(download)

    assert set(EscoIscoGroup.objects.values_list("code", "preferred_label")) == {
        ("2411", "Accountants"),
        ("1213", "Policy and planning managers"),
    }
    assert set(EscoCollection.objects.values_list("slug", flat=True)) == {"green", "transversal"}
    assert set(EscoSkill.objects.get(uri=BUDGETS).collections.values_list("slug", flat=True)) == {"green"}
    assert EscoCollection.objects.get(slug="green").title == "Green skills"
    assert "greenSkillsCollection_en.csv: 1 links: 1 new" in output
    assert "ISCOGroups_en.csv: 2 concepts: 2 new" in output


def test_optional_files_that_are_absent_leave_earlier_data_alone(download: Path) -> None:
    write_optional(download)
    _import(download)
    for name in ("ISCOGroups_en.csv", "greenSkillsCollection_en.csv", "transversalSkillsCollection_en.csv"):
        (download / name).unlink()

    output = _import(download)

    assert EscoIscoGroup.objects.filter(status="released").count() == 2
    assert set(EscoSkill.objects.get(uri=BUDGETS).collections.values_list("slug", flat=True)) == {"green"}
    assert "ISCOGroups_en.csv" not in output


def test_the_version_option_wins_over_the_folder_name(download: Path) -> None:
    _import(download, "--version", "1.2.0-rc")

    assert EscoRelease.objects.order_by("-id").values_list("version", flat=True).first() == "1.2.0-rc"
    assert EscoSkill.objects.get(uri=BUDGETS).release == "1.2.0-rc"


def test_the_same_files_under_another_version_record_a_release_without_changing_concepts(download: Path) -> None:
    _import(download)
    releases = EscoRelease.objects.count()

    output = _import(download, "--version", "1.2.0b")

    assert EscoRelease.objects.count() == releases + 1
    assert EscoSkill.objects.get(uri=BUDGETS).release == "1.2.0"
    assert output.rstrip().endswith("ESCO 1.2.0b recorded: no concept or link changed.")


@pytest.mark.parametrize(
    ("name", "version"),
    [
        ("ESCO dataset - v1.2.0 - classification - en - csv", "1.2.0"),
        ("esco-v1.1.1-en", "1.1.1"),
        ("ESCO v1.2", "1.2"),
        ("downloads", None),
        ("skills-v2", None),
    ],
)
def test_the_version_is_read_from_the_folder_name(tmp_path: Path, name: str, version: str | None) -> None:
    assert detect_version(tmp_path / "x" / name) == version


def test_the_shipped_bundle_never_overwrites_an_official_import(download: Path, tmp_path: Path) -> None:
    _import(download)
    bundle = tmp_path / "bundle.json.gz"
    with gzip.open(bundle, "wt", encoding="utf-8") as handle:
        json.dump({"release": "old", "groups": [], "skills": [], "occupations": []}, handle)
    before = _snapshot()

    assert esco_load_bundle(path=bundle) is None

    assert _snapshot() == before


# --- bad input: every problem names file, line and column, and nothing is written ---------------------


def _problems(folder: Path, unchanged_database: Any, version: str | None = None) -> list[str]:
    with unchanged_database(), pytest.raises(EscoImportError) as raised:
        esco_import_download(folder=folder, version=version)
    return [str(problem) for problem in raised.value.problems]


def _rewrite(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_missing_required_column_is_named(download: Path, unchanged_database: Any) -> None:
    _rewrite(download / "skills_en.csv", "conceptType,conceptUri,", "conceptType,uri,")

    assert _problems(download, unchanged_database) == [
        "skills_en.csv: line 1, column 'conceptUri': required column is missing (the header has: conceptType, uri, "
        "skillType, reuseLevel, preferredLabel, altLabels, hiddenLabels, status, modifiedDate, scopeNote, definition, "
        "inScheme, description)"
    ]


def test_a_bad_concept_uri_is_named_with_its_line(download: Path, unchanged_database: Any) -> None:
    _rewrite(download / "skills_en.csv", FINANCE, "https://example.org/skills/financial-analysis")

    assert _problems(download, unchanged_database) == [
        "skills_en.csv: line 4, column 'conceptUri': not an ESCO skill URI: 'https://example.org/skills/financial-analysis'"
    ]


def test_a_file_in_another_encoding_is_refused_at_the_first_bad_byte(download: Path, unchanged_database: Any) -> None:
    path = download / "occupations_en.csv"
    path.write_bytes(
        path.read_bytes().replace(b"Project managers run", "Project managers g\u00e9rent".encode("latin-1"))
    )

    assert _problems(download, unchanged_database) == [
        "occupations_en.csv: line 4, column 'description': the file is not UTF-8: byte 0xe9 cannot be decoded "
        "(save the file as UTF-8)"
    ]


def test_a_utf16_file_is_refused(download: Path, unchanged_database: Any) -> None:
    path = download / "skillGroups_en.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("utf-16"))

    assert _problems(download, unchanged_database) == [
        "skillGroups_en.csv: line 1: the file is encoded as UTF-16; ESCO files are UTF-8 (save it as UTF-8)"
    ]


def test_a_truncated_row_names_the_first_missing_column(download: Path, unchanged_database: Any) -> None:
    path = download / "occupationSkillRelations_en.csv"
    path.write_text(path.read_text(encoding="utf-8").rsplit(",", 2)[0] + "\n", encoding="utf-8")

    assert _problems(download, unchanged_database) == [
        "occupationSkillRelations_en.csv: line 5, column 'skillUri': the row is truncated: it has 4 of 6 fields"
    ]


def test_a_file_cut_inside_a_quoted_field_is_reported_as_truncated(download: Path, unchanged_database: Any) -> None:
    path = download / "skills_en.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: text.index("build relations") + 5], encoding="utf-8")

    assert _problems(download, unchanged_database) == [
        "skills_en.csv: line 5, column 'altLabels': the file ends inside a quoted field that starts on line 5: "
        "the file is truncated or a quote is not closed"
    ]


def test_a_stray_quote_is_named(download: Path, unchanged_database: Any) -> None:
    _rewrite(download / "skillGroups_en.csv", "management skills,", '"management" skills,')

    assert _problems(download, unchanged_database) == [
        "skillGroups_en.csv: line 2, column 'preferredLabel': a closing quote must be followed by a comma or the end "
        "of the line"
    ]


def test_a_duplicate_concept_uri_names_both_lines(download: Path, unchanged_database: Any) -> None:
    _rewrite(download / "skills_en.csv", STAKEHOLDERS, BUDGETS)

    assert _problems(download, unchanged_database) == [
        "skills_en.csv: line 5, column 'conceptUri': duplicate concept URI (first on line 2)"
    ]


def test_an_unknown_relation_type_is_refused(download: Path, unchanged_database: Any) -> None:
    _rewrite(download / "occupationSkillRelations_en.csv", "optional", "nice-to-have")

    assert _problems(download, unchanged_database) == [
        "occupationSkillRelations_en.csv: line 3, column 'relationType': must be 'essential' or 'optional', found "
        "'nice-to-have'"
    ]


def test_a_relation_to_an_unknown_skill_is_refused(download: Path, unchanged_database: Any) -> None:
    _rewrite(download / "occupationSkillRelations_en.csv", f"knowledge,{FINANCE}", f"knowledge,{FINANCE}-x")

    assert _problems(download, unchanged_database) == [
        f"occupationSkillRelations_en.csv: line 3, column 'skillUri': unknown concept {FINANCE}-x: it is not in "
        "skills_en.csv"
    ]


def test_a_broader_relation_to_a_missing_parent_is_refused(download: Path, unchanged_database: Any) -> None:
    _rewrite(download / "broaderRelationsSkillPillar_en.csv", f"SkillGroup,{MANAGEMENT}\n", "SkillGroup,S9\n")

    assert _problems(download, unchanged_database) == [
        "broaderRelationsSkillPillar_en.csv: line 2, column 'broaderUri': not an ESCO URI: 'S9'"
    ]


def test_a_cycle_in_the_broader_relations_is_refused(download: Path, unchanged_database: Any) -> None:
    path = download / "broaderRelationsSkillPillar_en.csv"
    path.write_text(
        path.read_text(encoding="utf-8") + f"SkillGroup,{MANAGEMENT},SkillGroup,{BUDGET_GROUP}\n", encoding="utf-8"
    )

    assert _problems(download, unchanged_database) == [
        f"broaderRelationsSkillPillar_en.csv: line 7, column 'broaderUri': the broader relations form a cycle: "
        f"{BUDGET_GROUP} → {MANAGEMENT} → {BUDGET_GROUP}"
    ]


def test_a_declared_type_that_contradicts_the_files_is_refused(download: Path, unchanged_database: Any) -> None:
    _rewrite(
        download / "broaderRelationsSkillPillar_en.csv", f"KnowledgeSkillCompetence,{BUDGETS}", f"SkillGroup,{BUDGETS}"
    )

    assert _problems(download, unchanged_database) == [
        f"broaderRelationsSkillPillar_en.csv: line 3, column 'conceptType': {BUDGETS} is a KnowledgeSkillCompetence, "
        "not 'SkillGroup'"
    ]


def test_occupations_given_as_skills_are_refused_by_concept_type(download: Path, unchanged_database: Any) -> None:
    _rewrite(download / "skills_en.csv", "KnowledgeSkillCompetence", "Occupation")

    assert _problems(download, unchanged_database) == [
        "skills_en.csv: line 2, column 'conceptType': expected 'KnowledgeSkillCompetence', found 'Occupation'"
    ]


def test_an_empty_preferred_label_and_a_bad_isco_code_are_both_reported(
    download: Path, unchanged_database: Any
) -> None:
    _rewrite(download / "occupations_en.csv", ",2411,budget analyst,", ",24X1,budget analyst,")
    _rewrite(download / "occupations_en.csv", ",1213,project manager,", ",1213,,")

    assert _problems(download, unchanged_database) == [
        "occupations_en.csv: line 2, column 'iscoGroup': not an ISCO-08 code: '24X1'",
        "occupations_en.csv: line 4, column 'preferredLabel': the preferred label is empty",
    ]


def test_an_empty_file_is_refused(download: Path, unchanged_database: Any) -> None:
    (download / "occupationSkillRelations_en.csv").write_text("", encoding="utf-8")

    assert _problems(download, unchanged_database) == [
        "occupationSkillRelations_en.csv: line 1: the file is empty; expected a header row with occupationUri, "
        "relationType, skillUri"
    ]


def test_missing_required_files_are_all_named(tmp_path: Path, unchanged_database: Any) -> None:
    folder = write_download(tmp_path / FOLDER)
    (folder / "skills_en.csv").unlink()
    (folder / "broaderRelationsSkillPillar_en.csv").unlink()

    assert _problems(folder, unchanged_database) == [
        f"skills_en.csv: the file is missing from {folder}",
        f"broaderRelationsSkillPillar_en.csv: the file is missing from {folder}",
    ]


def test_a_folder_without_a_version_in_its_name_needs_the_option(tmp_path: Path, unchanged_database: Any) -> None:
    folder = write_download(tmp_path / "downloads")

    assert _problems(folder, unchanged_database) == [
        "downloads: the ESCO version is not in the folder's name; give it with --version"
    ]


def test_a_collection_naming_an_unknown_concept_is_refused(download: Path, unchanged_database: Any) -> None:
    write_optional(download)
    _rewrite(download / "greenSkillsCollection_en.csv", BUDGETS, f"{BUDGETS}-gone")

    assert _problems(download, unchanged_database) == [
        f"greenSkillsCollection_en.csv: line 2, column 'conceptUri': unknown concept {BUDGETS}-gone: it is not in "
        "skills_en.csv or occupations_en.csv"
    ]


def test_the_command_lists_the_problems_and_says_nothing_changed(download: Path, unchanged_database: Any) -> None:
    _rewrite(download / "occupationSkillRelations_en.csv", "optional", "nice-to-have")

    with unchanged_database(), pytest.raises(CommandError) as raised:
        _import(download)

    assert str(raised.value) == (
        "The ESCO files cannot be imported; nothing was changed.\n"
        "  occupationSkillRelations_en.csv: line 3, column 'relationType': must be 'essential' or 'optional', "
        "found 'nice-to-have'"
    )
