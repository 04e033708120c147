"""Candidate sets from files: a fixed label list enriched from ESCO records, ESCO records themselves."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from skills4cities.matching.engine.candidates import Candidate


@dataclass(frozen=True)
class SkillRecord:
    uri: str
    label: str
    alternatives: tuple[str, ...] = ()
    description: str = ""


def read_labels(path: Path | str) -> list[str]:
    """The labels of a file, one per line: blank lines dropped, repeats dropped, order kept."""
    text = Path(path).read_text(encoding="utf-8")
    return list(dict.fromkeys(" ".join(line.split()) for line in text.splitlines() if line.strip()))


def bundle_skills(path: Path | str) -> list[SkillRecord]:
    """The skills of a shipped ESCO bundle (``esco-bundle.json.gz``)."""
    with gzip.open(path, "rt", encoding="utf-8") as stream:
        data = json.load(stream)
    return [
        SkillRecord(
            uri=item["uri"],
            label=item["label"],
            alternatives=tuple(item.get("alt") or ()),
            description=item.get("description") or "",
        )
        for item in data.get("skills", [])
    ]


def read_priors(path: Path | str) -> dict[str, float]:
    """A JSON object label → prior (the benchmark's ``esco_priors.json``); keys compared without outer spaces."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return {" ".join(str(key).split()).casefold(): float(value) for key, value in data.items()}


def skill_candidates(
    records: Iterable[SkillRecord],
    *,
    descriptions: bool = True,
    max_alternatives: int | None = None,
    priors: Mapping[str, float] | None = None,
) -> list[Candidate]:
    return [
        Candidate.build(
            uri=record.uri,
            label=record.label,
            alternatives=record.alternatives,
            descriptions=[f"{record.label}: {record.description}"] if descriptions and record.description else [],
            prior=(priors or {}).get(record.label.casefold(), 0.0),
            max_alternatives=max_alternatives,
        )
        for record in records
    ]


def label_candidates(
    labels: Sequence[str],
    records: Iterable[SkillRecord] = (),
    *,
    descriptions: bool = True,
    max_alternatives: int | None = None,
    priors: Mapping[str, float] | None = None,
) -> list[Candidate]:
    """One candidate per label; a label that is some record's preferred label borrows its URI and variants.

    Labels are compared exactly, then without case. A label no record knows keeps only itself.
    """
    exact: dict[str, SkillRecord] = {}
    folded: dict[str, SkillRecord] = {}
    for record in records:
        exact.setdefault(record.label, record)
        folded.setdefault(record.label.casefold(), record)
    candidates = []
    for label in labels:
        known = exact.get(label) or folded.get(label.casefold())
        prior = (priors or {}).get(label.casefold(), 0.0)
        if known is None:
            candidates.append(Candidate.build(uri="", label=label, prior=prior))
            continue
        candidates.append(
            Candidate.build(
                uri=known.uri,
                label=label,
                alternatives=known.alternatives,
                descriptions=[f"{label}: {known.description}"] if descriptions and known.description else [],
                prior=prior,
                max_alternatives=max_alternatives,
            )
        )
    return candidates
