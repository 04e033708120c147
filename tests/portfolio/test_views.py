from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from skills4cities.core.models import AuditEntry
from skills4cities.portfolio.models import EvidenceFile, EvidenceItem
from skills4cities.portfolio.services import evidence_item_create
from tests import factories
from tests.conftest import client_for
from tests.portfolio.conftest import stored_files
from tests.portfolio.helpers import HTML, PDF, PNG, SVG, TEXT, upload

pytestmark = pytest.mark.django_db


def post_file(user: Any, name: str, content: bytes, **extra: Any) -> Any:
    data = {"title": "Project report", "files": upload(name, content, "application/pdf"), **extra}
    return client_for(user).post(reverse("portfolio:add", args=["file"]), data)


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("big.pdf", PDF + b"0" * 2000, "the file is larger than the limit of 1.0\xa0KB."),
        ("fake.pdf", HTML, "HTML, SVG and XML files are not accepted."),
        ("photo.pdf", PNG, "the file name ends in .pdf but the content is not of that type."),
        ("empty.pdf", b"", "the file is empty."),
        ("page.html", HTML, "files of type .html are not accepted."),
        ("logo.svg", SVG, "files of type .svg are not accepted."),
        ("logo.png", SVG, "HTML, SVG and XML files are not accepted."),
    ],
)
def test_upload_attacks_are_refused_with_a_message_and_store_nothing(
    settings: Any, alice: Any, private_storage: Path, unchanged_database: Any, name: str, content: bytes, problem: str
) -> None:
    settings.PORTFOLIO_MAX_UPLOAD_BYTES = 1024
    with unchanged_database():
        response = post_file(alice, name, content)
    assert response.status_code == 400
    text = html.unescape(response.content.decode())
    assert problem in text
    assert "Nothing was saved." in text
    assert stored_files(private_storage) == []


def test_upload_keeps_a_sanitised_name_and_stores_under_a_generated_one(alice: Any, private_storage: Path) -> None:
    response = post_file(alice, "Final report (v2).pdf", PDF, element_codes=[])
    item = EvidenceItem.objects.get(owner=alice)
    assert response.status_code == 302
    assert response["Location"] == reverse("portfolio:detail", args=[item.public_id])
    stored = item.files.get()
    assert (stored.original_name, stored.content_type, stored.size) == (
        "Final report (v2).pdf",
        "application/pdf",
        len(PDF),
    )
    files = stored_files(private_storage)
    assert len(files) == 1
    assert files[0].read_bytes() == PDF
    assert "report" not in str(files[0].relative_to(private_storage))
    assert AuditEntry.objects.filter(action="evidence_item.create", object_id=str(item.public_id)).count() == 1


def test_a_path_in_the_uploaded_name_never_reaches_the_storage(alice: Any, private_storage: Path) -> None:
    """Django's multipart parser keeps only the last path component; the service refuses any path it is given
    (test_services), and the stored name is generated either way."""
    response = post_file(alice, "../../etc/cron.pdf", PDF)
    assert response.status_code == 302
    stored = EvidenceFile.objects.get()
    assert stored.original_name == "cron.pdf"
    assert [path.parent.parent for path in stored_files(private_storage)] == [private_storage]


def test_file_item_needs_a_file(alice: Any, unchanged_database: Any) -> None:
    with unchanged_database():
        response = client_for(alice).post(reverse("portfolio:add", args=["file"]), {"title": "No file"})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()


def test_link_and_attestation_items_are_checked(alice: Any, unchanged_database: Any) -> None:
    client = client_for(alice)
    with unchanged_database():
        link = client.post(reverse("portfolio:add", args=["link"]), {"title": "Site", "url": "javascript:alert(1)"})
        attestation = client.post(reverse("portfolio:add", args=["attestation"]), {"title": "Reference"})
    assert link.status_code == attestation.status_code == 400
    assert "Enter a web address starting with http:// or https://." in link.content.decode()
    assert attestation.content.decode().count("This field is required.") == 2


def test_list_shows_only_my_items_within_a_query_budget(
    alice: Any, charlie: Any, django_assert_max_num_queries: Any
) -> None:
    for number in range(5):
        evidence_item_create(
            owner=alice, title=f"Mine {number}", description="x", element_codes=["U01.E1"] if number else []
        )
    evidence_item_create(owner=charlie, title="Not mine", description="x")
    client = client_for(alice)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("portfolio:list"))
    text = response.content.decode()
    assert response.status_code == 200
    assert text.count('href="/portfolio/') >= 5
    assert "Mine 4" in text and "Not mine" not in text


