"""Choose the modules of a personal learning path: a weighted set cover with precedence.

Pure Python (numpy and scipy only, no Django), so it can be tested and benchmarked on its own.

Input: the curriculum's modules in curriculum order (code, hours, the level each element is brought to,
prerequisite codes) and the learner's gaps (element, target level, current level). A module *closes* a
gap when the level it brings the element to is at least the target. A gap is *closable* when some
usable module closes it; a module is usable when all its prerequisites exist, transitively, without a
cycle.

Output: a set of modules that closes every closable gap with the least total hours, with every
(transitive) prerequisite included, in a valid order (prerequisites first, ties by curriculum order),
each with the gaps it closes; and the gaps no module can close.

Method (docs/adr/0010-learning-path-solver.md): an integer linear programme solved exactly with HiGHS
through :func:`scipy.optimize.milp` — a binary ``x`` per usable module, ``sum(x covering g) >= 1`` for
every closable gap ``g``, ``x_dependent <= x_prerequisite``, minimise the hours. Ties between optimal
sets go to the set whose modules come earlier in the curriculum: the objective is ``hours * S + rank``
with ``S`` larger than the sum of all ranks, all integers, so the tie-break never outweighs an hour.
Past :data:`ILP_MAX_MODULES` modules or :data:`ILP_MAX_GAPS` gaps, or when HiGHS does not prove an
optimum in :data:`ILP_TIME_LIMIT` seconds, a greedy approximation is used instead (see :func:`greedy`).
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Literal

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_array

ILP_MAX_MODULES = 400
ILP_MAX_GAPS = 2000
ILP_TIME_LIMIT = 5.0

Method = Literal["ilp", "greedy", "none"]


@dataclass(frozen=True)
class Module:
    code: str
    hours: int
    covers: Mapping[str, int]  # element code → the level the module brings a learner to
    prerequisites: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Gap:
    element: str
    target: int
    current: int

    @property
    def open(self) -> bool:
        return self.current < self.target


@dataclass(frozen=True)
class Step:
    """One module of the path: the gaps it is the first to close, and the later modules that need it."""

    code: str
    hours: int
    closes: tuple[Gap, ...]
    required_by: tuple[str, ...] = ()


@dataclass(frozen=True)
class Plan:
    steps: tuple[Step, ...]
    uncovered: tuple[Gap, ...]
    method: Method
    total_hours: int = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "total_hours", sum(step.hours for step in self.steps))

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(step.code for step in self.steps)


def closes(module: Module, gap: Gap) -> bool:
    return module.covers.get(gap.element, 0) >= gap.target


def usable_modules(modules: Sequence[Module]) -> list[Module]:
    """The modules whose prerequisites all exist, transitively and without a cycle (curriculum order kept)."""
    by_code = {m.code: m for m in modules}
    state: dict[str, bool] = {}

    def ok(code: str, stack: frozenset[str]) -> bool:
        if code in state:
            return state[code]
        if code not in by_code or code in stack:
            return False
        result = all(ok(p, stack | {code}) for p in sorted(by_code[code].prerequisites))
        state[code] = result
        return result

    return [m for m in modules if ok(m.code, frozenset())]


def closure(codes: Iterable[str], by_code: Mapping[str, Module]) -> set[str]:
    """The codes together with all their transitive prerequisites."""
    result: set[str] = set()
    todo = list(codes)
    while todo:
        code = todo.pop()
        if code not in result:
            result.add(code)
            todo.extend(by_code[code].prerequisites)
    return result


def order(chosen: Iterable[str], modules: Sequence[Module], gaps: Sequence[Gap]) -> tuple[Step, ...]:
    """Prerequisites first, ties by curriculum order; each gap is credited to the first module that closes it."""
    position = {m.code: i for i, m in enumerate(modules)}
    by_code = {m.code: m for m in modules}
    chosen_set = set(chosen)
    waiting = {code: set(by_code[code].prerequisites) & chosen_set for code in chosen_set}
    dependents: dict[str, list[str]] = {code: [] for code in chosen_set}
    for code, prerequisites in waiting.items():
        for prerequisite in prerequisites:
            dependents[prerequisite].append(code)
    ready = [(position[code], code) for code, prerequisites in waiting.items() if not prerequisites]
    heapq.heapify(ready)
    sequence: list[str] = []
    while ready:
        _, code = heapq.heappop(ready)
        sequence.append(code)
        for dependent in dependents[code]:
            waiting[dependent].discard(code)
            if not waiting[dependent]:
                heapq.heappush(ready, (position[dependent], dependent))
    if len(sequence) != len(chosen_set):
        raise ValueError("prerequisite cycle among the chosen modules")
    open_gaps = _dedupe([g for g in gaps if g.open])
    credited: set[str] = set()
    steps = []
    for code in sequence:
        module = by_code[code]
        closed = tuple(g for g in open_gaps if g.element not in credited and closes(module, g))
        credited.update(g.element for g in closed)
        required_by = tuple(d for d in sequence if d in dependents[code])
        steps.append(Step(code=code, hours=module.hours, closes=closed, required_by=required_by))
    return tuple(steps)


def _split(modules: Sequence[Module], gaps: Sequence[Gap]) -> tuple[list[Module], list[Gap], list[Gap]]:
    usable = usable_modules(modules)
    open_gaps = _dedupe([g for g in gaps if g.open])
    closable = [g for g in open_gaps if any(closes(m, g) for m in usable)]
    uncovered = [g for g in open_gaps if not any(closes(m, g) for m in usable)]
    return usable, closable, uncovered


def _dedupe(gaps: list[Gap]) -> list[Gap]:
    seen: dict[str, Gap] = {}
    for gap in gaps:
        if gap.element not in seen or gap.target > seen[gap.element].target:
            seen[gap.element] = gap
    return list(seen.values())


def solve(modules: Sequence[Module], gaps: Sequence[Gap]) -> Plan:
    """The least-hours path (exact up to the size limits; greedy beyond them)."""
    usable, closable, uncovered = _split(modules, gaps)
    if not closable:
        return Plan(steps=(), uncovered=tuple(uncovered), method="none")
    chosen: set[str] | None = None
    method: Method = "ilp"
    if len(usable) <= ILP_MAX_MODULES and len(closable) <= ILP_MAX_GAPS:
        chosen = _ilp(usable, closable)
    if chosen is None:
        method = "greedy"
        chosen = _greedy(usable, closable)
    return Plan(steps=order(chosen, modules, gaps), uncovered=tuple(uncovered), method=method)


def _ilp(usable: Sequence[Module], closable: Sequence[Gap]) -> set[str] | None:
    n = len(usable)
    index = {m.code: i for i, m in enumerate(usable)}
    scale = n * (n + 1) // 2 + 1
    cost = np.array([m.hours * scale + (i + 1) for i, m in enumerate(usable)], dtype=float)
    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    lower: list[float] = []
    row = 0
    for gap in closable:
        for i, m in enumerate(usable):
            if closes(m, gap):
                rows.append(row)
                cols.append(i)
                vals.append(1.0)
        lower.append(1.0)
        row += 1
    for i, m in enumerate(usable):
        for prerequisite in sorted(m.prerequisites):
            rows += [row, row]
            cols += [i, index[prerequisite]]
            vals += [1.0, -1.0]
            lower.append(-np.inf)
            row += 1
    upper = [np.inf] * len(closable) + [0.0] * (row - len(closable))
    matrix = coo_array((vals, (rows, cols)), shape=(row, n)).tocsr()
    result = milp(
        cost,
        constraints=LinearConstraint(matrix, np.array(lower), np.array(upper)),
        integrality=np.ones(n),
        bounds=Bounds(0, 1),
        options={"time_limit": ILP_TIME_LIMIT, "mip_rel_gap": 0.0},
    )
    if result.status != 0 or result.x is None:
        return None
    return {usable[i].code for i in range(n) if result.x[i] > 0.5}


def greedy(modules: Sequence[Module], gaps: Sequence[Gap]) -> Plan:
    """The greedy approximation on its own (used past the ILP limits; exposed for tests and the benchmark)."""
    usable, closable, uncovered = _split(modules, gaps)
    chosen = _greedy(usable, closable) if closable else set()
    return Plan(steps=order(chosen, modules, gaps), uncovered=tuple(uncovered), method="greedy" if closable else "none")


def _greedy(usable: Sequence[Module], closable: Sequence[Gap]) -> set[str]:
    """Repeatedly add the module (with its missing prerequisites) with the least new hours per newly closed
    gap, ties by curriculum order; then drop, largest first, every module that is neither needed to close a
    gap nor a prerequisite of a kept module. Within a factor H(number of gaps) of the optimum without
    prerequisites; no guarantee with them."""
    by_code = {m.code: m for m in usable}
    bundles = {m.code: closure([m.code], by_code) for m in usable}
    chosen: set[str] = set()
    remaining = {g.element: g for g in closable}
    while remaining:
        best: tuple[Fraction, int, str] | None = None
        for position, module in enumerate(usable):
            added = bundles[module.code] - chosen
            newly = sum(1 for g in remaining.values() if any(closes(by_code[c], g) for c in added))
            if not newly:
                continue
            key = (Fraction(sum(by_code[c].hours for c in added), newly), position, module.code)
            if best is None or key < best:
                best = key
        assert best is not None  # every remaining gap is closable by some usable module
        chosen |= bundles[best[2]]
        remaining = {e: g for e, g in remaining.items() if not any(closes(by_code[c], g) for c in chosen)}
    rank = {m.code: i for i, m in enumerate(usable)}
    for code in sorted(chosen, key=lambda c: (-by_code[c].hours, -rank[c])):
        rest = chosen - {code}
        needed_as_prerequisite = any(code in by_code[c].prerequisites for c in rest)
        still_closed = all(any(closes(by_code[c], g) for c in rest) for g in closable)
        if not needed_as_prerequisite and still_closed:
            chosen = rest
    return chosen


def brute_force(modules: Sequence[Module], gaps: Sequence[Gap]) -> int | None:
    """The least total hours over every prerequisite-closed subset that closes all closable gaps (tests only)."""
    usable, closable, _ = _split(modules, gaps)
    best: int | None = None
    for size in range(len(usable) + 1):
        for subset in itertools.combinations(usable, size):
            codes = {m.code for m in subset}
            if any(not m.prerequisites <= codes for m in subset):
                continue
            if all(any(closes(m, g) for m in subset) for g in closable):
                hours = sum(m.hours for m in subset)
                best = hours if best is None else min(best, hours)
    return best
