"""Small folders in the official ESCO CSV download layout, written by the tests."""

from __future__ import annotations

import csv
from pathlib import Path

ESCO = "http://data.europa.eu/esco/"
BUDGETS = f"{ESCO}skill/test-manage-budgets"
FINANCE = f"{ESCO}skill/test-financial-analysis"
STAKEHOLDERS = f"{ESCO}skill/test-stakeholders"
MANAGEMENT = f"{ESCO}skill/S4"
BUDGET_GROUP = f"{ESCO}skill/S4.2"
BUSINESS = f"{ESCO}isced-f/04"
ANALYST = f"{ESCO}occupation/test-budget-analyst"
MANAGER = f"{ESCO}occupation/test-project-manager"

SKILL_COLUMNS = [
    "conceptType", "conceptUri", "skillType", "reuseLevel", "preferredLabel", "altLabels", "hiddenLabels",
    "status", "modifiedDate", "scopeNote", "definition", "inScheme", "description",
]  # fmt: skip
OCCUPATION_COLUMNS = [
    "conceptType", "conceptUri", "iscoGroup", "preferredLabel", "altLabels", "hiddenLabels", "status",
    "modifiedDate", "regulatedProfessionNote", "scopeNote", "definition", "inScheme", "description", "code",
]  # fmt: skip
GROUP_COLUMNS = [
    "conceptType", "conceptUri", "preferredLabel", "altLabels", "hiddenLabels", "status", "modifiedDate",
    "scopeNote", "inScheme", "description", "code",
]  # fmt: skip
RELATION_COLUMNS = ["occupationUri", "occupationLabel", "relationType", "skillType", "skillUri", "skillLabel"]
BROADER_COLUMNS = ["conceptType", "conceptUri", "broaderType", "broaderUri"]
COLLECTION_COLUMNS = [
    "conceptType", "conceptUri", "preferredLabel", "status", "skillType", "reuseLevel", "altLabels", "description",
    "broaderConceptUri", "broaderConceptPT",
]  # fmt: skip
ISCO_COLUMNS = ["conceptType", "conceptUri", "code", "preferredLabel", "status", "altLabels", "inScheme", "description"]

KSC = "KnowledgeSkillCompetence"
SKILLS = [
    [KSC, BUDGETS, "skill/competence", "cross-sector", "manage budgets", "budget management\ncontrol budgets", "",
     "released", "2023-11-30T10:00:00Z", "", "", f"{ESCO}concept-scheme/skills",
     "Plan, monitor and report on the budget."],
    [KSC, FINANCE, "knowledge", "cross-sector", "financial analysis", "analysis of finances", "", "released",
     "2023-11-30T10:00:00Z", "", "", f"{ESCO}concept-scheme/skills",
     "The process of assessing the financial possibilities, means, and status of an organisation."],
    [KSC, STAKEHOLDERS, "skill/competence", "transversal", "manage relationships with stakeholders",
     "maintain relationships with stakeholders\nbuild relations with stakeholders", "", "released",
     "2023-11-30T10:00:00Z", "", "", f"{ESCO}concept-scheme/skills",
     "Create and maintain a solid internal and external relationship with stakeholders."],
]  # fmt: skip
OCCUPATIONS = [
    ["Occupation", ANALYST, "2411", "budget analyst", "budget officer\nbudgeting analyst", "", "released",
     "2024-01-15T09:00:00Z", "", "", "", f"{ESCO}concept-scheme/occupations",
     "Budget analysts prepare and monitor budgets.", "2411.2"],
    ["Occupation", MANAGER, "1213", "project manager", "programme manager", "", "released",
     "2024-01-15T09:00:00Z", "", "", "", f"{ESCO}concept-scheme/occupations",
     "Project managers run projects within time and budget.", "1213.5"],
]  # fmt: skip
GROUPS = [
    ["SkillGroup", MANAGEMENT, "management skills", "", "", "released", "", "", "", "Managing people and money.", ""],
    ["SkillGroup", BUDGET_GROUP, "managing budgets and finances", "", "", "released", "", "", "", "", ""],
    ["SkillGroup", BUSINESS, "business, administration and law", "", "", "released", "", "", "", "", "04"],
]
RELATIONS = [
    [ANALYST, "budget analyst", "essential", "skill/competence", BUDGETS, "manage budgets"],
    [ANALYST, "budget analyst", "optional", "knowledge", FINANCE, "financial analysis"],
    [MANAGER, "project manager", "essential", "skill/competence", BUDGETS, "manage budgets"],
    [MANAGER, "project manager", "essential", "skill/competence", STAKEHOLDERS, "manage relationships…"],
]
BROADER = [
    ["SkillGroup", BUDGET_GROUP, "SkillGroup", MANAGEMENT],
    [KSC, BUDGETS, "SkillGroup", BUDGET_GROUP],
    [KSC, STAKEHOLDERS, "SkillGroup", MANAGEMENT],
    [KSC, FINANCE, "SkillGroup", BUSINESS],
    [KSC, FINANCE, KSC, BUDGETS],
]

FOLDER = "ESCO dataset - v1.2.0 - classification - en - csv"


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_download(
    folder: Path,
    *,
    skills: list[list[str]] | None = None,
    occupations: list[list[str]] | None = None,
    relations: list[list[str]] | None = None,
    broader: list[list[str]] | None = None,
) -> Path:
    """The five required files; each can be replaced by other rows."""
    folder.mkdir(parents=True, exist_ok=True)
    write_csv(folder / "skills_en.csv", SKILL_COLUMNS, SKILLS if skills is None else skills)
    write_csv(folder / "occupations_en.csv", OCCUPATION_COLUMNS, OCCUPATIONS if occupations is None else occupations)
    write_csv(folder / "skillGroups_en.csv", GROUP_COLUMNS, GROUPS)
    write_csv(
        folder / "occupationSkillRelations_en.csv", RELATION_COLUMNS, RELATIONS if relations is None else relations
    )
    write_csv(folder / "broaderRelationsSkillPillar_en.csv", BROADER_COLUMNS, BROADER if broader is None else broader)
    return folder


def write_optional(folder: Path) -> None:
    write_csv(
        folder / "ISCOGroups_en.csv",
        ISCO_COLUMNS,
        [
            ["ISCOGroup", f"{ESCO}isco/C2411", "2411", "Accountants", "released", "", "", "Accountants plan…"],
            ["ISCOGroup", f"{ESCO}isco/C1213", "1213", "Policy and planning managers", "released", "", "", ""],
        ],
    )
    write_csv(
        folder / "greenSkillsCollection_en.csv",
        COLLECTION_COLUMNS,
        [[KSC, BUDGETS, "manage budgets", "released", "skill/competence", "cross-sector", "", "", "", ""]],
    )
    write_csv(
        folder / "transversalSkillsCollection_en.csv",
        COLLECTION_COLUMNS,
        [[KSC, STAKEHOLDERS, "manage relationships with stakeholders", "released", "", "", "", "", "", ""]],
    )
