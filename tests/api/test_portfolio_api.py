from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from skills4cities.portfolio.models import EvidenceItem
from skills4cities.portfolio.services import evidence_item_create
from tests.conftest import client_for
from tests.portfolio.helpers import HTML, PDF, upload

pytestmark = pytest.mark.django_db
ITEMS = "/api/v1/portfolio/items/"


@pytest.fixture(autouse=True)
def private_storage(settings: Any, tmp_path: Path) -> Path:
    settings.PORTFOLIO_STORAGE_ROOT = tmp_path / "portfolio"
    return tmp_path / "portfolio"


def test_create_with_upload_and_read_back(alice: Any) -> None:
    client = client_for(alice)
    response = client.post(
        ITEMS,
        {"kind": "file", "title": "Report", "element_codes": ["U01.E1"], "files": [upload("report.pdf", PDF)]},
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["kind"], body["title"], body["element_codes"]) == ("file", "Report", ["U01.E1"])
    assert [(f["name"], f["content_type"], f["size"]) for f in body["files"]] == [
        ("report.pdf", "application/pdf", len(PDF))
    ]
    download = client.get(body["files"][0]["download"])
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    assert client.get(f"{ITEMS}{body['id']}/").json()["id"] == body["id"]


def test_disguised_upload_is_refused_with_a_stable_code(
    alice: Any, private_storage: Path, unchanged_database: Any
) -> None:
    with unchanged_database():
        response = client_for(alice).post(ITEMS, {"kind": "file", "title": "x", "files": [upload("x.pdf", HTML)]})
    assert response.status_code == 400
    assert response.json()["error"] == {
        "code": "upload_refused",
        "message": "“x.pdf”: HTML, SVG and XML files are not accepted.",
        "details": {"files": ["“x.pdf”: HTML, SVG and XML files are not accepted."]},
    }
    assert not private_storage.exists() or not any(private_storage.rglob("*.*"))


def test_invalid_fields_answer_invalid(alice: Any) -> None:
    response = client_for(alice).post(ITEMS, {"kind": "link", "title": "Site"}, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"
    assert response.json()["error"]["details"] == {"url": ["A link needs its web address."]}


def test_list_is_own_only_within_a_query_budget(alice: Any, charlie: Any, django_assert_max_num_queries: Any) -> None:
    for number in range(4):
        evidence_item_create(owner=alice, title=f"Mine {number}", description="x", element_codes=["U01.E1"])
    other = evidence_item_create(owner=charlie, title="Theirs", description="x")
    client = client_for(alice)
    with django_assert_max_num_queries(8):
        response = client.get(ITEMS)
    assert [item["title"] for item in response.json()["results"]] == ["Mine 3", "Mine 2", "Mine 1", "Mine 0"]
    assert client.get(f"{ITEMS}{other.public_id}/").json()["error"]["code"] == "not_found"
    assert EvidenceItem.objects.count() == 5


def test_anonymous_is_refused(db: Any) -> None:
    from django.test import Client

    assert Client().get(ITEMS).status_code == 401


def test_an_oversize_body_answers_413(settings: Any, alice: Any, unchanged_database: Any) -> None:
    settings.PORTFOLIO_MAX_UPLOAD_BYTES = 10
    with unchanged_database():
        response = client_for(alice).post(
            ITEMS, {"kind": "file", "title": "x", "files": [upload("x.pdf", PDF + b"0" * (2 * 1024 * 1024))]}
        )
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "upload_too_large"
