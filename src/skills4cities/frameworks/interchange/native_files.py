"""Native framework files (format ``skills4cities-framework`` version 1) in YAML and JSON.

``read_yaml``/``read_json`` turn a file into a native document and refuse a bad file with problems
that name the file, the line and the field; ``write_yaml``/``write_json`` are deterministic
(export → import → export gives the same bytes). ``relocate_yaml``/``relocate_json`` give the
problems found later, by ``validate_document`` and the import service, the line they are on.
Layout: docs/formats/framework.md; schema: ``schemas/framework-1.schema.json``.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_left
from collections.abc import Callable
from datetime import datetime
from json.decoder import scanstring  # type: ignore[attr-defined]
from json.scanner import NUMBER_RE
from typing import Any

import yaml
from django.conf import settings
from django.utils.translation import gettext as _

from skills4cities.frameworks.interchange.document import DocumentErrors, Problem
from skills4cities.frameworks.interchange.locations import line_of, located, relocate
from skills4cities.frameworks.interchange.schema import FORMAT_NAME, FORMAT_VERSION, schema_problems
from skills4cities.frameworks.interchange.sources import Path, capped, decode_text, path_text, place

HEADER_KEYS = ("format", "format_version")
MAX_DEPTH = 64

# Key order of written files; keys not listed follow in alphabetical order, and everything under
# ``extra`` is sorted, so that the same document always gives the same bytes.
_KEY_ORDER = [
    *HEADER_KEYS,
    "target",
    "slug",
    "code",
    "value",
    "unit",
    "uri",
    "version",
    "status",
    "languages",
    "licence",
    "attribution",
    "title",
    "name",
    "label",
    "summary",
    "description",
    "text",
    "mission",
    "main_tasks",
    "eqf_level",
    "ecf_level",
    "level",
    "essential",
    "relation",
    "scale",
    "levels",
    "knowledge",
    "skills",
    "attitudes",
    "criteria",
    "alignments",
    "roles",
    "requirements",
    "elements",
    "units",
    "extra",
]


def _rank() -> dict[str, int]:
    return {key: index for index, key in enumerate([*settings.LANGUAGE_CODES, *_KEY_ORDER])}


def ordered(value: Any, *, rank: dict[str, int] | None = None, free: bool = False) -> Any:
    """A copy of ``value`` with mapping keys in the canonical order of the native format."""
    rank = rank if rank is not None else _rank()
    if isinstance(value, dict):
        if free:
            keys = sorted(value, key=str)
        else:
            keys = sorted(value, key=lambda key: (rank.get(str(key), len(rank)), str(key)))
        return {key: ordered(value[key], rank=rank, free=free or key == "extra") for key in keys}
    if isinstance(value, list):
        return [ordered(item, rank=rank, free=free) for item in value]
    return value


def with_header(document: dict[str, Any]) -> dict[str, Any]:
    body = {key: value for key, value in document.items() if key not in HEADER_KEYS}
    return {"format": FORMAT_NAME, "format_version": FORMAT_VERSION} | body


def without_header(document: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in document.items() if key not in HEADER_KEYS}


def _too_deep(document: Any) -> Path | None:
    """The path of the first value nested more than ``MAX_DEPTH`` levels deep, if any."""
    stack: list[tuple[Any, Path]] = [(document, ())]
    while stack:
        value, path = stack.pop()
        if len(path) > MAX_DEPTH:
            return path[:MAX_DEPTH]
        if isinstance(value, dict):
            stack.extend((item, (*path, str(key))) for key, item in value.items())
        elif isinstance(value, list):
            stack.extend((item, (*path, index)) for index, item in enumerate(value))
    return None


def _checked(document: Any, *, source: str, lines: Callable[[], dict[Path, int]]) -> dict[str, Any]:
    """The document without its header, once it fits the schema; else problems with lines."""
    if not isinstance(document, dict):
        raise DocumentErrors(
            [
                Problem(
                    place(source, 1),
                    _("the file must hold one framework: a mapping with slug, version, title, scale, roles and units"),
                )
            ]
        )
    deep = _too_deep(document)
    if deep is not None:
        message = _("values are nested more than %(depth)d levels deep") % {"depth": MAX_DEPTH}
        raise DocumentErrors([located(source, deep, message, lines())])
    found = schema_problems(document)
    if found:
        line_map = lines()
        placed = sorted(
            (
                (line_of(path, line_map) or 0, index, located(source, path, message, line_map))
                for index, (path, message) in enumerate(found)
            ),
            key=lambda item: (item[0], item[1]),
        )
        raise DocumentErrors(capped([problem for _line, _index, problem in placed], source))
    return without_header(document)


# YAML -------------------------------------------------------------------------------------------

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_BaseDumper: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class _Dumper(_BaseDumper):
    """Plain YAML: no anchors or aliases, multi-line texts as literal blocks."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _represent_str(dumper: Any, value: str) -> Any:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)


