from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest

from skills4cities.exams import adaptive
from skills4cities.exams import item_analysis as ia

Row = tuple[str, str, float, tuple[str, ...]]


def _responses(rows: Sequence[Row]) -> list[ia.Response]:
    return [ia.Response(attempt, item, score, chosen) for attempt, item, score, chosen in rows]


def test_facility_counts_partial_credit_and_discrimination_uses_the_other_items() -> None:
    rows: list[Row] = []
    for n in range(40):
        strong = n < 20
        rows.append((f"p{n}", "good", 1.0 if strong else 0.0, ("a",) if strong else ("b",)))
        rows.append((f"p{n}", "other", 1.0 if strong else 0.0, ()))
        rows.append((f"p{n}", "partial", 0.5, ()))
    stats = ia.classical_statistics(_responses(rows), {"good": ["b", "c"]})
    assert stats["good"].responses == 40
    assert stats["good"].facility == pytest.approx(0.5)
    assert stats["partial"].facility == pytest.approx(0.5)
    assert stats["good"].discrimination == pytest.approx(1.0)
    assert stats["good"].distractor_use == {"b": 0.5, "c": 0.0, "a": 0.5}
    assert stats["good"].flags == [ia.UNUSED_DISTRACTOR]
    assert ia.WEAK_DISCRIMINATION in stats["partial"].flags  # constant score: nothing to correlate


def test_an_item_strong_examinees_fail_is_flagged_as_a_possible_wrong_key() -> None:
    rows: list[Row] = []
    for n in range(40):
        strong = n % 2 == 0
        rows += [(f"p{n}", name, 1.0 if strong else 0.0, ()) for name in ("x", "y", "z")]
        rows.append((f"p{n}", "wrong-key", 0.0 if strong else 1.0, ()))
    stats = ia.classical_statistics(_responses(rows))
    assert stats["wrong-key"].flags == [ia.NEGATIVE_DISCRIMINATION]
    assert stats["x"].flags == []


def test_no_flags_below_the_minimum_number_of_responses() -> None:
    rows: list[Row] = [(f"p{n}", "hard", 0.0, ()) for n in range(ia.MIN_RESPONSES_FOR_FLAGS - 1)]
    assert ia.classical_statistics(_responses(rows))["hard"].flags == []
    rows.append(("last", "hard", 0.0, ()))
    assert ia.TOO_HARD in ia.classical_statistics(_responses(rows))["hard"].flags


def test_calibration_recovers_the_difficulties_of_simulated_items() -> None:
    rng = np.random.default_rng(3)
    a, b = rng.uniform(0.8, 2.0, 30), rng.normal(0, 1, 30)
    bank = adaptive.bank_matrix([(x, y, 0.0) for x, y in zip(a, b, strict=True)])
    rows: list[Row] = []
    for person in range(800):
        theta, items = rng.normal(), rng.choice(30, 10, replace=False)
        for index, p in zip(items, adaptive.probability(theta, bank[items]), strict=True):
            rows.append((str(person), f"i{index}", float(rng.random() < p), ()))
    calibrated = {c.item: c for c in ia.calibrate_2pl(_responses(rows))}
    assert set(calibrated) == {f"i{i}" for i in range(30)}
    estimated = [calibrated[f"i{i}"].difficulty for i in range(30)]
    assert np.corrcoef(estimated, b)[0, 1] > 0.95


def test_calibration_needs_enough_responses() -> None:
    rows: list[Row] = [(str(p), f"i{i}", float((p + i) % 2), ()) for p in range(50) for i in range(6)]
    assert ia.calibrate_2pl(_responses(rows)) == []
