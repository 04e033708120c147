from __future__ import annotations

import io
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openbadgeslib.ob3.ldp import verify_data_integrity_proof

from skills4cities.credentials import services
from skills4cities.credentials.composition.status_list import bit_is_set, decode_bits
from tests.conftest import client_for


def test_did_document_is_public_and_lists_the_keys(credential: Any, client: Client) -> None:
    response = client.get("/.well-known/did.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/did+json")
    assert response["Access-Control-Allow-Origin"] == "*"
    document = response.json()
    assert document["id"] == "did:web:127.0.0.1%3A8000"
    assert document["assertionMethod"] == ["did:web:127.0.0.1%3A8000#key-1"]
    assert "private" not in response.content.decode().lower()


def test_status_list_is_signed_big_enough_and_shows_revocations(credential: Any, officer: Any, client: Client) -> None:
    url = f"/credentials/status/{credential.status_list.number}/"
    first = client.get(url)
    assert first.status_code == 200
    assert "max-age=60" in first["Cache-Control"]
    listed = first.json()
    assert listed["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert listed["id"] == f"http://127.0.0.1:8000{url}"
    bits = decode_bits(listed["credentialSubject"]["encodedList"])
    assert (len(bits), bit_is_set(bits, credential.status_index)) == (16384, False)
    services.credential_revoke(credential=credential, by=officer, reason="Withdrawn")
    after = client.get(url).json()
    assert bit_is_set(decode_bits(after["credentialSubject"]["encodedList"]), credential.status_index)
    key = next(m for m in services.did_document()["verificationMethod"])
    from openbadgeslib.ob3.did import _pem_from_vm

    verify_data_integrity_proof(after, _pem_from_vm(key))  # raises if the list's own proof is bad
    assert client.get("/credentials/status/999/").status_code == 404


def test_public_verification_page_states(credential: Any, officer: Any, client: Client) -> None:
    url = f"/verify/{credential.public_id}/"
    page = client.get(url, headers={"accept-language": "en"})
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-state="valid"' in html
    assert credential.holder_name in html
    assert f"/verify/{credential.public_id}/credential.json" in html
    assert "/certificate.pdf" not in html
    services.credential_revoke(credential=credential, by=officer, reason="Identity mix-up")
    html = client.get(url).content.decode()
    assert 'data-state="revoked"' in html
    assert "Identity mix-up" in html
    assert client.get("/verify/00000000-0000-4000-8000-000000000000/").status_code == 404


def test_verification_page_is_translated(credential: Any, client: Client) -> None:
    html = client.get(f"/verify/{credential.public_id}/", headers={"accept-language": "de"}).content.decode()
    assert '<html lang="de">' in html


def test_public_json_is_the_document_as_signed(credential: Any, client: Client) -> None:
    response = client.get(f"/verify/{credential.public_id}/credential.json")
    assert response.status_code == 200
    assert response.content.decode() == credential.document


def test_verify_form_paste_upload_and_garbage(credential: Any, client: Client) -> None:
    pasted = client.post("/verify/", {"document": credential.document}).content.decode()
    assert 'data-state="valid"' in pasted
    tampered = json.loads(credential.document)
    tampered["validUntil"] = "2099-01-01T00:00:00Z"
    upload = SimpleUploadedFile("c.json", json.dumps(tampered).encode(), content_type="application/json")
    uploaded = client.post("/verify/", {"file": upload}).content.decode()
    assert 'data-state="invalid"' in uploaded
    assert "The signature does not match" in uploaded
    empty = client.post("/verify/", {}).content.decode()
    assert "Paste a credential or choose a file." in empty
    big = SimpleUploadedFile("c.json", b"{" + b" " * 300_000 + b"}")
    assert "larger than 256 KB" in client.post("/verify/", {"file": big}).content.decode()
    assert "not a JSON document" in client.post("/verify/", {"document": "hello"}).content.decode()


@pytest.mark.parametrize("suffix", ["credential.json", "jwt", "certificate.pdf"])
def test_downloads_for_holder_and_staff_only(
    credential: Any, alice: Any, bob: Any, charlie: Any, officer: Any, suffix: str
) -> None:
    url = f"/credentials/{credential.public_id}/{suffix}"
    assert client_for(alice).get(url).status_code == 200  # owner
    assert client_for(officer).get(url).status_code == 200  # staff
    assert client_for(bob).get(url).status_code == 404  # member of the same organisation
    assert client_for(charlie).get(url).status_code == 404  # outsider
    assert Client().get(url).status_code == 302  # anonymous: to the sign-in page


def test_my_credentials_lists_only_mine(
    issue: Any, alice: Any, bob: Any, charlie: Any, django_assert_max_num_queries: Any
) -> None:
    mine = [issue(alice), issue(alice)]
    theirs = issue(bob)
    client = client_for(alice)
    client.get("/credentials/")
    with django_assert_max_num_queries(6):
        html = client.get("/credentials/").content.decode()
    assert all(str(c.public_id) in html for c in mine)
    assert str(theirs.public_id) not in html
    assert "You hold no credential yet." in client_for(charlie).get("/credentials/").content.decode()


@pytest.mark.skipif(not shutil.which("pdftoppm"), reason="poppler-utils (pdftoppm) is not installed")
def test_pdf_qr_code_decodes_to_the_verification_url(credential: Any, alice: Any, tmp_path: Path) -> None:
    import zxingcpp
    from PIL import Image

    response = client_for(alice).get(f"/credentials/{credential.public_id}/certificate.pdf")
    assert response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "certificate.pdf"
    pdf.write_bytes(response.content)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "150", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page")], check=True
    )
    image = Image.open(next(tmp_path.glob("page*.png")))
    texts = [result.text for result in zxingcpp.read_barcodes(image)]
    assert texts == [f"http://127.0.0.1:8000/verify/{credential.public_id}/"]
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert credential.holder_name in text
    assert str(credential.public_id) in text


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils is not installed")
def test_attendance_pdf_says_it_is_not_an_exam_certificate(issue: Any, alice: Any, tmp_path: Path) -> None:
    credential = issue(alice, kind="attendance", unit=None)
    pdf = tmp_path / "a.pdf"
    pdf.write_bytes(client_for(alice).get(f"/credentials/{credential.public_id}/certificate.pdf").content)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "not an exam certificate" in " ".join(text.split())


