"""Load ESCO concepts: upsert by concept URI, idempotent, obsolete instead of delete."""

from __future__ import annotations

import gzip
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction

from skills4cities.esco.enums import ConceptStatus
from skills4cities.esco.models import EscoOccupation, EscoRelease, EscoSkill, EscoSkillGroup

BUNDLE_PATH = Path(__file__).resolve().parent / "data" / "esco-bundle.json.gz"
_BATCH = 2000


@dataclass(frozen=True)
class ConceptRow:
    uri: str
    preferred_label: str
    alt_labels: str
    description: str
    extra: dict[str, str]


@dataclass
class UpsertResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    obsoleted: int = 0


def _upsert(model: Any, rows: Iterable[ConceptRow], *, release: str, full: bool) -> tuple[UpsertResult, dict[str, int]]:
    """Insert new concepts, update changed ones, mark missing ones obsolete (when ``full``)."""
    result = UpsertResult()
    extra_fields = [f for f in ("code", "skill_type", "reuse_level", "isco_code") if hasattr(model, f)]
    fields = ["preferred_label", "alt_labels", "description", "status", "release", *extra_fields]
    existing = {obj.uri: obj for obj in model.objects.only("id", "uri", *fields)}
    to_create, to_update, seen = [], [], set()
    for row in rows:
        seen.add(row.uri)
        values = {
            "preferred_label": row.preferred_label[:400],
            "alt_labels": row.alt_labels,
            "description": row.description,
            "status": ConceptStatus.RELEASED,
            "release": release,
            **{key: value for key, value in row.extra.items() if key in extra_fields},
        }
        obj = existing.get(row.uri)
        if obj is None:
            to_create.append(model(uri=row.uri, **values))
            continue
        changed = [name for name, value in values.items() if name != "release" and getattr(obj, name) != value]
        if changed:
            for name, value in values.items():
                setattr(obj, name, value)
            to_update.append(obj)
        else:
            result.unchanged += 1
    model.objects.bulk_create(to_create, batch_size=_BATCH)
    model.objects.bulk_update(to_update, fields, batch_size=_BATCH)
    result.created, result.updated = len(to_create), len(to_update)
    if full:
        missing = [uri for uri, obj in existing.items() if uri not in seen and obj.status != ConceptStatus.OBSOLETE]
        for start in range(0, len(missing), _BATCH):
            model.objects.filter(uri__in=missing[start : start + _BATCH]).update(status=ConceptStatus.OBSOLETE)
        result.obsoleted = len(missing)
    ids = dict(model.objects.values_list("uri", "id"))
    return result, ids


def _set_skill_groups(skill_ids: dict[str, int], group_ids: dict[str, int], links: dict[str, list[str]]) -> None:
    through = EscoSkill.groups.through
    wanted = {
        (skill_ids[skill], group_ids[group])
        for skill, groups in links.items()
        for group in groups
        if skill in skill_ids and group in group_ids
    }
    current = set(through.objects.values_list("escoskill_id", "escoskillgroup_id"))
    stale = current - wanted
    if stale:
        stale_skills = {skill for skill, _group in stale}
        through.objects.filter(escoskill_id__in=stale_skills).delete()
        current = {pair for pair in current if pair[0] not in stale_skills}
    through.objects.bulk_create(
        [through(escoskill_id=s, escoskillgroup_id=g) for s, g in sorted(wanted - current)], batch_size=_BATCH
    )


def bundle_checksum(path: Path = BUNDLE_PATH) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@transaction.atomic
def esco_load_bundle(*, path: Path = BUNDLE_PATH, force: bool = False) -> EscoRelease | None:
    """Load the ESCO bundle shipped in the package. Returns None when this bundle is already loaded."""
    checksum = bundle_checksum(path)
    if not force and EscoRelease.objects.filter(checksum=checksum).exists():
        return None
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        bundle = json.load(handle)
    release = str(bundle["release"])
    _res, group_ids = _upsert(
        EscoSkillGroup,
        (ConceptRow(g["uri"], g["label"], "", g["description"], {"code": g["code"]}) for g in bundle["groups"]),
        release=release,
        full=True,
    )
    skills, skill_ids = _upsert(
        EscoSkill,
        (ConceptRow(s["uri"], s["label"], "\n".join(s["alt"]), s["description"], {}) for s in bundle["skills"]),
        release=release,
        full=True,
    )
    _set_skill_groups(skill_ids, group_ids, {s["uri"]: s["groups"] for s in bundle["skills"]})
    occupations, _ids = _upsert(
        EscoOccupation,
        (
            ConceptRow(o["uri"], o["label"], "\n".join(o["alt"]), o["description"], {"isco_code": o["isco"]})
            for o in bundle["occupations"]
        ),
        release=release,
        full=True,
    )
    return EscoRelease.objects.create(
        version=release,
        source=f"bundle:{path.name}",
        checksum=checksum,
        skills=skills.created + skills.updated + skills.unchanged,
        occupations=occupations.created + occupations.updated + occupations.unchanged,
        obsoleted=skills.obsoleted + occupations.obsoleted,
    )
