"""1EdTech CASE 1.1 (Competencies and Academic Standards Exchange) packages ↔ native framework documents.

``write`` turns a native document into a CFPackage; ``read`` turns a CFPackage (ours or anyone's,
e.g. an OpenSALT export) into a native document, or refuses it with problems naming the file, the
JSON line and the field. ``package`` and ``document_object`` build the same objects for the CASE REST
endpoints. The mapping, the ``extensions.skills4cities`` data and the lossless scheme are described
in docs/formats/case.md; the shape is checked against ``schemas/case-1.1-cfpackage.schema.json``.

Lossless in both directions:

* our own data that CASE has no field for (translations, role slugs and EQF levels, requirement
  levels, alignment relations, scale levels) travels in ``extensions.skills4cities`` of each object;
* anything of a foreign package that the native model cannot hold is kept in ``extra["case"]``: per
  object, the fields that differ from what ``write`` would produce (identifiers, original item types,
  URIs, dates …), and the objects that map to nothing (orphan items, other association types, rubrics,
  definitions) verbatim. ``write`` applies them again, so export → import → export is stable and
  import → export gives the file back.
"""

from __future__ import annotations

import copy
import json
import re
import uuid
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path as FilePath
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError

from skills4cities.frameworks.enums import AlignmentRelation, AlignmentTarget, FrameworkStatus
from skills4cities.frameworks.interchange.document import CODE_RE, ESCO_URI_RE, SLUG_RE, DocumentErrors, Problem
from skills4cities.frameworks.interchange.locations import document_path, line_of
from skills4cities.frameworks.interchange.native_files import _json_lines, _json_tree
from skills4cities.frameworks.interchange.sources import Path, capped, decode_text, path_text, place

#: Namespace of the deterministic (uuid5) identifiers of everything we export.
NAMESPACE = uuid.UUID("f0f64601-bb3d-4919-83df-5a1f434dc901")
#: Key of our data in the ``extensions`` of CASE objects.
EXTENSION = "skills4cities"
API_PATH = "/ims/case/v1p1"
SCHEMA_FILE = FilePath(__file__).resolve().parent.parent / "schemas" / "case-1.1-cfpackage.schema.json"
CREATOR = "Skills4Cities"
ECF_URN = "urn:e-cf:4.0:"

ADOPTION_STATUS = {
    FrameworkStatus.DRAFT: "Draft",
    FrameworkStatus.PUBLISHED: "Adopted",
    FrameworkStatus.RETIRED: "Deprecated",
}
_STATUS_OF_ADOPTION = {"adopted": FrameworkStatus.PUBLISHED, "deprecated": FrameworkStatus.RETIRED}

#: kind → (CFItemType, hierarchyCode, description of the item type)
ITEM_TYPES: dict[str, tuple[str, str, str]] = {
    "role": ("Role", "1", "A job role: the units of competence it requires and the level it needs in each element."),
    "unit": ("Unit", "2", "A unit of competence: a group of elements that is trained, assessed and certified."),
    "element": ("Element", "2.1", "An element of competence: one thing a competent person does."),
    "criterion": (
        "Performance Criterion",
        "2.1.1",
        "An observable, assessable statement of competent performance of an element.",
    ),
    "knowledge": ("Knowledge", "2.1.2", "What a competent person knows for an element."),
    "skill": ("Skill", "2.1.3", "What a competent person is able to do for an element."),
    "attitude": ("Attitude", "2.1.4", "A professional quality or attitude an element asks for."),
}
#: native list key → statement kind
KSA_KEYS = {"knowledge": "knowledge", "skills": "skill", "attitudes": "attitude"}
_KSA_LETTER = {"knowledge": "K", "skill": "S", "attitude": "A"}

SECTIONS = ("CFDocument", "CFItems", "CFAssociations", "CFDefinitions", "CFRubrics")
DEFINITIONS = ("CFConcepts", "CFSubjects", "CFLicenses", "CFItemTypes", "CFAssociationGroupings")
REQUIREMENTS_GROUPING = "Role requirements"

TITLE_MAX, ELEMENT_TITLE_MAX, LEVEL_NAME_MAX, CODE_MAX, VERSION_MAX, LABEL_MAX = 200, 240, 120, 32, 32, 300
_EQF = re.compile(r"^\s*EQF\s*(?:level)?\s*-?\s*([1-8])\s*$", re.IGNORECASE)
_OUR_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://[^/]+(?:/[^?#]*?)?/ims/case/v1p1/")
_LENIENT_UUID = "^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$"
_RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$")


# --- small helpers ---------------------------------------------------------------------------------


def _en(text: Any) -> str:
    return str(text.get("en") or "") if isinstance(text, dict) else ""


def _others(text: Any) -> dict[str, str]:
    """The translations of a translated text (every language but English)."""
    return {code: value for code, value in (text or {}).items() if code != "en" and value}


def _clean(mapping: dict[str, Any]) -> dict[str, Any]:
    """``mapping`` without empty values (None, "", {} and []); False and 0 stay."""
    return {
        key: value for key, value in mapping.items() if not (value is None or value == "" or value == {} or value == [])
    }


