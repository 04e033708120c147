from __future__ import annotations

import pytest
from django.core.management import call_command

from skills4cities.accounts.models import User
from skills4cities.curriculum.models import Cohort
from skills4cities.curriculum.selectors import cohort_results, cohorts_for_trainer
from skills4cities.frameworks.models import Framework
from tests.assessments.helpers import manager
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def test_seed_demo_gives_demo_trainer_a_cohort_with_results_once(reference: Framework) -> None:
    call_command("seed_demo", verbosity=0)
    call_command("seed_demo", verbosity=0)

    trainer = User.objects.get(username="demo-trainer")
    cohort = Cohort.objects.get()
    assert list(cohorts_for_trainer(trainer)) == [cohort]
    assert (cohort.name, cohort.course.code, cohort.organisation.slug) == (
        "Smart City Project Managers — spring cohort", "C2", "demo-vet"
    )  # fmt: skip
    results = cohort_results(cohort, manager(reference))
    assert [(row.learner.username, row.assessed) for row in results.rows] == [
        ("demo-learner", True), ("demo-learner-bg", True), ("demo-learner-el", True)
    ]  # fmt: skip
    assert {c.current for c in results.rows[1].cells} == {3}
    assert {c.current for c in results.rows[2].cells} == {2}
    response = client_for(trainer).get(f"/curriculum/cohorts/{cohort.public_id}/")
    assert response.status_code == 200
    assert response.context["role"].slug == "smart-city-project-manager"  # the role the learners assessed
    assert 'data-testid="nobody-to-enrol"' in response.content.decode()
