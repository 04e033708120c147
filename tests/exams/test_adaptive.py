from __future__ import annotations

import numpy as np
import pytest
from catsim.irt import inf

from skills4cities.exams import adaptive

BANK = adaptive.bank_matrix([(1.2, b, 0.2) for b in np.linspace(-2.5, 2.5, 41)])
SETTINGS = adaptive.AdaptiveSettings(se_threshold=0.3, min_items=5, max_items=20, exposure_bin=1)


def test_estimate_without_answers_is_the_prior() -> None:
    assert adaptive.estimate(BANK, [], []) == adaptive.Estimate(0.0, 1.0)


def test_estimate_stays_finite_after_all_correct_and_all_wrong() -> None:
    high = adaptive.estimate(BANK, [20, 25, 30], [True, True, True])
    low = adaptive.estimate(BANK, [20, 15, 10], [False, False, False])
    assert 0 < high.theta < 4
    assert -4 < low.theta < 0
    assert high.se < 1.0


def test_standard_error_falls_as_answers_accumulate() -> None:
    errors = [adaptive.estimate(BANK, list(range(18, 18 + n)), [n % 2 == 0 for n in range(n)]).se for n in (2, 6, 12)]
    assert errors[0] > errors[1] > errors[2]


def test_next_item_is_the_most_informative_and_never_repeats() -> None:
    rng = np.random.default_rng(1)
    first = adaptive.next_item(BANK, [], 0.0, settings=SETTINGS, rng=rng)
    assert first is not None
    information = [inf(0.0, a, b, c) for a, b, c, _d in BANK]
    assert first == int(np.argmax(information))  # exposure_bin=1: plain maximum information
    second = adaptive.next_item(BANK, [first], 0.0, settings=SETTINGS, rng=rng)
    assert second not in (first, None)
    assert adaptive.next_item(BANK, list(range(len(BANK))), 0.0, settings=SETTINGS, rng=rng) is None


@pytest.mark.parametrize(
    ("count", "theta", "se", "cut", "stops"),
    [
        (4, 3.0, 0.1, None, False),  # never before min_items
        (20, 0.0, 0.9, None, True),  # always at max_items
        (6, 0.0, 0.3, None, True),  # the SE threshold is inclusive
        (6, 0.0, 0.31, None, False),
        (6, 1.0, 0.4, 0.0, True),  # 95 % interval [0.22, 1.78] clears the cut
        (6, 0.5, 0.4, 0.0, False),  # interval [-0.28, 1.28] holds the cut
    ],
)
def test_stopping_rule(count: int, theta: float, se: float, cut: float | None, stops: bool) -> None:
    found = adaptive.Estimate(theta, se)
    assert adaptive.should_stop(count, found, settings=SETTINGS, cut=cut) is stops


def test_cut_score_gives_the_threshold_as_expected_score() -> None:
    cut = adaptive.cut_theta(BANK, 0.66)
    assert float(adaptive.probability(cut, BANK).mean()) == pytest.approx(0.66, abs=1e-6)


@pytest.mark.parametrize(
    ("theta", "level"), [(-3.0, 1), (-1.5, 2), (-0.51, 2), (-0.5, 3), (0.49, 3), (0.5, 4), (1.5, 5), (3.5, 5)]
)
def test_ability_maps_to_the_proficiency_scale(theta: float, level: int) -> None:
    assert adaptive.level_for_theta(theta) == level


def test_adaptive_test_recovers_a_high_ability_in_few_items() -> None:
    rng = np.random.default_rng(5)
    administered: list[int] = []
    responses: list[bool] = []
    found = adaptive.estimate(BANK, administered, responses)
    while not adaptive.should_stop(len(administered), found, settings=SETTINGS, cut=0.0):
        index = adaptive.next_item(BANK, administered, found.theta, settings=SETTINGS, rng=rng)
        assert index is not None
        administered.append(index)
        responses.append(bool(rng.random() < adaptive.probability(2.0, BANK[[index]])[0]))
        found = adaptive.estimate(BANK, administered, responses)
    assert len(administered) < SETTINGS.max_items
    assert found.theta > 0.0