def _fit(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def timestamp(moment: datetime) -> str:
    """A CASE ``lastChangeDateTime``: UTC, whole seconds, ``Z``."""
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _own_extra(holder: dict[str, Any]) -> dict[str, Any]:
    """An object's format data other than ours (e.g. ``extra["moodle"]``), which travels in our extension."""
    return {key: value for key, value in (holder.get("extra") or {}).items() if key != "case"}


def _kept(holder: dict[str, Any]) -> dict[str, Any]:
    kept = (holder.get("extra") or {}).get("case")
    return kept if isinstance(kept, dict) else {}


def _apply(obj: dict[str, Any], kept: dict[str, Any] | None) -> dict[str, Any] | None:
    """``obj`` with the fields kept from an import: replaced, added or left out (``_omit``); None for ``_skip``."""
    if not kept:
        return obj
    if kept.get("_skip"):
        return None
    for name in kept.get("_omit") or []:
        obj.pop(name, None)
    for name, value in kept.items():
        if not name.startswith("_"):
            obj[name] = copy.deepcopy(value)
    return obj


_MISSING = object()


def _diff(original: dict[str, Any], generated: dict[str, Any] | None) -> dict[str, Any]:
    """What ``_apply`` needs to turn ``generated`` into ``original``."""
    if generated is None:
        return dict(original)
    kept = {name: value for name, value in original.items() if generated.get(name, _MISSING) != value}
    omit = [name for name in generated if name not in original]
    if omit:
        kept["_omit"] = omit
    generated_id, generated_uri = str(generated.get("identifier", "")), str(generated.get("uri", ""))
    ours = generated_uri[: -len(generated_id)] + str(kept.get("identifier")) if generated_id else None
    if "identifier" in kept and generated_uri.endswith(generated_id) and kept.get("uri") == ours:
        del kept["uri"]  # our URI of the kept identifier: ``_Writer.finish`` makes it again
    return kept


def node(obj: dict[str, Any], title_field: str = "fullStatement") -> dict[str, Any]:
    """The LinkURI / LinkGenURI of a CASE object."""
    return {
        "title": str(obj.get(title_field) or obj.get("title") or ""),
        "identifier": obj["identifier"],
        "uri": obj["uri"],
    }


def type_identifier(kind: str) -> str:
    """Our item types have one identifier everywhere (they are a shared vocabulary)."""
    return str(uuid.uuid5(NAMESPACE, f"item-type/{ITEM_TYPES[kind][0]}"))


@cache
def case_schema() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    return schema


def _uri_format(value: object) -> bool:
    if not isinstance(value, str):
        return True
    parts = urlsplit(value)
    return (
        bool(re.match(r"^[A-Za-z][A-Za-z0-9+.-]*$", parts.scheme))
        and not re.search(r"\s", value)
        and (bool(parts.netloc) or bool(parts.path))
    )


def _datetime_format(value: object) -> bool:
    if not isinstance(value, str):
        return True
    if not _RFC3339.match(value):
        return False
    try:
        datetime.fromisoformat(value.replace("z", "Z").replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


def _date_format(value: object) -> bool:
    if not isinstance(value, str):
        return True
    try:
        return bool(re.match(r"^\d{4}-\d{2}-\d{2}$", value)) and date.fromisoformat(value) is not None
    except ValueError:
        return False


def _format_checker() -> FormatChecker:
    checker = FormatChecker(formats=())
    checker.checks("uri")(_uri_format)
    checker.checks("date-time")(_datetime_format)
    checker.checks("date")(_date_format)
    return checker


@cache
def export_validator(definition: str = "") -> Draft202012Validator:
    """The strict CASE 1.1 schema (or one of its ``$defs``, e.g. ``CFItem``): what our output must satisfy."""
    schema = case_schema()
    if definition:
        schema = {"$schema": schema["$schema"], "$defs": schema["$defs"], "$ref": f"#/$defs/{definition}"}
    return Draft202012Validator(schema, format_checker=_format_checker())


def _lenient(value: Any) -> Any:
    """The schema for reading: extra fields are allowed (they are kept) and UUIDs of any version and case."""
    if isinstance(value, dict):
        result = {
            key: _lenient(item)
            for key, item in value.items()
            if not (key in {"additionalProperties", "unevaluatedProperties"} and item is False)
        }
        if result.get("pattern", "").startswith("^[0-9a-f]{8}"):
            result["pattern"] = _LENIENT_UUID
        return result
    if isinstance(value, list):
        return [_lenient(item) for item in value]
    return value


def _inlined(value: Any, definitions: dict[str, Any]) -> Any:
    """``value`` with every ``$ref`` to ``#/$defs/…`` replaced by the definition (the schema has no cycles).

    Validating large packages is more than twice as fast without reference lookups. A reference with
    sibling keywords applies both, which for this schema is the merge of the two mappings.
    """
    if isinstance(value, list):
        return [_inlined(item, definitions) for item in value]
    if not isinstance(value, dict):
        return value
    result = {key: _inlined(item, definitions) for key, item in value.items() if key not in {"$ref", "$defs"}}
    if "$ref" not in value:
        return result
    target = dict(_inlined(definitions[value["$ref"].rsplit("/", 1)[-1]], definitions))
    target["properties"] = {**target.get("properties", {}), **result.pop("properties", {})}
    if not target["properties"]:
        del target["properties"]
    return target | result


@cache
def _import_validator() -> Draft202012Validator:
    schema = _lenient(case_schema())
    return Draft202012Validator(_inlined(schema, schema["$defs"]), format_checker=_format_checker())


def export_problems(obj: dict[str, Any], *, definition: str = "") -> list[str]:
    """Every place where a package (or an object of the ``$defs`` named) breaks the strict CASE 1.1 schema."""
    return [
        f"{path_text(tuple(error.absolute_path)) or '(top)'}: {error.message}"
        for error in export_validator(definition).iter_errors(obj)
    ]


# --- writing -----------------------------------------------------------------------------------------


class _Writer:
    """Builds the CFPackage of a document; ``final`` maps each object's key to what was written."""

    def __init__(
        self,
        document: dict[str, Any],
        *,
        changed: datetime | None = None,
        base_url: str | None = None,
        id_basis: str | None = None,
        when: str | None = None,
    ) -> None:
        self.document = document
        case = (document.get("extra") or {}).get("case")
        self.case: dict[str, Any] = case if isinstance(case, dict) else {}
        self.objects: dict[str, Any] = self.case.get("objects") or {}
        self.basis = id_basis or f"{document['slug']}/{document['version']}"
        self.when = when or self.case.get("lastChangeDateTime") or timestamp(changed or timezone.now())
        self.base = api_base(base_url)
        self.final: dict[str, dict[str, Any] | None] = {}

    def ident(self, key: str) -> str:
        return str(uuid.uuid5(NAMESPACE, f"{self.basis}/{key}"))

    def uri(self, section: str, identifier: str) -> str:
        return f"{self.base}/{section}/{identifier}"

    def finish(self, key: str, obj: dict[str, Any], kept: dict[str, Any] | None) -> dict[str, Any] | None:
        generated_id, uri = obj["identifier"], obj.get("uri", "")
        if kept and "identifier" in kept and "uri" not in kept and uri.endswith(generated_id):
            obj["uri"] = uri[: -len(generated_id)] + str(kept["identifier"])  # our URI of the kept identifier
        result = _apply(obj, kept)
        self.final[key] = result
        return result

    # objects of the document level

    def licence(self) -> dict[str, Any] | None:
        licence = str(self.document.get("licence") or "")
        if not licence:
            return None
        identifier = self.ident("licence")
        obj = {
            "identifier": identifier,
            "uri": self.uri("CFLicenses", identifier),
            "title": _fit(licence.splitlines()[0], TITLE_MAX),
            "licenseText": licence,
            "lastChangeDateTime": self.when,
        }
        return self.finish("licence", obj, self.objects.get("licence"))

    def cf_document(self, licence: dict[str, Any] | None) -> dict[str, Any]:
        doc = self.document
        identifier = self.ident("document")
        status = doc.get("status") or FrameworkStatus.DRAFT
        extension = _clean(
            {
                "slug": doc["slug"],
                "idBasis": self.basis,
                "status": status,
                "languages": list(doc.get("languages") or []),
                "translations": _clean(
                    {
                        "title": _others(doc.get("title")),
                        "description": _others(doc.get("description")),
                        "notes": _others(doc.get("attribution")),
                    }
                ),
                "extra": _own_extra(doc),
            }
        )
        obj = _clean(
            {
                "identifier": identifier,
                "uri": self.uri("CFDocuments", identifier),
                "creator": CREATOR,
                "title": _en(doc.get("title")),
                "lastChangeDateTime": self.when,
                "description": _en(doc.get("description")),
                "language": "en",
                "version": doc["version"],
                "adoptionStatus": ADOPTION_STATUS.get(status, "Draft"),
                "licenseURI": node(licence, "title") if licence else None,
                "notes": _en(doc.get("attribution")),
                "caseVersion": "1.1",
                "extensions": {EXTENSION: extension},
            }
        )
        result = self.finish("document", obj, self.objects.get("document"))
        assert result is not None  # the document is never left out
        return result

    # items

    def item(
        self, key: str, kind: str, fields: dict[str, Any], extension: dict[str, Any], kept: dict[str, Any] | None
    ) -> dict[str, Any] | None:
        identifier = self.ident(key)
        type_name = ITEM_TYPES[kind][0]
        type_id = type_identifier(kind)
        obj = {
            "identifier": identifier,
            "uri": self.uri("CFItems", identifier),
            "CFItemType": type_name,
            "CFItemTypeURI": {"title": type_name, "identifier": type_id, "uri": self.uri("CFItemTypes", type_id)},
            **_clean(fields),
            "lastChangeDateTime": self.when,
            "extensions": {EXTENSION: _clean({"kind": kind, **extension})},
        }
        return self.finish(key, obj, kept)

    def role_item(self, role: dict[str, Any]) -> dict[str, Any] | None:
        eqf = role.get("eqf_level")
        return self.item(
            f"role:{role['code']}",
            "role",
            {
                "humanCodingScheme": role["code"],
                "fullStatement": _en(role.get("title")),
                "notes": _en(role.get("summary")),
                "educationLevel": [f"EQF {eqf}"] if eqf else [],
            },
            {
                "slug": role.get("slug"),
                "eqfLevel": eqf,
                "mission": role.get("mission") or {},
                "mainTasks": list(role.get("main_tasks") or []),
                "translations": _clean(
                    {"fullStatement": _others(role.get("title")), "notes": _others(role.get("summary"))}
                ),
                "extra": _own_extra(role),
            },
            _kept(role),
        )

    def titled_item(self, key: str, kind: str, holder: dict[str, Any]) -> dict[str, Any] | None:
        return self.item(
            key,
            kind,
            {
                "humanCodingScheme": holder["code"],
                "fullStatement": _en(holder.get("title")),
                "notes": _en(holder.get("description")),
            },
            {
                "translations": _clean(
                    {"fullStatement": _others(holder.get("title")), "notes": _others(holder.get("description"))}
                ),
                "extra": _own_extra(holder),
            },
            _kept(holder),
        )

    def criterion_item(self, criterion: dict[str, Any]) -> dict[str, Any] | None:
        return self.item(
            f"criterion:{criterion['code']}",
            "criterion",
            {"humanCodingScheme": criterion["code"], "fullStatement": _en(criterion.get("text"))},
            {"translations": _clean({"fullStatement": _others(criterion.get("text"))}), "extra": _own_extra(criterion)},
            _kept(criterion),
        )

    def statement_item(
        self, element_code: str, kind: str, position: int, text: dict[str, str]
    ) -> dict[str, Any] | None:
        key = f"ksa:{element_code}:{kind}:{position}"
        return self.item(
            key,
            kind,
            {"humanCodingScheme": f"{element_code}.{_KSA_LETTER[kind]}{position}", "fullStatement": _en(text)},
            {"translations": _clean({"fullStatement": _others(text)})},
            self.objects.get(key),
        )

    # associations

    def association(
        self,
        key: str,
        kind: str,
        origin: dict[str, Any],
        destination: dict[str, Any],
        *,
        sequence: int | None = None,
        grouping: dict[str, Any] | None = None,
        notes: str = "",
        extension: dict[str, Any] | None = None,
    ) -> dict[str, Any] | None:
        identifier = self.ident(key)
        obj: dict[str, Any] = {
            "identifier": identifier,
            "uri": self.uri("CFAssociations", identifier),
            "associationType": kind,
        }
        if sequence is not None:
            obj["sequenceNumber"] = sequence
        obj["originNodeURI"] = origin
        obj["destinationNodeURI"] = destination
        if grouping is not None:
            obj["CFAssociationGroupingURI"] = node(grouping, "title")
        obj["lastChangeDateTime"] = self.when
        if notes:
            obj["notes"] = notes
        if extension:
            obj["extensions"] = {EXTENSION: extension}
        return self.finish(key, obj, self.objects.get(key))

    @staticmethod
    def external(alignment: dict[str, Any]) -> dict[str, Any]:
        """The destination node of an alignment: an ESCO concept or an e-CF 4.0 competence."""
        if alignment["target"] == AlignmentTarget.ECF:
            code = str(alignment.get("code") or "")
            return {
                "title": alignment.get("label") or f"e-CF 4.0 {code}",
                "identifier": code,
                "uri": f"{ECF_URN}{code}",
                "targetType": "ext:e-cf",
            }
        uri = str(alignment.get("uri") or "")
        return {
            "title": alignment.get("label") or uri,
            "identifier": uri.rstrip("/").rsplit("/", 1)[-1],
            "uri": uri,
            "targetType": f"ext:{alignment['target']}",
        }

    def alignments(
        self, key: str, holder: dict[str, Any], obj: dict[str, Any] | None, out: list[dict[str, Any]]
    ) -> None:
        if obj is None:
            return
        for index, alignment in enumerate(holder.get("alignments") or []):
            relation = alignment.get("relation") or AlignmentRelation.RELATED
            association = self.association(
                f"align:{key}:{index}",
                "exactMatchOf" if relation == AlignmentRelation.EXACT else "isRelatedTo",
                node(obj),
                self.external(alignment),
                extension=_clean(
                    {
                        "kind": "alignment",
                        "target": alignment["target"],
                        "relation": relation,
                        "level": alignment.get("level"),
                    }
                ),
            )
            if association is not None:
                out.append(association)

    # the scale

    def rubric(self) -> dict[str, Any] | None:
        scale = self.document["scale"]
        kept = _kept(scale)
        rubric_id = self.ident("scale")
        criterion_id = self.ident("scale:criterion")
        rubric_uri = self.uri("CFRubrics", rubric_id)
        levels = []
        for position, level in enumerate(scale.get("levels") or [], start=1):
            level_id = self.ident(f"scale:level:{level['value']}")
            extension = _clean(
                {
                    "kind": "level",
                    "eqfLevel": level.get("eqf_level"),
                    "ecfLevel": level.get("ecf_level"),
                    "translations": _clean(
                        {"quality": _others(level.get("name")), "description": _others(level.get("description"))}
                    ),
                }
            )
            levels.append(
                _clean(
                    {
                        "identifier": level_id,
                        "uri": f"{rubric_uri}#{level_id}",
                        "quality": _en(level.get("name")),
                        "description": _en(level.get("description")),
                        "score": level["value"],
                        "position": position,
                        "rubricCriterionId": criterion_id,
                        "lastChangeDateTime": self.when,
                        "extensions": [{EXTENSION: extension}],
                    }
                )
            )
        obj = {
            "identifier": rubric_id,
            "uri": rubric_uri,
            "title": _en(scale.get("title")),
            "lastChangeDateTime": self.when,
            "CFRubricCriteria": [
                {
                    "identifier": criterion_id,
                    "uri": f"{rubric_uri}#{criterion_id}",
                    "category": "Proficiency",
                    "position": 1,
                    "rubricId": rubric_id,
                    "lastChangeDateTime": self.when,
                    "CFRubricCriterionLevels": levels,
                }
            ],
            "extensions": {
                EXTENSION: _clean(
                    {
                        "kind": "scale",
                        "slug": scale.get("slug"),
                        "translations": _clean({"title": _others(scale.get("title"))}),
                        "extra": _own_extra(scale),
                    }
                )
            },
        }
        return self.finish("scale", obj, kept)

    # everything

    def build(self) -> dict[str, Any]:
        doc = self.document
        licence = self.licence()
        document = self.cf_document(licence)
        items: list[dict[str, Any]] = []
        tree: list[tuple[str, dict[str, Any] | None, dict[str, Any] | None, int]] = []
        alignments: list[dict[str, Any]] = []
        roles: list[tuple[dict[str, Any], dict[str, Any] | None]] = []
        elements: dict[str, dict[str, Any] | None] = {}
        unit_elements: dict[str, list[str]] = {}

        def add(key: str, obj: dict[str, Any] | None, parent: dict[str, Any] | None, sequence: int) -> None:
            if obj is not None:
                items.append(obj)
            tree.append((key, obj, parent, sequence))

        top = 0
        for role in doc.get("roles") or []:
            obj = self.role_item(role)
            top += 1
            add(f"role:{role['code']}", obj, document, top)
            roles.append((role, obj))
        for unit in doc.get("units") or []:
            unit_key = f"unit:{unit['code']}"
            unit_obj = self.titled_item(unit_key, "unit", unit)
            top += 1
            add(unit_key, unit_obj, document, top)
            unit_elements[unit["code"]] = []
            for e_pos, element in enumerate(unit.get("elements") or [], start=1):
                element_key = f"element:{element['code']}"
                element_obj = self.titled_item(element_key, "element", element)
                add(element_key, element_obj, unit_obj, e_pos)
                elements[element["code"]] = element_obj
                unit_elements[unit["code"]].append(element["code"])
                child = 0
                for criterion in element.get("criteria") or []:
                    child += 1
                    add(f"criterion:{criterion['code']}", self.criterion_item(criterion), element_obj, child)
                for list_key, kind in KSA_KEYS.items():
                    for position, text in enumerate(element.get(list_key) or [], start=1):
                        child += 1
                        obj = self.statement_item(element["code"], kind, position, text)
                        add(f"ksa:{element['code']}:{kind}:{position}", obj, element_obj, child)

        associations: list[dict[str, Any]] = []
        for key, obj, parent, sequence in tree:
            if obj is not None and parent is not None:
                association = self.association(
                    f"child:{key}",
                    "isChildOf",
                    node(obj),
                    node(parent, "title" if parent is document else "fullStatement"),
                    sequence=sequence,
                )
                if association is not None:
                    associations.append(association)

        for role, obj in roles:
            self.alignments(f"role:{role['code']}", role, obj, alignments)
        for unit in doc.get("units") or []:
            self.alignments(f"unit:{unit['code']}", unit, self.final.get(f"unit:{unit['code']}"), alignments)
            for element in unit.get("elements") or []:
                self.alignments(f"element:{element['code']}", element, elements.get(element["code"]), alignments)
                for criterion in element.get("criteria") or []:
                    key = f"criterion:{criterion['code']}"
                    self.alignments(key, criterion, self.final.get(key), alignments)
        associations += alignments

        requirements = [
            (role, obj, code, level, essential)
            for role, obj in roles
            for code, level, essential in expand_requirements(role, unit_elements)
        ]
        grouping: dict[str, Any] | None = None
        if requirements:
            grouping_id = self.ident("grouping:requirements")
            grouping = self.finish(
                "grouping:requirements",
                {
                    "identifier": grouping_id,
                    "uri": self.uri("CFAssociationGroupings", grouping_id),
                    "title": REQUIREMENTS_GROUPING,
                    "description": "What each job role requires: an isRelatedTo association from the role to an "
                    "element, with the target level on the framework's proficiency scale and whether it is essential.",
                    "lastChangeDateTime": self.when,
                },
                self.objects.get("grouping:requirements"),
            )
        for role, obj, code, level, essential in requirements:
            element_obj = elements.get(code)
            if obj is None or element_obj is None:
                continue
            association = self.association(
                f"req:{role['code']}:{code}",
                "isRelatedTo",
                node(obj),
                node(element_obj),
                grouping=grouping,
                notes=f"Requires level {level} ({'essential' if essential else 'optional'}).",
                extension={"kind": "requirement", "targetLevel": level, "essential": essential},
            )
            if association is not None:
                associations.append(association)

        definitions: dict[str, list[dict[str, Any]]] = {name: [] for name in DEFINITIONS}
        used_types = {
            item["CFItemTypeURI"]["identifier"] for item in items if isinstance(item.get("CFItemTypeURI"), dict)
        }
        for kind, (title, hierarchy, description) in ITEM_TYPES.items():
            type_id = type_identifier(kind)
            if type_id not in used_types:
                continue
            obj = self.finish(
                f"itemtype:{kind}",
                {
                    "identifier": type_id,
                    "uri": self.uri("CFItemTypes", type_id),
                    "title": title,
                    "description": description,
                    "hierarchyCode": hierarchy,
                    "typeCode": kind,
                    "lastChangeDateTime": self.when,
                },
                self.objects.get(f"itemtype:{kind}"),
            )
            if obj is not None:
                definitions["CFItemTypes"].append(obj)
        if licence is not None:
            definitions["CFLicenses"].append(licence)
        if grouping is not None:
            definitions["CFAssociationGroupings"].append(grouping)
        rubric = self.rubric()

        unmapped = self.case.get("unmapped") or {}
        package: dict[str, Any] = {
            "CFDocument": document,
            "CFItems": items + copy.deepcopy(unmapped.get("CFItems") or []),
        }
        package["CFAssociations"] = associations + copy.deepcopy(unmapped.get("CFAssociations") or [])
        for name, values in (unmapped.get("CFDefinitions") or {}).items():
            definitions.setdefault(name, []).extend(copy.deepcopy(values))
        cf_definitions: dict[str, Any] = {name: values for name, values in definitions.items() if values}
        cf_definitions = _apply(cf_definitions, self.objects.get("definitions")) or {}
        if cf_definitions:
            package["CFDefinitions"] = cf_definitions
        rubrics = ([rubric] if rubric is not None else []) + copy.deepcopy(unmapped.get("CFRubrics") or [])
        if rubrics:
            package["CFRubrics"] = rubrics
        return _apply(package, self.objects.get("package")) or package


def expand_requirements(role: dict[str, Any], unit_elements: dict[str, list[str]]) -> list[tuple[str, int, bool]]:
    """(element code, target level, essential) for every element a role requires, in framework order."""
    result = []
    for requirement in role.get("requirements") or []:
        overrides = requirement.get("elements") or {}
        for code in unit_elements.get(requirement.get("unit"), []):
            override = overrides.get(code) or {}
            level = override.get("level", requirement.get("level"))
            essential = override.get("essential", requirement.get("essential", True))
            result.append((code, level, bool(essential)))
    return result


def package(
    document: dict[str, Any], *, changed: datetime | None = None, base_url: str | None = None
) -> dict[str, Any]:
    """The CFPackage of a native document.

    ``changed`` is the ``lastChangeDateTime`` of every object (default: the time kept from an
    import, else now); ``base_url`` prefixes the ``uri`` of every object (default: ``SITE_URL``).
    """
    return _Writer(document, changed=changed, base_url=base_url).build()


def document_object(
    document: dict[str, Any], *, changed: datetime | None = None, base_url: str | None = None
) -> dict[str, Any]:
    """The CFPackage's CFDocument alone; it needs only the top-level fields of the document."""
    writer = _Writer(document, changed=changed, base_url=base_url)
    return writer.cf_document(writer.licence())


def api_base(base_url: str | None = None) -> str:
    return (settings.SITE_URL if base_url is None else base_url).rstrip("/") + API_PATH


def standalone_document(cf_document: dict[str, Any], *, base_url: str | None = None) -> dict[str, Any]:
    """A CFDocument as ``GET /CFDocuments/{id}`` answers it: with the link to its package."""
    identifier = cf_document["identifier"]
    link = {
        "title": cf_document.get("title", ""),
        "identifier": identifier,
        "uri": f"{api_base(base_url)}/CFPackages/{identifier}",
    }
    return {**cf_document, "CFPackageURI": link}


def standalone(obj: dict[str, Any], cf_document: dict[str, Any]) -> dict[str, Any]:
    """A CFItem or CFAssociation as the REST endpoints answer it: with the link to its document."""
    return {**obj, "CFDocumentURI": node(cf_document, "title")}


def write(document: dict[str, Any], *, changed: datetime | None = None) -> bytes:
    """A CASE 1.1 CFPackage (UTF-8 JSON) of a native document (``changed``: see :func:`package`)."""
    return (json.dumps(package(document, changed=changed), ensure_ascii=False, indent=2) + "\n").encode("utf-8")


# --- reading -----------------------------------------------------------------------------------------


@dataclass
class _Node:
    """A CFItem placed in the native tree (or a placeholder made up for a missing level)."""

    kind: str
    obj: dict[str, Any] | None
    path: Path
    parent: _Node | None = None
    children: list[_Node] = field(default_factory=list)
    code: str = ""
    association: int | None = None  # index of the isChildOf association that placed it
    statement_key: str = ""  # K/S/A statements have no code: "ksa:<element>:<kind>:<position>"

    @property
    def identifier(self) -> str:
        return str(self.obj["identifier"]) if self.obj else ""

    @property
    def key(self) -> str:
        return self.statement_key or f"{self.kind}:{self.code}"


def _extension_of(obj: dict[str, Any] | None) -> dict[str, Any]:
    extensions = (obj or {}).get("extensions")
    if isinstance(extensions, list):  # rubric levels
        extensions = next((item for item in extensions if isinstance(item, dict) and EXTENSION in item), {})
    data = extensions.get(EXTENSION) if isinstance(extensions, dict) else None
    return data if isinstance(data, dict) else {}


class _Reader:
    def __init__(self, package: Any, *, source: str, lines: Callable[[], dict[Path, int]]) -> None:
        self.source = source
        self._line_map: dict[Path, int] | None = None
        self._lines = lines
        self.prefix: Path = ()
        self.problems: list[tuple[Path, str]] = []
        self.trace: dict[Path, Path] = {}
        self.native_of: dict[int, Path] = {}  # id(holder dict) → its native path
        self.scale_values: set[int] = set()
        self.scale_complete = True  # False once a level is refused: requirement levels are then not checked
        self.refused_roles: set[str] = set()  # roles with a refused requirement: their grouping is not checked
        self.package = package
        self.result: dict[str, Any] = {}

    # problems

    def lines(self) -> dict[Path, int]:
        if self._line_map is None:
            self._line_map = self._lines()
        return self._line_map

    def line(self, path: Path) -> int | None:
        return line_of(self.prefix + path, self.lines())

    def problem(self, path: Path, message: str) -> None:
        self.problems.append((path, message))

    def stop_if_problems(self) -> None:
        if not self.problems:
            return
        placed = sorted(
            (
                (
                    self.line(path) or 0,
                    index,
                    Problem(place(self.source, self.line(path), path_text(self.prefix + path)), message),
                )
                for index, (path, message) in enumerate(self.problems)
            ),
            key=lambda item: (item[0], item[1]),
        )
        raise DocumentErrors(capped([problem for _line, _index, problem in placed], self.source))

    # reading

    def read(self) -> dict[str, Any]:
        data = self.package
        if isinstance(data, dict) and "CFDocument" not in data and isinstance(data.get("CFPackage"), dict):
            self.prefix, data = ("CFPackage",), data["CFPackage"]
        if not isinstance(data, dict):
            self.problem(
                (), _("a CASE file holds one CFPackage: a JSON object with CFDocument, CFItems and CFAssociations")
            )
            self.stop_if_problems()
        if "CFDocuments" in data or "CFPackageURI" in data:
            self.problem(
                (),
                _(
                    "this is a CASE REST answer about documents, not a package; "
                    "download the package (GET /ims/case/v1p1/CFPackages/{id}) and import that"
                ),
            )
            self.stop_if_problems()
        self.pkg: dict[str, Any] = data
        self.check_schema()
        self.check_identifiers()
        self.place_items()
        document = self.build()
        self.stop_if_problems()
        self.keep(document)
        return document

    def check_schema(self) -> None:
        for error in _import_validator().iter_errors(self.pkg):
            for path, message in _schema_messages(error):
                self.problem(path, message)
        self.stop_if_problems()

    def check_identifiers(self) -> None:
        pkg = self.pkg
        self.document = pkg["CFDocument"]
        self.doc_id = str(self.document["identifier"])
        first: dict[str, Path] = {}

        def visit(obj: dict[str, Any], path: Path) -> None:
            identifier = obj["identifier"]
            if identifier in first:
                earlier = first[identifier]
                self.problem(
                    (*path, "identifier"),
                    _("duplicate identifier %(id)s: line %(line)s, %(place)s has it too")
                    % {"id": identifier, "line": self.line(earlier), "place": path_text(earlier)},
                )
            else:
                first[identifier] = path

        visit(self.document, ("CFDocument",))
        for section in ("CFItems", "CFAssociations"):
            for index, obj in enumerate(pkg.get(section) or []):
                visit(obj, (section, index))
        for name in DEFINITIONS:
            for index, obj in enumerate((pkg.get("CFDefinitions") or {}).get(name) or []):
                visit(obj, ("CFDefinitions", name, index))
        for r, rubric in enumerate(pkg.get("CFRubrics") or []):
            visit(rubric, ("CFRubrics", r))
            for c, criterion in enumerate(rubric.get("CFRubricCriteria") or []):
                visit(criterion, ("CFRubrics", r, "CFRubricCriteria", c))
                for v, level in enumerate(criterion.get("CFRubricCriterionLevels") or []):
                    visit(level, ("CFRubrics", r, "CFRubricCriteria", c, "CFRubricCriterionLevels", v))
        self.stop_if_problems()
        self.items: dict[str, tuple[int, dict[str, Any]]] = {
            str(obj["identifier"]): (index, obj) for index, obj in enumerate(pkg.get("CFItems") or [])
        }
        self.associations: list[dict[str, Any]] = list(pkg.get("CFAssociations") or [])
        self.own = isinstance(_extension_of(self.document).get("slug"), str)

    def place_items(self) -> None:
        """The tree from isChildOf associations: parents, cycles, depths."""
        parents: dict[str, tuple[str, int]] = {}
        for index, association in enumerate(self.associations):
            if association["associationType"] != "isChildOf":
                continue
            here: Path = ("CFAssociations", index)
            origin = str(association["originNodeURI"]["identifier"])
            destination = str(association["destinationNodeURI"]["identifier"])
            if origin not in self.items:
                self.problem(
                    (*here, "originNodeURI", "identifier"),
                    _(
                        "no CFItem in this file has the identifier %(id)s; "
                        "an isChildOf association must start at an item"
                    )
                    % {"id": origin},
                )
                continue
            if destination not in self.items and destination != self.doc_id:
                self.problem(
                    (*here, "destinationNodeURI", "identifier"),
                    _("the parent %(id)s is missing: no CFItem or CFDocument in this file has this identifier")
                    % {"id": destination},
                )
                continue
            if destination == origin:
                self.problem((*here, "destinationNodeURI", "identifier"), _("an item cannot be its own parent"))
                continue
            parents.setdefault(origin, (destination, index))
        self.parents = parents
        depth: dict[str, int | None] = {self.doc_id: 0}
        reported: set[frozenset[str]] = set()
        for identifier in self.items:
            chain: list[str] = []
            current: str | None = identifier
            while current is not None and current not in depth and current not in chain:
                chain.append(current)
                current = parents[current][0] if current in parents else None
            if current is not None and current in chain:  # a cycle
                cycle = chain[chain.index(current) :]
                if frozenset(cycle) not in reported:
                    reported.add(frozenset(cycle))
                    start = min(cycle, key=lambda ident: parents[ident][1])
                    order = [start]
                    while parents[order[-1]][0] != start:
                        order.append(parents[order[-1]][0])
                    names = " → ".join([*order, start])
                    self.problem(
                        ("CFAssociations", parents[start][1], "destinationNodeURI", "identifier"),
                        _("isChildOf associations form a cycle: %(cycle)s") % {"cycle": names},
                    )
                base: int | None = None
            else:
                base = depth.get(current) if current is not None else None
            for offset, ident in enumerate(reversed(chain), start=1):
                depth[ident] = None if base is None else base + offset
        self.stop_if_problems()
        self.depth = depth
        children: dict[str, list[tuple[tuple[int, int, int], str]]] = {}
        for child, (parent, index) in parents.items():
            sequence = self.associations[index].get("sequenceNumber")
            rank = (0, sequence, index) if isinstance(sequence, int) else (1, 0, index)
            children.setdefault(parent, []).append((rank, child))
        self.children = {parent: [child for _order, child in sorted(found)] for parent, found in children.items()}

    # the native document

    def texts(
        self, obj: dict[str, Any], path: Path, name: str, *, limit: int | None = None, required: bool = False
    ) -> dict[str, str]:
        value = obj.get(name)
        english = value.strip() if isinstance(value, str) else ""
        if required and not english:
            self.problem((*path, name), _("must not be empty"))
        result = {"en": _fit(english, limit) if limit else english} if english else {}
        translations = _extension_of(obj).get("translations")
        if translations is None:
            return result
        where = (*path, "extensions", EXTENSION, "translations")
        if not isinstance(translations, dict):
            self.problem(where, _("must be a mapping from field name to translations"))
            return result
        texts = translations.get(name)
        if texts is None:
            return result
        if not isinstance(texts, dict):
            self.problem((*where, name), _("must be a mapping from language code to text"))
            return result
        for language, text in texts.items():
            if language not in settings.LANGUAGE_CODES or language == "en":
                self.problem(
                    (*where, name, language),
                    _("unknown language %(language)r; use one of %(languages)s")
                    % {"language": language, "languages": ", ".join(c for c in settings.LANGUAGE_CODES if c != "en")},
                )
            elif not isinstance(text, str) or not text.strip():
                self.problem((*where, name, language), _("must be a non-empty text"))
            else:
                result[language] = _fit(text.strip(), limit) if limit else text.strip()
        return result

    def text_mapping(self, value: Any, path: Path) -> dict[str, str]:
        """A translated text kept whole in our extension (mission, main tasks)."""
        if not isinstance(value, dict):
            self.problem(path, _("must be a mapping from language code to text"))
            return {}
        result = {}
        for language, text in value.items():
            if language not in settings.LANGUAGE_CODES:
                self.problem((*path, language), _("unknown language %(language)r") % {"language": language})
            elif not isinstance(text, str) or not text.strip():
                self.problem((*path, language), _("must be a non-empty text"))
            else:
                result[language] = text.strip()
        return result

    def own_extra(self, obj: dict[str, Any] | None, path: Path) -> dict[str, Any]:
        extra = _extension_of(obj).get("extra")
        if extra is None:
            return {}
        if not isinstance(extra, dict) or "case" in extra:
            self.problem(
                (*path, "extensions", EXTENSION, "extra"), _("must be a mapping of format data (without 'case')")
            )
            return {}
        return copy.deepcopy(extra)

    def item_path(self, identifier: str) -> Path:
        return ("CFItems", self.items[identifier][0])

    def tree(self) -> list[_Node]:
        """Roles and units with their elements and criteria; made-up placeholders where a level is missing."""
        top: list[_Node] = []
        for identifier in self.children.get(self.doc_id, []):
            obj = self.items[identifier][1]
            here = self.item_path(identifier)
            association = self.parents[identifier][1]
            if _extension_of(obj).get("kind") == "role":
                role = _Node("role", obj, here, association=association)
                if self.children.get(identifier):
                    self.problem(
                        here,
                        _("the job role %(id)s has child items; a role holds no statements (it requires elements)")
                        % {"id": identifier},
                    )
                top.append(role)
                continue
            unit = _Node("unit", obj, here, association=association)
            for element_id in self.children.get(identifier, []):
                element = _Node(
                    "element",
                    self.items[element_id][1],
                    self.item_path(element_id),
                    unit,
                    association=self.parents[element_id][1],
                )
                stack = list(reversed(self.children.get(element_id, [])))
                while stack:  # depth 3 and deeper, in document order
                    child_id = stack.pop()
                    child_obj = self.items[child_id][1]
                    kind = _extension_of(child_obj).get("kind")
                    depth_three = self.parents[child_id][0] == element_id
                    child_kind = (
                        kind if depth_three and kind in ITEM_TYPES and kind in KSA_KEYS.values() else "criterion"
                    )
                    element.children.append(
                        _Node(
                            child_kind,
                            child_obj,
                            self.item_path(child_id),
                            element,
                            association=self.parents[child_id][1],
                        )
                    )
                    stack.extend(reversed(self.children.get(child_id, [])))
                if not any(child.kind == "criterion" for child in element.children):
                    element.children.append(_Node("criterion", None, element.path, element))
                unit.children.append(element)
            if not unit.children:
                element = _Node("element", None, unit.path, unit)
                element.children.append(_Node("criterion", None, unit.path, element))
                unit.children.append(element)
            top.append(unit)
        if not any(n.kind == "unit" for n in top):
            self.problem(
                ("CFItems",),
                _("the package has no items under its CFDocument (isChildOf the document): nothing to import"),
            )
        return top

    def assign_codes(self, top: list[_Node]) -> None:
        """Our codes: the humanCodingScheme where it is a valid, unused code; else one made from the position.

        Items of our own exports must keep their codes (requirements and other formats refer to them):
        for them an invalid or repeated code is a problem, not a reason to make one up.
        """
        nodes = [n for n in _walk(top) if n.kind in {"role", "unit", "element", "criterion"}]
        used: dict[str, Path] = {}
        for n in nodes:
            hcs = (n.obj or {}).get("humanCodingScheme")
            valid = isinstance(hcs, str) and bool(CODE_RE.match(hcs)) and len(hcs) <= CODE_MAX
            if valid and hcs not in used:
                n.code = str(hcs)
                used[n.code] = n.path
            elif n.obj is not None and _extension_of(n.obj).get("kind") == n.kind:
                if valid:
                    earlier = used[str(hcs)]
                    message = _("duplicate code %(code)r: line %(line)s, %(place)s has it too") % {
                        "code": hcs,
                        "line": self.line(earlier),
                        "place": path_text(earlier),
                    }
                else:
                    message = _(
                        "%(found)r is not a code: letters, digits, '.', '_' or '-', at most %(maximum)d characters"
                    ) % {"found": hcs, "maximum": CODE_MAX}
                self.problem((*n.path, "humanCodingScheme"), message)

        def free(candidate: str, fallback: str) -> str:
            if len(candidate) > CODE_MAX:
                candidate = fallback
            code, count = candidate, 1
            while code in used or len(code) > CODE_MAX:
                count += 1
                code = f"{candidate[: CODE_MAX - len(str(count)) - 1]}-{count}"
            used[code] = ()
            return code

        counters: Counter[str] = Counter()
        siblings: Counter[tuple[int, str]] = Counter()
        for n in nodes:
            counters[n.kind] += 1
            siblings[(id(n.parent), n.kind)] += 1
            position = siblings[(id(n.parent), n.kind)]
            if n.code:
                continue
            if n.kind == "role":
                n.code = free(f"R{position}", f"R{counters[n.kind]}")
            elif n.kind == "unit":
                n.code = free(f"U{position:02d}", f"U{counters[n.kind]}")
            elif n.kind == "element":
                assert n.parent is not None
                n.code = free(f"{n.parent.code}.E{position}", f"E{counters[n.kind]}")
            else:
                assert n.parent is not None
                n.code = free(f"{n.parent.code}.PC{position}", f"PC{counters[n.kind]}")

    def build(self) -> dict[str, Any]:
        doc, doc_ext = self.document, _extension_of(self.document)
        top = self.tree()
        self.stop_if_problems()
        self.assign_codes(top)
        self.stop_if_problems()
        self.holders: dict[str, dict[str, Any]] = {}
        self.mapped: dict[str, tuple[Path, dict[str, Any]]] = {"document": (("CFDocument",), doc)}
        self.placeholders: list[_Node] = []
        ext_where: Path = ("CFDocument", "extensions", EXTENSION)
        self.trace[()] = ("CFDocument",)
        for native_field, case_field in (("version", "version"), ("title", "title"), ("description", "description")):
            self.trace[(native_field,)] = ("CFDocument", case_field)
        self.trace[("status",)] = (*ext_where, "status") if self.own else ("CFDocument", "adoptionStatus")
        self.trace[("slug",)] = (*ext_where, "slug") if self.own else ("CFDocument", "title")

        slug = doc_ext.get("slug") if self.own else None
        if slug is not None and (not isinstance(slug, str) or not SLUG_RE.match(slug) or len(slug) > 80):
            self.problem((*ext_where, "slug"), _("must be a lowercase slug such as 'skills4cities'"))
        if not slug or not isinstance(slug, str):
            slug = slugify(str(doc.get("title") or ""))[:80].strip("-") or "case-framework"
        version = str(doc.get("version") or "").strip() or str(doc["lastChangeDateTime"])[:10]
        if len(version) > VERSION_MAX:
            self.problem(
                ("CFDocument", "version"), _("is longer than %(maximum)d characters") % {"maximum": VERSION_MAX}
            )
        status = doc_ext.get("status") if self.own else None
        if status is not None and status not in FrameworkStatus.values:
            self.problem(
                (*ext_where, "status"), _("must be one of %(values)s") % {"values": ", ".join(FrameworkStatus.values)}
            )
        if status not in FrameworkStatus.values:
            status = _STATUS_OF_ADOPTION.get(
                str(doc.get("adoptionStatus") or "").strip().lower(), FrameworkStatus.DRAFT
            )
        languages = doc_ext.get("languages") if self.own else None
        if languages is not None and (
            not isinstance(languages, list) or any(code not in settings.LANGUAGE_CODES for code in languages)
        ):
            self.problem(
                (*ext_where, "languages"),
                _("must list language codes from %(codes)s") % {"codes": ", ".join(settings.LANGUAGE_CODES)},
            )
            languages = None
        licence = ""
        licence_link = doc.get("licenseURI")
        if isinstance(licence_link, dict):
            for index, item in enumerate((self.pkg.get("CFDefinitions") or {}).get("CFLicenses") or []):
                if item["identifier"] == licence_link.get("identifier"):
                    licence = str(item.get("licenseText") or "")
                    self.mapped["licence"] = (("CFDefinitions", "CFLicenses", index), item)
                    break
            else:
                licence = str(licence_link.get("title") or "")
        document: dict[str, Any] = {
            "slug": slug,
            "version": version,
            "status": status,
            "languages": list(languages or ["en"]),
            "licence": licence,
            "attribution": self.texts(doc, ("CFDocument",), "notes"),
            "title": self.texts(doc, ("CFDocument",), "title", limit=TITLE_MAX, required=True),
            "description": self.texts(doc, ("CFDocument",), "description"),
        }
        document["scale"] = self.scale()
        document["roles"], document["units"] = [], []
        nodes_by_id: dict[str, _Node] = {}
        for top_node in top:
            if top_node.kind == "role":
                document["roles"].append(self.role(top_node, len(document["roles"])))
            else:
                document["units"].append(self.unit(top_node, len(document["units"])))
        for n in _walk(top):
            if n.obj is not None:
                nodes_by_id[n.identifier] = n
        self.nodes_by_id = nodes_by_id
        self.links(document)
        for unit in document["units"]:  # as read_framework writes them: no empty lists on units and criteria
            for holder in [unit, *(c for element in unit["elements"] for c in element["criteria"])]:
                if not holder["alignments"]:
                    del holder["alignments"]
        extra = self.own_extra(doc, ("CFDocument",)) if self.own else {}
        if extra:
            document["extra"] = extra
        return document

    def scale(self) -> dict[str, Any]:
        for r, rubric in enumerate(self.pkg.get("CFRubrics") or []):
            ext = _extension_of(rubric)
            if ext.get("kind") != "scale":
                continue
            here: Path = ("CFRubrics", r)
            self.mapped["scale"] = (here, rubric)
            self.trace[("scale",)] = here
            criteria = rubric.get("CFRubricCriteria") or []
            levels_in = (criteria[0].get("CFRubricCriterionLevels") or []) if criteria else []
            if not levels_in:
                self.problem(
                    (*here, "CFRubricCriteria"), _("the proficiency scale needs a criterion with at least one level")
                )
            levels: list[dict[str, Any]] = []
            seen: dict[int, Path] = {}
            ordered = sorted(
                enumerate(levels_in),
                key=lambda pair: (pair[1].get("position") is None, pair[1].get("position") or 0, pair[0]),
            )
            for index, level in ordered:
                where: Path = (*here, "CFRubricCriteria", 0, "CFRubricCriterionLevels", index)
                score = level.get("score")
                if (
                    not isinstance(score, int | float)
                    or isinstance(score, bool)
                    or score != int(score)
                    or not 1 <= score <= 100
                ):
                    self.problem(
                        (*where, "score"),
                        _("a level of the proficiency scale needs a whole-number score from 1 to 100, not %(found)r")
                        % {"found": score},
                    )
                    self.scale_complete = False
                    continue
                value = int(score)
                if value in seen:
                    self.problem(
                        (*where, "score"), _("score %(value)d is used by another level too") % {"value": value}
                    )
                    self.scale_complete = False
                    continue
                seen[value] = where
                ext_level = _extension_of(level)
                entry: dict[str, Any] = {
                    "value": value,
                    "name": self.texts(level, where, "quality", limit=LEVEL_NAME_MAX, required=True),
                    "description": self.texts(level, where, "description"),
                }
                for name, key, high in (("eqf_level", "eqfLevel", 8), ("ecf_level", "ecfLevel", 5)):
                    found = ext_level.get(key)
                    if found is not None and (
                        not isinstance(found, int) or isinstance(found, bool) or not 1 <= found <= high
                    ):
                        self.problem(
                            (*where, "extensions", EXTENSION, key),
                            _("must be a whole number from 1 to %(maximum)d") % {"maximum": high},
                        )
                    entry[name] = found if isinstance(found, int) else None
                self.trace[("scale", "levels", len(levels))] = where
                levels.append(entry)
            scale: dict[str, Any] = {
                "slug": ext.get("slug") if isinstance(ext.get("slug"), str) and SLUG_RE.match(ext["slug"]) else "scale",
                "title": self.texts(rubric, here, "title", limit=TITLE_MAX) or {"en": "Proficiency"},
                "levels": levels,
            }
            extra = self.own_extra(rubric, here)
            if extra:
                scale["extra"] = extra
            self.holders["scale"] = scale
            self.scale_values = set(seen)
            return scale
        self.scale_values = {1}
        return {
            "slug": "proficiency",
            "title": {"en": "Proficiency"},
            "levels": [{"value": 1, "name": {"en": "Achieved"}}],
            "extra": {"case": {"_skip": True}},
        }

    def role(self, n: _Node, index: int) -> dict[str, Any]:
        assert n.obj is not None
        obj, ext = n.obj, _extension_of(n.obj)
        where: Path = (*n.path, "extensions", EXTENSION)
        slug = ext.get("slug")
        if not isinstance(slug, str) or not SLUG_RE.match(slug) or len(slug) > 80:
            self.problem((*where, "slug"), _("every job role needs a lowercase slug"))
            slug = ""
        eqf = ext.get("eqfLevel")
        if eqf is None:
            levels = [m.group(1) for level in obj.get("educationLevel") or [] if (m := _EQF.match(level))]
            eqf = int(levels[0]) if levels else None
        if not isinstance(eqf, int) or isinstance(eqf, bool) or not 1 <= eqf <= 8:
            self.problem((*where, "eqfLevel"), _("every job role needs an EQF level from 1 to 8"))
            eqf = 1
        tasks = ext.get("mainTasks") or []
        if not isinstance(tasks, list):
            self.problem((*where, "mainTasks"), _("must be a list of translated texts"))
            tasks = []
        role: dict[str, Any] = {
            "slug": slug,
            "code": n.code,
            "title": self.texts(obj, n.path, "fullStatement", limit=TITLE_MAX, required=True),
            "summary": self.texts(obj, n.path, "notes"),
            "mission": self.text_mapping(ext["mission"], (*where, "mission")) if "mission" in ext else {},
            "main_tasks": [self.text_mapping(task, (*where, "mainTasks", t)) for t, task in enumerate(tasks)],
            "eqf_level": eqf,
            "alignments": [],
            "requirements": [],
        }
        extra = self.own_extra(obj, n.path)
        if extra:
            role["extra"] = extra
        self.register(n, role, ("roles", index))
        return role

    def register(self, n: _Node, holder: dict[str, Any], native: Path) -> None:
        self.trace[native] = n.path
        if n.obj is None:
            holder.setdefault("extra", {})["case"] = {"_skip": True}
            self.placeholders.append(n)
        else:
            self.mapped[n.key] = (n.path, n.obj)
        self.holders[n.key] = holder
        self.native_of[id(holder)] = native

    def unit(self, n: _Node, index: int) -> dict[str, Any]:
        unit = self.titled(n, TITLE_MAX)
        unit["elements"] = [self.element(child, index, e) for e, child in enumerate(n.children)]
        unit["alignments"] = []
        self.register(n, unit, ("units", index))
        return unit

    def titled(self, n: _Node, limit: int) -> dict[str, Any]:
        if n.obj is None:  # a placeholder repeats its parent's text
            assert n.parent is not None and n.parent.obj is not None
            return {
                "code": n.code,
                "title": self.texts(n.parent.obj, n.parent.path, "fullStatement", limit=limit),
                "description": {},
            }
        holder = {
            "code": n.code,
            "title": self.texts(n.obj, n.path, "fullStatement", limit=limit, required=True),
            "description": self.texts(n.obj, n.path, "notes"),
        }
        extra = self.own_extra(n.obj, n.path)
        if extra:
            holder["extra"] = extra
        return holder

    def element(self, n: _Node, u: int, e: int) -> dict[str, Any]:
        element = self.titled(n, ELEMENT_TITLE_MAX)
        native: Path = ("units", u, "elements", e)
        statements: dict[str, list[dict[str, str]]] = {key: [] for key in KSA_KEYS}
        criteria: list[dict[str, Any]] = []
        for child in n.children:
            if child.kind == "criterion":
                if child.obj is None:
                    source_node = n if n.obj is not None else n.parent
                    assert source_node is not None and source_node.obj is not None
                    criterion = {
                        "code": child.code,
                        "text": self.texts(source_node.obj, source_node.path, "fullStatement"),
                    }
                else:
                    criterion = {
                        "code": child.code,
                        "text": self.texts(child.obj, child.path, "fullStatement", required=True),
                    }
                    extra = self.own_extra(child.obj, child.path)
                    if extra:
                        criterion["extra"] = extra
                criterion["alignments"] = []
                self.register(child, criterion, (*native, "criteria", len(criteria)))
                criteria.append(criterion)
            else:
                assert child.obj is not None
                list_key = next(key for key, kind in KSA_KEYS.items() if kind == child.kind)
                position = len(statements[list_key]) + 1
                statements[list_key].append(self.texts(child.obj, child.path, "fullStatement", required=True))
                child.statement_key = f"ksa:{n.code}:{child.kind}:{position}"
                self.mapped[child.statement_key] = (child.path, child.obj)
                self.trace[(*native, list_key, position - 1)] = child.path
        element |= {"knowledge": statements["knowledge"], "skills": statements["skills"]}
        element |= {"attitudes": statements["attitudes"], "criteria": criteria, "alignments": []}
        self.register(n, element, native)
        return element

    def links(self, document: dict[str, Any]) -> None:
        """isChildOf placements, alignments and role requirements; everything else stays as it is."""
        used: set[int] = set()
        for n in self.nodes_by_id.values():
            if n.association is not None:
                self.mapped[f"child:{n.key}"] = (("CFAssociations", n.association), self.associations[n.association])
                used.add(n.association)
        requirements: dict[str, dict[str, tuple[int, bool, Path]]] = {}
        grouping_ids: list[str] = []
        for index, association in enumerate(self.associations):
            if index in used:
                continue
            here: Path = ("CFAssociations", index)
            origin = self.nodes_by_id.get(str(association["originNodeURI"]["identifier"]))
            ext = _extension_of(association)
            if ext.get("kind") == "requirement" and association["associationType"] == "isRelatedTo":
                if self.requirement(association, here, origin, requirements):
                    used.add(index)
                    grouping = association.get("CFAssociationGroupingURI")
                    if isinstance(grouping, dict):
                        grouping_ids.append(str(grouping["identifier"]))
                elif origin is not None:
                    self.refused_roles.add(origin.code)
                continue
            if origin is None or origin.kind not in {"role", "unit", "element", "criterion"}:
                continue
            alignment = self.alignment(association, here)
            if alignment is None:
                continue
            holder = self.holders[origin.key]
            position = len(holder["alignments"])
            holder["alignments"].append(alignment)
            self.mapped[f"align:{origin.key}:{position}"] = (here, association)
            native = self.native_of.get(id(holder))
            if native is not None:
                self.trace[(*native, "alignments", position)] = here
            used.add(index)
        self.group_requirements(document, requirements)
        for index, item in enumerate((self.pkg.get("CFDefinitions") or {}).get("CFAssociationGroupings") or []):
            if grouping_ids and item["identifier"] == grouping_ids[0]:
                self.mapped["grouping:requirements"] = (("CFDefinitions", "CFAssociationGroupings", index), item)
        own_types = {type_identifier(kind): kind for kind in ITEM_TYPES}
        for index, item in enumerate((self.pkg.get("CFDefinitions") or {}).get("CFItemTypes") or []):
            if item["identifier"] in own_types:
                self.mapped[f"itemtype:{own_types[item['identifier']]}"] = (
                    ("CFDefinitions", "CFItemTypes", index),
                    item,
                )

    def requirement(
        self,
        association: dict[str, Any],
        here: Path,
        origin: _Node | None,
        requirements: dict[str, dict[str, tuple[int, bool, Path]]],
    ) -> bool:
        destination = self.nodes_by_id.get(str(association["destinationNodeURI"]["identifier"]))
        ext = _extension_of(association)
        where: Path = (*here, "extensions", EXTENSION)
        if origin is None or origin.kind != "role":
            self.problem(
                (*here, "originNodeURI", "identifier"),
                _("a role requirement must start at a job role of this package, not %(id)s")
                % {"id": association["originNodeURI"]["identifier"]},
            )
            return False
        if destination is None or destination.kind != "element":
            self.problem(
                (*here, "destinationNodeURI", "identifier"),
                _("a role requirement must point to an element of this package, not %(id)s")
                % {"id": association["destinationNodeURI"]["identifier"]},
            )
            return False
        level = ext.get("targetLevel")
        off_scale = self.scale_complete and level not in self.scale_values
        if not isinstance(level, int) or isinstance(level, bool) or level < 1 or off_scale:
            self.problem(
                (*where, "targetLevel"),
                _("level %(level)r is not on the proficiency scale (%(levels)s)")
                % {"level": level, "levels": ", ".join(str(v) for v in sorted(self.scale_values))},
            )
            return False
        essential = ext.get("essential", True)
        if not isinstance(essential, bool):
            self.problem((*where, "essential"), _("must be true or false"))
            return False
        found = requirements.setdefault(origin.code, {})
        if destination.code in found:
            self.problem(here, _("the role already requires element %(code)s") % {"code": destination.code})
            return False
        found[destination.code] = (level, essential, here)
        self.mapped[f"req:{origin.code}:{destination.code}"] = (here, association)
        return True

    def group_requirements(
        self, document: dict[str, Any], requirements: dict[str, dict[str, tuple[int, bool, Path]]]
    ) -> None:
        """Per-element requirements → one per unit (the most common level and flag) with per-element overrides."""
        for r, role in enumerate(document["roles"]):
            if role["code"] in self.refused_roles:
                continue
            found = requirements.get(role["code"], {})
            for unit in document["units"]:
                codes = [element["code"] for element in unit["elements"]]
                present = [code for code in codes if code in found]
                if not present:
                    continue
                if len(present) != len(codes):
                    missing = [code for code in codes if code not in found]
                    self.problem(
                        found[present[0]][2],
                        _(
                            "role %(role)s requires only some elements of unit %(unit)s (not %(missing)s); "
                            "a requirement covers every element of its unit"
                        )
                        % {"role": role["code"], "unit": unit["code"], "missing": ", ".join(missing)},
                    )
                    continue
                levels = [found[code][0] for code in codes]
                flags = [found[code][1] for code in codes]
                level = Counter(levels).most_common(1)[0][0]
                essential = Counter(flags).most_common(1)[0][0]
                entry: dict[str, Any] = {"unit": unit["code"], "level": level, "essential": essential}
                overrides: dict[str, dict[str, Any]] = {}
                for code in codes:
                    override = _clean(
                        {
                            "level": found[code][0] if found[code][0] != level else None,
                            "essential": found[code][1] if found[code][1] != essential else None,
                        }
                    )
                    if override:
                        overrides[code] = override
                if overrides:
                    entry["elements"] = overrides
                self.trace[("roles", r, "requirements", len(role["requirements"]))] = found[codes[0]][2]
                role["requirements"].append(entry)

    def alignment(self, association: dict[str, Any], here: Path) -> dict[str, Any] | None:
        kind = association["associationType"]
        if kind not in {"exactMatchOf", "isRelatedTo"}:
            return None
        destination = association["destinationNodeURI"]
        uri = str(destination["uri"])
        ext = _extension_of(association)
        title = str(destination.get("title") or "")
        if uri.startswith(ECF_URN) or (ext.get("target") == AlignmentTarget.ECF and ext.get("kind") == "alignment"):
            code = uri[len(ECF_URN) :] if uri.startswith(ECF_URN) else str(destination["identifier"])
            alignment: dict[str, Any] = {"target": AlignmentTarget.ECF.value, "code": code}
            level = ext.get("level")
            if level is not None:
                if not isinstance(level, int) or isinstance(level, bool) or not 1 <= level <= 5:
                    self.problem(
                        (*here, "extensions", EXTENSION, "level"), _("e-CF level must be an integer from 1 to 5")
                    )
                    return None
                alignment["level"] = level
            default_title = f"e-CF 4.0 {code}"
        else:
            esco = "http://" + uri[len("https://") :] if uri.startswith("https://data.europa.eu/esco/") else uri
            match = ESCO_URI_RE.match(esco)
            if not match:
                return None
            target = AlignmentTarget.ESCO_SKILL if match.group(1) == "skill" else AlignmentTarget.ESCO_OCCUPATION
            alignment = {"target": target.value, "uri": esco}
            default_title = esco
        if title and title not in {default_title, uri}:
            alignment["label"] = _fit(title, LABEL_MAX)
        relation = ext.get("relation")
        if kind == "exactMatchOf":
            relation = AlignmentRelation.EXACT
        elif relation not in AlignmentRelation.values:
            relation = AlignmentRelation.RELATED
        alignment["relation"] = str(relation)
        return alignment

    # keeping what the native model cannot hold

    def keep(self, document: dict[str, Any]) -> None:
        """Store, per object, how the file differs from what ``write`` makes of the document; the rest verbatim."""
        own_basis = _extension_of(self.document).get("idBasis") if self.own else None
        basis = own_basis if isinstance(own_basis, str) and own_basis else f"{document['slug']}/{document['version']}"
        when = str(self.document["lastChangeDateTime"])
        objects: dict[str, Any] = {}
        base_url = settings.SITE_URL

        def original(obj: dict[str, Any]) -> dict[str, Any]:
            return _rebase(copy.deepcopy(obj), base_url.rstrip("/") + API_PATH + "/") if self.own else obj

        def store(key: str, kept: dict[str, Any]) -> None:
            if not kept:
                return
            holder = self.holders.get(key)
            if holder is not None:
                holder.setdefault("extra", {})["case"] = kept
            else:
                objects[key] = kept

        def first_pass(key: str) -> bool:
            return key == "document" or key.split(":", 1)[0] in {"role", "unit", "element", "criterion", "ksa"}

        if not self.own:
            document.setdefault("extra", {})["case"] = {"lastChangeDateTime": when, "objects": objects}
        else:
            document.setdefault("extra", {})["case"] = {"objects": objects}
        for wanted in (True, False):
            writer = _Writer(document, base_url=base_url, id_basis=basis, when=when)
            built = writer.build()
            for key, generated in writer.final.items():
                if first_pass(key) != wanted or generated is None:
                    continue
                if key in self.mapped:
                    store(key, _diff(original(self.mapped[key][1]), generated))
                else:
                    store(key, {"_skip": True})
            if not wanted:
                store("package", _diff(_top(original(self.pkg), SECTIONS), _top(built, SECTIONS)))
                definitions = self.pkg.get("CFDefinitions")
                if isinstance(definitions, dict):
                    store(
                        "definitions",
                        _diff(
                            _top(original(definitions), DEFINITIONS),
                            _top(built.get("CFDefinitions") or {}, DEFINITIONS),
                        ),
                    )
        mapped_paths = {path for path, _obj in self.mapped.values()}
        unmapped: dict[str, Any] = {}
        items = [
            obj for index, obj in enumerate(self.pkg.get("CFItems") or []) if ("CFItems", index) not in mapped_paths
        ]
        associations = [
            obj for index, obj in enumerate(self.associations) if ("CFAssociations", index) not in mapped_paths
        ]
        rubrics = [
            obj for index, obj in enumerate(self.pkg.get("CFRubrics") or []) if ("CFRubrics", index) not in mapped_paths
        ]
        definitions_kept = {
            name: kept
            for name in DEFINITIONS
            if (
                kept := [
                    obj
                    for index, obj in enumerate((self.pkg.get("CFDefinitions") or {}).get(name) or [])
                    if ("CFDefinitions", name, index) not in mapped_paths
                ]
            )
        }
        for name, values in (("CFItems", items), ("CFAssociations", associations), ("CFRubrics", rubrics)):
            if values:
                unmapped[name] = copy.deepcopy(values)
        if definitions_kept:
            unmapped["CFDefinitions"] = copy.deepcopy(definitions_kept)
        case = document["extra"]["case"]
        if unmapped:
            case["unmapped"] = unmapped
        if not objects:
            case.pop("objects")
        if not case:
            document["extra"].pop("case")
        if not document["extra"]:
            document.pop("extra")


def _top(obj: dict[str, Any], sections: Iterable[str]) -> dict[str, Any]:
    return {key: value for key, value in obj.items() if key not in sections}


def _rebase(value: Any, base: str) -> Any:
    """Our own URIs written by another server, moved onto this one's address (they are derived, not data)."""
    if isinstance(value, dict):
        return {
            key: (_OUR_URI.sub(base, item, count=1) if key == "uri" and isinstance(item, str) else _rebase(item, base))
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [_rebase(item, base) for item in value]
    return value


def _walk(nodes: list[_Node]) -> Iterable[_Node]:
    for n in nodes:
        yield n
        yield from _walk(n.children)


def _schema_messages(error: ValidationError) -> list[tuple[Path, str]]:
    path: Path = tuple(error.absolute_path)
    keyword, instance = str(error.validator), error.instance
    value: Any = error.validator_value
    if keyword == "required":
        return [
            ((*path, name), _("is missing")) for name in value if isinstance(instance, dict) and name not in instance
        ]
    if keyword == "anyOf" and path and path[-1] == "associationType":
        return [
            (
                path,
                _("unknown association type %(found)r; CASE 1.1 has %(types)s, or an extension named 'ext:…'")
                % {
                    "found": instance,
                    "types": ", ".join(case_schema()["$defs"]["AssociationType"]["anyOf"][0]["enum"]),
                },
            )
        ]
    if keyword == "anyOf" and path and path[-1] == "targetType":
        return [(path, _("must be 'CASE' or an extension named 'ext:…', not %(found)r") % {"found": instance})]
    if keyword == "pattern" and "[0-9A-Fa-f]{8}" in str(value):
        return [(path, _("%(found)r is not a UUID such as 4a1c2e2b-3f6d-4e8a-9b0c-1d2e3f405162") % {"found": instance})]
    if keyword == "format":
        examples = {"date-time": "2025-03-13T09:30:00Z", "date": "2025-03-13", "uri": "https://example.org/x"}
        return [
            (
                path,
                _("%(found)r is not a %(format)s such as %(example)s")
                % {"found": instance, "format": value, "example": examples.get(value, "")},
            )
        ]
    if keyword == "type":
        names = {
            "string": _("a text"),
            "integer": _("a whole number"),
            "number": _("a number"),
            "object": _("a JSON object"),
            "array": _("a list"),
            "boolean": _("true or false"),
        }
        found = (
            _("a JSON object")
            if isinstance(instance, dict)
            else _("a list")
            if isinstance(instance, list)
            else repr(instance)
        )
        return [(path, _("must be %(type)s, not %(found)s") % {"type": names.get(value, value), "found": found})]
    if keyword == "enum":
        return [
            (
                path,
                _("%(found)r is not allowed; use one of %(values)s")
                % {"found": instance, "values": ", ".join(map(str, value))},
            )
        ]
    return [(path, error.message)]


def _read(data: bytes, *, source: str) -> _Reader:
    text = decode_text(data, source=source)
    package_data = _json_tree(text, source)
    reader = _Reader(package_data, source=source, lines=lambda: _json_lines(text))
    reader.result = reader.read()
    return reader


def read(data: bytes, *, source: str) -> dict[str, Any]:
    """The native document of a CASE 1.1 (or 1.0) CFPackage file; :class:`DocumentErrors` for a bad file."""
    result: dict[str, Any] = _read(data, source=source).result
    return result


def relocate(data: bytes, *, source: str, problems: list[Problem]) -> list[Problem]:
    """Problems found by the import in the document read from ``data``, placed on the lines of the CASE file."""
    reader = _read(data, source=source)
    document = reader.result
    result: list[tuple[int, int, Problem]] = []
    for index, problem in enumerate(problems):
        rest = problem.where[len(source) + 1 :] if problem.where.startswith(f"{source}:") else ""
        if not rest.strip(" .:"):
            result.append((0, index, problem))
            continue
        native = document_path(rest, document)
        case_path: Path = ("CFDocument",)
        for end in range(len(native), -1, -1):
            if native[:end] in reader.trace:
                case_path = reader.trace[native[:end]]
                break
        line = reader.line(case_path)
        where = place(source, line, f"{path_text(reader.prefix + case_path)} ({path_text(native)})")
        result.append((line or 0, index, Problem(where, problem.message)))
    return [problem for _line, _index, problem in sorted(result, key=lambda item: (item[0], item[1]))]


def import_notes(document: dict[str, Any]) -> list[str]:
    """What an import of a foreign package should tell its user: generic items, placeholders, data kept aside."""
    notes: list[str] = []
    case = (document.get("extra") or {}).get("case") or {}
    objects = case.get("objects") or {}
    labels = {
        "unit": pgettext("framework", "a unit"),
        "element": pgettext("framework", "an element"),
        "criterion": _("a performance criterion"),
    }

    def visit(kind: str, holder: dict[str, Any]) -> None:
        kept = _kept(holder)
        code = holder["code"]
        if kept.get("_skip"):
            notes.append(
                _("%(kind)s %(code)s was added because the file has no item at this level; it is not exported")
                % {"kind": labels[kind], "code": code}
            )
            return
        original = kept.get("CFItemType", _MISSING)
        if original is _MISSING and "CFItemType" in (kept.get("_omit") or []):
            original = None
        if original is not _MISSING:
            notes.append(
                _("item %(id)s (type %(type)s) was imported as %(kind)s %(code)s; its type is kept for export")
                % {
                    "id": kept.get("identifier", code),
                    "type": repr(original) if original else _("none"),
                    "kind": labels[kind],
                    "code": code,
                }
            )
        placement = objects.get(f"child:{kind}:{code}") or {}
        if kind == "criterion" and "destinationNodeURI" in placement:
            notes.append(
                _(
                    "item %(id)s sits deeper than three levels (under %(parent)s); "
                    "it is kept as performance criterion %(code)s"
                )
                % {
                    "id": kept.get("identifier", code),
                    "parent": placement["destinationNodeURI"].get("identifier"),
                    "code": code,
                }
            )

    for unit in document.get("units") or []:
        visit("unit", unit)
        for element in unit.get("elements") or []:
            visit("element", element)
            for criterion in element.get("criteria") or []:
                visit("criterion", criterion)
    scale_case = _kept(document.get("scale") or {})
    if scale_case.get("_skip"):
        notes.append(
            _("the file has no Skills4Cities proficiency scale; a one-level scale was made up (it is not exported)")
        )
    unmapped = case.get("unmapped") or {}
    counts = {
        "items": len(unmapped.get("CFItems") or []),
        "associations": len(unmapped.get("CFAssociations") or []),
        "rubrics": len(unmapped.get("CFRubrics") or []),
        "definitions": sum(len(values) for values in (unmapped.get("CFDefinitions") or {}).values()),
    }
    if any(counts.values()):
        notes.append(
            _(
                "kept as they are and exported again: %(items)d items outside the tree, %(associations)d associations, "
                "%(rubrics)d rubrics, %(definitions)d definitions"
            )
            % counts
        )
    return notes


__all__ = [
    "ADOPTION_STATUS",
    "EXTENSION",
    "ITEM_TYPES",
    "NAMESPACE",
    "case_schema",
    "document_object",
    "export_problems",
    "import_notes",
    "package",
    "read",
    "relocate",
    "standalone",
    "standalone_document",
    "type_identifier",
    "write",
]