def _yaml_path_at_error(text: str) -> Path:
    """The document path being read where YAML parsing stops (follows the parser's events)."""
    # Each frame: [kind, key or index, expecting a key (mappings)]
    stack: list[list[Any]] = []
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.NodeEvent | yaml.CollectionStartEvent):
                top = stack[-1] if stack else None
                if top is not None and top[0] == "map" and top[2]:
                    top[1], top[2] = (event.value if isinstance(event, yaml.ScalarEvent) else "?"), False
                    if isinstance(event, yaml.ScalarEvent):
                        continue
                elif top is not None and top[0] == "seq":
                    top[1] += 1
                if isinstance(event, yaml.MappingStartEvent):
                    stack.append(["map", None, True])
                elif isinstance(event, yaml.SequenceStartEvent):
                    stack.append(["seq", -1, False])
                elif top is not None and top[0] == "map":
                    top[2] = True  # a scalar value ends the entry
            elif isinstance(event, yaml.CollectionEndEvent):
                stack.pop()
                if stack and stack[-1][0] == "map":
                    stack[-1][2] = True
    except yaml.YAMLError:
        pass
    path: list[str | int] = []
    for kind, part, expecting_key in stack:
        if (kind == "map" and not expecting_key and part is not None) or (kind == "seq" and part >= 0):
            path.append(part)
    return tuple(path)


def _yaml_problem(exc: yaml.YAMLError, text: str, source: str) -> Problem:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None)
    context_mark = getattr(exc, "context_mark", None)
    if context and context_mark is not None and context_mark is not mark:
        problem = f"{problem} ({context} at line {context_mark.line + 1})"
    elif context:
        problem = f"{problem} ({context})"
    if mark is None:
        return Problem(source, _("invalid YAML: %(problem)s") % {"problem": problem})
    if mark.index >= len(text.rstrip()):
        message = _("the file ends too early; it looks truncated (%(problem)s)") % {"problem": problem}
    else:
        message = _("invalid YAML: %(problem)s") % {"problem": problem}
    field = path_text(_yaml_path_at_error(text))
    return Problem(place(source, mark.line + 1, field, column=mark.column + 1), message)


