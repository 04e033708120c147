"""What changed between two versions of a framework, computed on their native documents.

Pure functions: give them two documents from ``interchange.native.read_framework`` (or any valid
native document) and they say which items were added, removed, moved (to another parent, or
reordered among their siblings) and changed (field by field, per language), and how the role
requirements (role × element: target level, essential) changed. Items are keyed by their codes
(roles by code, scale levels by value), so a renamed code reads as one removal and one addition.
"""

from __future__ import annotations

import bisect
import difflib
import json
import re
from dataclasses import dataclass, field
from typing import Any, Literal

Kind = Literal["framework", "level", "role", "unit", "element", "criterion"]

KINDS: tuple[Kind, ...] = ("framework", "level", "role", "unit", "element", "criterion")
TRANSLATED = {
    "framework": ("title", "description", "attribution"),
    "level": ("name", "description"),
    "role": ("title", "summary", "mission"),
    "unit": ("title", "description"),
    "element": ("title", "description"),
    "criterion": ("text",),
}
TRANSLATED_LISTS = {"role": ("main_tasks",), "element": ("knowledge", "skills", "attitudes")}
SCALARS = {
    "framework": ("licence", "languages", "scale_title", "scale_slug"),
    "level": ("eqf_level", "ecf_level"),
    "role": ("slug", "eqf_level"),
}
WITH_ALIGNMENTS = {"role", "unit", "element", "criterion"}


@dataclass(frozen=True)
class FieldChange:
    """One field of one item, in one language for translated fields (``language`` is None otherwise)."""

    field: str
    language: str | None
    before: Any
    after: Any

    @property
    def is_list(self) -> bool:
        return isinstance(self.before, list) or isinstance(self.after, list)

    @property
    def removed_entries(self) -> list[Any]:
        """Entries of a list field that are gone (statements, tasks, alignments)."""
        after = {_key(entry) for entry in self.after or []}
        return [entry for entry in self.before or [] if _key(entry) not in after]

    @property
    def added_entries(self) -> list[Any]:
        before = {_key(entry) for entry in self.before or []}
        return [entry for entry in self.after or [] if _key(entry) not in before]


@dataclass(frozen=True)
class Item:
    """A framework item as the diff names it.

    ``unit`` is the unit the item belongs to (a unit's own code for a unit; None for the framework,
    scale levels and roles); ``parent`` the unit of an element or the element of a criterion;
    ``position`` counts from 1 among the item's siblings.
    """

    kind: Kind
    code: str
    title: dict[str, str]
    unit: str | None
    parent: str | None
    position: int


@dataclass(frozen=True)
class ItemChange(Item):
    fields: tuple[FieldChange, ...]


@dataclass(frozen=True)
class Move:
    """An item that moved to another parent, or whose place among the same siblings changed."""

    kind: Kind
    code: str
    title: dict[str, str]
    from_parent: str | None
    to_parent: str | None
    from_unit: str | None
    to_unit: str | None
    from_position: int
    to_position: int

    @property
    def reordered(self) -> bool:
        return self.from_parent == self.to_parent

    @property
    def unit(self) -> str | None:
        return self.to_unit


@dataclass(frozen=True)
class Requirement:
    level: int
    essential: bool


@dataclass(frozen=True)
class RequirementChange:
    """The requirement of one role for one element: added, removed, or changed (level or essential)."""

    role: str
    role_slug: str
    role_title: dict[str, str]
    element: str
    element_title: dict[str, str]
    unit: str
    change: Literal["added", "removed", "changed"]
    before: Requirement | None
    after: Requirement | None


@dataclass(frozen=True)
class FrameworkDiff:
    slug: str
    from_version: str
    to_version: str
    added: tuple[Item, ...] = ()
    removed: tuple[Item, ...] = ()
    moved: tuple[Move, ...] = ()
    changed: tuple[ItemChange, ...] = ()
    requirements: tuple[RequirementChange, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.moved or self.changed or self.requirements)

    @property
    def summary(self) -> dict[str, int]:
        return {
            "added": len(self.added),
            "removed": len(self.removed),
            "moved": len(self.moved),
            "changed": len(self.changed),
            "requirements": len(self.requirements),
        }


# --- flattening a document -------------------------------------------------------------------


@dataclass
class _Node:
    item: Item
    values: dict[str, Any] = field(default_factory=dict)


def _key(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)


def _texts(value: Any) -> dict[str, str]:
    if not isinstance(value, dict):
        return {}
    return {language: text.strip() for language, text in value.items() if isinstance(text, str) and text.strip()}


def _alignments(values: Any) -> list[dict[str, Any]]:
    cleaned = [
        {k: v for k, v in alignment.items() if v not in (None, "")}
        | {"relation": alignment.get("relation") or "related"}
        for alignment in values or []
        if isinstance(alignment, dict)
    ]
    return sorted(cleaned, key=_key)


