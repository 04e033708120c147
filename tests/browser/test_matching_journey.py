"""Issue 7's journey: a learner pastes a CV on the text-to-competences page and gets framework elements and
ESCO skills with their supporting sentences, adds one to the portfolio; then uploads a small corpus of job
ads and watches the background run's progress bar until the competences map is there, and exports it.

The embedding indexes are cached on disk keyed by their content (docs/matching.md); the site shares the
repository's cache folder so that the indexes are built once per checkout, not once per site."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import ROOT, serve_demo, sign_in

pytestmark = pytest.mark.browser

CV = """Project manager at the city of Plovdiv, 2019–2024.
I led the procurement of a smart street-lighting system and managed the contract with the supplier.
I prepared the funding application to the ERDF programme and the cost-benefit analysis.
I organised public consultations with residents and local businesses.
I managed the project budget and reported progress to the city council."""

JOB_ADS = {
    "ad-1.txt": "We are looking for a project manager to plan smart-city projects, manage budgets and lead "
    "stakeholder consultations with citizens.",
    "ad-2.txt": "The city seeks a data protection officer who will carry out data protection impact assessments "
    "and manage GDPR compliance of sensor networks.",
    "ad-3.txt": "Our municipality needs a procurement specialist to prepare tenders, evaluate bids and manage "
    "supplier contracts for digital services.",
}


def test_cv_analysis_and_corpus_map_in_the_browser(
    browser: Any, tmp_path_factory: pytest.TempPathFactory, chromium_path: str, screenshots: Path
) -> None:
    var = tmp_path_factory.mktemp("matching-site")
    cache = ROOT / "var" / "cache" / "matching"
    cache.mkdir(parents=True, exist_ok=True)
    with serve_demo(var, extra_env={"MATCHING_CACHE_DIR": str(cache)}) as url:
        context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
        context.set_default_timeout(600_000)  # the first analysis on a new checkout builds the ESCO index
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        sign_in(page, url, "demo-learner")

        # A CV → framework elements and ESCO skills, each with the sentence behind it.
        page.get_by_test_id("learning-menu").click()
        page.get_by_test_id("menu-matching").click()
        page.get_by_test_id("cv-text").fill(CV)
        page.get_by_test_id("cv-submit").click()
        results = page.get_by_test_id("cv-results")
        results.wait_for()
        # On a cold cache the ESCO block shows the index being prepared and polls until the worker built it.
        page.get_by_test_id("cv-skills").wait_for()
        elements = page.get_by_test_id("cv-elements").locator("li")
        skills = page.get_by_test_id("cv-skills").locator("li")
        assert elements.count() >= 5
        assert skills.count() >= 5
        element_text = page.get_by_test_id("cv-elements").inner_text()
        assert "U04." in element_text  # the procurement sentence evidences a public-procurement element
        for row in range(3):
            quoted = elements.nth(row).locator("blockquote").inner_text().strip("“”")
            assert quoted in CV.replace("\n", " ") or any(quoted in line for line in CV.splitlines())
        page.screenshot(path=str(screenshots / "matching-01-cv.png"), full_page=True)

        # Add the procurement element to the portfolio.
        procurement = page.get_by_test_id("cv-elements").locator("li", has_text="U04.").first
        title = procurement.locator("strong").inner_text()
        procurement.locator("[data-testid^='add-portfolio-']").click()
        page.wait_for_load_state()
        assert "Added to your portfolio" in page.locator("main").inner_text()
        page.get_by_test_id("learning-menu").click()
        page.get_by_test_id("menu-portfolio").click()
        assert title in page.locator("main").inner_text()
        page.screenshot(path=str(screenshots / "matching-02-portfolio.png"), full_page=True)

        # A corpus of job ads → a background run with a progress bar → the competences map.
        page.get_by_test_id("user-menu").click()
        page.get_by_test_id("menu-corpus").click()
        page.get_by_test_id("corpus-title").fill("Job ads, autumn 2026")
        page.get_by_test_id("corpus-files").set_input_files(
            [{"name": name, "mimeType": "text/plain", "buffer": text.encode()} for name, text in JOB_ADS.items()]
        )
        role = page.get_by_test_id("corpus-role")
        if role.count():
            role.first.select_option(index=1)
        page.get_by_test_id("corpus-submit").click()
        status = page.get_by_test_id("corpus-status")
        status.wait_for()
        assert page.get_by_test_id("corpus-progress").count() == 1
        page.screenshot(path=str(screenshots / "matching-03-corpus-running.png"), full_page=True)
        page.get_by_test_id("corpus-results").wait_for()
        assert page.get_by_test_id("corpus-status").get_attribute("data-status") == "succeeded"
        page.screenshot(path=str(screenshots / "matching-04-corpus-done.png"), full_page=True)
        with page.expect_download() as download:
            page.get_by_test_id("corpus-csv").click()
        rows = list(csv.reader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8"))))
        assert len(rows) > 3
        assert errors == []
        context.close()
