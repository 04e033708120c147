"""Load ESCO concepts: upsert by concept URI, idempotent, obsolete instead of delete.

Two sources: the bundle shipped in the package (``esco_load_bundle``, used by ``load_reference``) and
a folder in the layout of the official ESCO CSV download (``esco_import_download``, the
``import_esco`` command). Both run in one transaction, write in batches and mark concepts that a
full load no longer contains as obsolete; alignments made against them keep resolving.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from skills4cities.core.audit import audit
from skills4cities.esco.enums import ConceptStatus, SkillRelation
from skills4cities.esco.models import (
    EscoCollection,
    EscoIscoGroup,
    EscoOccupation,
    EscoOccupationSkill,
    EscoRelease,
    EscoSkill,
    EscoSkillGroup,
)
from skills4cities.esco.official_csv import CsvFile, EscoImportError, FileProblem, Problems, split_labels

BUNDLE_PATH = Path(__file__).resolve().parent / "data" / "esco-bundle.json.gz"
DOWNLOAD_SOURCE = "download:"
_BATCH = 2000
_UPDATE_BATCH = 500  # bulk_update writes CASE expressions; smaller batches stay fast on SQLite and PostgreSQL

Progress = Callable[[str], None]


@dataclass
class UpsertResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    obsoleted: int = 0

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.obsoleted)

    def __str__(self) -> str:
        return (
            f"{self.total:,} concepts: {self.created:,} new, {self.updated:,} changed, "
            f"{self.unchanged:,} unchanged, {self.obsoleted:,} marked obsolete"
        )


@dataclass
class LinkResult:
    added: int = 0
    changed: int = 0
    removed: int = 0
    unchanged: int = 0

    @property
    def total(self) -> int:
        return self.added + self.changed + self.unchanged

    @property
    def is_changed(self) -> bool:
        return bool(self.added or self.changed or self.removed)

    def __str__(self) -> str:
        return (
            f"{self.total:,} links: {self.added:,} new, {self.changed:,} changed, "
            f"{self.removed:,} removed, {self.unchanged:,} unchanged"
        )


class _ConceptUpsert:
    """Insert new concepts, update changed ones (in batches, as rows arrive), then mark missing ones obsolete."""

    def __init__(self, model: Any, fields: tuple[str, ...], *, release: str, can_write: Callable[[], bool]) -> None:
        self.model = model
        self.fields = fields
        self.release = release
        self.can_write = can_write
        self.result = UpsertResult()
        self.now = timezone.now()
        self.seen: set[str] = set()
        self.existing: dict[str, tuple[int, tuple[Any, ...]]] = {
            uri: (pk, tuple(values))
            for uri, pk, *values in model.objects.values_list("uri", "pk", *fields, "status").iterator(chunk_size=5000)
        }
        self._create: list[Any] = []
        self._update: list[Any] = []

    def add(self, uri: str, values: dict[str, Any]) -> None:
        self.seen.add(uri)
        current = self.existing.get(uri)
        if current is None:
            self._create.append(self.model(uri=uri, status=ConceptStatus.RELEASED, release=self.release, **values))
            self.result.created += 1
            if len(self._create) >= _BATCH:
                self._flush()
        elif current[1] != (*(values[name] for name in self.fields), ConceptStatus.RELEASED):
            obj = self.model(pk=current[0], uri=uri, status=ConceptStatus.RELEASED, release=self.release, **values)
            obj.updated_at = self.now
            self._update.append(obj)
            self.result.updated += 1
            if len(self._update) >= _UPDATE_BATCH:
                self._flush()
        else:
            self.result.unchanged += 1

    def _flush(self) -> None:
        if self.can_write():
            self.model.objects.bulk_create(self._create, batch_size=_BATCH)
            fields = [*self.fields, "status", "release", "updated_at"]
            self.model.objects.bulk_update(self._update, fields, batch_size=_UPDATE_BATCH)
        self._create, self._update = [], []

    def finish(self, *, full: bool) -> UpsertResult:
        self._flush()
        if full:
            missing = [
                pk
                for uri, (pk, values) in self.existing.items()
                if uri not in self.seen and values[-1] != ConceptStatus.OBSOLETE
            ]
            if self.can_write():
                for start in range(0, len(missing), _UPDATE_BATCH):
                    self.model.objects.filter(pk__in=missing[start : start + _UPDATE_BATCH]).update(
                        status=ConceptStatus.OBSOLETE, updated_at=self.now
                    )
            self.result.obsoleted = len(missing)
        return self.result


def _insert_rows(model: Any, fields: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
    """Multi-row INSERTs for link tables: 100k+ rows without building a model instance for each.

    Plain ``INSERT … VALUES (…), (…)`` with as many rows per statement as the database takes parameters
    (999 on SQLite, up to 1,000 rows elsewhere): the same SQL on SQLite and PostgreSQL.
    """
    if not rows:
        return
    quote = connection.ops.quote_name
    columns = ", ".join(quote(model._meta.get_field(name).column) for name in fields)
    row_sql = "(" + ", ".join(["%s"] * len(fields)) + ")"
    per_statement = min(1000, (connection.features.max_query_params or 65535) // len(fields))
    table = quote(model._meta.db_table)
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per_statement):
            chunk = rows[start : start + per_statement]
            values = ", ".join([row_sql] * len(chunk))
            sql = f"INSERT INTO {table} ({columns}) VALUES {values}"  # noqa: S608 - names from model meta, values as parameters
            cursor.execute(sql, [value for row in chunk for value in row])


def _sync_pairs(
    through: Any, left: str, right: str, wanted: set[tuple[int, int]], *, where: dict[str, Any] | None = None
) -> LinkResult:
    """Make the rows of an M2M table (optionally only those matching ``where``) exactly ``wanted``."""
    rows = through.objects.filter(**(where or {})).values_list("pk", left, right)
    current = {(a, b): pk for pk, a, b in rows.iterator(chunk_size=10000)}
    stale = [pk for pair, pk in current.items() if pair not in wanted]
    for start in range(0, len(stale), _UPDATE_BATCH):
        through.objects.filter(pk__in=stale[start : start + _UPDATE_BATCH]).delete()
    missing = sorted(wanted - current.keys())
    _insert_rows(through, (left.removesuffix("_id"), right.removesuffix("_id")), missing)
    return LinkResult(added=len(missing), removed=len(stale), unchanged=len(wanted) - len(missing))


# --------------------------------------------------------------------------------------------------
# The shipped bundle


def bundle_checksum(path: Path = BUNDLE_PATH) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _set_skill_groups(skill_ids: dict[str, int], group_ids: dict[str, int], links: dict[str, list[str]]) -> None:
    wanted = {
        (skill_ids[skill], group_ids[group])
        for skill, groups in links.items()
        for group in groups
        if skill in skill_ids and group in group_ids
    }
    _sync_pairs(EscoSkill.groups.through, "escoskill_id", "escoskillgroup_id", wanted)


@transaction.atomic
def esco_load_bundle(*, path: Path = BUNDLE_PATH, force: bool = False) -> EscoRelease | None:
    """Load the ESCO bundle shipped in the package. Returns None when there is nothing to do.

    Nothing to do: this bundle is already loaded, or an official ESCO download was imported (the
    bundle never overwrites newer official data; ``force`` does).
    """
    checksum = bundle_checksum(path)
    if not force and EscoRelease.objects.filter(checksum=checksum).exists():
        return None
    if not force and EscoRelease.objects.filter(source__startswith=DOWNLOAD_SOURCE).exists():
        return None
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        bundle = json.load(handle)
    release = str(bundle["release"])

    def load(model: Any, fields: tuple[str, ...], rows: Iterable[tuple[str, dict[str, Any]]]) -> UpsertResult:
        upsert = _ConceptUpsert(model, fields, release=release, can_write=lambda: True)
        for uri, values in rows:
            upsert.add(uri, values)
        return upsert.finish(full=True)

    group_fields = ("preferred_label", "alt_labels", "description", "code")
    load(
        EscoSkillGroup,
        group_fields,
        ((g["uri"], {"preferred_label": g["label"][:400], "alt_labels": "", "description": g["description"],
                     "code": g["code"]}) for g in bundle["groups"]),
    )  # fmt: skip
    skills = load(
        EscoSkill,
        ("preferred_label", "alt_labels", "description"),
        ((s["uri"], {"preferred_label": s["label"][:400], "alt_labels": "\n".join(s["alt"]),
                     "description": s["description"]}) for s in bundle["skills"]),
    )  # fmt: skip
    _set_skill_groups(
        dict(EscoSkill.objects.values_list("uri", "id")),
        dict(EscoSkillGroup.objects.values_list("uri", "id")),
        {s["uri"]: s["groups"] for s in bundle["skills"]},
    )
    occupations = load(
        EscoOccupation,
        ("preferred_label", "alt_labels", "description", "isco_code"),
        ((o["uri"], {"preferred_label": o["label"][:400], "alt_labels": "\n".join(o["alt"]),
                     "description": o["description"], "isco_code": o["isco"]}) for o in bundle["occupations"]),
    )  # fmt: skip
    return EscoRelease.objects.create(
        version=release,
        source=f"bundle:{path.name}",
        checksum=checksum,
        skills=skills.total,
        occupations=occupations.total,
        obsoleted=skills.obsoleted + occupations.obsoleted,
    )


# --------------------------------------------------------------------------------------------------
# The official ESCO CSV download

SKILLS_FILE = "skills_en.csv"
OCCUPATIONS_FILE = "occupations_en.csv"
RELATIONS_FILE = "occupationSkillRelations_en.csv"
GROUPS_FILE = "skillGroups_en.csv"
BROADER_FILE = "broaderRelationsSkillPillar_en.csv"
ISCO_FILE = "ISCOGroups_en.csv"
REQUIRED_FILES = (SKILLS_FILE, OCCUPATIONS_FILE, RELATIONS_FILE, GROUPS_FILE, BROADER_FILE)
COLLECTION_FILE = re.compile(r"(?P<name>[A-Za-z]+?)(?:Skills)?Collection_en\.csv")

_KEY = r"[A-Za-z0-9][A-Za-z0-9._-]*"
SKILL_URI = re.compile(rf"http://data\.europa\.eu/esco/skill/{_KEY}")
OCCUPATION_URI = re.compile(rf"http://data\.europa\.eu/esco/occupation/{_KEY}")
GROUP_URI = re.compile(rf"http://data\.europa\.eu/esco/(?:skill|isced-f)/{_KEY}")
ISCO_URI = re.compile(r"http://data\.europa\.eu/esco/isco/C\d{1,4}")
ESCO_URI = re.compile(rf"http://data\.europa\.eu/esco/[a-z-]+/{_KEY}")
ISCO_CODE = re.compile(r"\d{1,4}")
VERSION_IN_NAME = re.compile(r"(?<![A-Za-z0-9])v(\d+(?:\.\d+){1,2})(?![0-9])")
SKILL_TYPE = "KnowledgeSkillCompetence"
GROUP_TYPE = "SkillGroup"

_LABEL_FIELDS = {"alt_labels", "hidden_labels"}
_COMMON_COLUMNS = {
    "preferred_label": "preferredLabel",
    "alt_labels": "altLabels",
    "hidden_labels": "hiddenLabels",
    "description": "description",
    "definition": "definition",
    "scope_note": "scopeNote",
    "modified": "modifiedDate",
}


@dataclass(frozen=True)
class _ConceptFile:
    """How one concept file maps onto a model: its columns, the concept type it must hold, its URI form."""

    name: str
    model: Any
    concept_type: str
    uri: re.Pattern[str]
    kind: str
    required: tuple[str, ...]
    columns: dict[str, str]


_FILES = {
    GROUPS_FILE: _ConceptFile(
        GROUPS_FILE, EscoSkillGroup, GROUP_TYPE, GROUP_URI, "skill group",
        ("conceptType", "conceptUri", "preferredLabel"),
        {**_COMMON_COLUMNS, "code": "code"},
    ),
    SKILLS_FILE: _ConceptFile(
        SKILLS_FILE, EscoSkill, SKILL_TYPE, SKILL_URI, "skill",
        ("conceptType", "conceptUri", "skillType", "reuseLevel", "preferredLabel", "altLabels", "description"),
        {**_COMMON_COLUMNS, "skill_type": "skillType", "reuse_level": "reuseLevel"},
    ),
    OCCUPATIONS_FILE: _ConceptFile(
        OCCUPATIONS_FILE, EscoOccupation, "Occupation", OCCUPATION_URI, "occupation",
        ("conceptType", "conceptUri", "iscoGroup", "preferredLabel", "altLabels", "description"),
        {**_COMMON_COLUMNS, "isco_code": "iscoGroup", "code": "code"},
    ),
    ISCO_FILE: _ConceptFile(
        ISCO_FILE, EscoIscoGroup, "ISCOGroup", ISCO_URI, "ISCO group",
        ("conceptType", "conceptUri", "code", "preferredLabel"),
        {key: column for key, column in _COMMON_COLUMNS.items() if key != "definition"} | {"code": "code"},
    ),
}  # fmt: skip


@dataclass
class DownloadImport:
    """What ``esco_import_download`` did."""

    version: str
    folder: str
    checksum: str
    concepts: dict[str, UpsertResult] = field(default_factory=dict)
    links: dict[str, LinkResult] = field(default_factory=dict)
    release: EscoRelease | None = None

    @property
    def changed(self) -> bool:
        return any(r.changed for r in self.concepts.values()) or any(r.is_changed for r in self.links.values())

    def summary(self) -> dict[str, Any]:
        return {
            "concepts": {name: asdict(result) for name, result in self.concepts.items()},
            "links": {name: asdict(result) for name, result in self.links.items()},
        }


def detect_version(folder: Path) -> str | None:
    """The ESCO version named by the download's folder ("ESCO dataset - v1.2.0 - classification - en - csv")."""
    for name in (folder.name, folder.parent.name):
        match = VERSION_IN_NAME.search(name)
        if match:
            return match.group(1)
    return None