def _values(kind: Kind, data: dict[str, Any], extra: dict[str, Any] | None = None) -> dict[str, Any]:
    values: dict[str, Any] = {name: _texts(data.get(name)) for name in TRANSLATED[kind]}
    for name in TRANSLATED_LISTS.get(kind, ()):
        values[name] = [_texts(entry) for entry in data.get(name) or []]
    for name in SCALARS.get(kind, ()):
        values[name] = data.get(name)
    if kind in WITH_ALIGNMENTS:
        values["alignments"] = _alignments(data.get("alignments"))
    values["extra"] = data.get("extra") or {}
    return values | (extra or {})


def _flatten(document: dict[str, Any]) -> dict[tuple[Kind, str], _Node]:
    nodes: dict[tuple[Kind, str], _Node] = {}

    def add(kind: Kind, code: str, data: dict[str, Any], unit: str | None, parent: str | None, position: int) -> None:
        title = _texts(data.get("title") or data.get("name") or data.get("text"))
        nodes[(kind, code)] = _Node(Item(kind, code, title, unit, parent, position), _values(kind, data))

    scale = document.get("scale") or {}
    framework_data = dict(document) | {"scale_title": _texts(scale.get("title")), "scale_slug": scale.get("slug")}
    add("framework", str(document.get("slug", "")), framework_data, None, None, 1)
    for position, level in enumerate(scale.get("levels") or [], start=1):
        add("level", str(level.get("value")), level, None, None, position)
    for position, role in enumerate(document.get("roles") or [], start=1):
        add("role", str(role.get("code")), role, None, None, position)
    for u_position, unit in enumerate(document.get("units") or [], start=1):
        unit_code = str(unit.get("code"))
        add("unit", unit_code, unit, unit_code, None, u_position)
        for e_position, element in enumerate(unit.get("elements") or [], start=1):
            element_code = str(element.get("code"))
            add("element", element_code, element, unit_code, unit_code, e_position)
            for c_position, criterion in enumerate(element.get("criteria") or [], start=1):
                add("criterion", str(criterion.get("code")), criterion, unit_code, element_code, c_position)
    return nodes


def requirements_of(document: dict[str, Any]) -> dict[tuple[str, str], Requirement]:
    """Role requirements per (role code, element code), expanded from the per-unit form of the document."""
    elements_of = {
        str(unit.get("code")): [str(element.get("code")) for element in unit.get("elements") or []]
        for unit in document.get("units") or []
    }
    expanded: dict[tuple[str, str], Requirement] = {}
    for role in document.get("roles") or []:
        for requirement in role.get("requirements") or []:
            overrides = requirement.get("elements") or {}
            for element in elements_of.get(str(requirement.get("unit")), []):
                override = overrides.get(element) or {}
                expanded[(str(role.get("code")), element)] = Requirement(
                    level=int(override.get("level", requirement.get("level", 0))),
                    essential=bool(override.get("essential", requirement.get("essential", True))),
                )
    return expanded


# --- comparing ---------------------------------------------------------------------------------


def _field_changes(before: dict[str, Any], after: dict[str, Any], kind: Kind) -> tuple[FieldChange, ...]:
    changes: list[FieldChange] = []
    for name in TRANSLATED[kind]:
        old, new = before.get(name) or {}, after.get(name) or {}
        for language in _languages(old, new):
            if old.get(language) != new.get(language):
                changes.append(FieldChange(name, language, old.get(language), new.get(language)))
    for name in TRANSLATED_LISTS.get(kind, ()):
        old_list, new_list = before.get(name) or [], after.get(name) or []
        languages = _languages(*old_list, *new_list)
        for language in languages:
            old_texts = [entry[language] for entry in old_list if language in entry]
            new_texts = [entry[language] for entry in new_list if language in entry]
            if old_texts != new_texts:
                changes.append(FieldChange(name, language, old_texts, new_texts))
    for name in SCALARS.get(kind, ()):
        if before.get(name) != after.get(name):
            changes.append(FieldChange(name, None, before.get(name), after.get(name)))
    if kind in WITH_ALIGNMENTS and before.get("alignments") != after.get("alignments"):
        changes.append(FieldChange("alignments", None, before.get("alignments"), after.get("alignments")))
    if before.get("extra") != after.get("extra"):
        changes.append(FieldChange("extra", None, before.get("extra"), after.get("extra")))
    return tuple(changes)


def _languages(*texts: dict[str, str]) -> list[str]:
    """Languages present in any of the texts: English first, then in order of appearance."""
    seen: dict[str, None] = {}
    for text in texts:
        seen.update(dict.fromkeys(text))
    return sorted(seen, key=lambda language: (language != "en", list(seen).index(language)))


