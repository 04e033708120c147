"""Issue 6's journey in Chromium, from evidence to a revoked certificate.

demo-learner uploads a PDF to the portfolio, tagged to the elements of unit U03, and requests its validation;
demo-hr (the organisation admin) assigns demo-assessor, who downloads the evidence, judges every element
criterion by criterion and decides; the learner accepts the decision. demo-admin, the certification officer,
finds demo-graduate eligible for the Smart City Project Manager and issues the role certificate (the candidate
page then shows the certificate held, not the "Issue" button). demo-graduate
downloads the PDF (its QR code decodes to the live verification URL) and the signed JSON (an
OpenBadgeCredential whose issuer is the site's did:web). A stranger verifies it on the verification page and
by pasting and uploading it; a tampered copy is refused with the reason. The officer revokes the credential
from the candidate page (a reason and a confirmation) and the verification page says revoked, when and why.

The site runs with SITE_URL set to its live URL, so that the QR code, the did:web and the status list point
at the server the browser talks to."""

from __future__ import annotations

import copy
import datetime
import json
import re
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tests.browser.conftest import _free_port, serve_demo, sign_in

pytestmark = pytest.mark.browser

ROLE = "smart-city-project-manager"
ROLE_TITLE = "Smart City Project Manager"
UNIT = "U03"
UNIT_ELEMENTS = ["U03.E1", "U03.E2", "U03.E3", "U03.E4"]
EVIDENCE_TITLE = "Funding plan of the street lighting pilot"
REASON = "Issued in error: the experience record could not be confirmed."
SITE_TIME_ZONE = ZoneInfo("Europe/Brussels")  # settings.TIME_ZONE of the served site (its default)


def _evidence_pdf(path: Path) -> Path:
    from weasyprint import HTML

    html = (
        "<h1>Funding plan</h1><p>Street lighting pilot, Demo City, 2025: grants, co-financing and a fallback "
        "loan, with the timeline of calls and decisions.</p>"
    )
    path.write_bytes(HTML(string=html).write_pdf())
    return path


def _qr_codes(pdf: Path) -> list[str]:
    """The texts of the QR codes on page 1, rasterised at 150 dpi with poppler and read with zxing-cpp."""
    import zxingcpp
    from PIL import Image

    stem = pdf.with_suffix("")
    subprocess.run(
        ["pdftoppm", "-png", "-r", "150", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(stem)], check=True
    )
    with Image.open(stem.with_suffix(".png")) as image:
        return [code.text for code in zxingcpp.read_barcodes(image) if code.format == zxingcpp.BarcodeFormat.QRCode]


def _state(page: Any) -> tuple[str, str]:
    box = page.get_by_test_id("verification-state")
    return box.get_attribute("data-state"), box.inner_text()


def _local_day() -> datetime.date:
    return datetime.datetime.now(SITE_TIME_ZONE).date()