def _yaml_lines(root: yaml.Node, source: str) -> dict[Path, int]:
    """The line of every mapping key and list item; refuses duplicate keys, aliases and complex keys."""
    lines: dict[Path, int] = {(): root.start_mark.line + 1}
    problems: list[tuple[int, Problem]] = []
    seen: set[int] = set()
    stack: list[tuple[yaml.Node, Path]] = [(root, ())]

    def refuse(line: int, path: Path, message: str) -> None:
        problems.append((line, Problem(place(source, line, path_text(path)), message)))

    while stack:
        node, path = stack.pop()
        line = lines.get(path) or node.start_mark.line + 1
        if id(node) in seen:
            refuse(line, path, _("anchors and aliases (& and *) are not supported; write the value out"))
            continue
        seen.add(id(node))
        if len(path) > MAX_DEPTH:
            refuse(line, path, _("values are nested more than %(depth)d levels deep") % {"depth": MAX_DEPTH})
        elif isinstance(node, yaml.MappingNode):
            first: dict[str, int] = {}
            children: list[tuple[yaml.Node, Path]] = []
            for key_node, value_node in node.value:
                key_line = key_node.start_mark.line + 1
                if not isinstance(key_node, yaml.ScalarNode):
                    refuse(key_line, path, _("a key must be a plain text"))
                    continue
                key = key_node.value
                if key in first:
                    refuse(
                        key_line,
                        (*path, key),
                        _("duplicate key %(key)r (first at line %(line)d)") % {"key": key, "line": first[key]},
                    )
                    continue
                first[key] = key_line
                lines[(*path, key)] = key_line
                children.append((value_node, (*path, key)))
            stack.extend(reversed(children))  # in file order, so that an alias is found where it is used
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                lines[(*path, index)] = item.start_mark.line + 1
            stack.extend(reversed([(item, (*path, index)) for index, item in enumerate(node.value)]))
    if problems:
        problems.sort(key=lambda item: item[0])
        raise DocumentErrors(capped([problem for _line, problem in problems], source))
    return lines


def _yaml_tree(text: str, source: str) -> tuple[Any, dict[Path, int]]:
    loader = _Loader(text)
    try:
        try:
            node = loader.get_single_node()
        except yaml.YAMLError as exc:
            raise DocumentErrors([_yaml_problem(exc, text, source)]) from None
        if node is None:
            raise DocumentErrors([Problem(source, _("the file is empty"))])
        lines = _yaml_lines(node, source)
        try:
            document = loader.construct_document(node)
        except yaml.YAMLError as exc:
            raise DocumentErrors([_yaml_problem(exc, text, source)]) from None
    finally:
        loader.dispose()
    return document, lines


def read_yaml(data: bytes, *, source: str) -> dict[str, Any]:
    """The native document in a YAML file."""
    text = decode_text(data, source=source)
    document, lines = _yaml_tree(text, source)
    return _checked(document, source=source, lines=lambda: lines)


def write_yaml(document: dict[str, Any], *, changed: datetime | None = None) -> bytes:
    text = yaml.dump(
        ordered(with_header(document)),
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=110,
        indent=2,
    )
    return text.encode("utf-8")


def relocate_yaml(data: bytes, *, source: str, problems: list[Problem]) -> list[Problem]:
    """``problems`` about a YAML file, with the line of each place."""
    document, lines = _yaml_tree(decode_text(data, source=source), source)
    return relocate(problems, source=source, document=document, lines=lines)


# JSON -------------------------------------------------------------------------------------------

_WHITESPACE = re.compile(r"[ \t\n\r]*")
_LITERALS = ("true", "false", "null", "NaN", "Infinity", "-Infinity")


class _Stop(Exception):
    """The scanner met something that is not JSON (json.loads says what)."""