def _longest_increasing(positions: list[int]) -> set[int]:
    """Indexes of one longest strictly increasing subsequence (patience sorting, O(n log n))."""
    tails: list[int] = []
    tail_index: list[int] = []
    previous = [-1] * len(positions)
    for index, value in enumerate(positions):
        slot = bisect.bisect_left(tails, value)
        if slot == len(tails):
            tails.append(value)
            tail_index.append(index)
        else:
            tails[slot] = value
            tail_index[slot] = index
        previous[index] = tail_index[slot - 1] if slot else -1
    keep: set[int] = set()
    index = tail_index[-1] if tail_index else -1
    while index >= 0:
        keep.add(index)
        index = previous[index]
    return keep


def _moves(old: dict[tuple[Kind, str], _Node], new: dict[tuple[Kind, str], _Node]) -> list[Move]:
    """Items with another parent, and items that left their place among siblings that stayed together.

    Among the items that kept their parent, the longest run that kept its relative order stays put;
    the others were reordered. Inserting or removing a sibling therefore moves nothing.
    """
    moved: set[tuple[Kind, str]] = set()
    siblings: dict[tuple[Kind, str | None], list[tuple[Kind, str]]] = {}
    for key, node in new.items():
        if key[0] == "framework" or key not in old:
            continue
        if old[key].item.parent != node.item.parent:
            moved.add(key)
        elif key[0] != "level":
            siblings.setdefault((key[0], node.item.parent), []).append(key)
    for keys in siblings.values():
        keys.sort(key=lambda key: new[key].item.position)
        kept = _longest_increasing([old[key].item.position for key in keys])
        moved.update(key for index, key in enumerate(keys) if index not in kept)
    return [
        Move(
            kind=key[0],
            code=key[1],
            title=node.item.title,
            from_parent=old[key].item.parent,
            to_parent=node.item.parent,
            from_unit=old[key].item.unit,
            to_unit=node.item.unit,
            from_position=old[key].item.position,
            to_position=node.item.position,
        )
        for key, node in new.items()
        if key in moved
    ]


def _requirement_changes(
    old_document: dict[str, Any],
    new_document: dict[str, Any],
    old: dict[tuple[Kind, str], _Node],
    new: dict[tuple[Kind, str], _Node],
) -> list[RequirementChange]:
    before, after = requirements_of(old_document), requirements_of(new_document)

    def node(kind: Kind, code: str) -> _Node:
        return new.get((kind, code)) or old[(kind, code)]

    def order(key: tuple[str, str]) -> tuple[int, int, int, int]:
        role, element = node("role", key[0]), node("element", key[1])
        unit = node("unit", element.item.unit or "")
        in_new = (("role", key[0]) in new) and (("element", key[1]) in new)
        return (role.item.position, int(not in_new), unit.item.position, element.item.position)

    changes: list[RequirementChange] = []
    for key in sorted(before.keys() | after.keys(), key=order):
        old_req, new_req = before.get(key), after.get(key)
        if old_req == new_req:
            continue
        role, element = node("role", key[0]), node("element", key[1])
        change: Literal["added", "removed", "changed"] = (
            "added" if old_req is None else "removed" if new_req is None else "changed"
        )
        changes.append(
            RequirementChange(
                role=key[0],
                role_slug=str(role.values.get("slug") or ""),
                role_title=role.item.title,
                element=key[1],
                element_title=element.item.title,
                unit=element.item.unit or "",
                change=change,
                before=old_req,
                after=new_req,
            )
        )
    return changes


def diff_documents(old_document: dict[str, Any], new_document: dict[str, Any]) -> FrameworkDiff:
    """Everything that changed from ``old_document`` to ``new_document`` (both native documents)."""
    old, new = _flatten(old_document), _flatten(new_document)
    old_framework = next(key for key in old if key[0] == "framework")
    new_framework = next(key for key in new if key[0] == "framework")
    # The framework is one item even if its slug changed (the slug is shown as a field change).
    old = {(new_framework if key == old_framework else key): node for key, node in old.items()}

    added = [node.item for key, node in new.items() if key not in old]
    removed = [node.item for key, node in old.items() if key not in new]
    changed = []
    for key, node in new.items():
        if key in old:
            fields = _field_changes(old[key].values, node.values, key[0])
            if key[0] == "framework" and old_framework[1] != new_framework[1]:
                fields = (FieldChange("slug", None, old_framework[1], new_framework[1]), *fields)
            if fields:
                item = node.item
                changed.append(
                    ItemChange(item.kind, item.code, item.title, item.unit, item.parent, item.position, fields)
                )
    return FrameworkDiff(
        slug=str(new_document.get("slug", "")),
        from_version=str(old_document.get("version", "")),
        to_version=str(new_document.get("version", "")),
        added=tuple(added),
        removed=tuple(removed),
        moved=tuple(_moves(old, new)),
        changed=tuple(changed),
        requirements=tuple(_requirement_changes(old_document, new_document, old, new)),
    )


