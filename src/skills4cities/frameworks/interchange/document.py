"""Validation of a framework *document*: the in-memory form of the native format.

The document is the structure described in ``docs/formats/reference-content.md``: the keys of
``framework.yaml`` plus ``units``, a list of unit mappings. Every problem is reported with its
location (source file and path inside it), and nothing is written while any problem remains.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings

from skills4cities.frameworks.enums import AlignmentRelation, AlignmentTarget, FrameworkStatus

CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$")
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ESCO_URI_RE = re.compile(r"^http://data\.europa\.eu/esco/(skill|occupation)/[A-Za-z0-9.\-]+$")


@dataclass
class Problem:
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


@dataclass
class DocumentErrors(Exception):
    problems: list[Problem] = field(default_factory=list)

    def __str__(self) -> str:
        return "\n".join(str(problem) for problem in self.problems)


class _Checker:
    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, where: str, message: str) -> None:
        self.problems.append(Problem(where, message))

    def text(self, value: Any, where: str, *, all_languages: bool = False, required: bool = True) -> None:
        if value is None:
            if required:
                self.add(where, "is missing")
            return
        if not isinstance(value, dict):
            self.add(where, "must be a mapping from language code to text")
            return
        for language, text in value.items():
            if language not in settings.LANGUAGE_CODES:
                self.add(
                    f"{where}.{language}",
                    f"unknown language; use one of {', '.join(settings.LANGUAGE_CODES)}",
                )
            elif not isinstance(text, str) or not text.strip():
                self.add(f"{where}.{language}", "must be a non-empty text")
        if required and not value.get("en"):
            self.add(f"{where}.en", "English text is required")
        if all_languages:
            missing = [code for code in settings.LANGUAGE_CODES if code not in value]
            if missing:
                self.add(where, f"missing languages: {', '.join(missing)}")

    def format_data(self, item: Any, where: str) -> None:
        """``extra`` holds format data kept for lossless export (CASE identifiers, Moodle rules …)."""
        if isinstance(item, dict) and "extra" in item and not isinstance(item["extra"], dict):
            self.add(f"{where}.extra", "must be a mapping")

    def code(self, value: Any, where: str, seen: dict[str, str]) -> None:
        if not isinstance(value, str) or not CODE_RE.match(value):
            self.add(where, f"invalid code {value!r}: letters, digits, '.', '_' or '-', at most 40 characters")
            return
        if value in seen:
            self.add(where, f"duplicate code {value!r} (first used at {seen[value]})")
        else:
            seen[value] = where

    def alignments(self, values: Any, where: str, ecf_codes: set[str] | None) -> None:
        if values is None:
            return
        if not isinstance(values, list):
            self.add(where, "must be a list")
            return
        for index, alignment in enumerate(values):
            here = f"{where}[{index}]"
            if not isinstance(alignment, dict):
                self.add(here, "must be a mapping")
                continue
            target = alignment.get("target")
            if target not in AlignmentTarget.values:
                self.add(f"{here}.target", f"must be one of {', '.join(AlignmentTarget.values)}")
                continue
            if alignment.get("relation", "related") not in AlignmentRelation.values:
                self.add(f"{here}.relation", f"must be one of {', '.join(AlignmentRelation.values)}")
            if target == AlignmentTarget.ECF:
                code = alignment.get("code")
                if not isinstance(code, str) or (ecf_codes is not None and code not in ecf_codes):
                    self.add(f"{here}.code", f"unknown e-CF 4.0 competence code {code!r}")
                level = alignment.get("level")
                if level is not None and (not isinstance(level, int) or not 1 <= level <= 5):
                    self.add(f"{here}.level", "e-CF level must be an integer from 1 to 5")
            else:
                uri = alignment.get("uri")
                kind = "skill" if target == AlignmentTarget.ESCO_SKILL else "occupation"
                if not isinstance(uri, str) or not ESCO_URI_RE.match(uri) or f"/esco/{kind}/" not in uri:
                    self.add(f"{here}.uri", f"not an ESCO {kind} URI: {uri!r}")


def _statements(checker: _Checker, values: Any, where: str, minimum: int) -> None:
    if not isinstance(values, list) or len(values) < minimum:
        checker.add(where, f"needs at least {minimum} statement(s)")
        return
    for index, value in enumerate(values):
        checker.text(value, f"{where}[{index}]")


def validate_document(
    document: Any,
    *,
    source: str = "document",
    unit_sources: dict[str, str] | None = None,
    ecf_codes: set[str] | None = None,
    strict_content: bool = False,
) -> None:
    """Raise :class:`DocumentErrors` listing every problem in ``document``.

    ``strict_content`` adds the minimums of the shipped reference content (K/S/A on every element,
    two criteria per element, names and descriptions in all six languages).
    """
    checker = _Checker()
    if not isinstance(document, dict):
        raise DocumentErrors([Problem(source, "the document must be a mapping")])
    slug = document.get("slug")
    if not isinstance(slug, str) or not SLUG_RE.match(slug):
        checker.add(f"{source}: slug", "must be a lowercase slug such as 'skills4cities'")
    if not isinstance(document.get("version"), str) or not document["version"].strip():
        checker.add(f"{source}: version", 'must be a text such as "1.0.0"')
    if document.get("status", FrameworkStatus.DRAFT) not in FrameworkStatus.values:
        checker.add(f"{source}: status", f"must be one of {', '.join(FrameworkStatus.values)}")
    checker.text(document.get("title"), f"{source}: title", all_languages=strict_content)
    checker.text(document.get("description"), f"{source}: description", all_languages=strict_content, required=False)
    checker.format_data(document, f"{source}:")

    scale = document.get("scale")
    level_values: set[int] = set()
    if not isinstance(scale, dict):
        checker.add(f"{source}: scale", "is missing")
    else:
        checker.text(scale.get("title"), f"{source}: scale.title", all_languages=strict_content)
        checker.format_data(scale, f"{source}: scale")
        levels = scale.get("levels")
        if not isinstance(levels, list) or not levels:
            checker.add(f"{source}: scale.levels", "needs at least one level")
            levels = []
        for index, level in enumerate(levels):
            here = f"{source}: scale.levels[{index}]"
            value = level.get("value") if isinstance(level, dict) else None
            if not isinstance(value, int) or value < 1:
                checker.add(f"{here}.value", "must be a positive integer")
                continue
            if value in level_values:
                checker.add(f"{here}.value", f"duplicate level value {value}")
            level_values.add(value)
            checker.text(level.get("name"), f"{here}.name", all_languages=strict_content)
            checker.text(
                level.get("description"),
                f"{here}.description",
                all_languages=strict_content,
                required=strict_content,
            )
            eqf = level.get("eqf_level")
            if eqf is not None and (not isinstance(eqf, int) or not 1 <= eqf <= 8):
                checker.add(f"{here}.eqf_level", "must be an integer from 1 to 8")

    codes: dict[str, str] = {}
    element_units: dict[str, str] = {}
    units = document.get("units")
    if not isinstance(units, list) or not units:
        checker.add(f"{source}: units", "needs at least one unit")
        units = []
    for u_index, unit in enumerate(units):
        unit_source = (unit_sources or {}).get(str(unit.get("code")) if isinstance(unit, dict) else "", source)
        where = f"{unit_source}: units[{u_index}]" if unit_source == source else f"{unit_source}:"
        if not isinstance(unit, dict):
            checker.add(where, "must be a mapping")
            continue
        checker.code(unit.get("code"), f"{where} code", codes)
        checker.format_data(unit, where)
        checker.text(unit.get("title"), f"{where} title", all_languages=strict_content)
        checker.text(
            unit.get("description"),
            f"{where} description",
            all_languages=strict_content,
            required=strict_content,
        )
        checker.alignments(unit.get("alignments"), f"{where} alignments", ecf_codes)
        elements = unit.get("elements")
        if not isinstance(elements, list) or not elements:
            checker.add(f"{where} elements", "a unit needs at least one element")
            continue
        for e_index, element in enumerate(elements):
            e_where = f"{where} elements[{e_index}]"
            if not isinstance(element, dict):
                checker.add(e_where, "must be a mapping")
                continue
            code = element.get("code")
            checker.code(code, f"{e_where}.code", codes)
            if isinstance(code, str):
                element_units[code] = str(unit.get("code"))
                e_where = f"{where} element {code}"
            checker.text(element.get("title"), f"{e_where}.title", all_languages=strict_content)
            checker.format_data(element, e_where)
            checker.text(
                element.get("description"),
                f"{e_where}.description",
                all_languages=strict_content,
                required=strict_content,
            )
            for kind in ("knowledge", "skills", "attitudes"):
                if strict_content or element.get(kind) is not None:
                    _statements(checker, element.get(kind), f"{e_where}.{kind}", 1 if strict_content else 0)
            criteria = element.get("criteria")
            minimum = 2 if strict_content else 1
            if not isinstance(criteria, list) or len(criteria) < minimum:
                checker.add(f"{e_where}.criteria", f"an element needs at least {minimum} performance criteria")
                criteria = criteria if isinstance(criteria, list) else []
            for c_index, criterion in enumerate(criteria):
                c_where = f"{e_where}.criteria[{c_index}]"
                if not isinstance(criterion, dict):
                    checker.add(c_where, "must be a mapping")
                    continue
                checker.code(criterion.get("code"), f"{c_where}.code", codes)
                checker.format_data(criterion, c_where)
                checker.text(criterion.get("text"), f"{c_where}.text")
                checker.alignments(criterion.get("alignments"), f"{c_where}.alignments", ecf_codes)
            checker.alignments(element.get("alignments"), f"{e_where}.alignments", ecf_codes)

    roles = document.get("roles")
    if not isinstance(roles, list):
        checker.add(f"{source}: roles", "must be a list")
        roles = []
    role_slugs: dict[str, str] = {}
    unit_codes = {str(unit.get("code")) for unit in units if isinstance(unit, dict)}
    for r_index, role in enumerate(roles):
        where = f"{source}: roles[{r_index}]"
        if not isinstance(role, dict):
            checker.add(where, "must be a mapping")
            continue
        role_slug = role.get("slug")
        if not isinstance(role_slug, str) or not SLUG_RE.match(role_slug):
            checker.add(f"{where}.slug", "must be a lowercase slug")
        elif role_slug in role_slugs:
            checker.add(f"{where}.slug", f"duplicate role slug {role_slug!r}")
        else:
            role_slugs[role_slug] = where
            where = f"{source}: role {role_slug}"
        checker.code(role.get("code"), f"{where}.code", codes)
        checker.format_data(role, where)
        checker.text(role.get("title"), f"{where}.title", all_languages=strict_content)
        checker.text(role.get("summary"), f"{where}.summary", all_languages=strict_content, required=strict_content)
        checker.text(role.get("mission"), f"{where}.mission", required=strict_content)
        for t_index, task in enumerate(role.get("main_tasks") or []):
            checker.text(task, f"{where}.main_tasks[{t_index}]")
        eqf = role.get("eqf_level")
        if not isinstance(eqf, int) or not 1 <= eqf <= 8:
            checker.add(f"{where}.eqf_level", "every role needs an EQF level from 1 to 8")
        checker.alignments(role.get("alignments"), f"{where}.alignments", ecf_codes)
        for q_index, requirement in enumerate(role.get("requirements") or []):
            q_where = f"{where}.requirements[{q_index}]"
            if not isinstance(requirement, dict):
                checker.add(q_where, "must be a mapping")
                continue
            if requirement.get("unit") not in unit_codes:
                checker.add(f"{q_where}.unit", f"unknown unit {requirement.get('unit')!r}")
            level = requirement.get("level")
            if level not in level_values:
                checker.add(f"{q_where}.level", f"level {level!r} is not on the scale ({sorted(level_values)})")
            for element_code, override in (requirement.get("elements") or {}).items():
                if element_units.get(element_code) != requirement.get("unit"):
                    checker.add(f"{q_where}.elements.{element_code}", "is not an element of this unit")
                elif not isinstance(override, dict) or ("level" in override and override["level"] not in level_values):
                    checker.add(f"{q_where}.elements.{element_code}", "override needs a level on the scale")
    if checker.problems:
        raise DocumentErrors(checker.problems)
