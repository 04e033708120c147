from __future__ import annotations

import pytest
from django.core.management import call_command
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from skills4cities.accounts.models import User
from skills4cities.frameworks.models import Framework
from skills4cities.learning.models import LearningPath

pytestmark = pytest.mark.django_db


def test_seed_demo_leaves_demo_learner_one_accepted_path_that_the_api_gives(reference: Framework) -> None:
    call_command("seed_demo", verbosity=0)
    call_command("seed_demo", verbosity=0)

    learner = User.objects.get(username="demo-learner")
    path = LearningPath.objects.get(learner=learner)
    modules = list(path.modules.all())
    assert (path.role.slug, path.status, path.method) == ("smart-city-project-manager", "accepted", "ilp")
    assert [m.status for m in modules] == ["completed"] + ["planned"] * (len(modules) - 1)

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=learner).key}")
    body = client.get("/api/v1/me/learning-path/", {"role": "smart-city-project-manager"}).json()
    assert body["id"] == str(path.public_id)
    assert [m["code"] for m in body["modules"]] == [m.code for m in modules]
    assert body["total_hours"] == sum(m.hours for m in modules)
    assert body["completed_hours"] == modules[0].hours
    closed = {g["element"] for m in body["modules"] for g in m["closes"]}
    assert closed.isdisjoint({g["element"] for g in body["uncovered"]})
    assert closed | {g["element"] for g in body["uncovered"]} == {g["element"] for g in path.gaps}
