from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from skills4cities.core.models import AuditEntry
from skills4cities.learning import selectors, services
from skills4cities.learning.enums import ModuleStatus, PathStatus
from skills4cities.learning.models import LearningPath
from tests.learning.conftest import Setting


def _gap(setting: Setting, code: str) -> dict[str, Any]:
    return {
        "element": code,
        "title": _title(setting, code),
        "target": setting.targets[code],
        "current": 1,
        "essential": _essential(setting, code),
    }


def _title(setting: Setting, code: str) -> str:
    return str(setting.role.requirements.get(element__code=code).element.title)


def _essential(setting: Setting, code: str) -> bool:
    return bool(setting.role.requirements.get(element__code=code).essential)


def test_propose_stores_the_least_hours_path_with_what_each_module_closes(setting: Setting, alice: Any) -> None:
    path = services.learning_path_propose(learner=alice, role=setting.role)
    modules = selectors.modules_of(path)
    assert [(m.position, m.code, m.hours, m.status, m.required_by) for m in modules] == [
        (1, "M01", 8, ModuleStatus.PLANNED, ["M02"]),
        (2, "M02", 12, ModuleStatus.PLANNED, []),
    ]
    assert [m.closes for m in modules] == [[_gap(setting, setting.e1)], [_gap(setting, setting.e2)]]
    assert (path.status, path.method, path.assessment_public_id) == (
        PathStatus.PROPOSED,
        "ilp",
        setting.assessment.public_id,
    )
    assert sorted(path.gaps, key=lambda g: g["element"]) == [
        _gap(setting, c) for c in (setting.e1, setting.e2, setting.e3)
    ]
    assert selectors.uncovered(path, modules) == [_gap(setting, setting.e3)]
    assert selectors.progress(modules).total_hours == 20
    entry = AuditEntry.objects.get(action="learning_path.propose")
    assert entry.data == {"role": setting.role.slug, "modules": ["M01", "M02"], "hours": 20, "method": "ilp"}


def test_propose_needs_a_submitted_self_assessment(setting: Setting, bob: Any, unchanged_database: Any) -> None:
    with unchanged_database(), pytest.raises(ValidationError) as error:
        services.learning_path_propose(learner=bob, role=setting.role)
    assert error.value.messages == ["Complete a self-assessment for this role first."]


def test_accept_then_complete_shows_progress(setting: Setting, alice: Any) -> None:
    path = services.learning_path_propose(learner=alice, role=setting.role)
    first = path.modules.get(code="M01")
    with pytest.raises(ValidationError):
        services.path_module_complete(module=first, actor=alice)
    services.learning_path_accept(path=path, actor=alice)
    path.refresh_from_db()
    assert path.status == PathStatus.ACCEPTED
    assert path.accepted_at is not None
    with pytest.raises(ValidationError):
        services.learning_path_accept(path=path, actor=alice)
    services.path_module_complete(module=path.modules.get(code="M01"), actor=alice)
    progress = selectors.progress(selectors.modules_of(path))
    assert (progress.done_hours, progress.total_hours, progress.percent) == (8, 20, 40)


def test_dropping_a_prerequisite_says_which_gaps_open_and_who_needed_it(setting: Setting, alice: Any) -> None:
    path = services.learning_path_propose(learner=alice, role=setting.role)
    change = services.path_module_drop(module=path.modules.get(code="M01"), actor=alice)
    assert change == services.Change(newly_uncovered=(setting.e1,), needed_by=("M02",))
    modules = selectors.modules_of(path)
    assert [(m.code, m.status) for m in modules] == [("M01", "dropped"), ("M02", "planned")]
    assert [g["element"] for g in selectors.uncovered(path, modules)] == sorted(
        [setting.e1, setting.e3], key=[g["element"] for g in path.gaps].index
    )
    assert selectors.progress(modules).total_hours == 12


def test_swapping_keeps_the_gap_closed_and_records_the_swap(setting: Setting, alice: Any) -> None:
    path = services.learning_path_propose(learner=alice, role=setting.role)
    change = services.path_module_swap(module=path.modules.get(code="M02"), replacement="M03", actor=alice)
    assert change == services.Change(newly_uncovered=(), needed_by=(), newly_closed=())
    swapped = path.modules.get(code="M03")
    assert (swapped.status, swapped.swapped_from, swapped.position, swapped.hours) == ("planned", "M02", 2, 30)
    assert swapped.closes == [_gap(setting, setting.e2)]
    assert path.modules.get(code="M02").status == ModuleStatus.DROPPED


def test_swapping_for_a_module_already_in_the_path_is_refused(setting: Setting, alice: Any) -> None:
    path = services.learning_path_propose(learner=alice, role=setting.role)
    with pytest.raises(ValidationError) as error:
        services.path_module_swap(module=path.modules.get(code="M02"), replacement="M01", actor=alice)
    assert error.value.messages == ["Choose a module of the curriculum that is not in the path."]


@pytest.mark.parametrize("who", ["bob", "charlie"])
def test_nobody_but_the_learner_changes_a_path(
    setting: Setting, alice: Any, who: str, request: pytest.FixtureRequest, unchanged_database: Any
) -> None:
    other = request.getfixturevalue(who)
    path = services.learning_path_propose(learner=alice, role=setting.role)
    module = path.modules.get(code="M01")
    before = list(LearningPath.objects.values_list("status", "modules__status"))
    with unchanged_database():
        for call in (
            lambda: services.learning_path_accept(path=path, actor=other),
            lambda: services.path_module_drop(module=module, actor=other),
            lambda: services.path_module_swap(module=module, replacement="M03", actor=other),
            lambda: services.path_module_complete(module=module, actor=other),
        ):
            with pytest.raises(PermissionDenied):
                call()
    assert list(LearningPath.objects.values_list("status", "modules__status")) == before
