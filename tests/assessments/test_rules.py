from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.test import override_settings

from skills4cities.assessments.rules import (
    CurrentLevel,
    CurrentLevelRule,
    Evidence,
    StaticStream,
    configured_rule,
    current_levels,
    describe_rule,
)

EARLY = datetime(2026, 1, 1, tzinfo=UTC)
LATE = datetime(2026, 6, 1, tzinfo=UTC)


def stream(kind: str, *items: tuple[str, int, datetime]) -> StaticStream:
    return StaticStream(kind, tuple(Evidence(code, level, at) for code, level, at in items))


def test_self_rating_alone_gives_the_latest_level() -> None:
    ratings = stream("self_rating", ("E1", 2, EARLY), ("E1", 3, LATE), ("E2", 1, EARLY))

    assert current_levels([ratings], CurrentLevelRule()) == {
        "E1": CurrentLevel(3, "self_rating"),
        "E2": CurrentLevel(1, "self_rating"),
    }


def test_assessor_decision_wins_over_everything_else() -> None:
    streams = [
        stream("self_rating", ("E1", 4, LATE)),
        stream("test_result", ("E1", 3, LATE)),
        stream("assessor_decision", ("E1", 2, EARLY)),
    ]

    assert current_levels(streams, CurrentLevelRule()) == {"E1": CurrentLevel(2, "assessor_decision")}


def test_passed_test_raises_a_lower_self_rating_but_never_lowers_a_higher_one() -> None:
    streams = [
        stream("self_rating", ("E1", 2, LATE), ("E2", 4, LATE)),
        stream("test_result", ("E1", 3, EARLY), ("E2", 3, EARLY), ("E3", 2, EARLY)),
    ]

    assert current_levels(streams, CurrentLevelRule()) == {
        "E1": CurrentLevel(3, "test_result"),
        "E2": CurrentLevel(4, "self_rating"),
        "E3": CurrentLevel(2, "test_result"),
    }


def test_elements_without_evidence_have_no_current_level() -> None:
    assert current_levels([stream("self_rating")], CurrentLevelRule()) == {}


def test_the_rule_is_configurable() -> None:
    rule = CurrentLevelRule.from_setting({"decisive": ["self_rating"], "floor": [], "fallback": []})
    streams = [stream("self_rating", ("E1", 1, EARLY)), stream("assessor_decision", ("E1", 5, LATE))]

    assert current_levels(streams, rule) == {"E1": CurrentLevel(1, "self_rating")}


def test_unknown_evidence_kinds_in_the_setting_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown evidence kinds: guess"):
        CurrentLevelRule.from_setting({"decisive": ["guess"]})


@override_settings(CURRENT_LEVEL_RULE={"decisive": [], "floor": ["test_result"], "fallback": ["self_rating"]})
def test_the_setting_is_the_default_rule() -> None:
    assert configured_rule() == CurrentLevelRule(decisive=(), floor=("test_result",), fallback=("self_rating",))


def test_the_default_rule_reads_in_plain_words() -> None:
    assert describe_rule(CurrentLevelRule()) == [
        "Decisive evidence (assessor decision, then recognised prior learning): when an element has any, "
        "the latest sets your current level.",
        "Otherwise the latest self-rating gives your current level.",
        "Minimum-setting evidence (passed test) raises it to at least the level shown there.",
        "An element without evidence counts as level 0; the gap is the target level minus the current level, "
        "never below 0.",
        "The evidence itself is never changed: each kind is kept as its own record.",
    ]
