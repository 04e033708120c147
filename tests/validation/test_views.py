from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from skills4cities.portfolio.services import evidence_item_create
from skills4cities.validation import selectors, services
from skills4cities.validation.models import ValidationRequest
from tests.conftest import client_for
from tests.portfolio.helpers import PNG, upload
from tests.validation.helpers import actions, unit_request

pytestmark = pytest.mark.django_db


def test_learner_creates_and_submits_a_request_from_the_page(people: Any, reference: Any) -> None:
    item = evidence_item_create(owner=people.alice, title="Report", description="x")
    client = client_for(people.alice)
    assert client.get(reverse("validation:new")).status_code == 200
    response = client.post(
        reverse("validation:new"),
        {"scope": "unit:U02", "evidence": [str(item.public_id)], "statement": "Hi", "submit": "1"},
    )
    req = ValidationRequest.objects.get(learner=people.alice)
    assert response.status_code == 302
    assert req.unit is not None
    assert (req.state, req.unit.code, list(req.evidence_items.all())) == ("submitted", "U02", [item])
    detail = client.get(reverse("validation:detail", args=[req.public_id])).content.decode()
    assert "Request created" in detail and "Submitted" in detail


def test_new_request_form_refuses_bad_input(people: Any, reference: Any, unchanged_database: Any) -> None:
    with unchanged_database():
        response = client_for(people.alice).post(reverse("validation:new"), {"scope": "unit:NOPE"})
    assert response.status_code == 400
    assert "Select a valid choice." in response.content.decode()


def test_request_pages_are_for_the_learner_assessors_and_managers_only(people: Any, reference: Any) -> None:
    req = unit_request(people.alice, reference)
    url = reverse("validation:detail", args=[req.public_id])
    assert client_for(people.alice).get(url).status_code == 200
    assert client_for(people.bob).get(url).status_code == 200
    assert client_for(people.charlie).get(url).status_code == 404
    assert client_for(people.dave).get(url).status_code == 404  # an assessor, but not assigned
    services.validation_request_assign(actor=people.bob, request=req, assessor=people.dave)
    assert client_for(people.dave).get(url).status_code == 200
    assert client_for(people.erin).get(url).status_code == 404


def test_evidence_downloads_for_the_assigned_assessor_only(people: Any, reference: Any) -> None:
    item = evidence_item_create(owner=people.alice, title="Scan", kind="file", files=[upload("scan.png", PNG)])
    req = services.validation_request_create(
        learner=people.alice, unit=reference.units.get(code="U01"), evidence_items=[item]
    )
    services.validation_request_submit(actor=people.alice, request=req)
    stored = item.files.get()
    url = reverse("validation:file", args=[req.public_id, stored.public_id])
    own_url = reverse("portfolio:file", args=[stored.public_id])
    assert client_for(people.dave).get(url).status_code == 404
    services.validation_request_assign(actor=people.bob, request=req, assessor=people.dave)
    response = client_for(people.dave).get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert client_for(people.dave).get(own_url).status_code == 404  # not through the portfolio route
    assert client_for(people.bob).get(url).status_code == 404  # the admin assigns, but does not read evidence
    assert client_for(people.charlie).get(url).status_code == 404


def test_assessor_reviews_and_decides_through_the_pages(people: Any, reference: Any) -> None:
    req = unit_request(people.alice, reference)
    admin = client_for(people.bob)
    response = admin.post(
        reverse("validation:action", args=[req.public_id, "assign"]), {"assessor": str(people.dave.pk)}
    )
    assert response.status_code == 302
    dave = client_for(people.dave)
    assert dave.post(reverse("validation:action", args=[req.public_id, "start_review"])).status_code == 302
    review_url = reverse("validation:review", args=[req.public_id])
    assert dave.get(review_url).status_code == 200
    for entry in selectors.scope_elements(req):
        code = entry.element.code
        data = {"element": code, f"{code}-level": "3", f"{code}-comment": "ok"}
        data |= {f"{code}-c-{c.code}": "met" for c in entry.criteria}
        assert dave.post(review_url, data).status_code == 302
    response = dave.post(reverse("validation:action", args=[req.public_id, "decide"]), {"comment": "Fine."})
    assert response.status_code == 302
    req.refresh_from_db()
    assert req.state == "decided"
    assert actions(req)[-1] == "validation_request.decide"


def test_an_invalid_step_from_the_page_answers_409_and_changes_nothing(people: Any, reference: Any) -> None:
    req = unit_request(people.alice, reference)
    response = client_for(people.alice).post(reverse("validation:action", args=[req.public_id, "submit"]))
    assert response.status_code == 409
    assert "This step is not possible while the request is “Submitted”." in response.content.decode()
    assert actions(req) == ["validation_request.create", "validation_request.submit"]