# --- reading a diff ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """One line of a group on the diff page."""

    change: Literal["added", "removed", "moved", "changed", "requirement"]
    kind: Kind
    code: str
    title: dict[str, str]
    record: Item | Move | RequirementChange


@dataclass(frozen=True)
class Group:
    """The changes of the framework and its scale, of one unit (with its elements and criteria), or of one role
    (with its requirements)."""

    kind: Literal["framework", "unit", "role"]
    code: str
    title: dict[str, str]
    entries: tuple[Entry, ...]


CHANGE_ORDER = {"removed": 0, "added": 1, "moved": 2, "changed": 3, "requirement": 4}


def groups(diff: FrameworkDiff, old_document: dict[str, Any], new_document: dict[str, Any]) -> list[Group]:
    """The diff grouped for reading: the framework and its scale, then each unit, then each role.

    Units and roles come in the order of the newer version, followed by removed ones; inside a group
    the entries follow the tree (unit, then each element with its criteria). A move between units is
    listed under the unit the item moved to.
    """
    old, new = _flatten(old_document), _flatten(new_document)

    def node(kind: Kind, code: str | None) -> _Node | None:
        return new.get((kind, code or "")) or old.get((kind, code or ""))

    def position(kind: Kind, code: str | None) -> int:
        found = node(kind, code)
        return found.item.position if found else 0

    def rank(entry: Entry) -> tuple[int, ...]:
        if isinstance(entry.record, RequirementChange):
            element = node("element", entry.code)
            unit = element.item.unit if element else None
            return (1, position("unit", unit), position("element", entry.code), CHANGE_ORDER[entry.change])
        found = node(entry.kind, entry.code)
        if entry.kind == "element":
            tree: tuple[int, ...] = (position("element", entry.code), 0, 0)
        elif entry.kind == "criterion":
            parent = found.item.parent if found else None
            tree = (position("element", parent), 1, position("criterion", entry.code))
        else:
            tree = (0, 0, position(entry.kind, entry.code) if entry.kind == "level" else 0)
        return (0, *tree, CHANGE_ORDER[entry.change])

    buckets: dict[tuple[str, str], list[Entry]] = {}

    def put(change: Any, kind: Kind, code: str, title: dict[str, str], record: Any, where: tuple[str, str]) -> None:
        buckets.setdefault(where, []).append(Entry(change, kind, code, title, record))

    def where(kind: Kind, code: str, unit: str | None) -> tuple[str, str]:
        if kind in ("framework", "level"):
            return ("framework", "")
        if kind == "role":
            return ("role", code)
        return ("unit", unit or "")

    for change, items in (("removed", diff.removed), ("added", diff.added), ("changed", diff.changed)):
        for item in items:
            put(change, item.kind, item.code, item.title, item, where(item.kind, item.code, item.unit))
    for move in diff.moved:
        put("moved", move.kind, move.code, move.title, move, where(move.kind, move.code, move.to_unit))
    for requirement in diff.requirements:
        put(
            "requirement",
            "element",
            requirement.element,
            requirement.element_title,
            requirement,
            ("role", requirement.role),
        )

    result: list[Group] = []
    if ("framework", "") in buckets:
        framework = node("framework", str(new_document.get("slug", "")))
        title = framework.item.title if framework else {}
        result.append(Group("framework", "", title, tuple(sorted(buckets[("framework", "")], key=rank))))
    group_kinds: tuple[Literal["unit", "role"], ...] = ("unit", "role")
    for kind in group_kinds:
        codes = [key[1] for key in new if key[0] == kind] + [key[1] for key in old if key[0] == kind and key not in new]
        for code in codes:
            if (kind, code) in buckets:
                found = node(kind, code)
                title = found.item.title if found else {}
                entries = tuple(sorted(buckets[(kind, code)], key=rank))
                result.append(Group(kind, code, title, entries))
    return result


_TOKENS = re.compile(r"\s+|[^\s\w]|\w+")


def word_diff(before: str | None, after: str | None) -> list[tuple[Literal["equal", "delete", "insert"], str]]:
    """The two texts as runs of kept, deleted and inserted words (for showing a change inline)."""
    old, new = _TOKENS.findall(before or ""), _TOKENS.findall(after or "")
    runs: list[tuple[Literal["equal", "delete", "insert"], str]] = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            runs.append(("equal", "".join(old[i1:i2])))
            continue
        if i2 > i1:
            runs.append(("delete", "".join(old[i1:i2])))
        if j2 > j1:
            runs.append(("insert", "".join(new[j1:j2])))
    return runs