class _JsonScan:
    """Finds the line of every key and list item of a JSON text, and the path where it stops being JSON."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.newlines = [match.start() for match in re.finditer("\n", text)]
        self.lines: dict[Path, int] = {}
        self.path: list[str | int] = []
        self.duplicates: list[tuple[Path, int, int]] = []

    def line(self, pos: int) -> int:
        return bisect_left(self.newlines, pos) + 1

    def _ws(self, pos: int) -> int:
        match = _WHITESPACE.match(self.text, pos)
        return match.end() if match else pos

    def _char(self, pos: int) -> str:
        if pos >= len(self.text):
            raise _Stop
        return self.text[pos]

    def run(self) -> bool:
        start = self._ws(0)
        self.lines[()] = self.line(start)
        try:
            self._value(start, 0)
        except (_Stop, ValueError):
            return False
        return True

    def _value(self, pos: int, depth: int) -> int:
        if depth > MAX_DEPTH:
            raise _Stop
        char = self._char(pos)
        if char == "{":
            return self._object(self._ws(pos + 1), depth)
        if char == "[":
            return self._array(self._ws(pos + 1), depth)
        if char == '"':
            return int(scanstring(self.text, pos + 1)[1])
        match = NUMBER_RE.match(self.text, pos)
        if match and match.group():
            return match.end()
        for literal in _LITERALS:
            if self.text.startswith(literal, pos):
                return pos + len(literal)
        raise _Stop

    def _object(self, pos: int, depth: int) -> int:
        if self._char(pos) == "}":
            return pos + 1
        keys: dict[str, int] = {}
        while True:
            if self._char(pos) != '"':
                raise _Stop
            key, end = scanstring(self.text, pos + 1)
            line = self.line(pos)
            here = (*self.path, key)
            if key in keys:
                self.duplicates.append((here, line, keys[key]))
            else:
                keys[key] = line
                self.lines[here] = line
            pos = self._ws(end)
            if self._char(pos) != ":":
                raise _Stop
            self.path.append(key)
            pos = self._ws(self._value(self._ws(pos + 1), depth + 1))
            if self._char(pos) not in ",}":
                raise _Stop  # with the path of the value before the missing separator
            self.path.pop()
            if self._char(pos) == "}":
                return pos + 1
            pos = self._ws(pos + 1)

    def _array(self, pos: int, depth: int) -> int:
        if self._char(pos) == "]":
            return pos + 1
        index = 0
        while True:
            self.path.append(index)
            self.lines[tuple(self.path)] = self.line(pos)
            pos = self._ws(self._value(pos, depth + 1))
            if self._char(pos) not in ",]":
                raise _Stop  # with the path of the item before the missing separator
            self.path.pop()
            if self._char(pos) == "]":
                return pos + 1
            pos, index = self._ws(pos + 1), index + 1


def _json_tree(text: str, source: str) -> Any:
    duplicated = False

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        nonlocal duplicated
        mapping = dict(items)
        duplicated = duplicated or len(mapping) != len(items)
        return mapping

    try:
        document = json.loads(text, object_pairs_hook=pairs)
    except json.JSONDecodeError as exc:
        scan = _JsonScan(text)
        scan.run()
        if exc.pos >= len(text.rstrip()):
            message = _("the file ends too early; it looks truncated (%(problem)s)") % {"problem": exc.msg}
        else:
            message = _("invalid JSON: %(problem)s") % {"problem": exc.msg}
        raise DocumentErrors(
            [Problem(place(source, exc.lineno, path_text(scan.path), column=exc.colno), message)]
        ) from None
    except RecursionError:
        message = _("values are nested more than %(depth)d levels deep") % {"depth": MAX_DEPTH}
        raise DocumentErrors([Problem(source, message)]) from None
    if duplicated:
        scan = _JsonScan(text)
        scan.run()
        raise DocumentErrors(
            capped(
                [
                    Problem(
                        place(source, line, path_text(path)),
                        _("duplicate key %(key)r (first at line %(line)d)") % {"key": path[-1], "line": first},
                    )
                    for path, line, first in scan.duplicates
                ],
                source,
            )
        )
    return document


def _json_lines(text: str) -> dict[Path, int]:
    scan = _JsonScan(text)
    scan.run()
    return scan.lines


def read_json(data: bytes, *, source: str) -> dict[str, Any]:
    """The native document in a JSON file."""
    text = decode_text(data, source=source)
    document = _json_tree(text, source)
    return _checked(document, source=source, lines=lambda: _json_lines(text))


def write_json(document: dict[str, Any], *, changed: datetime | None = None) -> bytes:
    return (json.dumps(ordered(with_header(document)), ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def relocate_json(data: bytes, *, source: str, problems: list[Problem]) -> list[Problem]:
    """``problems`` about a JSON file, with the line of each place."""
    text = decode_text(data, source=source)
    return relocate(problems, source=source, document=_json_tree(text, source), lines=_json_lines(text))


__all__ = [
    "read_json",
    "read_yaml",
    "relocate_json",
    "relocate_yaml",
    "write_json",
    "write_yaml",
]
