"""demo-learner opens their learning path, proposes a fresh one, drops a module, accepts, completes one and
downloads the personal development plan, in Chromium."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import pdf_to_png, sign_in

pytestmark = pytest.mark.browser
MANAGER = "smart-city-project-manager"


def test_a_learner_follows_and_adjusts_a_learning_path(page: Any, live_url: str, screenshots: Path) -> None:
    console_errors: list[str] = []
    page.on("console", lambda message: console_errors.append(message.text) if message.type == "error" else None)
    sign_in(page, live_url, "demo-learner")

    page.get_by_test_id("learning-menu").click()
    page.get_by_role("link", name="Learning path").click()
    page.wait_for_selector("[data-testid=path-list]")
    assert page.locator("[data-testid=path-list] tbody tr").count() == 1  # the one seed_demo accepted
    page.get_by_test_id("propose-form").locator("select").select_option(MANAGER)
    page.get_by_test_id("propose-form").get_by_role("button").click()
    page.wait_for_selector("[data-testid=path-modules]")
    modules = page.locator("[data-testid=path-modules] > li")
    assert modules.count() >= 3
    assert "closes:" in page.get_by_test_id("path-modules").inner_text()
    assert page.get_by_test_id("path-status").inner_text().startswith("Status: proposed")
    page.screenshot(path=str(screenshots / "40-learning-path.png"), full_page=True)

    last = modules.last.get_attribute("data-testid").removeprefix("module-")
    page.get_by_test_id(f"drop-{last}").click()
    page.wait_for_load_state()
    alert = page.locator(".alert").inner_text()
    assert alert.startswith(f"{last} was removed from your path.")
    page.get_by_test_id("accept").click()
    page.wait_for_load_state()
    first = modules.first.get_attribute("data-testid").removeprefix("module-")
    page.get_by_test_id(f"complete-{first}").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("path-status").inner_text().startswith("Status: accepted")
    assert " of " in page.get_by_test_id("progress").inner_text()
    assert not page.get_by_test_id("progress").inner_text().startswith("0 of")
    page.screenshot(path=str(screenshots / "41-learning-path-adjusted.png"), full_page=True)

    href = page.get_by_test_id("plan-pdf").get_attribute("href")
    response = page.request.get(live_url + href)
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    pdf = screenshots / "42-development-plan.pdf"
    pdf.write_bytes(response.body())
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, check=True).stdout.decode()
    assert "Smart City Project Manager" in text
    gap = page.request.get(f"{live_url}/api/v1/me/gap/?role={MANAGER}").json()
    largest = gap["elements"][0]["code"]
    assert re.findall(r"U\d\d\.E\d", text.split("Your gaps")[1])[0] == largest
    pdf_to_png(pdf, screenshots / "42-development-plan")

    assert console_errors == []
