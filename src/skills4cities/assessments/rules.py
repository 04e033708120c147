"""The rule that derives a learner's *current level* per element from the separate evidence streams.

Self-ratings, test results, assessor decisions and recognised prior learning are separate records
(DESIGN.md, "Keep the evidence streams apart"). Nothing overwrites anything: every request for a
current level applies this rule to what the streams hold at that moment (docs/adr/0009).

The rule has three tiers, applied per element:

1. **decisive** kinds (default: an assessor decision, then recognised prior learning): the latest
   evidence of the first such kind that has any decides the level, whatever the other streams say;
2. otherwise the **fallback** kinds (default: the self-rating of the latest submitted self-assessment)
   give a level — the latest evidence of the first fallback kind that has any;
3. **floor** kinds (default: a passed test) raise that level to at least the highest level shown:
   a passed test at level 3 makes the current level at least 3, even when the self-rating says 2.

An element without evidence has no current level (``None``; a gap counts it as 0).

Other apps implement :class:`EvidenceStream` (``kind`` and ``evidence()``) for their own records; the
rule is configured by ``settings.CURRENT_LEVEL_RULE`` (a mapping with the keys ``decisive``,
``floor`` and ``fallback``, each a list of :class:`~skills4cities.assessments.enums.EvidenceKind`
values).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from skills4cities.assessments.enums import EvidenceKind


@dataclass(frozen=True)
class Evidence:
    """One piece of evidence: the level a stream shows for an element (by code), and when."""

    element_code: str
    level: int
    at: datetime


class EvidenceStream(Protocol):
    """What an evidence stream offers the rule: its kind and its evidence (any order)."""

    @property
    def kind(self) -> str: ...

    def evidence(self) -> Iterable[Evidence]: ...


@dataclass(frozen=True)
class StaticStream:
    """A stream from a list of evidence (for the self-rating stream, and for tests)."""

    kind: str
    items: tuple[Evidence, ...]

    def evidence(self) -> Iterable[Evidence]:
        return self.items


@dataclass(frozen=True)
class CurrentLevelRule:
    decisive: tuple[str, ...] = (EvidenceKind.ASSESSOR_DECISION.value, EvidenceKind.PRIOR_LEARNING.value)
    floor: tuple[str, ...] = (EvidenceKind.TEST_RESULT.value,)
    fallback: tuple[str, ...] = (EvidenceKind.SELF_RATING.value,)

    @classmethod
    def from_setting(cls, value: Mapping[str, Sequence[str]] | None) -> CurrentLevelRule:
        if not value:
            return cls()
        known = set(EvidenceKind.values)
        tiers = {name: tuple(value.get(name, getattr(cls(), name))) for name in ("decisive", "floor", "fallback")}
        unknown = sorted({kind for kinds in tiers.values() for kind in kinds} - known)
        if unknown:
            raise ValueError(f"CURRENT_LEVEL_RULE names unknown evidence kinds: {', '.join(unknown)}")
        return cls(**tiers)


@dataclass(frozen=True)
class CurrentLevel:
    level: int
    source: str  # the EvidenceKind value that set the level


def configured_rule() -> CurrentLevelRule:
    return CurrentLevelRule.from_setting(getattr(settings, "CURRENT_LEVEL_RULE", None))


def _latest(items: list[Evidence]) -> Evidence:
    return max(items, key=lambda item: item.at)


def current_levels(streams: Sequence[EvidenceStream], rule: CurrentLevelRule | None = None) -> dict[str, CurrentLevel]:
    """The current level per element code, by ``rule`` (default: ``settings.CURRENT_LEVEL_RULE``)."""
    rule = rule or configured_rule()
    by_kind: dict[str, dict[str, list[Evidence]]] = {}
    for stream in streams:
        for item in stream.evidence():
            by_kind.setdefault(stream.kind, {}).setdefault(item.element_code, []).append(item)
    codes = {code for per_code in by_kind.values() for code in per_code}
    result: dict[str, CurrentLevel] = {}
    for code in sorted(codes):
        decided = next((kind for kind in rule.decisive if by_kind.get(kind, {}).get(code)), None)
        if decided is not None:
            result[code] = CurrentLevel(_latest(by_kind[decided][code]).level, decided)
            continue
        found: CurrentLevel | None = None
        fallback = next((kind for kind in rule.fallback if by_kind.get(kind, {}).get(code)), None)
        if fallback is not None:
            found = CurrentLevel(_latest(by_kind[fallback][code]).level, fallback)
        for kind in rule.floor:
            items = by_kind.get(kind, {}).get(code)
            if items:
                best = max(item.level for item in items)
                if found is None or best > found.level:
                    found = CurrentLevel(best, kind)
        if found is not None:
            result[code] = found
    return result


# The names of the evidence kinds as they read inside a sentence (lower case in English, but not in every
# language: German capitalises nouns, so the labels are not lower-cased by code).
IN_SENTENCE = {
    EvidenceKind.ASSESSOR_DECISION: pgettext_lazy("evidence in a sentence", "assessor decision"),
    EvidenceKind.PRIOR_LEARNING: pgettext_lazy("evidence in a sentence", "recognised prior learning"),
    EvidenceKind.TEST_RESULT: pgettext_lazy("evidence in a sentence", "passed test"),
    EvidenceKind.SELF_RATING: pgettext_lazy("evidence in a sentence", "self-rating"),
}


def _names(kinds: Sequence[str]) -> str:
    return _(", then ").join(str(IN_SENTENCE[EvidenceKind(kind)]) for kind in kinds)


def describe_rule(rule: CurrentLevelRule | None = None) -> list[str]:
    """The rule in plain words, one sentence per tier (shown on the results page)."""
    rule = rule or configured_rule()
    sentences = []
    if rule.decisive:
        sentences.append(
            _("Decisive evidence (%(kinds)s): when an element has any, the latest sets your current level.")
            % {"kinds": _names(rule.decisive)}
        )
    if rule.fallback:
        sentences.append(
            _("Otherwise the latest %(kinds)s gives your current level.") % {"kinds": _names(rule.fallback)}
        )
    if rule.floor:
        sentences.append(
            _("Minimum-setting evidence (%(kinds)s) raises it to at least the level shown there.")
            % {"kinds": _names(rule.floor)}
        )
    sentences.append(
        _(
            "An element without evidence counts as level 0; "
            "the gap is the target level minus the current level, never below 0."
        )
    )
    sentences.append(_("The evidence itself is never changed: each kind is kept as its own record."))
    return sentences
