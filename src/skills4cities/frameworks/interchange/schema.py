"""The JSON Schema of the native format (``schemas/framework-1.schema.json``) and readable messages for it.

The schema checks the shape of a document (fields, types, lengths) before ``validate_document``
checks its meaning (unique codes, levels on the scale, languages, ESCO and e-CF references).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path as FilePath
from typing import Any

from django.utils.translation import gettext as _
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from skills4cities.frameworks.interchange.sources import Path

FORMAT_NAME = "skills4cities-framework"
FORMAT_VERSION = 1
SCHEMA_FILE = FilePath(__file__).resolve().parent.parent / "schemas" / f"framework-{FORMAT_VERSION}.schema.json"

_SLUG_PATTERN = "^[a-z0-9]+(?:-[a-z0-9]+)*$"
_CODE_PATTERN = "^[A-Za-z0-9][A-Za-z0-9._-]*$"


@cache
def framework_schema() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    return schema


@cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(framework_schema())


def _type_name(kind: Any) -> str:
    names = {
        "string": _("a text"),
        "integer": _("a whole number"),
        "number": _("a number"),
        "boolean": _("true or false"),
        "object": _("a mapping"),
        "array": _("a list"),
        "null": _("empty"),
    }
    if kind == ["integer", "null"]:
        return _("a whole number or empty")
    return names.get(kind, str(kind)) if isinstance(kind, str) else ", ".join(str(k) for k in kind)


def _found(value: Any) -> str:
    if isinstance(value, dict):
        return _("a mapping")
    if isinstance(value, list):
        return _("a list")
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "…"


def _messages(error: ValidationError) -> list[tuple[Path, str]]:
    path: Path = tuple(error.absolute_path)
    keyword = error.validator
    value: Any = error.validator_value
    instance: Any = error.instance
    schema: Any = error.schema
    if keyword == "required":
        return [((*path, name), _("is missing")) for name in value if name not in instance]
    if keyword == "additionalProperties":
        known = sorted(schema.get("properties", {}))
        unknown = [key for key in instance if key not in known]
        message = _("unknown field; the fields here are: %(fields)s") % {"fields": ", ".join(known)}
        return [((*path, key), message) for key in unknown]
    if keyword == "type":
        return [(path, _("must be %(type)s, not %(found)s") % {"type": _type_name(value), "found": _found(instance)})]
    if keyword == "enum":
        return [
            (
                path,
                _("%(found)s is not allowed; use one of %(values)s")
                % {"found": _found(instance), "values": ", ".join(str(v) for v in value)},
            )
        ]
    if keyword == "const" and path == ("format_version",):
        return [
            (
                path,
                _("format version %(found)s is not supported; this platform reads version %(version)d")
                % {"found": _found(instance), "version": FORMAT_VERSION},
            )
        ]
    if keyword == "const":
        return [(path, _("must be %(value)r, not %(found)s") % {"value": value, "found": _found(instance)})]
    if keyword == "pattern" and value == _SLUG_PATTERN:
        return [(path, _("%(found)s is not a lowercase slug such as 'skills4cities'") % {"found": _found(instance)})]
    if keyword == "pattern" and value == _CODE_PATTERN:
        return [
            (
                path,
                _("%(found)s is not a code: letters, digits, '.', '_' or '-', starting with a letter or digit")
                % {"found": _found(instance)},
            )
        ]
    if keyword == "minimum":
        return [
            (path, _("must be at least %(minimum)s, not %(found)s") % {"minimum": value, "found": _found(instance)})
        ]
    if keyword == "maximum":
        return [(path, _("must be at most %(maximum)s, not %(found)s") % {"maximum": value, "found": _found(instance)})]
    if keyword == "minLength":
        return [(path, _("must not be empty"))]
    if keyword == "maxLength":
        return [(path, _("is longer than %(maximum)d characters") % {"maximum": value})]
    if keyword == "uniqueItems":
        return [(path, _("lists the same value twice"))]
    return [(path, error.message)]


def schema_problems(document: Any) -> list[tuple[Path, str]]:
    """Every place where ``document`` does not fit the native schema, in document order, with a message."""
    found: list[tuple[Path, str]] = []
    seen: set[tuple[Path, str]] = set()
    for error in _validator().iter_errors(document):
        for path, message in _messages(error):
            if (path, message) not in seen:
                seen.add((path, message))
                found.append((path, message))
    return found
