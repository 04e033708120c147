"""Reads of ESCO concepts: URI checks, search, and the data of the skill and occupation pages."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.db.models.functions import Length
from django.http import Http404

from skills4cities.esco.enums import ConceptStatus, SkillRelation
from skills4cities.esco.models import (
    EscoIscoGroup,
    EscoOccupation,
    EscoOccupationSkill,
    EscoRelease,
    EscoSkill,
    EscoSkillGroup,
)

SKILL_BASE = "http://data.europa.eu/esco/skill/"
OCCUPATION_BASE = "http://data.europa.eu/esco/occupation/"
SEARCH_LIMIT = 25
MAX_TERMS = 8


def existing_uris(uris: Iterable[str]) -> set[str]:
    """The subset of ``uris`` that name a known ESCO skill or occupation."""
    wanted = set(uris)
    found = set(EscoSkill.objects.filter(uri__in=wanted).values_list("uri", flat=True))
    found |= set(EscoOccupation.objects.filter(uri__in=wanted - found).values_list("uri", flat=True))
    return found


def labels_for_uris(uris: Iterable[str]) -> dict[str, str]:
    wanted = set(uris)
    labels = dict(EscoSkill.objects.filter(uri__in=wanted).values_list("uri", "preferred_label"))
    labels.update(EscoOccupation.objects.filter(uri__in=wanted).values_list("uri", "preferred_label"))
    return labels


def page_key(uri: str) -> tuple[str, str] | None:
    """``("skill", key)`` or ``("occupation", key)`` for an ESCO skill or occupation URI; None otherwise."""
    for kind, base in (("skill", SKILL_BASE), ("occupation", OCCUPATION_BASE)):
        if uri.startswith(base):
            key = uri[len(base) :]
            if key and "/" not in key and "?" not in key and "#" not in key:
                return kind, key
    return None


def latest_release() -> EscoRelease | None:
    return EscoRelease.objects.order_by("-created_at", "-id").first()


# --- search ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Hit:
    concept: Any
    rank: int
    matched_label: str | None  # the alternative label that matched, when the preferred label did not


def _terms(query: str) -> list[str]:
    return [term for term in query.split() if len(term) >= 2][:MAX_TERMS]


def _alt_exact(query: str) -> Q:
    return (
        Q(alt_labels__iexact=query)
        | Q(alt_labels__istartswith=f"{query}\n")
        | Q(alt_labels__iendswith=f"\n{query}")
        | Q(alt_labels__icontains=f"\n{query}\n")
    )


def _ranked(queryset: QuerySet[Any], query: str, terms: list[str], limit: int) -> list[Hit]:
    """Every term must occur in the preferred, an alternative or a hidden label; the best kind of match ranks first.

    0 preferred label equals the query · 1 an alternative label equals it · 2 preferred label starts with it ·
    3 an alternative label starts with it · 4 preferred label contains it · 5 an alternative label contains it ·
    6 the words occur apart, or in hidden labels (ESCO's search-only spellings).
    Ties: shorter preferred labels first, then alphabetical.
    """
    condition = Q(status=ConceptStatus.RELEASED)
    for term in terms:
        condition &= (
            Q(preferred_label__icontains=term) | Q(alt_labels__icontains=term) | Q(hidden_labels__icontains=term)
        )
    rank = Case(
        When(preferred_label__iexact=query, then=Value(0)),
        When(_alt_exact(query), then=Value(1)),
        When(preferred_label__istartswith=query, then=Value(2)),
        When(Q(alt_labels__istartswith=query) | Q(alt_labels__icontains=f"\n{query}"), then=Value(3)),
        When(preferred_label__icontains=query, then=Value(4)),
        When(alt_labels__icontains=query, then=Value(5)),
        default=Value(6),
        output_field=IntegerField(),
    )
    rows = (
        queryset.filter(condition)
        .annotate(rank=rank, label_length=Length("preferred_label"))
        .order_by("rank", "label_length", "preferred_label", "pk")[:limit]
    )
    hits = []
    lowered_query, lowered_terms = query.lower(), [term.lower() for term in terms]
    for concept in rows:
        matched = None
        if concept.rank in {1, 3, 5, 6}:
            labels = concept.alt_label_list
            matched = next((label for label in labels if lowered_query in label.lower()), None)
            if matched is None:
                matched = next((label for label in labels if all(t in label.lower() for t in lowered_terms)), None)
        hits.append(Hit(concept, concept.rank, matched))
    return hits


def search_concepts(query: str, *, limit: int = SEARCH_LIMIT) -> dict[str, list[Hit]]:
    """Skills and occupations whose labels contain every word of the query, best matches first (2 queries)."""
    query = " ".join(query.split())
    terms = _terms(query)
    if not terms:
        return {"skills": [], "occupations": []}
    fields = ("uri", "preferred_label", "alt_labels", "skill_type")
    return {
        "skills": _ranked(EscoSkill.objects.only(*fields), query, terms, limit),
        "occupations": _ranked(EscoOccupation.objects.only(*fields[:3], "isco_code"), query, terms, limit),
    }


# --- pages ----------------------------------------------------------------------------------------


def skill_by_key(key: str) -> EscoSkill:
    skill = (
        EscoSkill.objects.filter(uri=SKILL_BASE + key)
        .prefetch_related(
            Prefetch("groups", queryset=EscoSkillGroup.objects.prefetch_related("broader")),
            "broader",
            Prefetch("narrower", queryset=EscoSkill.objects.filter(status=ConceptStatus.RELEASED)),
            "collections",
        )
        .first()
    )
    if skill is None:
        raise Http404
    return skill


def occupations_of(skill: EscoSkill) -> dict[str, list[EscoOccupation]]:
    """The occupations for which the skill is essential and those for which it is optional."""
    result: dict[str, list[EscoOccupation]] = {SkillRelation.ESSENTIAL: [], SkillRelation.OPTIONAL: []}
    links = (
        EscoOccupationSkill.objects.filter(skill=skill)
        .select_related("occupation")
        .only("relation", "occupation__uri", "occupation__preferred_label", "occupation__status")
        .order_by("occupation__preferred_label")
    )
    for link in links:
        result.setdefault(link.relation, []).append(link.occupation)
    return result


def occupation_by_key(key: str) -> EscoOccupation:
    occupation = EscoOccupation.objects.filter(uri=OCCUPATION_BASE + key).prefetch_related("collections").first()
    if occupation is None:
        raise Http404
    return occupation


def skills_of(occupation: EscoOccupation) -> dict[str, list[EscoSkill]]:
    """The occupation's essential and optional skills, each list alphabetical."""
    result: dict[str, list[EscoSkill]] = {SkillRelation.ESSENTIAL: [], SkillRelation.OPTIONAL: []}
    links = (
        EscoOccupationSkill.objects.filter(occupation=occupation)
        .select_related("skill")
        .only("relation", "skill__uri", "skill__preferred_label", "skill__skill_type", "skill__status")
        .order_by("skill__preferred_label")
    )
    for link in links:
        result.setdefault(link.relation, []).append(link.skill)
    return result


def isco_group(code: str) -> EscoIscoGroup | None:
    if not code:
        return None
    return EscoIscoGroup.objects.filter(code=code).order_by("status").first()


# --- texts for the matcher ------------------------------------------------------------------------


def released_skill_texts() -> list[tuple[str, str, list[str], str]]:
    """``(uri, preferred label, alternative and hidden labels, description)`` of every released skill, by id."""
    rows = EscoSkill.objects.filter(status=ConceptStatus.RELEASED).order_by("pk")
    fields = ("uri", "preferred_label", "alt_labels", "hidden_labels", "description")
    return [
        (uri, preferred, [*alternatives.splitlines(), *hidden.splitlines()], description)
        for uri, preferred, alternatives, hidden, description in rows.values_list(*fields).iterator(2000)
    ]
