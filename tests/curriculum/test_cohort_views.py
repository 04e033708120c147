"""Trainer pages: my cohorts, create a cohort, enrol and remove learners, results per element, a learner's view."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from skills4cities.accounts.enums import MemberRole
from skills4cities.curriculum.models import Cohort
from skills4cities.curriculum.selectors import cohort_results
from skills4cities.frameworks.models import Framework
from tests import factories
from tests.assessments.helpers import MANAGER, manager, submitted
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


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
def cohort(loaded: Any, city: Any, trainer: Any, alice: Any) -> Cohort:
    cohort = Cohort.objects.create(
        course=loaded.courses.get(code="C1"), organisation=city, trainer=trainer, name="Sofia spring",
        start_date=datetime.date(2026, 3, 2),
    )  # fmt: skip
    cohort.learners.add(alice)
    return cohort


def learner_of(organisation: Any, username: str) -> Any:
    user = factories.UserFactory(username=username)
    factories.MembershipFactory(user=user, organisation=organisation, role=MemberRole.LEARNER)
    return user


def url(cohort: Cohort, suffix: str = "") -> str:
    return f"/curriculum/cohorts/{cohort.public_id}/{suffix}"


# --- access -----------------------------------------------------------------------------------------------


def test_the_trainer_sees_only_their_cohorts_in_the_list(cohort: Cohort, trainer: Any, other_trainer: Any) -> None:
    Cohort.objects.create(
        course=cohort.course, organisation=cohort.organisation, trainer=other_trainer, name="Otto's",
        start_date=datetime.date(2026, 4, 1),
    )  # fmt: skip

    response = client_for(trainer).get("/curriculum/cohorts/")

    assert response.status_code == 200
    assert [c.name for c in response.context["cohorts"]] == ["Sofia spring"]
    assert "Otto&#x27;s" not in response.content.decode()


def test_the_trainer_opens_their_cohort(cohort: Cohort, trainer: Any) -> None:
    response = client_for(trainer).get(url(cohort), {"role": MANAGER})

    assert response.status_code == 200
    assert response.context["cohort"] == cohort
    assert [row.learner.username for row in response.context["results"].rows] == ["alice"]


@pytest.mark.parametrize("who", ["other_trainer", "alice", "bob", "charlie"])
@pytest.mark.parametrize("suffix", ["", "learners/{alice}/", "learners/{alice}/?role=" + MANAGER])
def test_everyone_but_the_trainer_gets_404_on_a_cohort(
    cohort: Cohort, alice: Any, who: str, suffix: str, request: pytest.FixtureRequest
) -> None:
    response = client_for(request.getfixturevalue(who)).get(url(cohort, suffix.format(alice=alice.public_id)))

    assert response.status_code == 404


@pytest.mark.parametrize("who", ["alice", "bob", "charlie"])
def test_non_trainers_get_404_on_the_cohort_list(cohort: Cohort, who: str, request: pytest.FixtureRequest) -> None:
    assert client_for(request.getfixturevalue(who)).get("/curriculum/cohorts/").status_code == 404


@pytest.mark.parametrize(
    "path", ["/curriculum/cohorts/", "{cohort}", "{cohort}learners/{alice}/"], ids=["list", "detail", "learner"]
)
def test_anonymous_users_are_sent_to_sign_in(cohort: Cohort, alice: Any, path: str) -> None:
    target = path.format(cohort=url(cohort), alice=alice.public_id)

    response = Client().get(target)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_user_menu_offers_cohorts_to_trainers_only(cohort: Cohort, trainer: Any, alice: Any) -> None:
    assert 'data-testid="menu-cohorts"' in client_for(trainer).get("/curriculum/").content.decode()
    assert 'data-testid="menu-cohorts"' not in client_for(alice).get("/curriculum/").content.decode()


# --- create -----------------------------------------------------------------------------------------------


def test_a_trainer_creates_a_cohort_in_their_organisation(loaded: Any, trainer: Any, city: Any) -> None:
    course = loaded.courses.get(code="C2")
    data = {"organisation": city.pk, "course": course.pk, "name": " Autumn ", "start_date": "2026-09-14"}

    response = client_for(trainer).post("/curriculum/cohorts/", data)

    cohort = Cohort.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url(cohort)
    assert (cohort.name, cohort.course, cohort.organisation, cohort.trainer, cohort.start_date) == (
        "Autumn", course, city, trainer, datetime.date(2026, 9, 14)
    )  # fmt: skip


def test_a_cohort_cannot_be_created_in_an_organisation_one_does_not_train_for(
    loaded: Any, trainer: Any, unchanged_database: Callable[[], Any]
) -> None:
    elsewhere = factories.OrganisationFactory(name="Elsewhere", slug="elsewhere")
    data = {"organisation": elsewhere.pk, "course": loaded.courses.get(code="C2").pk, "name": "X",
            "start_date": "2026-09-14"}  # fmt: skip

    with unchanged_database():
        response = client_for(trainer).post("/curriculum/cohorts/", data)

    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["organisation"]


def test_learners_cannot_create_cohorts(loaded: Any, alice: Any, city: Any, unchanged_database: Any) -> None:
    data = {"organisation": city.pk, "course": loaded.courses.get(code="C2").pk, "name": "X",
            "start_date": "2026-09-14"}  # fmt: skip
    with unchanged_database():
        assert client_for(alice).post("/curriculum/cohorts/", data).status_code == 404


# --- enrol and remove -------------------------------------------------------------------------------------


def test_the_enrol_form_offers_the_organisations_learners_not_yet_enrolled(
    cohort: Cohort, trainer: Any, city: Any, charlie: Any
) -> None:
    learner_of(city, "lena")

    response = client_for(trainer).get(url(cohort))

    choices = response.context["enrol_form"].fields["learner"].queryset
    assert [u.username for u in choices] == ["lena"]


def test_without_a_role_the_page_shows_the_first_role_someone_assessed(
    cohort: Cohort, trainer: Any, reference: Framework, alice: Any
) -> None:
    roles = list(reference.roles.all())
    empty = client_for(trainer).get(url(cohort))
    submitted(alice, roles[-1], {}, default=2)
    assessed = client_for(trainer).get(url(cohort))

    assert empty.context["role"] == roles[0]
    assert assessed.context["role"] == roles[-1]


def test_the_trainer_enrols_and_removes_a_learner(cohort: Cohort, trainer: Any, city: Any, alice: Any) -> None:
    lena = learner_of(city, "lena")
    client = client_for(trainer)

    response = client.post(url(cohort, "enrol/"), {"learner": str(lena.public_id)})
    assert response.status_code == 302
    assert sorted(cohort.learners.values_list("username", flat=True)) == ["alice", "lena"]

    response = client.post(url(cohort, f"learners/{alice.public_id}/remove/"))
    assert response.status_code == 302
    assert list(cohort.learners.values_list("username", flat=True)) == ["lena"]


@pytest.mark.parametrize("who", ["charlie", "bob"])
def test_only_learners_of_the_organisation_can_be_enrolled(
    cohort: Cohort, trainer: Any, who: str, request: pytest.FixtureRequest, unchanged_database: Any
) -> None:
    outsider = request.getfixturevalue(who)
    with unchanged_database():
        response = client_for(trainer).post(url(cohort, "enrol/"), {"learner": str(outsider.public_id)})

    assert response.status_code == 302
    assert list(cohort.learners.values_list("username", flat=True)) == ["alice"]


@pytest.mark.parametrize("who", ["other_trainer", "alice", "bob", "charlie"])
def test_others_can_neither_enrol_nor_remove(
    cohort: Cohort, city: Any, alice: Any, who: str, request: pytest.FixtureRequest, unchanged_database: Any
) -> None:
    lena = learner_of(city, "lena")
    client = client_for(request.getfixturevalue(who))
    with unchanged_database():
        assert client.post(url(cohort, "enrol/"), {"learner": str(lena.public_id)}).status_code == 404
        assert client.post(url(cohort, f"learners/{alice.public_id}/remove/")).status_code == 404

    assert list(cohort.learners.values_list("username", flat=True)) == ["alice"]


def test_removing_someone_not_in_the_cohort_is_404(cohort: Cohort, trainer: Any, city: Any) -> None:
    lena = learner_of(city, "lena")

    assert client_for(trainer).post(url(cohort, f"learners/{lena.public_id}/remove/")).status_code == 404


# --- results ----------------------------------------------------------------------------------------------


@pytest.fixture
def rated(cohort: Cohort, reference: Framework, alice: Any, city: Any) -> dict[str, Any]:
    """alice rates everything 2; lena rates everything 4; nina has no self-assessment."""
    role = manager(reference)
    lena, nina = learner_of(city, "lena"), learner_of(city, "nina")
    cohort.learners.add(lena, nina)
    submitted(alice, role, {}, default=2)
    submitted(lena, role, {}, default=4)
    requirements = list(
        role.requirements.select_related("element__unit").order_by(
            "element__unit__position", "element__position", "element__code"
        )
    )
    return {"role": role, "requirements": requirements}


def test_results_show_each_learner_against_each_element(cohort: Cohort, rated: dict[str, Any]) -> None:
    results = cohort_results(cohort, rated["role"])
    requirements = rated["requirements"]

    assert [e.code for e in results.elements] == [r.element.code for r in requirements]
    assert [(row.learner.username, row.assessed) for row in results.rows] == [
        ("alice", True), ("lena", True), ("nina", False)
    ]  # fmt: skip
    alice, lena, nina = results.rows
    targets = [r.target_level for r in requirements]
    assert [(c.current, c.target, c.gap) for c in alice.cells] == [(2, t, max(t - 2, 0)) for t in targets]
    assert [(c.current, c.gap) for c in lena.cells] == [(4, max(t - 4, 0)) for t in targets]
    assert [(c.current, c.gap, c.tone) for c in nina.cells] == [(None, None, "")] * len(targets)
    expected = [
        (
            sum(1 for level in (2, 4) if level < t),
            round((max(t - 2, 0) + max(t - 4, 0)) / 2, 2),
        )
        for t in targets
    ]
    assert [(e.below, e.mean_gap) for e in results.elements] == expected
    assert results.assessed == 2


def test_cells_are_coloured_by_gap(cohort: Cohort, rated: dict[str, Any]) -> None:
    results = cohort_results(cohort, rated["role"])
    targets = [r.target_level for r in rated["requirements"]]
    tone = {0: "table-success", 1: "table-warning"}

    assert [c.tone for c in results.rows[0].cells] == [tone.get(max(t - 2, 0), "table-danger") for t in targets]


def test_mean_gap_is_empty_when_nobody_has_assessed(cohort: Cohort, reference: Framework) -> None:
    results = cohort_results(cohort, manager(reference))

    assert {(e.below, e.mean_gap) for e in results.elements} == {(0, None)}
    assert results.assessed == 0


def test_the_results_page_shows_the_table(cohort: Cohort, trainer: Any, rated: dict[str, Any]) -> None:
    response = client_for(trainer).get(url(cohort), {"role": MANAGER})
    html = response.content.decode()
    first = rated["requirements"][0]

    assert response.context["role"] == rated["role"]
    assert (
        f'<td class="{"table-success" if first.target_level <= 2 else "table-warning" if first.target_level == 3 else "table-danger"}">2/{first.target_level}</td>'
        in html
    )
    assert f'href="{url(cohort)}learners/' in html
    assert 'data-testid="mean-gap"' in html


def test_results_page_queries_do_not_grow_with_the_learners(
    cohort: Cohort, trainer: Any, rated: dict[str, Any], city: Any, django_assert_num_queries: Any
) -> None:
    client = client_for(trainer)
    client.get(url(cohort), {"role": MANAGER})  # warm caches (sessions, content types)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as before:
        client.get(url(cohort), {"role": MANAGER})
    for name in ("mia", "max", "meg"):
        extra = learner_of(city, name)
        cohort.learners.add(extra)
        submitted(extra, rated["role"], {}, default=3)

    with django_assert_num_queries(len(before.captured_queries)):
        response = client.get(url(cohort), {"role": MANAGER})
    assert len(response.context["results"].rows) == 6


def test_cohort_list_queries_do_not_grow_with_the_cohorts(
    cohort: Cohort, trainer: Any, django_assert_num_queries: Any
) -> None:
    client = client_for(trainer)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get("/curriculum/cohorts/")
    with CaptureQueriesContext(connection) as before:
        client.get("/curriculum/cohorts/")
    for index in range(3):
        Cohort.objects.create(
            course=cohort.course, organisation=cohort.organisation, trainer=trainer, name=f"More {index}",
            start_date=datetime.date(2026, 5, index + 1),
        )  # fmt: skip

    with django_assert_num_queries(len(before.captured_queries)):
        response = client.get("/curriculum/cohorts/")
    assert len(response.context["cohorts"]) == 4


# --- a learner for the trainer ----------------------------------------------------------------------------


def test_the_trainer_sees_a_learners_gaps_and_path_read_only(
    cohort: Cohort, trainer: Any, alice: Any, rated: dict[str, Any]
) -> None:
    response = client_for(trainer).get(url(cohort, f"learners/{alice.public_id}/"), {"role": MANAGER})

    assert response.status_code == 200
    analysis = response.context["analysis"]
    assert analysis.assessment.learner == alice
    assert {row.current_level for row in analysis.rows} == {2}
    path = response.context["path"]
    assert path is not None and path.status == "unsaved"
    html = response.content.decode()
    assert 'data-testid="learner-gaps"' in html
    assert '<form method="post"' not in html.split('data-testid="learner-gaps"')[1]


def test_a_learner_without_self_assessment_is_shown_as_such(
    cohort: Cohort, trainer: Any, alice: Any, reference: Framework
) -> None:
    response = client_for(trainer).get(url(cohort, f"learners/{alice.public_id}/"), {"role": MANAGER})

    assert response.status_code == 200
    assert response.context["path"] is None
    assert 'data-testid="no-assessment"' in response.content.decode()


def test_a_learner_outside_the_cohort_is_404_for_the_trainer(cohort: Cohort, trainer: Any, city: Any) -> None:
    lena = learner_of(city, "lena")

    assert client_for(trainer).get(url(cohort, f"learners/{lena.public_id}/")).status_code == 404
