"""The item bank source (``docs/formats/item-bank.md``): reading and checking, without Django.

Pure functions over the YAML documents, used by the loader (``services.item_bank_reference_load``).
Problems are ``(where, message)`` pairs; ``where`` names the file, the item key and the field
(``U01.yaml: U01.E1.03: options[2].text``). The loader needs English for every text and the structure
of each type; completeness in all six languages and the ten-items-per-element minimum are checked by
the test suite and ``tools/check_item_bank.py``, so a half-translated file still loads in English.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

LANGUAGES = ("en", "bg", "ro", "el", "es", "de")
TYPES = ("single", "multiple", "true_false", "ordering")
KEY_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$")
IRT_SOURCES = ("expert", "calibrated")
FORMAT_REVISION = 2  # 2: true/false options written in every language of the bank

Problems = list[tuple[str, str]]


@dataclass(frozen=True)
class ItemDoc:
    """One checked item of a file (``data`` as written, ``file`` for messages)."""

    file: str
    unit: str
    data: dict[str, Any]

    @property
    def key(self) -> str:
        return str(self.data["key"])

    def digest(self) -> str:
        """The source hash; ``FORMAT_REVISION`` changes it when the loader writes items differently."""
        payload = {"revision": FORMAT_REVISION, "item": self.data}
        return hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def read_files(folder: Path, problems: Problems) -> dict[str, Any]:
    """Every ``*.yaml`` file of ``folder`` parsed (file name → document); syntax errors are problems."""
    documents: dict[str, Any] = {}
    if not folder.is_dir():
        return documents
    for path in sorted(folder.glob("*.yaml")):
        try:
            documents[path.name] = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (yaml.YAMLError, UnicodeDecodeError) as exc:
            problems.append((path.name, f"is not valid YAML: {str(exc).splitlines()[0]}"))
    return documents


def _text(problems: Problems, where: str, value: Any, *, required: bool = True) -> None:
    if value is None and not required:
        return
    if not isinstance(value, dict):
        problems.append((where, "expected a mapping of language codes to texts"))
        return
    unknown = sorted(set(map(str, value)) - set(LANGUAGES))
    if unknown:
        problems.append((where, f"unknown language(s) {', '.join(unknown)}"))
    for lang, text in value.items():
        if text is not None and not isinstance(text, str):
            problems.append((f"{where}.{lang}", "must be text"))
    english = value.get("en")
    if not isinstance(english, str) or not english.strip():
        problems.append((f"{where}.en", "the English text is required"))


def _number(problems: Problems, where: str, value: Any, low: float, high: float, *, high_open: bool = False) -> None:
    ok = isinstance(value, int | float) and not isinstance(value, bool)
    if ok and (value < low or value > high or (high_open and value >= high)):
        ok = False
    if not ok:
        upper = f"below {high}" if high_open else f"at most {high}"
        problems.append((where, f"must be a number from {low}, {upper}"))


def check_item(item: Any, where: str, unit_elements: frozenset[str], problems: Problems) -> None:
    """Check one item document; ``where`` is ``<file>: <key>``."""
    if not isinstance(item, dict):
        problems.append((where, "an item must be a mapping"))
        return
    known = {"key", "element", "level", "type", "stem", "options", "answer", "explanation", "irt"}
    for name in sorted(set(map(str, item)) - known):
        problems.append((f"{where}: {name}", "unknown field"))
    key, element, kind = item.get("key"), item.get("element"), item.get("type")
    if not isinstance(key, str) or not KEY_RE.match(key):
        problems.append((f"{where}: key", "must be a code like U01.E1.01"))
    if element not in unit_elements:
        problems.append((f"{where}: element", f"{element!r} is not an element of this unit in the framework"))
    elif isinstance(key, str) and not key.startswith(f"{element}."):
        problems.append((f"{where}: key", "must start with the element code and a dot"))
    if item.get("level") not in (1, 2, 3, 4, 5) or isinstance(item.get("level"), bool):
        problems.append((f"{where}: level", "must be a whole number from 1 to 5"))
    _text(problems, f"{where}: stem", item.get("stem"))
    if kind not in TYPES:
        problems.append((f"{where}: type", f"must be one of {', '.join(TYPES)}"))
        return
    options = item.get("options")
    if kind == "true_false":
        if not isinstance(item.get("answer"), bool):
            problems.append((f"{where}: answer", "a true_false item needs answer: true or answer: false"))
        if options:
            problems.append((f"{where}: options", "a true_false item has no options"))
        _text(problems, f"{where}: explanation", item.get("explanation"))
    else:
        if "answer" in item:
            problems.append((f"{where}: answer", "only true_false items have an answer field"))
        if not isinstance(options, list) or not 3 <= len(options) <= 6:
            problems.append((f"{where}: options", "needs a list of 3 to 6 options"))
            options = options if isinstance(options, list) else []
        for index, option in enumerate(options, start=1):
            _check_option(problems, f"{where}: options[{index}]", option, ordering=kind == "ordering")
        correct = sum(1 for option in options if isinstance(option, dict) and option.get("correct") is True)
        if kind == "single" and correct != 1:
            problems.append((f"{where}: options", "a single choice item needs exactly one correct option"))
        if kind == "multiple" and (correct < 2 or len(options) < 4):
            problems.append(
                (f"{where}: options", "a multiple choice item needs at least 2 correct options among 4 to 6")
            )
        _text(problems, f"{where}: explanation", item.get("explanation"), required=kind == "ordering")
    irt = item.get("irt")
    if irt is not None:
        if not isinstance(irt, dict):
            problems.append((f"{where}: irt", "must be a mapping with a, b, c and source"))
        else:
            _number(problems, f"{where}: irt.a", irt.get("a"), 0.01, 10)
            _number(problems, f"{where}: irt.b", irt.get("b"), -6, 6)
            _number(problems, f"{where}: irt.c", irt.get("c", 0), 0, 1, high_open=True)
            if irt.get("source", "expert") not in IRT_SOURCES:
                problems.append((f"{where}: irt.source", f"must be one of {', '.join(IRT_SOURCES)}"))


def _check_option(problems: Problems, where: str, option: Any, *, ordering: bool) -> None:
    if not isinstance(option, dict):
        problems.append((where, "an option must be a mapping"))
        return
    _text(problems, f"{where}.text", option.get("text"))
    if ordering:
        for name in ("correct", "feedback"):
            if name in option:
                problems.append((f"{where}.{name}", "ordering steps are listed in the right order, without it"))
        return
    if not isinstance(option.get("correct"), bool):
        problems.append((f"{where}.correct", "must be true or false"))
    _text(problems, f"{where}.feedback", option.get("feedback"))


def check_documents(documents: dict[str, Any], units: dict[str, frozenset[str]]) -> tuple[list[ItemDoc], Problems]:
    """Check parsed files against the framework's units (unit code → element codes)."""
    problems: Problems = []
    items: list[ItemDoc] = []
    seen: dict[str, str] = {}
    for name, document in documents.items():
        if not isinstance(document, dict):
            problems.append((name, "must be a mapping with unit and items"))
            continue
        unit = document.get("unit")
        if unit not in units:
            problems.append((f"{name}: unit", f"{unit!r} is not a unit of the framework"))
            continue
        if name != f"{unit}.yaml":
            problems.append((f"{name}: unit", f"the file of unit {unit} must be named {unit}.yaml"))
        entries = document.get("items")
        if not isinstance(entries, list):
            problems.append((f"{name}: items", "must be a list of items"))
            continue
        for index, entry in enumerate(entries, start=1):
            key = entry.get("key") if isinstance(entry, dict) else None
            where = f"{name}: {key if isinstance(key, str) else f'item {index}'}"
            before = len(problems)
            check_item(entry, where, units[unit], problems)
            if isinstance(key, str):
                if key in seen:
                    problems.append((f"{where}: key", f"is used twice (also in {seen[key]})"))
                seen.setdefault(key, name)
            if len(problems) == before:
                items.append(ItemDoc(name, str(unit), entry))
    return items, problems


def default_irt(item: dict[str, Any]) -> tuple[float, float, float]:
    """a = 1.0, b = level − 3, c = 1 / options (single), 0.5 (true/false), 0 (multiple, ordering)."""
    kind = item["type"]
    c = 0.0
    if kind == "single":
        c = round(1 / len(item["options"]), 4)
    elif kind == "true_false":
        c = 0.5
    return 1.0, float(item["level"] - 3), c


def translations(value: Any) -> dict[str, str]:
    """Language code → stripped text for every language (empty when missing)."""
    value = value if isinstance(value, dict) else {}
    return {code: (value.get(code) or "").strip() if isinstance(value.get(code), str) else "" for code in LANGUAGES}
