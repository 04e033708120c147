from __future__ import annotations

from typing import Any

from skills4cities.frameworks.models import Framework
from skills4cities.learning import selectors, services, solver, sources
from tests.learning.conftest import MANAGER, submit


def test_a_path_on_the_reference_curriculum_closes_every_closable_gap(reference: Framework, alice: Any) -> None:
    role = reference.roles.get(slug=MANAGER)
    curriculum = sources.curriculum_modules(reference)
    assert len(curriculum) >= 20
    low = {r.element.code for r in role.requirements.select_related("element")}
    submit(alice, role, low)
    path = services.learning_path_propose(learner=alice, role=role)
    modules = selectors.modules_of(path)
    gaps = [solver.Gap(r.element.code, r.target_level, 1) for r in role.requirements.select_related("element")]
    expected = solver.solve([c.module for c in curriculum], gaps)
    assert [m.code for m in modules] == list(expected.codes)
    assert sum(m.hours for m in modules) == expected.total_hours
    assert [g["element"] for g in selectors.uncovered(path, modules)] == [g.element for g in expected.uncovered]
    assert path.method == "ilp"
