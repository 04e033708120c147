from __future__ import annotations

from collections.abc import Iterable

from skills4cities.esco.models import EscoOccupation, EscoSkill


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
