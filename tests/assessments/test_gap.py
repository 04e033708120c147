from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from skills4cities.assessments import selectors
from skills4cities.frameworks.models import Framework
from tests.assessments.helpers import manager, submitted

pytestmark = pytest.mark.django_db


def test_gap_is_zero_when_self_rating_meets_target(alice: Any, reference: Framework) -> None:
    role = manager(reference)
    submitted(alice, role, {}, default=5)

    analysis = selectors.gap_analysis(alice, role)

    assert {row.gap for row in analysis.rows} == {0}
    assert analysis.total_gap == 0
    assert {row.current_level for row in analysis.rows} == {5}
    assert {row.source for row in analysis.rows} == {"self_rating"}


def test_gaps_are_ordered_by_size_then_essential_first(alice: Any, reference: Framework) -> None:
    role = manager(reference)
    requirements = {r.element.code: r for r in role.requirements.select_related("element")}
    submitted(alice, role, {}, default=1)

    rows = selectors.gap_analysis(alice, role).rows

    keys = [(-row.gap, not row.essential) for row in rows]
    assert keys == sorted(keys)
    assert {row.code: (row.target_level, row.current_level, row.gap, row.essential) for row in rows} == {
        code: (r.target_level, 1, r.target_level - 1, r.essential) for code, r in requirements.items()
    }
    # U08 is required at level 4 (the largest gap); U03 is the only optional unit, at level 2
    assert rows[0].unit_code == "U08"
    assert [row.unit_code for row in rows if not row.essential] == ["U03"] * len(
        [r for r in requirements.values() if not r.essential]
    )
    assert rows[-1].unit_code == "U03"


def test_gap_analysis_uses_the_latest_submitted_self_assessment(alice: Any, reference: Framework) -> None:
    role = manager(reference)
    submitted(alice, role, {}, default=1, at=datetime(2026, 1, 1, tzinfo=UTC))
    latest = submitted(alice, role, {}, default=2, at=datetime(2026, 3, 1, tzinfo=UTC))

    analysis = selectors.gap_analysis(alice, role)

    assert selectors.latest_submitted(alice, role) == latest
    assert analysis.assessment == latest
    assert {row.current_level for row in analysis.rows} == {2}


def test_change_since_the_previous_self_assessment(alice: Any, reference: Framework) -> None:
    role = manager(reference)
    codes = [r.element.code for r in role.requirements.select_related("element").order_by("id")]
    first = submitted(alice, role, {codes[0]: 3}, default=1, at=datetime(2026, 1, 1, tzinfo=UTC))
    second = submitted(alice, role, {codes[0]: 2, codes[1]: 4}, default=1, at=datetime(2026, 3, 1, tzinfo=UTC))

    analysis = selectors.assessment_gap(second)
    changes = {row.code: (row.previous_level, row.change) for row in analysis.rows}

    assert analysis.previous == first
    assert changes[codes[0]] == (3, -1)
    assert changes[codes[1]] == (1, 3)
    assert {changes[code] for code in codes[2:]} == {(1, 0)}
    assert selectors.assessment_gap(first).previous is None
    assert {row.change for row in selectors.assessment_gap(first).rows} == {None}


def test_without_a_submitted_self_assessment_every_current_level_is_zero(alice: Any, reference: Framework) -> None:
    role = manager(reference)

    analysis = selectors.gap_analysis(alice, role)

    assert analysis.assessment is None
    assert {row.current_level for row in analysis.rows} == {0}
    assert [row.gap for row in analysis.rows] == sorted((row.target_level for row in analysis.rows), reverse=True)


def test_other_learners_self_assessments_never_count(alice: Any, charlie: Any, reference: Framework) -> None:
    role = manager(reference)
    submitted(charlie, role, {}, default=5)

    assert selectors.gap_analysis(alice, role).assessment is None
    assert selectors.latest_submitted(alice, role) is None