def test_appeal_needs_a_reason_on_the_page(people: Any, reference: Any) -> None:
    req = unit_request(people.alice, reference)
    services.validation_request_assign(actor=people.bob, request=req, assessor=people.dave)
    services.validation_request_start_review(actor=people.dave, request=req)
    from tests.validation.helpers import judge_all

    judge_all(people.dave, req)
    services.validation_request_decide(actor=people.dave, request=req)
    response = client_for(people.alice).post(
        reverse("validation:action", args=[req.public_id, "appeal"]), {"comment": ""}
    )
    assert response.status_code == 400
    assert ValidationRequest.objects.get(pk=req.pk).state == "decided"


def test_lists_and_inbox_within_a_query_budget(people: Any, reference: Any, django_assert_max_num_queries: Any) -> None:
    for _number in range(3):
        req = unit_request(people.alice, reference)
        services.validation_request_assign(actor=people.bob, request=req, assessor=people.dave)
    unit_request(people.alice, reference)  # waiting for an assessor
    learner, assessor, admin = client_for(people.alice), client_for(people.dave), client_for(people.bob)
    for client in (learner, assessor, admin):
        client.get(reverse("validation:list"))
    with django_assert_max_num_queries(8):
        response = learner.get(reverse("validation:list"))
    assert response.content.decode().count('data-testid="request-state"') == 4
    with django_assert_max_num_queries(8):
        inbox = assessor.get(reverse("validation:inbox")).content.decode()
    assert inbox.count('data-testid="inbox-request"') == 3
    with django_assert_max_num_queries(10):
        waiting = admin.get(reverse("validation:inbox")).content.decode()
    assert waiting.count('data-testid="assign-request"') == 1
    assert 'data-testid="inbox-request"' not in waiting


def test_detail_offers_each_person_their_own_steps(
    people: Any, reference: Any, django_assert_max_num_queries: Any
) -> None:
    req = unit_request(people.alice, reference)
    url = reverse("validation:detail", args=[req.public_id])
    admin = client_for(people.bob)
    admin.get(url)
    with django_assert_max_num_queries(20):
        page = admin.get(url).content.decode()
    assert 'data-testid="action-assign"' in page
    services.validation_request_assign(actor=people.bob, request=req, assessor=people.dave)
    assert 'data-testid="action-start_review"' in client_for(people.dave).get(url).content.decode()
    learner_page = client_for(people.alice).get(url).content.decode()
    assert 'data-testid="action-' not in learner_page
    assert 'data-testid="request-timeline"' in learner_page


def test_review_saves_one_element_with_htmx(people: Any, reference: Any) -> None:
    req = unit_request(people.alice, reference)
    services.validation_request_assign(actor=people.bob, request=req, assessor=people.dave)
    services.validation_request_start_review(actor=people.dave, request=req)
    entry = selectors.scope_elements(req)[0]
    code = entry.element.code
    client = client_for(people.dave)
    url = reverse("validation:review", args=[req.public_id])
    missing = client.post(url, {"element": code, f"{code}-level": "3"}, HTTP_HX_REQUEST="true")
    assert missing.status_code == 200
    assert "This field is required." in missing.content.decode()
    data = {"element": code, f"{code}-level": "3"} | {f"{code}-c-{c.code}": "partly_met" for c in entry.criteria}
    response = client.post(url, data, HTTP_HX_REQUEST="true")
    text = response.content.decode()
    assert response.status_code == 200
    assert f'data-testid="saved-{code}"' in text
    assert 'hx-swap-oob="true"' in text and "You have judged 1 of" in text
    assert "<html" not in text
    assert client.post(url, {"element": "NOPE"}, HTTP_HX_REQUEST="true").status_code == 404


def test_the_second_assessor_must_differ_from_the_first(people: Any, reference: Any, unchanged_database: Any) -> None:
    from skills4cities.validation.forms import AssignForm

    req = unit_request(people.alice, reference)
    same = {"assessor": str(people.dave.pk), "second_assessor": str(people.dave.pk)}
    form = AssignForm(same, request_obj=req)
    assert not form.is_valid()
    assert form.errors == {"second_assessor": ["The second assessor must be someone other than the first assessor."]}
    assert AssignForm({**same, "second_assessor": str(people.erin.pk)}, request_obj=req).is_valid()
    with unchanged_database():
        response = client_for(people.bob).post(reverse("validation:action", args=[req.public_id, "assign"]), same)
    assert response.status_code == 400
    assert "The second assessor must be someone other than the first assessor." in response.content.decode()
    page = client_for(people.bob).get(reverse("validation:detail", args=[req.public_id])).content.decode()
    assert "validation/assign.js" in page
