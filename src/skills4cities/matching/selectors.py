"""Reads for the matcher: candidate texts from ESCO and from a framework version (every language)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import Http404

from skills4cities.esco import selectors as esco_selectors
from skills4cities.frameworks import selectors as framework_selectors
from skills4cities.matching.engine import Candidate
from skills4cities.matching.engine.sources import SkillRecord, skill_candidates
from skills4cities.matching.models import CorpusJob, IndexBuild

REFERENCE_FRAMEWORK = "skills4cities"


def esco_release_key() -> tuple[Any, ...] | None:
    release = esco_selectors.latest_release()
    return None if release is None else (release.pk, release.checksum, release.created_at)


def esco_candidates(*, descriptions: bool = True, max_alternatives: int | None = None) -> list[Candidate]:
    records = [
        SkillRecord(uri=uri, label=label, alternatives=tuple(alternatives), description=description)
        for uri, label, alternatives, description in esco_selectors.released_skill_texts()
    ]
    return skill_candidates(records, descriptions=descriptions, max_alternatives=max_alternatives)


def reference_framework() -> Any:
    slug = getattr(settings, "MATCHING_FRAMEWORK", REFERENCE_FRAMEWORK)
    return framework_selectors.framework_to_export(slug)


def framework_key(framework: Any) -> tuple[Any, ...]:
    return (framework.pk, framework.version, framework.source_hash, framework.updated_at)


def _translations(obj: Any, field: str) -> list[str]:
    values = [getattr(obj, f"{field}_{code}", "") or "" for code in settings.LANGUAGE_CODES]
    return list(dict.fromkeys(value for value in values if value.strip()))


def framework_candidates(framework: Any) -> list[Candidate]:
    """One candidate per element (``uri`` = the element code): title, K/S/A statements and criteria, every language.

    The English title is the label; titles in other languages are alternative labels; statements and
    criteria (every language) are descriptions.
    """
    elements = framework.elements.select_related("unit").prefetch_related("statements", "criteria")
    candidates = []
    for element in elements.order_by("unit__position", "position", "code"):
        titles = _translations(element, "title")
        label = element.title_en or element.title or (titles[0] if titles else element.code)
        descriptions: list[str] = []
        for statement in element.statements.all():
            descriptions += _translations(statement, "text")
        for criterion in element.criteria.all():
            descriptions += _translations(criterion, "text")
        descriptions += _translations(element, "description")
        candidates.append(
            Candidate.build(
                uri=element.code,
                label=label,
                alternatives=[*titles, label],
                descriptions=descriptions,
            )
        )
    return candidates


def element_of(framework: Any, code: str) -> Any:
    return framework.elements.filter(code=code).select_related("unit").first()


def comparable_roles() -> Any:
    framework = reference_framework()
    if framework is None:
        return framework_selectors.Role.objects.none()
    return framework_selectors.roles_of(framework).order_by("position", "code")


def corpus_jobs_of(user: Any, *, limit: int = 20) -> list[CorpusJob]:
    return list(CorpusJob.objects.filter(owner=user).defer("documents", "result").order_by("-created_at")[:limit])


def corpus_job_for_user(user: Any, public_id: Any) -> CorpusJob:
    """The user's own corpus job; 404 for anyone else's."""
    job = CorpusJob.objects.filter(owner=user, public_id=public_id).defer("documents").first()
    if job is None:
        raise Http404
    return job


def latest_index_build(key: str) -> IndexBuild | None:
    """The newest build of the index ``key`` (queued, running or finished)."""
    return IndexBuild.objects.filter(key=key).order_by("-created_at", "-id").first()
