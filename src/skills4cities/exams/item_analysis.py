"""Item analysis: classical statistics per item and IRT calibration with girth (docs/adr/0015).

Pure functions over plain records, so the trainers' page, the ``analyse_items`` command and the tests
share them. Inputs are the answers of submitted attempts: one :class:`Response` per item shown.

Classical statistics (per item): the number of responses, the **facility** (mean score, partial credit
included), the **discrimination** as the corrected point-biserial correlation between the item's score
and the examinee's score on the *other* items of the same attempt, and the **distractor use** (share of
respondents who chose each option). Items are flagged for review when, with at least
``MIN_RESPONSES_FOR_FLAGS`` responses, they are too hard or too easy, discriminate weakly or negatively
(a negative value usually means a wrong key), or have an option nobody chooses.

IRT calibration fits the 2PL model by marginal maximum likelihood (``girth.twopl_mml``), with items
not shown to an examinee marked missing; an answer counts as correct when it earned full credit.
girth's 3PL estimator fails on the numpy/scipy versions we run, so the guessing parameter keeps its
prior (1 / options). Only items with at least ``MIN_RESPONSES_FOR_CALIBRATION`` responses are
calibrated; the others keep their expert parameters.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

MIN_RESPONSES_FOR_FLAGS = 30
MIN_RESPONSES_FOR_CALIBRATION = 150
MIN_ITEMS_PER_EXAMINEE = 5

FACILITY_LOW = 0.20
FACILITY_HIGH = 0.95
DISCRIMINATION_LOW = 0.15
DISTRACTOR_LOW = 0.05


@dataclass(frozen=True)
class Response:
    """One item as answered in one attempt: the score earned (0–1) and the options chosen."""

    attempt: str
    item: str
    score: float
    chosen: tuple[str, ...] = ()


@dataclass
class ItemStatistics:
    item: str
    responses: int
    facility: float
    discrimination: float | None
    distractor_use: dict[str, float] = field(default_factory=dict)
    flags: list[str] = field(default_factory=list)


# Flag codes; the pages translate them.
TOO_HARD = "too_hard"
TOO_EASY = "too_easy"
WEAK_DISCRIMINATION = "weak_discrimination"
NEGATIVE_DISCRIMINATION = "negative_discrimination"
UNUSED_DISTRACTOR = "unused_distractor"


def _correlation(x: Sequence[float], y: Sequence[float]) -> float | None:
    xs, ys = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    if len(xs) < 3 or xs.std() == 0 or ys.std() == 0:
        return None
    return float(np.corrcoef(xs, ys)[0, 1])


def classical_statistics(
    responses: Iterable[Response], distractors: dict[str, Sequence[str]] | None = None
) -> dict[str, ItemStatistics]:
    """Statistics per item. ``distractors`` maps an item to its wrong options' keys (to find unused ones)."""
    by_attempt: dict[str, list[Response]] = defaultdict(list)
    for response in responses:
        by_attempt[response.attempt].append(response)
    scores: dict[str, list[float]] = defaultdict(list)
    rests: dict[str, list[float]] = defaultdict(list)
    chosen: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for answers in by_attempt.values():
        total = sum(answer.score for answer in answers)
        for answer in answers:
            scores[answer.item].append(answer.score)
            others = len(answers) - 1
            rests[answer.item].append((total - answer.score) / others if others else 0.0)
            for option in answer.chosen:
                chosen[answer.item][option] += 1
    result: dict[str, ItemStatistics] = {}
    for item, values in scores.items():
        count = len(values)
        facility = float(np.mean(values))
        discrimination = _correlation(values, rests[item])
        wrong = list((distractors or {}).get(item, ()))
        use = {option: chosen[item].get(option, 0) / count for option in wrong}
        use.update({option: n / count for option, n in chosen[item].items() if option not in use})
        stats = ItemStatistics(item, count, facility, discrimination, use)
        if count >= MIN_RESPONSES_FOR_FLAGS:
            if facility < FACILITY_LOW:
                stats.flags.append(TOO_HARD)
            if facility > FACILITY_HIGH:
                stats.flags.append(TOO_EASY)
            if discrimination is not None and discrimination < 0:
                stats.flags.append(NEGATIVE_DISCRIMINATION)
            elif discrimination is None or discrimination < DISCRIMINATION_LOW:
                stats.flags.append(WEAK_DISCRIMINATION)
            if any(use.get(option, 0.0) < DISTRACTOR_LOW for option in wrong):
                stats.flags.append(UNUSED_DISTRACTOR)
        result[item] = stats
    return result


@dataclass(frozen=True)
class Calibration:
    item: str
    discrimination: float
    difficulty: float
    responses: int


def calibrate_2pl(responses: Iterable[Response]) -> list[Calibration]:
    """2PL parameters for the items with enough responses (girth, marginal maximum likelihood)."""
    import girth  # imported here: only calibration needs it, and it is slow to import

    answers = list(responses)
    counts: dict[str, int] = defaultdict(int)
    for answer in answers:
        counts[answer.item] += 1
    items = sorted(item for item, n in counts.items() if n >= MIN_RESPONSES_FOR_CALIBRATION)
    if len(items) < 2:
        return []
    per_attempt: dict[str, list[Response]] = defaultdict(list)
    for answer in answers:
        if counts[answer.item] >= MIN_RESPONSES_FOR_CALIBRATION:
            per_attempt[answer.attempt].append(answer)
    attempts = sorted(key for key, given in per_attempt.items() if len(given) >= MIN_ITEMS_PER_EXAMINEE)
    if len(attempts) < MIN_RESPONSES_FOR_CALIBRATION:
        return []
    row = {item: index for index, item in enumerate(items)}
    column = {attempt: index for index, attempt in enumerate(attempts)}
    data = np.full((len(items), len(attempts)), girth.INVALID_RESPONSE, dtype=int)
    for attempt in attempts:
        for answer in per_attempt[attempt]:
            data[row[answer.item], column[attempt]] = 1 if answer.score >= 1.0 else 0
    fitted = girth.twopl_mml(data)
    return [
        Calibration(
            item,
            float(fitted["Discrimination"][index]),
            float(fitted["Difficulty"][index]),
            counts[item],
        )
        for item, index in row.items()
    ]
