"""Turn the places named by ``validate_document`` into lines of the file a document was read from.

``validate_document`` names places as ``"<source>: units[0] element M1.E1.criteria"`` or
``"<source>: role mini-role.requirements[0].level"``. :func:`relocate` resolves such a place to a
document path (``units[0].elements[0].criteria``), looks up the line where the path starts in the
file, and rewrites the place as ``"<source>: line 42, units[0].elements[0].criteria"``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from skills4cities.frameworks.interchange.document import Problem
from skills4cities.frameworks.interchange.sources import Path, path_text, place

_INDEX = re.compile(r"\[(\d+)\]")
_NAMED = re.compile(r"(element|unit|role|criterion) ")
_TOKEN = re.compile(r"\[(\d+)\]|([^.\[\s]+)")


def _list(value: Any, key: str) -> list[Any]:
    items = value.get(key) if isinstance(value, dict) else None
    return items if isinstance(items, list) else []


def named_items(document: Any) -> dict[str, dict[str, Path]]:
    """Paths of the units, elements and criteria by code, and of the roles by slug."""
    found: dict[str, dict[str, Path]] = {"unit": {}, "element": {}, "criterion": {}, "role": {}}

    def add(kind: str, item: Any, key: str, path: Path) -> None:
        if isinstance(item, dict) and isinstance(item.get(key), str):
            found[kind].setdefault(item[key], path)

    for u, unit in enumerate(_list(document, "units")):
        add("unit", unit, "code", ("units", u))
        for e, element in enumerate(_list(unit, "elements")):
            add("element", element, "code", ("units", u, "elements", e))
            for c, criterion in enumerate(_list(element, "criteria")):
                add("criterion", criterion, "code", ("units", u, "elements", e, "criteria", c))
    for r, role in enumerate(_list(document, "roles")):
        add("role", role, "slug", ("roles", r))
    return found


def _longest_prefix(text: str, keys: Any) -> str | None:
    """The longest key that ``text`` starts with, followed by the end or a separator (codes contain dots)."""
    best: str | None = None
    for key in keys:
        key = str(key)
        if text.startswith(key) and (len(text) == len(key) or text[len(key)] in ".[ ") and len(key) > len(best or ""):
            best = key
    return best


def _get(node: Any, part: str | int) -> Any:
    if isinstance(part, int):
        return node[part] if isinstance(node, list) and 0 <= part < len(node) else None
    if isinstance(node, dict):
        for key, value in node.items():
            if str(key) == part:
                return value
    return None


def document_path(text: str, document: Any) -> Path:
    """The document path of a place such as ``"units[0] element M1.E1.criteria[1].code"``."""
    path: list[str | int] = []
    node = document
    named: dict[str, dict[str, Path]] | None = None
    rest = text
    while rest := rest.lstrip(" ."):
        if match := _INDEX.match(rest):
            path.append(int(match.group(1)))
            node = _get(node, path[-1])
            rest = rest[match.end() :]
            continue
        if match := _NAMED.match(rest):
            named = named if named is not None else named_items(document)
            items = named[match.group(1)]
            code = _longest_prefix(rest[match.end() :], items)
            if code is not None:
                path = list(items[code])
                node = document
                for part in path:
                    node = _get(node, part)
                rest = rest[match.end() + len(code) :]
                continue
        if isinstance(node, dict) and (key := _longest_prefix(rest, node)) is not None:
            path.append(key)
            node = _get(node, key)
            rest = rest[len(key) :]
            continue
        match = _TOKEN.match(rest)
        if match is None:  # pragma: no cover - the separators are stripped above
            break
        path.append(int(match.group(1)) if match.group(1) is not None else match.group(2))
        node = None
        rest = rest[match.end() :]
    return tuple(path)


def line_of(path: Path, lines: Mapping[Path, int]) -> int | None:
    """The line of the deepest part of ``path`` that is in the file (a missing field: its parent's line)."""
    for end in range(len(path), -1, -1):
        line = lines.get(path[:end])
        if line is not None:
            return line
    return None


def located(source: str, path: Path, message: str, lines: Mapping[Path, int]) -> Problem:
    return Problem(place(source, line_of(path, lines), path_text(path)), message)


def relocate(problems: list[Problem], *, source: str, document: Any, lines: Mapping[Path, int]) -> list[Problem]:
    """Rewrite the places of ``problems`` about ``source`` with their line and document path, sorted by line."""
    result: list[tuple[int, int, Problem]] = []
    # Messages may mention another place of the same file ("first used at <source>: units[0] …)").
    _mentioned = re.compile(re.escape(source) + r": ([^()]+)(?=\))") if source else None

    def _here(text: str) -> str:
        path = document_path(text, document)
        return place(source, line_of(path, lines), path_text(path))[len(source) + 2 :]

    for index, problem in enumerate(problems):
        rest = problem.where[len(source) :] if problem.where.startswith(f"{source}:") else ""
        rest = rest[1:]
        if not rest.strip(" .:"):
            result.append((0, index, problem))
            continue
        path = document_path(rest, document)
        line = line_of(path, lines)
        message = (
            _mentioned.sub(lambda match: _here(match.group(1)), problem.message) if _mentioned else problem.message
        )
        result.append((line or 0, index, Problem(place(source, line, path_text(path)), message)))
    return [problem for _line, _index, problem in sorted(result, key=lambda item: (item[0], item[1]))]
