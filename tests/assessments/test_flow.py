from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape

from skills4cities.assessments.enums import AssessmentStatus
from skills4cities.assessments.models import SelfAssessment, SelfRating
from skills4cities.core.models import AuditEntry
from skills4cities.frameworks.models import Framework
from tests.assessments.helpers import MANAGER, first_element, manager, submitted
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def start(client: Client) -> SelfAssessment:
    response = client.post("/assessment/start/", {"role": MANAGER})
    assessment = SelfAssessment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/assessment/{assessment.public_id}/"
    return assessment


def test_anonymous_visitors_are_sent_to_sign_in(client: Client) -> None:
    response = client.get("/assessment/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/assessment/"


def test_list_offers_the_reference_roles(alice: Any, reference: Framework) -> None:
    response = client_for(alice).get("/assessment/")

    assert response.status_code == 200
    assert [role.slug for role in response.context["roles"]] == [
        "smart-city-project-developer",
        "smart-city-project-management-consultant",
        "smart-city-project-manager",
    ]
    assert response.context["assessments"] == []


def test_starting_twice_resumes_the_draft(alice: Any, reference: Framework) -> None:
    client = client_for(alice)
    first = start(client)

    again = client.post("/assessment/start/", {"role": MANAGER})

    assert again["Location"] == f"/assessment/{first.public_id}/"
    assert SelfAssessment.objects.count() == 1
    assert list(
        AuditEntry.objects.filter(object_type="assessments.selfassessment").values_list("action", "object_id")
    ) == [("self_assessment.start", str(first.public_id))]


def test_each_answer_is_saved_as_it_is_given_and_the_draft_resumes(alice: Any, reference: Framework) -> None:
    client = client_for(alice)
    assessment = start(client)
    element = first_element(reference)
    code = element.code

    response = client.post(
        f"/assessment/{assessment.public_id}/rate/{code}/",
        {f"level-{code}": "3", f"note-{code}": " led two "},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 200
    assert f'data-testid="saved-{code}"' in response.content.decode()
    assert list(SelfRating.objects.values_list("element__code", "level", "note")) == [(code, 3, "led two")]
    page = client.get(f"/assessment/{assessment.public_id}/")
    assert f'id="level-{code}-3" value="3" checked' in page.content.decode()
    assert page.context["rated"] == 1


def test_an_answer_outside_the_scale_is_refused(alice: Any, reference: Framework) -> None:
    client = client_for(alice)
    assessment = start(client)
    code = first_element(reference).code

    response = client.post(
        f"/assessment/{assessment.public_id}/rate/{code}/", {f"level-{code}": "9"}, HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 200
    assert response.content.decode().strip() == (
        '<span class="text-danger small" role="alert">Choose a level between 1 and 5.</span>'
    )
    assert SelfRating.objects.count() == 0


def test_a_unit_form_saves_without_javascript_and_goes_to_the_next_step(alice: Any, reference: Framework) -> None:
    client = client_for(alice)
    assessment = start(client)
    steps = client.get(f"/assessment/{assessment.public_id}/").context["steps"]
    codes = [item.element.code for item in steps[0].elements]

    response = client.post(f"/assessment/{assessment.public_id}/steps/1/", {f"level-{code}": "2" for code in codes})

    assert response.status_code == 302
    assert response["Location"] == f"/assessment/{assessment.public_id}/?step=2"
    assert dict(SelfRating.objects.values_list("element__code", "level")) == dict.fromkeys(codes, 2)


def test_submit_is_refused_while_elements_are_missing(alice: Any, reference: Framework) -> None:
    client = client_for(alice)
    assessment = start(client)
    role = manager(reference)
    requirements = list(
        role.requirements.select_related("element").order_by("element__unit__position", "element__position")
    )
    for requirement in requirements[:-2]:
        code = requirement.element.code
        client.post(f"/assessment/{assessment.public_id}/rate/{code}/", {f"level-{code}": "2"}, HTTP_HX_REQUEST="true")

    response = client.post(f"/assessment/{assessment.public_id}/submit/", follow=True)

    missing = ", ".join(f"{r.element.code} {r.element.title}" for r in requirements[-2:])
    assert [str(m) for m in response.context["messages"]] == [
        f"Rate every element before you submit. Still missing: {missing}."
    ]
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.DRAFT


def test_submitting_a_complete_draft_shows_the_results(alice: Any, reference: Framework) -> None:
    client = client_for(alice)
    assessment = start(client)
    for requirement in manager(reference).requirements.select_related("element"):
        code = requirement.element.code
        client.post(f"/assessment/{assessment.public_id}/rate/{code}/", {f"level-{code}": "2"}, HTTP_HX_REQUEST="true")

    response = client.post(f"/assessment/{assessment.public_id}/submit/")

    assert response["Location"] == f"/assessment/{assessment.public_id}/results/"
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.SUBMITTED
    results = client.get(response["Location"])
    body = results.content.decode()
    assert results.status_code == 200
    assert 'id="radar-data"' in body
    assert "s4c/radar.js" in body
    assert "Otherwise the latest self-rating gives your current level." in body
    assert [unit["code"] for unit in results.context["chart_data"]["units"]] == [
        "U03",
        "U04",
        "U05",
        "U06",
        "U08",
        "U09",
        "U10",
        "U11",
        "U12",
    ]
    # a submitted self-assessment no longer changes
    code = first_element(reference).code
    refused = client.post(f"/assessment/{assessment.public_id}/rate/{code}/", {f"level-{code}": "5"})
    assert refused.status_code == 404


def test_results_of_a_draft_send_the_learner_back_to_the_steps(alice: Any, reference: Framework) -> None:
    client = client_for(alice)
    assessment = start(client)

    response = client.get(f"/assessment/{assessment.public_id}/results/")

    assert response["Location"] == f"/assessment/{assessment.public_id}/"


@pytest.mark.parametrize("path", ["", "results/"])
def test_no_one_else_sees_a_learners_self_assessment(
    path: str, alice: Any, bob: Any, charlie: Any, reference: Framework
) -> None:
    assessment = submitted(alice, manager(reference), {})

    assert client_for(alice).get(f"/assessment/{assessment.public_id}/{path}").status_code in {200, 302}
    assert client_for(bob).get(f"/assessment/{assessment.public_id}/{path}").status_code == 404
    assert client_for(charlie).get(f"/assessment/{assessment.public_id}/{path}").status_code == 404


def test_no_one_else_can_rate_or_submit_a_learners_draft(
    alice: Any, bob: Any, charlie: Any, reference: Framework, unchanged_database: Any
) -> None:
    assessment = start(client_for(alice))
    code = first_element(reference).code

    with unchanged_database():
        for user in (bob, charlie):
            client = client_for(user)
            assert (
                client.post(f"/assessment/{assessment.public_id}/rate/{code}/", {f"level-{code}": "3"}).status_code
                == 404
            )
            assert (
                client.post(f"/assessment/{assessment.public_id}/steps/1/", {f"level-{code}": "3"}).status_code == 404
            )
            assert client.post(f"/assessment/{assessment.public_id}/submit/").status_code == 404
    assert client_for(charlie).get("/assessment/").context["assessments"] == []


def test_list_page_queries_do_not_grow_with_assessments(alice: Any, reference: Framework) -> None:
    client = client_for(alice)
    role = manager(reference)
    submitted(alice, role, {})
    with CaptureQueriesContext(connection) as one:
        client.get("/assessment/")
    for _ in range(3):
        submitted(alice, role, {})
    with CaptureQueriesContext(connection) as four:
        response = client.get("/assessment/")

    assert len(response.context["assessments"]) == 4
    assert len(four) == len(one)
    assert len(four) == 5


def test_step_and_results_pages_have_bounded_queries(alice: Any, reference: Framework) -> None:
    client = client_for(alice)
    assessment = submitted(alice, manager(reference), {})
    submitted(alice, manager(reference), {})
    latest = SelfAssessment.objects.order_by("-submitted_at", "-id")[0]
    assert client.post("/assessment/start/", {"role": MANAGER}).status_code == 302
    draft_assessment = SelfAssessment.objects.get(status=AssessmentStatus.DRAFT)

    with CaptureQueriesContext(connection) as steps:
        assert client.get(f"/assessment/{draft_assessment.public_id}/").status_code == 200
    with CaptureQueriesContext(connection) as results:
        assert client.get(f"/assessment/{latest.public_id}/results/").status_code == 200

    assert assessment.pk != latest.pk
    assert len(steps) == 7  # session, user, assessment, ratings, requirements, criteria, levels
    assert len(results) == 8


def test_admin_shows_self_assessments_read_only(admin_client: Client, alice: Any, reference: Framework) -> None:
    assessment = submitted(alice, manager(reference), {})

    listing = admin_client.get("/admin/assessments/selfassessment/")
    detail = admin_client.get(f"/admin/assessments/selfassessment/{assessment.pk}/change/")

    assert listing.status_code == 200
    assert detail.status_code == 200
    assert admin_client.get("/admin/assessments/selfassessment/add/").status_code == 403


def test_a_step_shows_criteria_and_every_level_with_its_description(alice: Any, reference: Framework) -> None:
    client = client_for(alice)
    assessment = start(client)
    element = first_element(reference)

    response = client.get(f"/assessment/{assessment.public_id}/?step=1")

    body = response.content.decode()
    assert response.context["step"].code == element.unit.code
    for criterion in element.criteria.all():
        assert escape(criterion.text) in body
    for level in reference.scale.levels.all():
        assert f"<strong>{level.value} · {escape(level.name)}</strong><br>{escape(level.description)}" in body
    assert f'hx-post="/assessment/{assessment.public_id}/rate/{element.code}/"' in body


def test_a_single_answer_without_htmx_redirects_back(alice: Any, reference: Framework) -> None:
    client = client_for(alice)
    assessment = start(client)
    code = first_element(reference).code

    response = client.post(f"/assessment/{assessment.public_id}/rate/{code}/", {f"level-{code}": "4"})

    assert response.status_code == 302
    assert response["Location"] == f"/assessment/{assessment.public_id}/"
    assert list(SelfRating.objects.values_list("element__code", "level")) == [(code, 4)]
