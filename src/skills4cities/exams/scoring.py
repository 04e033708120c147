"""Scoring as pure functions on exact fractions (ECQA rules; no floats, so 0.66 is 0.66).

Answers are option public ids (strings): one id for single choice and true/false, a list of ids for
multiple choice (the options selected) and ordering (every step, in the order given).

=============  ===============================================================================
single         1 when the selected option is the correct one, else 0
true_false     the same
multiple       (correct options selected) / (correct options), but **0 when any wrong option is selected**
ordering       1 only when the whole order is right, else 0
element        fraction = sum of item scores / number of items (an unanswered item scores 0)
pass           fraction ≥ threshold (exact comparison; 0.659 fails and 0.66 passes at 0.66)
=============  ===============================================================================
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

SINGLE, MULTIPLE, TRUE_FALSE, ORDERING = "single", "multiple", "true_false", "ordering"
ZERO, ONE = Fraction(0), Fraction(1)


class InvalidAnswer(ValueError):
    """The answer does not fit the item (wrong shape, unknown option, repeated option …)."""


@dataclass(frozen=True)
class ItemKey:
    """What scoring needs to know about an item: its type, its options in the right order and which are correct."""

    type: str
    options: tuple[str, ...]  # option ids by position (for ordering: the right order)
    correct: frozenset[str]


def normalise_answer(key: ItemKey, answer: Any) -> str | list[str]:
    """The answer in its stored form, or :class:`InvalidAnswer` saying what is wrong with it."""
    known = set(key.options)
    if key.type in (SINGLE, TRUE_FALSE):
        if isinstance(answer, list) and len(answer) == 1:
            answer = answer[0]
        if not isinstance(answer, str) or answer not in known:
            raise InvalidAnswer("Choose one of the item's options.")
        return answer
    if not isinstance(answer, list) or not all(isinstance(value, str) for value in answer):
        raise InvalidAnswer("Give a list of the item's option ids.")
    if len(set(answer)) != len(answer):
        raise InvalidAnswer("An option appears more than once.")
    if set(answer) - known:
        raise InvalidAnswer("The answer names an option that is not part of this item.")
    if key.type == MULTIPLE:
        if not answer:
            raise InvalidAnswer("Select at least one option.")
        return [option for option in key.options if option in set(answer)]  # stored in the item's order
    if key.type == ORDERING:
        if len(answer) != len(key.options):
            raise InvalidAnswer("Put every step in order.")
        return list(answer)
    raise InvalidAnswer(f"Unknown item type {key.type!r}.")


def score_item(key: ItemKey, answer: Any) -> Fraction:
    """The item's score in [0, 1]; ``None`` (no answer) scores 0. ``answer`` must be normalised."""
    if answer is None:
        return ZERO
    if key.type in (SINGLE, TRUE_FALSE):
        return ONE if answer in key.correct else ZERO
    if key.type == MULTIPLE:
        selected = set(answer)
        if selected - key.correct:
            return ZERO
        return Fraction(len(selected & key.correct), len(key.correct)) if key.correct else ZERO
    if key.type == ORDERING:
        return ONE if tuple(answer) == key.options else ZERO
    raise InvalidAnswer(f"Unknown item type {key.type!r}.")


def element_fraction(scores: Iterable[Fraction]) -> Fraction:
    """Sum of the item scores over the number of items (0 for no items)."""
    scores = list(scores)
    return sum(scores, ZERO) / len(scores) if scores else ZERO


def as_fraction(value: Decimal | Fraction | str | int) -> Fraction:
    return value if isinstance(value, Fraction) else Fraction(str(value))


def passed(fraction: Fraction, threshold: Decimal | Fraction | str) -> bool:
    """Exact comparison: ``fraction ≥ threshold``."""
    return fraction >= as_fraction(threshold)


def to_decimal(value: Fraction, places: int = 4) -> Decimal:
    """A fraction rounded half-up for storage and display (never used to decide a pass)."""
    quantum = Decimal(1).scaleb(-places)
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(quantum, rounding=ROUND_HALF_UP)


def percent(value: Decimal | Fraction) -> Decimal:
    """0.6667 → 66.7 (one decimal, for display)."""
    return to_decimal(as_fraction(value) * 100, 1)


def shuffled_order(options: Sequence[str], rng: Any, *, type: str) -> list[str]:
    """The order options are shown in: true/false as written, ordering never already in the right order."""
    order = list(options)
    if type == TRUE_FALSE or len(order) < 2:
        return order
    for _attempt in range(10):
        rng.shuffle(order)
        if type != ORDERING or order != list(options):
            break
    return order
