from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from skills4cities.frameworks.models import Framework
from skills4cities.learning import services
from tests.learning.conftest import Setting, make_setting

URL = "/api/v1/me/learning-path/"


@pytest.fixture
def setting(reference: Framework, alice: Any, monkeypatch: pytest.MonkeyPatch) -> Setting:
    return make_setting(reference, alice, monkeypatch)


def _client(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _gap(setting: Setting, code: str) -> dict[str, Any]:
    requirement = setting.role.requirements.select_related("element").get(element__code=code)
    return {
        "element": code,
        "title": str(requirement.element.title),
        "target": setting.targets[code],
        "current": 1,
        "essential": requirement.essential,
    }


def test_without_a_saved_path_the_api_gives_the_solvers_proposal(
    setting: Setting, alice: Any, django_assert_max_num_queries: Any, unchanged_database: Any
) -> None:
    with unchanged_database(), django_assert_max_num_queries(12):
        response = _client(alice).get(URL, {"role": setting.role.slug})
    assert response.status_code == 200
    body = response.json()
    assert body == {
        "role": setting.role.slug,
        "framework": "skills4cities",
        "version": setting.role.framework.version,
        "id": None,
        "status": "unsaved",
        "method": "ilp",
        "total_hours": 20,
        "completed_hours": 0,
        "modules": [
            {"position": 1, "code": "M01", "title": "Foundations", "hours": 8, "status": "planned",
             "elements": [setting.e1], "closes": [_gap(setting, setting.e1)]},
            {"position": 2, "code": "M02", "title": "Advanced", "hours": 12, "status": "planned",
             "elements": [setting.e2], "closes": [_gap(setting, setting.e2)]},
        ],
        "uncovered": [_gap(setting, setting.e3)],
    }  # fmt: skip


def test_a_saved_path_is_given_with_its_state(setting: Setting, alice: Any, django_assert_max_num_queries: Any) -> None:
    path = services.learning_path_propose(learner=alice, role=setting.role)
    services.learning_path_accept(path=path, actor=alice)
    services.path_module_complete(module=path.modules.get(code="M01"), actor=alice)
    with django_assert_max_num_queries(8):
        body = _client(alice).get(URL, {"role": setting.role.slug}).json()
    assert (body["id"], body["status"], body["total_hours"], body["completed_hours"]) == (
        str(path.public_id),
        "accepted",
        20,
        8,
    )
    assert [(m["code"], m["status"]) for m in body["modules"]] == [("M01", "completed"), ("M02", "planned")]
    assert body["uncovered"] == [_gap(setting, setting.e3)]


@pytest.mark.parametrize("who", ["bob", "charlie"])
def test_others_never_get_the_learners_path(
    setting: Setting, alice: Any, who: str, request: pytest.FixtureRequest
) -> None:
    services.learning_path_propose(learner=alice, role=setting.role)
    response = _client(request.getfixturevalue(who)).get(URL, {"role": setting.role.slug})
    assert response.status_code == 404
    assert response.json() == {
        "error": {"code": "no_assessment", "message": "You have no submitted self-assessment for this role yet."}
    }


def test_errors(setting: Setting, alice: Any) -> None:
    assert APIClient().get(URL, {"role": setting.role.slug}).status_code == 401
    missing = _client(alice).get(URL)
    assert (missing.status_code, missing.json()["error"]["code"]) == (400, "role_required")
    unknown = _client(alice).get(URL, {"role": "astronaut"})
    assert (unknown.status_code, unknown.json()["error"]["code"]) == (404, "not_found")
