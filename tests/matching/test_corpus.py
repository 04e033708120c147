from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from skills4cities.matching import services
from skills4cities.matching.engine import Candidate, Ranker
from skills4cities.matching.models import CorpusJob
from tests.conftest import client_for
from tests.matching.fakes import FAKE_MODEL, fake_encode

URL = "/matching/corpus/"


@pytest.fixture
def fake_framework(monkeypatch: pytest.MonkeyPatch, reference: Any) -> Ranker:
    elements = list(reference.elements.order_by("code")[:8])
    candidates = [Candidate.build(uri=element.code, label=element.title) for element in elements]
    ranker = Ranker(candidates, passage_encoder=fake_encode, query_encoder=fake_encode, model_id=FAKE_MODEL)
    monkeypatch.setattr(services, "framework_ranker", lambda framework=None: ranker)
    return ranker


def upload(name: str, content: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content.encode(), content_type="text/plain")


def test_corpus_run_counts_pairs_role_and_csv(
    alice: Any, reference: Any, fake_esco: Ranker, fake_framework: Ranker, django_assert_max_num_queries: Any
) -> None:
    role = reference.roles.order_by("position").first()
    ads = "text\n" + "\n".join(f'"We need someone who can manage budgets, ad {n}."' for n in range(3)) + "\n"
    files = [upload("ad1.txt", "Python programming and first aid."), upload("ads.csv", ads)]
    client = client_for(alice)
    response = client.post(URL, {"title": "Sofia job ads", "uploads": files, "role": role.pk})
    assert response.status_code == 302
    job = CorpusJob.objects.get(owner=alice)
    assert response["Location"] == f"/matching/corpus/{job.public_id}/"
    assert job.status == "succeeded"
    assert job.progress == 100
    assert [document["name"] for document in job.documents] == ["ad1.txt", "ads.csv:2", "ads.csv:3", "ads.csv:4"]
    result = job.result
    assert result["documents"] == 4
    assert {row["documents"] for row in result["elements"]} == {4}  # 8 elements, top 10: every one everywhere
    assert len(result["elements"]) == 8
    assert [(row["documents"], row["share"]) for row in result["skills"]] == [(4, 100.0)] * 4  # 4 skills, top 10
    assert len(result["pairs"]) == 20
    assert result["role"]["title"] == role.title
    assert len(result["role"]["required"]) == role.requirements.count()
    with django_assert_max_num_queries(12):
        page = client.get(response["Location"])
    body = page.content.decode()
    assert 'data-testid="corpus-results"' in body and 'data-status="succeeded"' in body
    assert "hx-get" not in body  # finished: no more polling
    exported = client.get(f"/matching/corpus/{job.public_id}/competences.csv")
    assert exported["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert rows[0] == ["kind", "code_or_uri", "label", "documents", "share_percent", "required_by_role"]
    assert sum(row[0] == "element" for row in rows) >= 8
    assert sum(row[0] == "esco_skill" for row in rows) == 4


def test_a_queued_job_shows_a_polling_progress_bar(alice: Any) -> None:
    job = CorpusJob.objects.create(owner=alice, title="waiting", documents=[{"name": "a", "text": "x"}])
    response = client_for(alice).get(f"/matching/corpus/{job.public_id}/", headers={"HX-Request": "true"})
    body = response.content.decode()
    assert body.startswith('<div id="corpus-status"')
    assert 'data-testid="corpus-progress"' in body
    assert f'hx-get="/matching/corpus/{job.public_id}/"' in body


def test_other_users_get_404(alice: Any, bob: Any) -> None:
    job = CorpusJob.objects.create(owner=alice, title="mine", documents=[])
    assert client_for(bob).get(f"/matching/corpus/{job.public_id}/").status_code == 404
    assert client_for(bob).get(f"/matching/corpus/{job.public_id}/competences.csv").status_code == 404
    assert Client().get(URL).status_code == 302


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ([upload("ads.csv", "title,salary\nx,1\n")], "ads.csv: The CSV file has no column named text"),
        ([upload("empty.txt", "   ")], "The files contain no text."),
        ([SimpleUploadedFile("a.docx", b"PK\x03\x04")], "a.docx: Upload a .txt or .pdf file."),
    ],
)
def test_bad_uploads_are_refused_and_nothing_is_stored(alice: Any, files: list[Any], message: str) -> None:
    response = client_for(alice).post(URL, {"title": "x", "uploads": files})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not CorpusJob.objects.exists()


def test_unavailable_framework_fails_the_job_with_a_message(alice: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    def unavailable(framework: Any = None) -> Ranker:
        raise services.MatchingUnavailable("No framework is loaded: run load_reference first.")

    monkeypatch.setattr(services, "framework_ranker", unavailable)
    client_for(alice).post(URL, {"title": "x", "uploads": [upload("a.txt", "hello")]})
    job = CorpusJob.objects.get()
    assert job.status == "failed"
    assert job.message == "No framework is loaded: run load_reference first."
