"""The reference curriculum source (``docs/formats/curriculum.md``): reading and checking, without Django.

Pure functions over the YAML documents, shared by the loader (``services``) and by
``tools/check_curriculum.py`` (which runs without a database or Django). Problems are
``(where, message)`` pairs; ``where`` names the file and the field inside it.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

LANGUAGES = ("en", "bg", "ro", "el", "es", "de")
DELIVERY_MODES = ("online", "classroom", "work-based")
STUDY_HEADINGS = (
    "Why it matters",
    "Key concepts",
    "Method, step by step",
    "Case study:",
    "Check your understanding",
    "Further reading",
)
MIN_STUDY_WORDS = 600
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$")
HEADING_RE = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$", re.MULTILINE)
WORD_RE = re.compile(r"\w")

Problems = list[tuple[str, str]]


@dataclass(frozen=True)
class FrameworkFacts:
    """What the checks need to know about the framework the outcomes name."""

    elements: frozenset[str]
    levels: frozenset[int]
    targets: dict[str, int]  # element code → the highest target level any role sets for it


@dataclass
class Source:
    """``curriculum.yaml`` and the module files of one folder (file name → parsed document)."""

    curriculum: Any
    modules: dict[str, Any]


def _load_yaml(path: Path, name: str, problems: Problems) -> Any:
    if not path.exists():
        problems.append((name, "is missing"))
        return None
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" line {mark.line + 1}" if mark is not None else ""
        problems.append((f"{name}{line}", f"invalid YAML: {getattr(exc, 'problem', exc)}"))
        return None


def read_folder(folder: Path) -> tuple[Source, Problems]:
    problems: Problems = []
    curriculum = _load_yaml(folder / "curriculum.yaml", "curriculum.yaml", problems)
    modules = {
        f"modules/{path.name}": _load_yaml(path, f"modules/{path.name}", problems)
        for path in sorted((folder / "modules").glob("*.yaml"))
    }
    return Source(curriculum, modules), problems


def source_hash(source: Source) -> str:
    canonical = json.dumps(
        {"curriculum": source.curriculum, "modules": source.modules},
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
        default=str,
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def study_words(text: str) -> int:
    """Words of a Markdown text, headings included (tokens with at least one letter or digit)."""
    return sum(1 for token in text.split() if WORD_RE.search(token))


def missing_headings(text: str) -> list[str]:
    headings = HEADING_RE.findall(text)
    return [
        required
        for required in STUDY_HEADINGS
        if not any(
            heading == required or (required.endswith(":") and heading.startswith(required)) for heading in headings
        )
    ]


def framework_facts_from_folder(folder: Path) -> FrameworkFacts:
    """The facts from a framework source folder (``framework.yaml`` + ``units/*.yaml``), as the loader stores them."""
    framework = yaml.safe_load((folder / "framework.yaml").read_text(encoding="utf-8"))
    levels = frozenset(level["value"] for level in framework["scale"]["levels"])
    unit_elements: dict[str, list[str]] = {}
    for path in sorted((folder / "units").glob("*.yaml")):
        unit = yaml.safe_load(path.read_text(encoding="utf-8"))
        unit_elements[str(unit["code"])] = [str(element["code"]) for element in unit.get("elements") or []]
    targets: dict[str, int] = {}
    for role in framework.get("roles") or []:
        for requirement in role.get("requirements") or []:
            overrides = requirement.get("elements") or {}
            for code in unit_elements.get(str(requirement["unit"]), []):
                level = (overrides.get(code) or {}).get("level", requirement["level"])
                targets[code] = max(targets.get(code, 0), level)
    elements = frozenset(code for codes in unit_elements.values() for code in codes)
    return FrameworkFacts(elements=elements, levels=levels, targets=targets)


class _Checker:
    def __init__(self, languages: Iterable[str]) -> None:
        self.languages = tuple(languages)
        self.problems: Problems = []

    def add(self, where: str, message: str) -> None:
        self.problems.append((where, message))

    def text(self, value: Any, where: str, *, all_languages: bool) -> None:
        if value is None:
            self.add(where, "is missing")
            return
        if not isinstance(value, dict):
            self.add(where, "must be a mapping from language code to text")
            return
        for language, text in value.items():
            if language not in self.languages:
                self.add(f"{where}.{language}", f"unknown language; use one of {', '.join(self.languages)}")
            elif not isinstance(text, str) or not text.strip():
                self.add(f"{where}.{language}", "must be a non-empty text")
        if not value.get("en"):
            self.add(f"{where}.en", "English text is required")
        if all_languages:
            missing = [code for code in self.languages if code not in value]
            if missing:
                self.add(where, f"missing languages: {', '.join(missing)}")

    def code_list(self, value: Any, where: str) -> list[str]:
        if not isinstance(value, list) or not all(isinstance(code, str) for code in value):
            self.add(where, "must be a list of module codes")
            return []
        return list(value)


def _check_module(checker: _Checker, name: str, module: Any, facts: FrameworkFacts | None) -> None:
    where = name
    if not isinstance(module, dict):
        checker.add(where, "must be a mapping")
        return
    checker.text(module.get("title"), f"{where}: title", all_languages=True)
    checker.text(module.get("description"), f"{where}: description", all_languages=True)
    hours = module.get("hours")
    if isinstance(hours, bool) or not isinstance(hours, int) or hours <= 0:
        checker.add(f"{where}: hours", "must be a whole number of hours greater than 0")
    ecvet = module.get("ecvet")
    if isinstance(ecvet, bool) or not isinstance(ecvet, int | float) or ecvet < 0 or ecvet * 2 != int(ecvet * 2):
        checker.add(f"{where}: ecvet", "must be a number of ECVET points ≥ 0 in steps of 0.5")
    delivery = module.get("delivery")
    if not isinstance(delivery, list) or not delivery:
        checker.add(f"{where}: delivery", f"needs at least one of {', '.join(DELIVERY_MODES)}")
    else:
        for mode in delivery:
            if mode not in DELIVERY_MODES:
                checker.add(f"{where}: delivery", f"unknown delivery mode {mode!r}; use {', '.join(DELIVERY_MODES)}")
        if len(set(map(str, delivery))) != len(delivery):
            checker.add(f"{where}: delivery", "lists a mode twice")
    assessment = module.get("assessment")
    if not isinstance(assessment, dict):
        checker.add(f"{where}: assessment", "is missing (a mapping with 'method')")
    else:
        checker.text(assessment.get("method"), f"{where}: assessment.method", all_languages=False)
    outcomes = module.get("outcomes")
    if not isinstance(outcomes, list) or not outcomes:
        checker.add(f"{where}: outcomes", "a module needs at least one learning outcome")
        outcomes = []
    for index, outcome in enumerate(outcomes):
        here = f"{where}: outcomes[{index}]"
        if not isinstance(outcome, dict):
            checker.add(here, "must be a mapping")
            continue
        element = outcome.get("element")
        if not isinstance(element, str) or (facts is not None and element not in facts.elements):
            checker.add(f"{here}.element", f"unknown framework element {element!r}")
        level = outcome.get("level")
        if isinstance(level, bool) or not isinstance(level, int) or (facts is not None and level not in facts.levels):
            scale = sorted(facts.levels) if facts is not None else "the scale"
            checker.add(f"{here}.level", f"level {level!r} is not on the scale ({scale})")
        checker.text(outcome.get("text"), f"{here}.text", all_languages=True)
    study = module.get("study")
    if not isinstance(study, dict):
        checker.add(f"{where}: study", "is missing (a mapping with at least 'en')")
    else:
        checker.text(study, f"{where}: study", all_languages=False)
        english = study.get("en")
        if isinstance(english, str) and english.strip():
            words = study_words(english)
            if words < MIN_STUDY_WORDS:
                checker.add(f"{where}: study.en", f"has {words} words; the study page needs at least {MIN_STUDY_WORDS}")
            missing = missing_headings(english)
            if missing:
                checker.add(f"{where}: study.en", f"missing headings: {', '.join('## ' + h for h in missing)}")
    links = module.get("links")
    if links is not None and not isinstance(links, list):
        checker.add(f"{where}: links", "must be a list")
    for index, link in enumerate(links if isinstance(links, list) else []):
        here = f"{where}: links[{index}]"
        if not isinstance(link, dict) or not isinstance(link.get("title"), str) or not link["title"].strip():
            checker.add(here, "needs a title")
        elif not isinstance(link.get("url"), str) or not re.match(r"^https?://\S+$", link["url"]):
            checker.add(f"{here}.url", f"must be an http(s) URL, not {link.get('url')!r}")


def _cycles(graph: dict[str, list[str]]) -> list[list[str]]:
    """Prerequisite cycles, each reported once as the codes along it (depth-first search)."""
    state: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in graph.get(node, []):
            if state.get(nxt) == 1:
                found.append([*stack[stack.index(nxt) :], nxt])
            elif nxt in graph and nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)
    return found


def check_source(source: Source, facts: FrameworkFacts | None, *, languages: Iterable[str] = LANGUAGES) -> Problems:
    """Every rule of ``docs/formats/curriculum.md``; ``facts=None`` skips the checks against the framework."""
    checker = _Checker(languages)
    document = source.curriculum
    if not isinstance(document, dict):
        checker.add("curriculum.yaml", "must be a mapping")
        document = {}
    else:
        if not isinstance(document.get("slug"), str) or not SLUG_RE.match(document["slug"]):
            checker.add("curriculum.yaml: slug", "must be a lowercase slug such as 'skills4cities-vet'")
        if not isinstance(document.get("framework"), str) or not document["framework"].strip():
            checker.add("curriculum.yaml: framework", "must name the framework slug")
        if not isinstance(document.get("version"), str) or not document["version"].strip():
            checker.add("curriculum.yaml: version", 'must be a text such as "1.0.0"')
        checker.text(document.get("title"), "curriculum.yaml: title", all_languages=True)
        checker.text(document.get("description"), "curriculum.yaml: description", all_languages=True)

    modules: dict[str, str] = {}  # code → file name
    graph: dict[str, list[str]] = {}
    for name, module in source.modules.items():
        code = module.get("code") if isinstance(module, dict) else None
        stem = name.rsplit("/", 1)[-1].removesuffix(".yaml")
        if not isinstance(code, str) or not CODE_RE.match(code):
            checker.add(f"{name}: code", f"invalid module code {code!r}")
            continue
        if code != stem:
            checker.add(f"{name}: code", f"{code!r} does not match the file name {stem!r}")
        if code in modules:
            checker.add(f"{name}: code", f"duplicate module code {code!r} (also in {modules[code]})")
            continue
        modules[code] = name
        _check_module(checker, name, module, facts)
        graph[code] = checker.code_list(module.get("prerequisites", []), f"{name}: prerequisites")

    for code, prerequisites in graph.items():
        for prerequisite in prerequisites:
            if prerequisite == code:
                checker.add(f"{modules[code]}: prerequisites", "a module cannot be its own prerequisite")
            elif prerequisite not in modules:
                checker.add(f"{modules[code]}: prerequisites", f"unknown module {prerequisite!r}")
    for cycle in _cycles({code: [p for p in pre if p != code] for code, pre in graph.items()}):
        checker.add(f"{modules[cycle[0]]}: prerequisites", f"prerequisites form a cycle: {' → '.join(cycle)}")

    courses = document.get("courses")
    if not isinstance(courses, list) or not courses:
        checker.add("curriculum.yaml: courses", "needs at least one course")
        courses = []
    course_codes: set[str] = set()
    in_a_course: set[str] = set()
    for index, course in enumerate(courses):
        here = f"curriculum.yaml: courses[{index}]"
        if not isinstance(course, dict):
            checker.add(here, "must be a mapping")
            continue
        code = course.get("code")
        if not isinstance(code, str) or not CODE_RE.match(code):
            checker.add(f"{here}.code", f"invalid course code {code!r}")
        elif code in course_codes:
            checker.add(f"{here}.code", f"duplicate course code {code!r}")
        else:
            course_codes.add(code)
            here = f"curriculum.yaml: course {code}"
        checker.text(course.get("title"), f"{here}.title", all_languages=True)
        checker.text(course.get("description"), f"{here}.description", all_languages=True)
        listed = checker.code_list(course.get("modules"), f"{here}.modules")
        if not listed:
            checker.add(f"{here}.modules", "a course needs at least one module")
        for module_code in listed:
            if module_code not in modules:
                checker.add(f"{here}.modules", f"module {module_code!r} has no file modules/{module_code}.yaml")
        if len(set(listed)) != len(listed):
            checker.add(f"{here}.modules", "lists a module twice")
        in_a_course.update(listed)
    for code, name in sorted(modules.items()):
        if code not in in_a_course:
            checker.add(name, f"module {code} is in no course of curriculum.yaml")

    if facts is not None:
        reached: dict[str, int] = {}
        for module in source.modules.values():
            for outcome in (module.get("outcomes") if isinstance(module, dict) else None) or []:
                if isinstance(outcome, dict) and isinstance(outcome.get("level"), int):
                    element = str(outcome.get("element"))
                    reached[element] = max(reached.get(element, 0), outcome["level"])
        for element, target in sorted(facts.targets.items()):
            if reached.get(element, 0) < target:
                have = reached.get(element)
                state = f"the highest outcome reaches {have}" if have else "no outcome names it"
                checker.add(
                    "coverage",
                    f"element {element} is required at level {target} by a role but {state}",
                )
    return checker.problems
