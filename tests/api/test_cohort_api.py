"""A trainer's view of a cohort member through the API: the same JSON as the learner's own ``/me/`` endpoints."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from rest_framework.test import APIClient

from skills4cities.accounts.enums import MemberRole
from skills4cities.curriculum.models import Cohort, Course
from skills4cities.frameworks.models import Framework
from tests import factories
from tests.assessments.helpers import MANAGER, manager, submitted

pytestmark = pytest.mark.django_db

NOT_FOUND = {"error": {"code": "not_found", "message": "Not found."}}


def _client(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def trainer(city: Any) -> Any:
    user = factories.UserFactory(username="tina")
    factories.MembershipFactory(user=user, organisation=city, role=MemberRole.TRAINER)
    return user


@pytest.fixture
def other_trainer(city: Any) -> Any:
    user = factories.UserFactory(username="otto")
    factories.MembershipFactory(user=user, organisation=city, role=MemberRole.TRAINER)
    return user


@pytest.fixture
def cohort(reference: Framework, city: Any, trainer: Any, alice: Any) -> Cohort:
    cohort = Cohort.objects.create(
        course=Course.objects.filter(code="C2").latest("id"), organisation=city, trainer=trainer,
        name="Sofia spring", start_date=datetime.date(2026, 3, 2),
    )  # fmt: skip
    cohort.learners.add(alice)
    submitted(alice, manager(reference), {}, default=2)
    return cohort


def _url(cohort: Cohort, learner: Any, what: str) -> str:
    return f"/api/v1/cohorts/{cohort.public_id}/learners/{learner.public_id}/{what}/"


@pytest.mark.parametrize(("what", "mine"), [("gap", "/api/v1/me/gap/"), ("learning-path", "/api/v1/me/learning-path/")])
def test_the_trainer_gets_the_same_json_as_the_learner(
    cohort: Cohort, trainer: Any, alice: Any, what: str, mine: str, django_assert_max_num_queries: Any
) -> None:
    own = _client(alice).get(mine, {"role": MANAGER})

    with django_assert_max_num_queries(16):
        response = _client(trainer).get(_url(cohort, alice, what), {"role": MANAGER})

    assert (own.status_code, response.status_code) == (200, 200)
    assert response.json() == own.json()


@pytest.mark.parametrize("what", ["gap", "learning-path"])
@pytest.mark.parametrize("who", ["other_trainer", "alice", "bob", "charlie"])
def test_everyone_but_the_trainer_gets_the_stable_404(
    cohort: Cohort, alice: Any, who: str, what: str, request: pytest.FixtureRequest
) -> None:
    response = _client(request.getfixturevalue(who)).get(_url(cohort, alice, what), {"role": MANAGER})

    assert response.status_code == 404
    assert response.json() == NOT_FOUND


@pytest.mark.parametrize("what", ["gap", "learning-path"])
def test_a_learner_outside_the_cohort_is_404(cohort: Cohort, trainer: Any, charlie: Any, what: str) -> None:
    response = _client(trainer).get(_url(cohort, charlie, what), {"role": MANAGER})

    assert response.status_code == 404
    assert response.json() == NOT_FOUND


@pytest.mark.parametrize("what", ["gap", "learning-path"])
def test_anonymous_callers_must_authenticate(cohort: Cohort, alice: Any, what: str) -> None:
    response = APIClient().get(_url(cohort, alice, what), {"role": MANAGER})

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


@pytest.mark.parametrize("what", ["gap", "learning-path"])
def test_the_role_is_required_and_must_exist(cohort: Cohort, trainer: Any, alice: Any, what: str) -> None:
    client = _client(trainer)

    missing = client.get(_url(cohort, alice, what))
    unknown = client.get(_url(cohort, alice, what), {"role": "astronaut"})

    assert (missing.status_code, missing.json()["error"]["code"]) == (400, "role_required")
    assert unknown.status_code == 404
    assert unknown.json() == {"error": {"code": "not_found", "message": "No such role."}}


@pytest.mark.parametrize("what", ["gap", "learning-path"])
def test_a_member_without_self_assessment_gets_no_assessment(
    cohort: Cohort, trainer: Any, city: Any, what: str
) -> None:
    lena: Any = factories.UserFactory(username="lena")
    factories.MembershipFactory(user=lena, organisation=city, role=MemberRole.LEARNER)
    cohort.learners.add(lena)

    response = _client(trainer).get(_url(cohort, lena, what), {"role": MANAGER})

    assert response.status_code == 404
    assert response.json() == {
        "error": {"code": "no_assessment", "message": "The learner has no submitted self-assessment for this role yet."}
    }