def _checksum(folder: Path, names: Iterable[str]) -> str:
    digest = hashlib.sha256()
    for name in sorted(names):
        with (folder / name).open("rb") as handle:
            digest.update(name.encode() + b"\0" + hashlib.file_digest(handle, "sha256").digest())
    return digest.hexdigest()


class _DownloadImporter:
    def __init__(self, folder: Path, *, version: str, progress: Progress) -> None:
        self.folder = folder
        self.version = version
        self.progress = progress
        self.problems = Problems()

    def open(self, name: str, required: tuple[str, ...]) -> CsvFile:
        return CsvFile(self.folder / name, required=required, problems=self.problems)

    def can_write(self) -> bool:
        return not self.problems.items

    def problem(self, csv_file: CsvFile, line: int, column: str, message: str) -> None:
        self.problems.add(csv_file.problem(message, line=line, column=column))

    # concepts ---------------------------------------------------------------------------------

    def concepts(self, spec: _ConceptFile) -> UpsertResult:
        csv_file = self.open(spec.name, spec.required)
        fields = tuple(spec.columns)
        upsert = _ConceptUpsert(spec.model, fields, release=self.version, can_write=self.can_write)
        limits = {name: spec.model._meta.get_field(name).max_length for name in fields}
        first_line: dict[str, int] = {}
        records = csv_file.records()
        uri_at, type_at = csv_file.at("conceptUri"), csv_file.at("conceptType")
        indexes = {name: csv_file.column(column) for name, column in spec.columns.items()}
        for line, row in records:
            uri = row[uri_at].strip()
            if not spec.uri.fullmatch(uri):
                self.problem(csv_file, line, "conceptUri", f"not an ESCO {spec.kind} URI: {uri!r}")
                continue
            if uri in first_line:
                self.problem(csv_file, line, "conceptUri", f"duplicate concept URI (first on line {first_line[uri]})")
                continue
            first_line[uri] = line
            concept_type = row[type_at].strip()
            if concept_type != spec.concept_type:
                self.problem(csv_file, line, "conceptType", f"expected {spec.concept_type!r}, found {concept_type!r}")
                continue
            values = {
                name: ("\n".join(split_labels(row[at])) if name in _LABEL_FIELDS else row[at].strip())
                if at is not None
                else ""
                for name, at in indexes.items()
            }
            if self._valid(csv_file, spec, line, uri, values, limits):
                upsert.add(uri, values)
        result = upsert.finish(full=True)
        self.problems.raise_if_any()
        self.progress(f"{spec.name}: {result}")
        return result

    def _valid(
        self,
        csv_file: CsvFile,
        spec: _ConceptFile,
        line: int,
        uri: str,
        values: dict[str, Any],
        limits: dict[str, int | None],
    ) -> bool:
        if not values["preferred_label"]:
            self.problem(csv_file, line, "preferredLabel", "the preferred label is empty")
            return False
        if spec.model is EscoSkillGroup and not values["code"]:
            tail = uri.rsplit("/", 1)[-1]
            values["code"] = "" if "-" in tail else tail
        if "isco_code" in values and values["isco_code"] and not ISCO_CODE.fullmatch(values["isco_code"]):
            self.problem(csv_file, line, "iscoGroup", f"not an ISCO-08 code: {values['isco_code']!r}")
            return False
        if spec.model is EscoIscoGroup and not ISCO_CODE.fullmatch(values["code"]):
            self.problem(csv_file, line, "code", f"not an ISCO-08 code: {values['code']!r}")
            return False
        for name, limit in limits.items():
            if limit is not None and len(values[name]) > limit:
                column = spec.columns[name]
                self.problem(csv_file, line, column, f"longer than {limit} characters ({len(values[name])})")
                return False
        return True

    # relations --------------------------------------------------------------------------------

    def occupation_skills(self, occupations: dict[str, int], skills: dict[str, int]) -> LinkResult:
        csv_file = self.open(RELATIONS_FILE, ("occupationUri", "relationType", "skillUri"))
        records = csv_file.records()
        occ_at, rel_at, skill_at = (csv_file.at(c) for c in ("occupationUri", "relationType", "skillUri"))
        wanted: dict[tuple[int, int], str] = {}
        first_line: dict[tuple[int, int], int] = {}
        relations = {choice.value for choice in SkillRelation}
        for line, row in records:
            occupation = self._known(csv_file, line, "occupationUri", row[occ_at], occupations, OCCUPATIONS_FILE)
            skill = self._known(csv_file, line, "skillUri", row[skill_at], skills, SKILLS_FILE)
            relation = row[rel_at].strip()
            if relation not in relations:
                self.problem(csv_file, line, "relationType", f"must be 'essential' or 'optional', found {relation!r}")
                continue
            if occupation is None or skill is None:
                continue
            key = (occupation, skill)
            if key in first_line:
                self.problem(csv_file, line, "skillUri", f"duplicate relation (first on line {first_line[key]})")
                continue
            first_line[key] = line
            wanted[key] = relation
        self.problems.raise_if_any()
        result = LinkResult()
        current = {
            (occupation, skill): (pk, relation)
            for pk, occupation, skill, relation in EscoOccupationSkill.objects.values_list(
                "pk", "occupation_id", "skill_id", "relation"
            ).iterator(chunk_size=10000)
        }
        stale = [pk for key, (pk, _relation) in current.items() if key not in wanted]
        for start in range(0, len(stale), _UPDATE_BATCH):
            EscoOccupationSkill.objects.filter(pk__in=stale[start : start + _UPDATE_BATCH]).delete()
        changed: dict[str, list[int]] = {}
        new = []
        for key, relation in wanted.items():
            existing = current.get(key)
            if existing is None:
                new.append((key[0], key[1], relation))
            elif existing[1] != relation:
                changed.setdefault(relation, []).append(existing[0])
            else:
                result.unchanged += 1
        for relation, pks in changed.items():
            for start in range(0, len(pks), _UPDATE_BATCH):
                EscoOccupationSkill.objects.filter(pk__in=pks[start : start + _UPDATE_BATCH]).update(relation=relation)
        _insert_rows(EscoOccupationSkill, ("occupation", "skill", "relation"), new)
        result.added, result.changed, result.removed = len(new), sum(map(len, changed.values())), len(stale)
        self.progress(f"{RELATIONS_FILE}: {result}")
        return result

    def _known(
        self, csv_file: CsvFile, line: int, column: str, cell: str, ids: dict[str, int], source: str
    ) -> int | None:
        uri = cell.strip()
        found = ids.get(uri)
        if found is None:
            if ESCO_URI.fullmatch(uri):
                self.problem(csv_file, line, column, f"unknown concept {uri}: it is not in {source}")
            else:
                self.problem(csv_file, line, column, f"not an ESCO URI: {uri!r}")
        return found

    def broader(self, skills: dict[str, int], groups: dict[str, int]) -> dict[str, LinkResult]:
        csv_file = self.open(BROADER_FILE, ("conceptType", "conceptUri", "broaderType", "broaderUri"))
        records = csv_file.records()
        at = {name: csv_file.at(name) for name in ("conceptType", "conceptUri", "broaderType", "broaderUri")}
        kinds = {SKILL_TYPE: skills, GROUP_TYPE: groups}
        wanted: dict[str, set[tuple[int, int]]] = {"skill-group": set(), "skill-skill": set(), "group-group": set()}
        edges: dict[str, list[tuple[str, int]]] = {}
        first_line: dict[tuple[str, str], int] = {}
        for line, row in records:
            ends = []
            for role in ("concept", "broader"):
                uri = row[at[f"{role}Uri"]].strip()
                kind = SKILL_TYPE if uri in skills else GROUP_TYPE if uri in groups else None
                if kind is None:
                    if ESCO_URI.fullmatch(uri):
                        message = f"unknown concept {uri}: it is not in {SKILLS_FILE} or {GROUPS_FILE}"
                    else:
                        message = f"not an ESCO URI: {uri!r}"
                    self.problem(csv_file, line, f"{role}Uri", message)
                    break
                declared = row[at[f"{role}Type"]].strip()
                if declared != kind:
                    self.problem(csv_file, line, f"{role}Type", f"{uri} is a {kind}, not {declared!r}")
                    break
                ends.append((uri, kind))
            if len(ends) != 2:
                continue
            (child, child_kind), (parent, parent_kind) = ends
            if child == parent:
                self.problem(csv_file, line, "broaderUri", "a concept cannot be broader than itself")
                continue
            if child_kind == GROUP_TYPE and parent_kind == SKILL_TYPE:
                self.problem(csv_file, line, "broaderUri", "a skill group cannot have a skill as its broader concept")
                continue
            if (child, parent) in first_line:
                message = f"duplicate broader relation (first on line {first_line[child, parent]})"
                self.problem(csv_file, line, "broaderUri", message)
                continue
            first_line[child, parent] = line
            edges.setdefault(child, []).append((parent, line))
            pair = (kinds[child_kind][child], kinds[parent_kind][parent])
            key = {(SKILL_TYPE, GROUP_TYPE): "skill-group", (SKILL_TYPE, SKILL_TYPE): "skill-skill"}.get(
                (child_kind, parent_kind), "group-group"
            )
            wanted[key].add(pair)
        self.problems.raise_if_any()
        self._check_cycles(csv_file, edges)
        results = {
            "skill-group": _sync_pairs(
                EscoSkill.groups.through, "escoskill_id", "escoskillgroup_id", wanted["skill-group"]
            ),
            "skill-skill": _sync_pairs(
                EscoSkill.broader.through, "from_escoskill_id", "to_escoskill_id", wanted["skill-skill"]
            ),
            "group-group": _sync_pairs(
                EscoSkillGroup.broader.through, "from_escoskillgroup_id", "to_escoskillgroup_id", wanted["group-group"]
            ),
        }
        total = LinkResult(*(sum(getattr(r, name) for r in results.values()) for name in asdict(LinkResult())))
        self.progress(f"{BROADER_FILE}: {total}")
        return results

    def _check_cycles(self, csv_file: CsvFile, edges: dict[str, list[tuple[str, int]]]) -> None:
        """Broader relations must form a hierarchy: report the relation that closes a cycle."""
        state: dict[str, int] = {}  # 1 = on the current path, 2 = done
        for root in edges:
            if state.get(root):
                continue
            path: list[str] = [root]
            stack: list[Iterator[tuple[str, int]]] = [iter(edges.get(root, ()))]
            state[root] = 1
            while stack:
                step = next(stack[-1], None)
                if step is None:
                    state[path.pop()] = 2
                    stack.pop()
                    continue
                parent, line = step
                if state.get(parent) == 1:
                    loop = [*path[path.index(parent) :], parent]
                    message = "the broader relations form a cycle: " + " → ".join(loop)
                    raise EscoImportError([csv_file.problem(message, line=line, column="broaderUri")])
                if not state.get(parent):
                    state[parent] = 1
                    path.append(parent)
                    stack.append(iter(edges.get(parent, ())))

    def collections(self, skills: dict[str, int], occupations: dict[str, int]) -> dict[str, LinkResult]:
        results = {}
        for path in sorted(self.folder.iterdir()):
            match = COLLECTION_FILE.fullmatch(path.name)
            if not match:
                continue
            csv_file = self.open(path.name, ("conceptUri",))
            records = csv_file.records()
            at = csv_file.at("conceptUri")
            skill_ids, occupation_ids = set(), set()
            for line, row in records:
                uri = row[at].strip()
                if uri in skills:
                    skill_ids.add(skills[uri])
                elif uri in occupations:
                    occupation_ids.add(occupations[uri])
                elif ESCO_URI.fullmatch(uri):
                    message = f"unknown concept {uri}: it is not in {SKILLS_FILE} or {OCCUPATIONS_FILE}"
                    self.problem(csv_file, line, "conceptUri", message)
                else:
                    self.problem(csv_file, line, "conceptUri", f"not an ESCO URI: {uri!r}")
            self.problems.raise_if_any()
            slug = match.group("name").lower()
            collection = EscoCollection.objects.filter(slug=slug).first()
            if collection is None:
                collection = EscoCollection.objects.create(slug=slug, source=path.name)
            pk = collection.pk
            skill_result = _sync_pairs(
                EscoSkill.collections.through,
                "escoskill_id",
                "escocollection_id",
                {(skill, pk) for skill in skill_ids},
                where={"escocollection_id": pk},
            )
            occupation_result = _sync_pairs(
                EscoOccupation.collections.through,
                "escooccupation_id",
                "escocollection_id",
                {(occupation, pk) for occupation in occupation_ids},
                where={"escocollection_id": pk},
            )
            result = LinkResult(
                added=skill_result.added + occupation_result.added,
                removed=skill_result.removed + occupation_result.removed,
                unchanged=skill_result.unchanged + occupation_result.unchanged,
            )
            self.progress(f"{path.name}: {result}")
            results[slug] = result
        return results


