from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from skills4cities.matching import services
from skills4cities.matching.engine import Candidate, Ranker
from tests.conftest import client_for
from tests.matching.fakes import FAKE_MODEL, fake_encode

URL = "/matching/"


@pytest.fixture
def fake_framework(monkeypatch: pytest.MonkeyPatch, reference: Any) -> Ranker:
    elements = list(reference.elements.order_by("code")[:6])
    candidates = [Candidate.build(uri=element.code, label=element.title) for element in elements]
    ranker = Ranker(candidates, passage_encoder=fake_encode, query_encoder=fake_encode, model_id=FAKE_MODEL)
    monkeypatch.setattr(services, "framework_ranker", lambda framework=None: ranker)
    return ranker


def test_anonymous_visitors_are_sent_to_log_in(db: Any) -> None:
    from django.test import Client

    response = Client().get(URL)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_form_page(alice: Any) -> None:
    response = client_for(alice).get(URL)
    assert response.status_code == 200
    assert b'data-testid="cv-form"' in response.content
    assert b'data-testid="cv-results"' not in response.content


def test_pasted_text_lists_elements_and_skills_with_sentences(
    alice: Any, fake_esco: Ranker, fake_framework: Ranker, django_assert_max_num_queries: Any
) -> None:
    element = fake_framework.candidates[0]
    text = f"I manage budgets for the city. {element.label}."
    with django_assert_max_num_queries(20):  # the base layout; the rankers read nothing per match
        response = client_for(alice).post(URL, {"text": text})
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="cv-results"' in body
    assert f'data-testid="cv-element-{element.uri}"' in body
    assert "manage budgets" in body
    assert "“I manage budgets for the city.”" in body
    assert body.count('data-testid="cv-skill"') == 4
    assert "<meter" in body


def test_uploaded_text_file_is_read(alice: Any, fake_esco: Ranker, fake_framework: Ranker) -> None:
    upload = SimpleUploadedFile("cv.txt", b"Python programmer.\n", content_type="text/plain")
    response = client_for(alice).post(URL, {"text": "", "document": upload})
    assert response.status_code == 200
    assert "“Python programmer.”" in response.content.decode()


def test_empty_form_and_bad_files_are_refused(alice: Any, fake_esco: Ranker, fake_framework: Ranker) -> None:
    client = client_for(alice)
    response = client.post(URL, {"text": "   "})
    assert "Paste a text or upload a .txt or .pdf file." in response.content.decode()
    upload = SimpleUploadedFile("cv.docx", b"PK\x03\x04 not text", content_type="application/octet-stream")
    response = client.post(URL, {"document": upload})
    assert "Upload a .txt or .pdf file." in response.content.decode()
    broken = SimpleUploadedFile("cv.pdf", b"%PDF-1.4 broken", content_type="application/pdf")
    response = client.post(URL, {"document": broken})
    assert "No text could be read from this PDF file" in response.content.decode()


def test_add_to_portfolio_creates_an_evidence_item(alice: Any, reference: Any) -> None:
    portfolio = pytest.importorskip("skills4cities.portfolio.models")
    element = reference.elements.order_by("code").first()
    response = client_for(alice).post(
        "/matching/add/portfolio/", {"code": element.code, "sentence": "I led the bus lane project."}
    )
    assert response.status_code == 302
    item = portfolio.EvidenceItem.objects.get(owner=alice)
    assert item.description == "I led the bus lane project."
    assert element.code in item.title


def test_add_to_self_assessment_without_a_draft_goes_to_the_list(alice: Any, reference: Any) -> None:
    element = reference.elements.order_by("code").first()
    response = client_for(alice).post("/matching/add/self-assessment/", {"code": element.code})
    assert response.status_code == 302
    assert response["Location"] == "/assessment/"


def test_add_to_self_assessment_opens_the_step_of_the_element(alice: Any, reference: Any) -> None:
    from skills4cities.assessments.services import self_assessment_start

    role = reference.roles.order_by("position").first()
    assessment = self_assessment_start(learner=alice, role=role)
    element = role.requirements.order_by("element__unit__position", "element__position").last().element
    response = client_for(alice).post("/matching/add/self-assessment/", {"code": element.code})
    assert response.status_code == 302
    assert response["Location"].startswith(f"/assessment/{assessment.public_id}/?step=")
    assert response["Location"].endswith(f"#element-{element.code}")


def test_unknown_element_codes_are_refused(alice: Any, reference: Any) -> None:
    response = client_for(alice).post("/matching/add/portfolio/", {"code": "NOPE", "sentence": "x"}, follow=True)
    assert "No such element." in response.content.decode()
