from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from skills4cities.learning import services
from skills4cities.learning.models import LearningPath
from tests.conftest import client_for
from tests.learning.conftest import Setting


def test_the_learner_proposes_a_path_and_sees_what_each_module_closes(setting: Setting, alice: Any) -> None:
    client = client_for(alice)
    response = client.post(reverse("learning:propose"), {"role": setting.role.slug})
    path = LearningPath.objects.get(learner=alice)
    assert response.status_code == 302
    assert response["Location"] == reverse("learning:detail", args=[path.public_id])
    page = client.get(response["Location"]).content.decode()
    t1, t2, t3 = (setting.targets[c] for c in (setting.e1, setting.e2, setting.e3))
    assert f"closes: {setting.e1} (1→{t1})" in page
    assert f"closes: {setting.e2} (1→{t2})" in page
    assert "prerequisite of: M02" in page
    assert f"{setting.e3} " in page.split('data-testid="uncovered"')[1]
    assert f"(1→{t3})" in page.split('data-testid="uncovered"')[1]
    assert "0 of 20 hours completed" in page
    assert '<progress id="path-progress" class="w-100" max="20" value="0">' in page
    assert 'data-testid="swap-M02"' in page
    assert '<option value="M03">M03 Long course (30 h)</option>' in page
    assert 'data-testid="swap-M01"' not in page  # no other module closes its gap


def test_accept_drop_and_complete_through_the_page(setting: Setting, alice: Any) -> None:
    path = services.learning_path_propose(learner=alice, role=setting.role)
    client = client_for(alice)
    client.post(reverse("learning:accept", args=[path.public_id]))
    client.post(reverse("learning:module-action", args=[path.public_id, "M01", "complete"]))
    response = client.post(reverse("learning:module-action", args=[path.public_id, "M02", "drop"]), follow=True)
    page = response.content.decode()
    assert f"M02 was removed from your path. No module of your path closes these gaps any more: {setting.e2}." in page
    assert "8 of 8 hours completed" in page
    assert dict(path.modules.values_list("code", "status")) == {"M01": "completed", "M02": "dropped"}


def test_the_list_shows_only_my_paths_in_few_queries(
    setting: Setting, alice: Any, django_assert_max_num_queries: Any
) -> None:
    paths = [services.learning_path_propose(learner=alice, role=setting.role) for _ in range(3)]
    client = client_for(alice)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("learning:list")).content.decode()
    assert [page.count(reverse("learning:detail", args=[p.public_id])) for p in paths] == [1, 1, 1]
    assert page.count("<tr>") == 1 + 3  # the header row and one per path


@pytest.mark.parametrize("who", ["bob", "charlie"])
def test_no_one_else_sees_or_changes_a_learners_path(
    setting: Setting, alice: Any, who: str, request: pytest.FixtureRequest, unchanged_database: Any
) -> None:
    path = services.learning_path_propose(learner=alice, role=setting.role)
    client = client_for(request.getfixturevalue(who))
    with unchanged_database():
        assert client.get(reverse("learning:detail", args=[path.public_id])).status_code == 404
        assert client.post(reverse("learning:accept", args=[path.public_id])).status_code == 404
        for action in ("drop", "complete", "swap"):
            url = reverse("learning:module-action", args=[path.public_id, "M01", action])
            assert client.post(url, {"replacement": "M03"}).status_code == 404
        assert str(path.public_id) not in client.get(reverse("learning:list")).content.decode()
    path.refresh_from_db()
    assert path.status == "proposed"
    assert set(path.modules.values_list("status", flat=True)) == {"planned"}


def test_anonymous_visitors_are_sent_to_sign_in(setting: Setting, alice: Any) -> None:
    path = services.learning_path_propose(learner=alice, role=setting.role)
    response = Client().get(reverse("learning:detail", args=[path.public_id]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_swapping_through_the_page_explains_the_result(setting: Setting, alice: Any) -> None:
    path = services.learning_path_propose(learner=alice, role=setting.role)
    url = reverse("learning:module-action", args=[path.public_id, "M02", "swap"])
    page = client_for(alice).post(url, {"replacement": "M03"}, follow=True).content.decode()
    assert "M02 was removed from your path. Every gap it closed is still closed by another module." in page
    assert "(instead of M02)" in page
    assert dict(path.modules.values_list("code", "status")) == {"M01": "planned", "M02": "dropped", "M03": "planned"}


def test_the_path_page_on_the_reference_curriculum_needs_few_queries(
    reference: Any, alice: Any, django_assert_max_num_queries: Any
) -> None:
    from tests.learning.conftest import MANAGER, submit

    role = reference.roles.get(slug=MANAGER)
    submit(alice, role, {r.element.code for r in role.requirements.select_related("element")})
    path = services.learning_path_propose(learner=alice, role=role)
    client = client_for(alice)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("learning:detail", args=[path.public_id]))
    assert response.status_code == 200
    assert response.content.decode().count('data-testid="module-M') == path.modules.count()