def test_detail_edit_and_delete_are_for_the_owner_only(alice: Any, bob: Any, charlie: Any) -> None:
    item = evidence_item_create(owner=alice, title="Mine", description="x")
    for user in (bob, charlie):
        client = client_for(user)
        for name in ("detail", "edit", "delete"):
            assert client.get(reverse(f"portfolio:{name}", args=[item.public_id])).status_code == 404
        assert client.post(reverse("portfolio:delete", args=[item.public_id])).status_code == 404
    assert EvidenceItem.objects.filter(pk=item.pk).exists()
    owner = client_for(alice)
    assert owner.get(reverse("portfolio:delete", args=[item.public_id])).status_code == 200
    assert owner.post(reverse("portfolio:delete", args=[item.public_id])).status_code == 302
    assert not EvidenceItem.objects.filter(pk=item.pk).exists()
    assert AuditEntry.objects.filter(action="evidence_item.delete", object_id=str(item.public_id)).count() == 1


def test_delete_removes_the_stored_files(
    alice: Any, private_storage: Path, django_capture_on_commit_callbacks: Any
) -> None:
    item = evidence_item_create(owner=alice, title="Scan", kind="file", files=[upload("scan.png", PNG)])
    assert len(stored_files(private_storage)) == 1
    with django_capture_on_commit_callbacks(execute=True):
        client_for(alice).post(reverse("portfolio:delete", args=[item.public_id]))
    assert stored_files(private_storage) == []
    assert EvidenceFile.objects.count() == 0


def test_edit_adds_and_removes_files(
    alice: Any, private_storage: Path, django_capture_on_commit_callbacks: Any
) -> None:
    item = evidence_item_create(owner=alice, title="Scan", kind="file", files=[upload("scan.png", PNG)])
    old = item.files.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(alice).post(
            reverse("portfolio:edit", args=[item.public_id]),
            {"title": "Scan and notes", "files": upload("notes.txt", TEXT), "remove_files": [str(old.public_id)]},
        )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.title == "Scan and notes"
    assert [f.original_name for f in item.files.all()] == ["notes.txt"]
    assert len(stored_files(private_storage)) == 1


def test_download_is_an_attachment_for_the_owner_and_staff_only(alice: Any, bob: Any, charlie: Any) -> None:
    item = evidence_item_create(owner=alice, title="Scan", kind="file", files=[upload("scan <1>.png", PNG)])
    stored = item.files.get()
    url = reverse("portfolio:file", args=[stored.public_id])
    response = client_for(alice).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PNG
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    for user in (bob, charlie):
        assert client_for(user).get(url).status_code == 404
    staff = factories.UserFactory(username="staff", is_staff=True)
    assert client_for(staff).get(url).status_code == 200


def test_private_files_have_no_url(alice: Any) -> None:
    item = evidence_item_create(owner=alice, title="Scan", kind="file", files=[upload("scan.png", PNG)])
    with pytest.raises(ValueError, match="no public URL"):
        _ = item.files.get().file.url


@pytest.mark.parametrize("kind", ["file", "link", "description", "attestation"])
def test_add_page_shows_the_fields_of_each_kind(alice: Any, kind: str) -> None:
    response = client_for(alice).get(reverse("portfolio:add", args=[kind]))
    text = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="evidence-title"' in text and 'data-testid="evidence-save"' in text
    assert ('data-testid="evidence-files"' in text) == (kind == "file")
    assert ('data-testid="evidence-url"' in text) == (kind == "link")
    assert ('data-testid="evidence-referee-statement"' in text) == (kind == "attestation")


def test_unknown_kind_is_404(alice: Any) -> None:
    assert client_for(alice).get(reverse("portfolio:add", args=["script"])).status_code == 404


def test_an_oversize_request_body_is_refused_before_it_is_read(
    settings: Any, alice: Any, private_storage: Path, unchanged_database: Any
) -> None:
    settings.PORTFOLIO_MAX_UPLOAD_BYTES = 10
    big = PDF + b"0" * (2 * 1024 * 1024)
    with unchanged_database():
        response = post_file(alice, "big.pdf", big)
    assert response.status_code == 413
    assert "The upload is too large: at most 5 files of 10\xa0bytes each can be sent at once." in html.unescape(
        response.content.decode()
    )
    assert stored_files(private_storage) == []
