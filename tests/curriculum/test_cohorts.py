from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from skills4cities.accounts.enums import MemberRole
from skills4cities.core.models import AuditEntry
from skills4cities.curriculum.models import Cohort
from skills4cities.curriculum.selectors import (
    cohort_for_trainer,
    cohort_learners,
    cohorts_for_trainer,
    curriculum_for_framework,
    modules_with_outcomes,
)
from skills4cities.curriculum.services import cohort_enrol
from skills4cities.frameworks.models import Framework
from tests import factories


@pytest.fixture
def trainer(city: Any) -> Any:
    user = factories.UserFactory(username="tina")
    factories.MembershipFactory(user=user, organisation=city, role=MemberRole.TRAINER)
    return user


@pytest.fixture
def cohort(loaded: Any, city: Any, trainer: Any, alice: Any) -> Cohort:
    cohort = Cohort.objects.create(
        course=loaded.courses.get(code="C1"), organisation=city, trainer=trainer, name="Sofia spring",
        start_date=datetime.date(2026, 3, 2),
    )  # fmt: skip
    cohort.learners.add(alice)
    return cohort


def test_a_trainer_sees_only_their_cohorts(cohort: Cohort, trainer: Any, city: Any, loaded: Any) -> None:
    other_trainer: Any = factories.UserFactory(username="otto")
    factories.MembershipFactory(user=other_trainer, organisation=city, role=MemberRole.TRAINER)
    Cohort.objects.create(
        course=cohort.course,
        organisation=city,
        trainer=other_trainer,
        name="Other",
        start_date=datetime.date(2026, 4, 1),
    )

    assert list(cohorts_for_trainer(trainer)) == [cohort]
    assert [c.name for c in cohorts_for_trainer(other_trainer)] == ["Other"]
    assert cohort_for_trainer(trainer, cohort.public_id) == cohort
    with pytest.raises(Http404):
        cohort_for_trainer(other_trainer, cohort.public_id)


@pytest.mark.parametrize("who", ["alice", "bob", "charlie"])
def test_learners_admins_and_outsiders_see_no_cohorts(cohort: Cohort, who: str, request: pytest.FixtureRequest) -> None:
    user = request.getfixturevalue(who)

    assert list(cohorts_for_trainer(user)) == []
    with pytest.raises(Http404):
        cohort_for_trainer(user, cohort.public_id)


def test_anonymous_users_see_no_cohorts(cohort: Cohort) -> None:
    from django.contrib.auth.models import AnonymousUser

    assert list(cohorts_for_trainer(AnonymousUser())) == []


def test_a_trainer_who_left_the_organisation_loses_the_cohort(cohort: Cohort, trainer: Any) -> None:
    trainer.memberships.all().delete()

    assert list(cohorts_for_trainer(trainer)) == []


def test_cohort_learners_are_listed_by_username(cohort: Cohort, city: Any) -> None:
    zed: Any = factories.UserFactory(username="zed")
    cohort.learners.add(zed)

    assert [u.username for u in cohort_learners(cohort)] == ["alice", "zed"]


def test_the_trainer_enrols_a_learner_of_the_organisation(cohort: Cohort, trainer: Any, city: Any) -> None:
    learner = factories.UserFactory(username="lena")
    factories.MembershipFactory(user=learner, organisation=city, role=MemberRole.LEARNER)

    assert cohort_enrol(cohort=cohort, learner=learner, actor=trainer) is True
    assert cohort_enrol(cohort=cohort, learner=learner, actor=trainer) is False

    assert [u.username for u in cohort_learners(cohort)] == ["alice", "lena"]
    assert AuditEntry.objects.filter(action="cohort.enrol", object_id=str(cohort.public_id)).count() == 1


@pytest.mark.parametrize(
    ("actor", "learner"), [("alice", "alice"), ("bob", "alice"), ("charlie", "alice"), ("trainer", "charlie")]
)
def test_enrolment_is_refused_to_others_and_for_outsiders(
    cohort: Cohort, actor: str, learner: str, request: pytest.FixtureRequest, unchanged_database: Callable[[], Any]
) -> None:
    cohort.learners.clear()
    acting, enrolled = request.getfixturevalue(actor), request.getfixturevalue(learner)
    with unchanged_database(), pytest.raises(PermissionDenied):
        cohort_enrol(cohort=cohort, learner=enrolled, actor=acting)
    assert list(cohort.learners.all()) == []


def test_curriculum_for_framework_and_modules_with_outcomes(loaded: Any, reference: Framework) -> None:
    assert curriculum_for_framework(reference) == loaded

    modules = modules_with_outcomes(loaded)

    assert [m.code for m in modules] == ["M01", "M02", "M03"]
    assert [p.code for p in modules[2].prerequisites.all()] == ["M01", "M02"]
    assert all(o.element.code for m in modules for o in m.outcomes.all())


def test_modules_with_outcomes_uses_a_fixed_number_of_queries(
    loaded: Any, django_assert_num_queries: Callable[[int], Any]
) -> None:
    with django_assert_num_queries(3):
        modules = modules_with_outcomes(loaded)
        codes = [(o.element.code, p.code) for m in modules for o in m.outcomes.all() for p in m.prerequisites.all()]
    assert codes