def test_pdf_is_in_the_holders_language(issue: Any, alice: Any, tmp_path: Path) -> None:
    alice.preferred_language = "de"
    alice.save()
    credential = issue(alice)
    content = client_for(alice).get(f"/credentials/{credential.public_id}/certificate.pdf").content
    assert content.startswith(b"%PDF")
    assert io.BytesIO(content).getbuffer().nbytes > 5000


def test_admin_never_shows_the_private_key(credential: Any) -> None:
    from tests import factories

    admin = factories.UserFactory(username="root", is_staff=True, is_superuser=True)
    client = client_for(admin)
    key = credential.signing_key
    pages = [
        "/admin/credentials/signingkey/",
        f"/admin/credentials/signingkey/{key.pk}/change/",
        f"/admin/credentials/credential/{credential.pk}/change/",
    ]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        assert "PRIVATE KEY" not in response.content.decode(), page


def test_verification_page_shows_criteria_lines_and_the_revocation_once(credential: Any, officer: Any) -> None:
    from django.test import Client

    from skills4cities.credentials import services as credential_services

    url = f"/verify/{credential.public_id}/"
    page = Client().get(url).content.decode()
    narrative = credential.document_dict["credentialSubject"]["achievement"]["criteria"]["narrative"]
    first, second = narrative.splitlines()[:2]
    assert f"{first}<br>{second}" in page.replace("&#x27;", "'").replace("&quot;", '"')
    assert "text-wrap" not in page
    credential_services.credential_revoke(credential=credential, by=officer, reason="Issued to the wrong person")

    page = Client().get(url).content.decode()

    assert page.count("Issued to the wrong person") == 1
    assert 'data-testid="revocation"' in page
    assert 'data-testid="reasons"' not in page
