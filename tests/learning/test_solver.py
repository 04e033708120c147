from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from skills4cities.learning import solver
from skills4cities.learning.solver import Gap, Module

ELEMENTS = [f"U0{u}.E{e}" for u in range(1, 4) for e in range(1, 4)]


@st.composite
def instances(draw: st.DrawFn, max_modules: int = 12) -> tuple[list[Module], list[Gap]]:
    """Random curricula: prerequisites only point to earlier modules (some to missing codes), levels 1–4."""
    n = draw(st.integers(min_value=0, max_value=max_modules))
    modules = []
    for i in range(n):
        covers = draw(st.dictionaries(st.sampled_from(ELEMENTS), st.integers(1, 4), max_size=4))
        earlier = [f"M{j:02d}" for j in range(i)]
        prerequisites = draw(st.sets(st.sampled_from([*earlier, "MISSING"]), max_size=2)) if earlier else set()
        if "MISSING" in prerequisites and draw(st.integers(0, 3)):
            prerequisites.discard("MISSING")
        modules.append(Module(f"M{i:02d}", draw(st.integers(1, 40)), covers, frozenset(prerequisites)))
    elements = draw(st.lists(st.sampled_from(ELEMENTS), unique=True, max_size=len(ELEMENTS)))
    gaps = [Gap(e, draw(st.integers(1, 4)), draw(st.integers(0, 4))) for e in elements]
    return modules, gaps


def _closed_by(plan: solver.Plan, modules: list[Module], gap: Gap) -> bool:
    by_code = {m.code: m for m in modules}
    return any(solver.closes(by_code[code], gap) for code in plan.codes)


@settings(max_examples=300, deadline=None)
@given(instances())
def test_every_closable_gap_is_closed_and_the_rest_reported(instance: tuple[list[Module], list[Gap]]) -> None:
    modules, gaps = instance
    plan = solver.solve(modules, gaps)
    usable = solver.usable_modules(modules)
    for gap in gaps:
        if not gap.open:
            assert gap not in plan.uncovered
        elif any(solver.closes(m, gap) for m in usable):
            assert _closed_by(plan, modules, gap)
            assert gap not in plan.uncovered
        else:
            assert gap in plan.uncovered
    credited = [g.element for step in plan.steps for g in step.closes]
    assert sorted(credited) == sorted({g.element for g in gaps if g.open} - {g.element for g in plan.uncovered})


@settings(max_examples=300, deadline=None)
@given(instances())
def test_prerequisites_come_before_their_dependents(instance: tuple[list[Module], list[Gap]]) -> None:
    modules, gaps = instance
    by_code = {m.code: m for m in modules}
    for plan in (solver.solve(modules, gaps), solver.greedy(modules, gaps)):
        seen: set[str] = set()
        for code in plan.codes:
            assert by_code[code].prerequisites <= seen
            seen.add(code)
        assert len(seen) == len(plan.codes)


@settings(max_examples=300, deadline=None)
@given(instances())
def test_total_hours_equal_the_brute_force_optimum(instance: tuple[list[Module], list[Gap]]) -> None:
    modules, gaps = instance
    plan = solver.solve(modules, gaps)
    optimum = solver.brute_force(modules, gaps)
    assert plan.total_hours == (optimum or 0)
    assert plan.method in {"ilp", "none"}


@settings(max_examples=100, deadline=None)
@given(instances())
def test_greedy_closes_every_closable_gap_and_is_never_better_than_the_optimum(
    instance: tuple[list[Module], list[Gap]],
) -> None:
    modules, gaps = instance
    plan = solver.greedy(modules, gaps)
    assert plan.total_hours >= (solver.brute_force(modules, gaps) or 0)
    assert plan.uncovered == solver.solve(modules, gaps).uncovered


@settings(max_examples=100, deadline=None)
@given(instances())
def test_output_is_deterministic(instance: tuple[list[Module], list[Gap]]) -> None:
    modules, gaps = instance
    assert solver.solve(modules, gaps) == solver.solve(list(modules), list(gaps))