def test_evidence_validation_certificate_verification_and_revocation(
    browser: Any, tmp_path_factory: pytest.TempPathFactory, chromium_path: str, screenshots: Path
) -> None:
    from django.utils import translation
    from django.utils.formats import date_format

    var = tmp_path_factory.mktemp("certification-site")
    files = tmp_path_factory.mktemp("certification-files")
    evidence = _evidence_pdf(files / "funding-plan.pdf")
    port = _free_port()
    live = f"http://127.0.0.1:{port}"
    did = f"did:web:127.0.0.1%3A{port}"
    errors: list[str] = []

    def shot(page: Any, name: str) -> None:
        page.screenshot(path=str(screenshots / f"cert-{name}.png"), full_page=True)

    def new_page(username: str | None) -> tuple[Any, Callable[[], None]]:
        context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900}, accept_downloads=True)
        page = context.new_page()
        page.on("console", lambda m: errors.append(f"{username}: {m.text}") if m.type == "error" else None)
        page.on("pageerror", lambda error: errors.append(f"{username}: {error}"))
        if username is not None:
            sign_in(page, url, username)
        return page, context.close

    with serve_demo(var, extra_env={"SITE_URL": live}, port=port) as url:
        assert url == live

        # 1. The learner documents: a PDF in the portfolio, tagged to every element of U03.
        page, close = new_page("demo-learner")
        page.get_by_test_id("learning-menu").click()
        page.get_by_test_id("menu-portfolio").click()
        page.get_by_test_id("portfolio-add-file").click()
        page.get_by_test_id("evidence-title").fill(EVIDENCE_TITLE)
        page.get_by_test_id("evidence-issuer").fill("Demo City Municipality")
        page.get_by_test_id("evidence-date-from").fill("2025-03-01")
        page.get_by_test_id("evidence-files").set_input_files(str(evidence))
        assert page.get_by_test_id("evidence-element-codes").select_option(UNIT_ELEMENTS) == UNIT_ELEMENTS
        shot(page, "01-evidence-form")
        page.get_by_test_id("evidence-save").click()
        page.get_by_test_id("evidence-title").wait_for()
        assert page.get_by_test_id("evidence-title").inner_text() == EVIDENCE_TITLE
        assert page.locator(".alert-success").inner_text() == (
            f"The evidence “{EVIDENCE_TITLE}” was added to your portfolio."
        )
        assert page.get_by_test_id("evidence-file-download").inner_text() == "funding-plan.pdf"
        shot(page, "02-evidence-saved")

        # ... and requests the validation of the unit with it (submitted at once).
        page.get_by_test_id("learning-menu").click()
        page.get_by_test_id("menu-validation").click()
        page.get_by_test_id("request-new").click()
        page.get_by_test_id("request-scope").select_option(f"unit:{UNIT}")
        page.get_by_test_id("request-form").get_by_label(EVIDENCE_TITLE).check()
        page.get_by_test_id("request-statement").fill("I wrote the funding plan of the pilot and ran its audit.")
        page.get_by_test_id("request-submit").click()
        page.wait_for_url(re.compile(r"/validation/[0-9a-f-]{36}/$"))
        request_url = page.url
        assert page.locator(".alert-success").inner_text() == (
            "Your request was submitted. An assessor of your organisation will review it."
        )
        assert page.get_by_test_id("request-state").inner_text() == "Submitted"
        assert page.get_by_test_id("request-assessor").inner_text() == "–"  # not assigned automatically
        elements = page.get_by_test_id("request-elements").locator("tbody tr td:first-child span").all_inner_texts()
        assert elements == UNIT_ELEMENTS
        shot(page, "03-request-submitted")
        close()

        # 2. The organisation admin assigns demo-assessor (requests are not assigned automatically).
        page, close = new_page("demo-hr")
        page.goto(url + "/validation/inbox/")
        waiting = page.get_by_test_id("inbox-to-assign").locator("tr", has_text=f"{UNIT} Funding and financing")
        assert waiting.count() == 1
        assert "Elena Petrova" in waiting.inner_text()
        waiting.get_by_test_id("assign-request").click()
        page.wait_for_url(request_url)
        page.get_by_test_id("assign-assessor").select_option(label="Maria Papadopoulou (demo-assessor)")
        page.get_by_test_id("action-assign-button").click()
        page.wait_for_load_state()
        assert page.locator(".alert-success").inner_text() == "The assessors were assigned."
        assert page.get_by_test_id("request-assessor").inner_text() == "Maria Papadopoulou"
        shot(page, "04-assessor-assigned")
        close()

        # The assessor opens the request, downloads the evidence, starts the review and judges every element.
        page, close = new_page("demo-assessor")
        page.get_by_test_id("user-menu").click()
        page.get_by_test_id("menu-assessor-inbox").click()
        page.get_by_test_id("inbox-assigned").get_by_role("link", name=f"{UNIT} Funding and financing").click()
        page.wait_for_url(request_url)
        with page.expect_download() as download_info:
            page.get_by_test_id("request-file-download").click()
        assert download_info.value.suggested_filename == "funding-plan.pdf"
        assert Path(download_info.value.path()).read_bytes() == evidence.read_bytes()
        page.get_by_test_id("action-start_review-button").click()
        page.wait_for_url(request_url + "review/")
        assert page.get_by_test_id("request-state").inner_text() == "In review"
        assert page.get_by_test_id("review-file-download").inner_text() == "funding-plan.pdf"
        forms = page.locator("form[data-testid^='judge-']")
        codes = [forms.nth(n).get_attribute("data-testid").removeprefix("judge-") for n in range(forms.count())]
        assert codes == UNIT_ELEMENTS
        expected: dict[str, str] = {}
        for n, code in enumerate(codes):
            form = page.get_by_test_id(f"judge-{code}")
            met = form.locator("input[type=radio][value=met]")
            assert met.count() >= 3  # one rubric row per performance criterion
            for row in range(met.count()):
                met.nth(row).check()
            last = n == len(codes) - 1
            if last:  # one criterion only partly shown: the element is partly met
                form.locator("input[type=radio][value=partly_met]").first.check()
            level = "2" if last else "3"
            form.get_by_test_id(f"judge-{code}-level").select_option(level)
            form.get_by_test_id(f"judge-{code}-comment").fill(f"{code}: judged on the funding plan.")
            form.get_by_test_id(f"judge-{code}-save").click()  # saved by HTMX, element by element
            page.get_by_test_id(f"saved-{code}").wait_for()
            outcome = "Partly met" if last else "Met"
            assert page.get_by_test_id(f"judged-{code}").inner_text() == outcome
            assert page.get_by_test_id("review-progress").inner_text() == (
                f"You have judged {n + 1} of {len(codes)} elements."
            )
            expected[code] = f"{outcome} · level {level}\n{code}: judged on the funding plan."
        shot(page, "05-review-judged")
        page.get_by_test_id("decide-comment").fill("Three elements met; the co-financing only partly shown.")
        page.get_by_test_id("action-decide-button").click()
        page.wait_for_url(request_url)
        assert page.locator(".alert-success").inner_text() == "The decision was recorded."
        assert page.get_by_test_id("request-state").inner_text() == "Decided"
        for code, text in expected.items():
            assert page.get_by_test_id(f"decision-{code}").inner_text() == text
        timeline = page.get_by_test_id("request-timeline").inner_text()
        for step in ("Request created", "Submitted", "Assessor assigned", "Review started", "Decided"):
            assert step in timeline
        shot(page, "06-decided")
        close()

        # The learner sees the decision per element and accepts it.
        page, close = new_page("demo-learner")
        page.goto(request_url)
        for code, text in expected.items():
            assert page.get_by_test_id(f"decision-{code}").inner_text() == text
        page.get_by_test_id("action-finalise-button").click()
        page.wait_for_url(request_url)
        assert page.get_by_test_id("request-state").inner_text() == "Final"
        shot(page, "07-decision-final")
        close()

        # 3. The certification officer finds demo-graduate eligible and issues the role certificate.
        page, close = new_page("demo-admin")
        page.goto(url + "/certification/candidates/")
        headers = page.get_by_test_id("candidates").locator("thead th").all_inner_texts()
        column = headers.index(ROLE_TITLE)
        graduate = page.get_by_test_id("candidates").locator("tr[data-candidate='demo-graduate']")
        assert graduate.locator("th, td").nth(column).inner_text() == "met"
        shot(page, "08-candidates")
        graduate.get_by_role("link", name="Jonas Berg").click()
        page.wait_for_url("**/certification/candidates/*/")  # waits for the page's load event too
        candidate_url = page.url
        assert page.get_by_text("No credential has been issued to this person yet.").count() == 1
        manager = page.locator(f"section[data-role='{ROLE}']")
        assert manager.get_by_test_id("role-met").inner_text() == "Role certificate: requirements met"
        manager.get_by_test_id(f"issue-role-{ROLE}").click()
        page.wait_for_load_state()
        assert page.locator(".alert-success").inner_text() == "The credential has been issued."
        held = page.get_by_test_id("held").locator("tbody tr")
        assert held.count() == 1
        assert held.locator("td").first.inner_text() == f"{ROLE_TITLE} (job role certificate)"
        assert held.locator("td").nth(3).inner_text() == "issued"
        assert manager.get_by_test_id(f"issue-role-{ROLE}").count() == 0
        assert manager.get_by_test_id("role-held").inner_text().startswith("Role certificate held, valid until ")
        shot(page, "09-issued")
        close()

        # 4. The graduate downloads the PDF (QR code → the live verification URL) and the signed JSON.
        page, close = new_page("demo-graduate")
        page.get_by_test_id("learning-menu").click()
        page.get_by_test_id("menu-credentials").click()
        page.wait_for_url("**/credentials/")
        rows = page.get_by_test_id("credential-list").locator("tbody tr")
        rows.first.wait_for()
        assert rows.count() == 1
        row = rows.first
        assert row.locator("td").nth(4).inner_text() == "Issued"
        shot(page, "10-my-credentials")
        with page.expect_download() as download_info:
            row.get_by_role("link", name="PDF", exact=True).click()
        pdf = files / "certificate.pdf"
        download_info.value.save_as(pdf)
        assert pdf.read_bytes().startswith(b"%PDF-")
        credential_id = re.fullmatch(r"certificate-([0-9a-f-]{36})\.pdf", download_info.value.suggested_filename)
        assert credential_id is not None
        public_id = credential_id.group(1)
        verify_url = f"{live}/verify/{public_id}/"
        assert _qr_codes(pdf) == [verify_url]
        (screenshots / "cert-11-certificate-page1.png").write_bytes(pdf.with_suffix(".png").read_bytes())
        with page.expect_download() as download_info:
            row.get_by_role("link", name="JSON", exact=True).click()
        credential_json = files / "credential.json"
        download_info.value.save_as(credential_json)
        document = json.loads(credential_json.read_text(encoding="utf-8"))
        assert "OpenBadgeCredential" in document["type"]
        assert "VerifiableCredential" in document["type"]
        assert document["issuer"]["id"].startswith("did:web:")
        assert document["issuer"]["id"] == did
        assert document["id"] == f"urn:uuid:{public_id}"
        assert document["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
        assert document["proof"]["verificationMethod"].startswith(f"{did}#")
        assert document["credentialStatus"]["statusListCredential"].startswith(f"{live}/credentials/status/")
        with page.expect_download() as download_info:
            row.get_by_role("link", name="VC-JWT", exact=True).click()
        jwt = Path(download_info.value.path()).read_text(encoding="ascii").strip()
        assert jwt.count(".") == 2
        close()

        # 5. A stranger verifies: the public page, the DID document, the pasted and the uploaded JSON.
        page, close = new_page(None)
        page.goto(verify_url)
        state, text = _state(page)
        assert state == "valid"
        assert text.startswith("✓ Valid")
        assert page.get_by_test_id("holder").inner_text() == "Jonas Berg"
        shot(page, "12-verify-valid")
        did_document = page.request.get(f"{live}/.well-known/did.json").json()
        assert did_document["id"] == did
        page.get_by_role("link", name="Verify a certificate").click()
        page.wait_for_url(f"{live}/verify/")
        page.get_by_label("Credential (JSON)").fill(credential_json.read_text(encoding="utf-8"))
        page.get_by_test_id("verify-form").get_by_role("button", name="Verify", exact=True).click()
        page.wait_for_load_state()
        assert _state(page)[0] == "valid"
        shot(page, "13-paste-valid")
        page.get_by_label("…or upload the credential file").set_input_files(str(credential_json))
        page.get_by_test_id("verify-form").get_by_role("button", name="Verify", exact=True).click()
        page.wait_for_load_state()
        assert _state(page)[0] == "valid"
        tampered = copy.deepcopy(document)
        tampered["credentialSubject"]["achievement"]["name"] = "Smart City Programme Director (job role certificate)"
        page.get_by_label("Credential (JSON)").fill(json.dumps(tampered))
        page.get_by_test_id("verify-form").get_by_role("button", name="Verify", exact=True).click()
        page.wait_for_load_state()
        state, text = _state(page)
        assert state == "invalid"
        assert text.startswith("✗ Not valid")
        assert page.get_by_test_id("reasons").inner_text() == (
            "The signature does not match: the credential was changed after it was signed."
        )
        shot(page, "14-paste-tampered")

        close()

        # 6. The officer revokes it from the candidate page: a reason and a confirmation.
        page, close = new_page("demo-admin")
        page.goto(candidate_url)
        page.get_by_test_id(f"revoke-{public_id}").click()
        page.get_by_test_id("revoke-reason").fill(REASON)
        page.get_by_test_id("revoke-confirm").check()
        shot(page, "15-revoke-confirm")
        before = _local_day()
        page.get_by_test_id("revoke-submit").click()
        page.wait_for_url(verify_url)
        after = _local_day()
        assert page.locator(".alert-success").inner_text() == (
            "The credential has been revoked; the verification page shows it now."
        )
        state, text = _state(page)
        assert state == "revoked"
        assert text.startswith("✗ Revoked")
        with translation.override("en"):
            days = {date_format(day, "DATE_FORMAT") for day in (before, after)}
        revocation = page.get_by_test_id("revocation").inner_text()
        assert revocation in {f"Revoked on {day}. Reason: {REASON}" for day in days}, revocation
        assert page.get_by_test_id("reasons").count() == 0  # the date and reason are shown once
        shot(page, "16-verify-revoked")
        page.goto(f"{live}/verify/")
        page.get_by_label("Credential (JSON)").fill(credential_json.read_text(encoding="utf-8"))
        page.get_by_test_id("verify-form").get_by_role("button", name="Verify", exact=True).click()
        page.wait_for_load_state()
        assert _state(page)[0] == "revoked"
        assert REASON in page.get_by_test_id("revocation").inner_text()
        close()

        # The holder sees the revocation too.
        page, close = new_page("demo-graduate")
        page.goto(url + "/credentials/")
        assert page.get_by_test_id("credential-list").locator("tbody tr td").nth(4).inner_text() == "Revoked"
        shot(page, "17-my-credentials-revoked")
        close()

    assert errors == []