def _released_ids(model: Any) -> dict[str, int]:
    return dict(model.objects.filter(status=ConceptStatus.RELEASED).values_list("uri", "pk"))


@transaction.atomic
def esco_import_download(
    *, folder: Path, version: str | None = None, actor: Any = None, progress: Progress | None = None
) -> DownloadImport:
    """Import a folder in the official ESCO CSV download layout, in one transaction.

    Concepts are upserted by URI; concepts missing from the files are marked obsolete, never deleted;
    relations (occupation → skill, broader, collections) are made equal to the files'. Running it again
    on the same files changes nothing and records no new release. Raises ``EscoImportError`` naming
    file, line and column of every problem found; then nothing is written.
    """
    say = progress or (lambda message: None)
    folder = Path(folder)
    if not folder.is_dir():
        raise EscoImportError([FileProblem(str(folder), "not a folder")])
    missing = [name for name in REQUIRED_FILES if not (folder / name).is_file()]
    if missing:
        raise EscoImportError([FileProblem(name, f"the file is missing from {folder}") for name in missing])
    version = (version or "").strip() or detect_version(folder)
    if not version:
        raise EscoImportError(
            [FileProblem(folder.name, "the ESCO version is not in the folder's name; give it with --version")]
        )
    optional = [p.name for p in folder.iterdir() if p.name == ISCO_FILE or COLLECTION_FILE.fullmatch(p.name)]
    names = [*REQUIRED_FILES, *optional]
    result = DownloadImport(version=version, folder=str(folder), checksum=_checksum(folder, names))
    say(f"Importing ESCO {version} from {folder}")
    importer = _DownloadImporter(folder, version=version, progress=say)
    result.concepts["groups"] = importer.concepts(_FILES[GROUPS_FILE])
    result.concepts["skills"] = importer.concepts(_FILES[SKILLS_FILE])
    result.concepts["occupations"] = importer.concepts(_FILES[OCCUPATIONS_FILE])
    if (folder / ISCO_FILE).is_file():
        result.concepts["isco_groups"] = importer.concepts(_FILES[ISCO_FILE])
    skills, occupations = _released_ids(EscoSkill), _released_ids(EscoOccupation)
    result.links.update(importer.broader(skills, _released_ids(EscoSkillGroup)))
    result.links["occupation-skill"] = importer.occupation_skills(occupations, skills)
    result.links.update(
        {f"collection:{slug}": links for slug, links in importer.collections(skills, occupations).items()}
    )
    latest = EscoRelease.objects.order_by("-created_at", "-id").first()
    same_release = latest is not None and (latest.version, latest.checksum) == (version, result.checksum)
    if not result.changed and same_release:
        say(f"ESCO {version} is already imported: nothing changed.")
        return result
    result.release = EscoRelease.objects.create(
        version=version,
        source=f"{DOWNLOAD_SOURCE}{folder.name}"[:300],
        checksum=result.checksum,
        skills=result.concepts["skills"].total,
        occupations=result.concepts["occupations"].total,
        obsoleted=sum(r.obsoleted for r in result.concepts.values()),
        summary=result.summary(),
    )
    audit(actor=actor, action="esco.import", obj=result.release, data={"version": version})
    say(f"ESCO {version} imported." if result.changed else f"ESCO {version} recorded: no concept or link changed.")
    return result


__all__ = [
    "DownloadImport",
    "EscoImportError",
    "LinkResult",
    "UpsertResult",
    "detect_version",
    "esco_import_download",
    "esco_load_bundle",
]
