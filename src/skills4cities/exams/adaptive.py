"""Computerised adaptive testing on the item bank, with catsim (docs/adr/0015).

Pure functions over numpy arrays, so the exam pages, the API and ``bench/cat_simulation.py`` run the
very same procedure:

* the bank is a matrix of 3PL parameters ``[a, b, c, 1]`` per item (a 2PL item has ``c = 0``);
* the next item is the most informative one at the current ability estimate, chosen at random among
  the ``exposure_bin`` most informative ones (catsim's randomesque selector, Kingsbury & Zara 1989),
  so the same first items are not shown to everybody;
* the ability is estimated by expected a posteriori (EAP) with a standard normal prior on a grid,
  which stays finite after all-correct or all-wrong answers (maximum likelihood does not);
* the test stops when the standard error falls below ``se_threshold``, or — for a pass/fail decision —
  when the confidence interval lies entirely on one side of the cut score, or at ``max_items``
  (never before ``min_items``);
* the cut score is the ability at which the expected share of correct answers over the exam's items
  equals the pass threshold (66 % by default), so an adaptive exam decides on the same standard as the
  fixed form; the ability is mapped to the proficiency scale by the items' level difficulties.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from catsim.item_bank import ItemBank
from catsim.selection import RandomesqueSelector
from scipy.optimize import brentq
from scipy.stats import norm

FloatArray = npt.NDArray[np.float64]

#: The ability grid of the EAP estimator.
GRID = np.linspace(-4.0, 4.0, 161)
_PRIOR = norm.pdf(GRID)

#: Item difficulty of each proficiency level's items (the loader's default ``b = level − 3``); an ability
#: is mapped to the highest level whose boundary (midway to the next level down) it reaches.
LEVEL_BOUNDARIES = (-1.5, -0.5, 0.5, 1.5)


@dataclass(frozen=True)
class AdaptiveSettings:
    se_threshold: float = 0.3
    min_items: int = 5
    max_items: int = 40
    exposure_bin: int = 10
    confidence: float = 0.95


@dataclass(frozen=True)
class Estimate:
    theta: float
    se: float


def bank_matrix(parameters: Sequence[tuple[float, float, float]]) -> FloatArray:
    """The 4-column matrix catsim expects from ``(a, b, c)`` triples."""
    rows = [(float(a), float(b), float(c), 1.0) for a, b, c in parameters]
    return np.asarray(rows, dtype=np.float64).reshape(-1, 4)


def probability(theta: float | FloatArray, bank: FloatArray) -> FloatArray:
    """P(correct) of every item of ``bank`` at ``theta`` (3PL); shape (len(theta), items) for an array."""
    thetas = np.atleast_1d(np.asarray(theta, dtype=np.float64))
    a, b, c = bank[:, 0], bank[:, 1], bank[:, 2]
    p = c + (1.0 - c) / (1.0 + np.exp(-a * (thetas[:, None] - b)))
    return p if np.ndim(theta) else p[0]


def estimate(bank: FloatArray, administered: Sequence[int], responses: Sequence[bool]) -> Estimate:
    """EAP ability estimate and its posterior standard deviation after the given answers."""
    if not administered:
        return Estimate(0.0, 1.0)
    p = probability(GRID, bank[list(administered)])
    answers = np.asarray(responses, dtype=bool)
    likelihood = np.prod(np.where(answers, p, 1.0 - p), axis=1)
    posterior = likelihood * _PRIOR
    posterior /= posterior.sum()
    theta = float(np.dot(GRID, posterior))
    se = float(np.sqrt(np.dot((GRID - theta) ** 2, posterior)))
    return Estimate(theta, se)


def next_item(
    bank: FloatArray, administered: Sequence[int], theta: float, *, settings: AdaptiveSettings, rng: np.random.Generator
) -> int | None:
    """The index of the next item (maximum information with randomesque exposure control), or None."""
    if len(administered) >= len(bank):
        return None
    selector = RandomesqueSelector(settings.exposure_bin)
    chosen = selector.select(
        item_bank=ItemBank(bank, validate=False), administered_items=list(administered), est_theta=theta, rng=rng
    )
    return None if chosen is None else int(chosen)


def should_stop(count: int, found: Estimate, *, settings: AdaptiveSettings, cut: float | None = None) -> bool:
    """Whether the test has measured enough: SE reached, the decision is clear at ``cut``, or the length is up."""
    if count >= settings.max_items:
        return True
    if count < settings.min_items:
        return False
    if found.se <= settings.se_threshold:
        return True
    if cut is None:
        return False
    margin = float(norm.ppf(0.5 + settings.confidence / 2)) * found.se
    return found.theta - margin > cut or found.theta + margin < cut


def cut_theta(bank: FloatArray, threshold: float) -> float:
    """The ability at which the expected share of correct answers over ``bank`` equals ``threshold``."""

    def gap(theta: float) -> float:
        return float(probability(theta, bank).mean()) - threshold

    low, high = -6.0, 6.0
    if gap(low) >= 0:
        return low
    if gap(high) <= 0:
        return high
    return float(brentq(gap, low, high))


def level_for_theta(theta: float) -> int:
    """The proficiency level (1–5) an ability estimate shows."""
    return 1 + sum(1 for boundary in LEVEL_BOUNDARIES if theta >= boundary)