def test_ties_go_to_the_modules_earlier_in_the_curriculum() -> None:
    modules = [Module("M1", 10, {"A": 3}), Module("M2", 10, {"A": 3})]
    assert solver.solve(modules, [Gap("A", 3, 1)]).codes == ("M1",)
    assert solver.solve(list(reversed(modules)), [Gap("A", 3, 1)]).codes == ("M2",)


def test_a_cheap_module_with_an_expensive_prerequisite_loses_to_a_direct_one() -> None:
    modules = [
        Module("M1", 30, {"B": 2}),
        Module("M2", 5, {"A": 3}, frozenset({"M1"})),
        Module("M3", 20, {"A": 3}),
    ]
    plan = solver.solve(modules, [Gap("A", 3, 2)])
    assert plan.codes == ("M3",)
    assert plan.total_hours == 20


def test_steps_explain_the_gaps_they_close_and_the_prerequisites() -> None:
    modules = [
        Module("M1", 8, {"U01.E1": 2}),
        Module("M2", 16, {"U01.E1": 3, "U01.E2": 4}, frozenset({"M1"})),
        Module("M3", 4, {"U02.E1": 1}),
    ]
    gaps = [Gap("U01.E1", 3, 2), Gap("U01.E2", 3, 1), Gap("U02.E1", 3, 0), Gap("U02.E2", 2, 2)]
    plan = solver.solve(modules, gaps)
    assert plan.steps == (
        solver.Step("M1", 8, (), ("M2",)),
        solver.Step("M2", 16, (Gap("U01.E1", 3, 2), Gap("U01.E2", 3, 1)), ()),
    )
    assert plan.uncovered == (Gap("U02.E1", 3, 0),)
    assert plan.total_hours == 24
    assert plan.method == "ilp"


def test_modules_with_missing_or_cyclic_prerequisites_are_not_used() -> None:
    modules = [
        Module("M1", 1, {"A": 3}, frozenset({"M9"})),
        Module("M2", 1, {"A": 3}, frozenset({"M3"})),
        Module("M3", 1, {"B": 3}, frozenset({"M2"})),
    ]
    plan = solver.solve(modules, [Gap("A", 3, 0), Gap("B", 2, 0)])
    assert plan.steps == ()
    assert plan.uncovered == (Gap("A", 3, 0), Gap("B", 2, 0))
    assert plan.method == "none"


def test_the_greedy_fallback_is_used_past_the_size_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(solver, "ILP_MAX_MODULES", 1)
    modules = [Module("M1", 10, {"A": 3}), Module("M2", 4, {"A": 3})]
    plan = solver.solve(modules, [Gap("A", 3, 0)])
    assert (plan.codes, plan.method) == (("M2",), "greedy")


def test_the_greedy_prunes_modules_made_redundant_by_later_choices() -> None:
    modules = [
        Module("M1", 4, {"A": 3}),
        Module("M2", 5, {"B": 3}),
        Module("M3", 13, {"A": 3, "B": 3, "C": 3}),
    ]
    # Greedy picks M1 (4 h per gap), then M2 (5), then M3 for C (13); M1 and M2 are then redundant.
    plan = solver.greedy(modules, [Gap("A", 3, 0), Gap("B", 3, 0), Gap("C", 3, 0)])
    assert (plan.codes, plan.total_hours) == (("M3",), 13)


def test_the_ilp_beats_the_greedy_where_the_greedy_is_misled() -> None:
    modules = [
        Module("M1", 4, {"A": 3, "B": 3, "C": 3, "D": 3}),
        Module("M2", 3, {"A": 3, "B": 3, "E": 3}),
        Module("M3", 3, {"C": 3, "D": 3, "E": 3}),
    ]
    gaps = [Gap(e, 3, 1) for e in "ABCDE"]
    assert (solver.greedy(modules, gaps).codes, solver.greedy(modules, gaps).total_hours) == (("M1", "M2"), 7)
    assert (solver.solve(modules, gaps).codes, solver.solve(modules, gaps).total_hours) == (("M2", "M3"), 6)
