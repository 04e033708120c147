from __future__ import annotations

import random
from decimal import Decimal
from fractions import Fraction

import pytest

from skills4cities.exams import scoring
from skills4cities.exams.scoring import InvalidAnswer, ItemKey

SINGLE = ItemKey("single", ("a", "b", "c"), frozenset({"b"}))
TF = ItemKey("true_false", ("t", "f"), frozenset({"f"}))
MULTI = ItemKey("multiple", ("a", "b", "c", "d", "e"), frozenset({"a", "c", "e"}))
ORDER = ItemKey("ordering", ("s1", "s2", "s3", "s4"), frozenset())


@pytest.mark.parametrize(
    ("key", "answer", "score"),
    [
        (SINGLE, "b", Fraction(1)),
        (SINGLE, "a", Fraction(0)),
        (SINGLE, None, Fraction(0)),
        (TF, "f", Fraction(1)),
        (TF, "t", Fraction(0)),
        # multiple choice: the fraction of the correct options selected, 0 when any wrong one is selected
        (MULTI, ["a", "c", "e"], Fraction(1)),
        (MULTI, ["a", "c"], Fraction(2, 3)),
        (MULTI, ["e"], Fraction(1, 3)),
        (MULTI, ["a", "b"], Fraction(0)),
        (MULTI, ["a", "c", "e", "d"], Fraction(0)),
        (MULTI, ["b", "d"], Fraction(0)),
        (MULTI, None, Fraction(0)),
        # ordering: all or nothing
        (ORDER, ["s1", "s2", "s3", "s4"], Fraction(1)),
        (ORDER, ["s2", "s1", "s3", "s4"], Fraction(0)),
        (ORDER, ["s4", "s3", "s2", "s1"], Fraction(0)),
    ],
)
def test_the_partial_credit_table(key: ItemKey, answer: object, score: Fraction) -> None:
    assert scoring.score_item(key, answer) == score


@pytest.mark.parametrize(
    ("fraction", "threshold", "passed"),
    [
        (Fraction(659, 1000), Decimal("0.66"), False),  # 65.9 % fails
        (Fraction(66, 100), Decimal("0.66"), True),  # 66 % passes
        (Fraction(66, 100), Decimal("0.660"), True),
        (Fraction(6599, 10000), Decimal("0.66"), False),
        (Fraction(2, 3), Decimal("0.66"), True),  # 6.667 of 10
        (Fraction(13, 20), Decimal("0.66"), False),  # 65 %
        (Fraction(7, 10), Decimal("0.7"), True),  # configurable: 70 % at 0.7
        (Fraction(69, 100), Decimal("0.7"), False),
        (Fraction(1), Decimal("1"), True),
        (Fraction(0), Decimal("0.001"), False),
    ],
)
def test_an_element_passes_at_exactly_the_threshold(fraction: Fraction, threshold: Decimal, passed: bool) -> None:
    assert scoring.passed(fraction, threshold) is passed


def test_an_element_of_ten_items_at_six_point_six_points_passes_at_66_percent() -> None:
    scores = [Fraction(1)] * 6 + [Fraction(3, 5)] + [Fraction(0)] * 3  # 6.6 / 10
    fraction = scoring.element_fraction(scores)
    assert fraction == Fraction(66, 100)
    assert scoring.passed(fraction, Decimal("0.66")) is True
    assert scoring.passed(scoring.element_fraction([*scores[:-4], Fraction(59, 100), *scores[-3:]]), "0.66") is False


def test_element_fraction_is_the_mean_and_zero_without_items() -> None:
    assert scoring.element_fraction([Fraction(1), Fraction(1, 3), Fraction(0)]) == Fraction(4, 9)
    assert scoring.element_fraction([]) == Fraction(0)


def test_decimal_display_rounds_half_up_and_never_decides() -> None:
    assert scoring.to_decimal(Fraction(2, 3)) == Decimal("0.6667")
    assert scoring.to_decimal(Fraction(659, 1000)) == Decimal("0.6590")
    assert scoring.percent(Fraction(2, 3)) == Decimal("66.7")
    assert scoring.percent(Decimal("0.6600")) == Decimal("66.0")


@pytest.mark.parametrize(
    ("key", "answer", "normal"),
    [
        (SINGLE, "a", "a"),
        (SINGLE, ["a"], "a"),
        (MULTI, ["e", "a"], ["a", "e"]),  # stored in the item's order
        (ORDER, ["s2", "s1", "s3", "s4"], ["s2", "s1", "s3", "s4"]),
    ],
)
def test_answers_are_normalised(key: ItemKey, answer: object, normal: object) -> None:
    assert scoring.normalise_answer(key, answer) == normal


@pytest.mark.parametrize(
    ("key", "answer"),
    [
        (SINGLE, "x"),
        (SINGLE, ["a", "b"]),
        (SINGLE, 3),
        (SINGLE, None),
        (MULTI, []),
        (MULTI, ["a", "a"]),
        (MULTI, ["a", "zz"]),
        (MULTI, "a"),
        (ORDER, ["s1", "s2", "s3"]),
        (ORDER, ["s1", "s1", "s2", "s3"]),
        (ORDER, [1, 2, 3, 4]),
    ],
)
def test_bad_answers_are_refused(key: ItemKey, answer: object) -> None:
    with pytest.raises(InvalidAnswer):
        scoring.normalise_answer(key, answer)


def test_shuffled_order_keeps_true_false_and_never_shows_the_right_order_for_ordering() -> None:
    rng = random.Random(1)
    assert scoring.shuffled_order(["t", "f"], rng, type="true_false") == ["t", "f"]
    for _ in range(50):
        order = scoring.shuffled_order(["1", "2", "3"], rng, type="ordering")
        assert sorted(order) == ["1", "2", "3"]
        assert order != ["1", "2", "3"]
