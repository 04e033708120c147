"""Home → switch to Bulgarian → competencies map → a role profile → booklet PDF, in Chromium."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import pdf_to_png

pytestmark = pytest.mark.browser


def test_a_visitor_browses_the_framework_in_bulgarian_and_downloads_a_booklet(
    page: Any, live_url: str, screenshots: Path
) -> None:
    console_errors: list[str] = []
    page.on("console", lambda message: console_errors.append(message.text) if message.type == "error" else None)

    page.goto(live_url + "/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", name="The people who make smart-city projects work").is_visible()
    page.screenshot(path=str(screenshots / "01-home-en.png"), full_page=True)

    page.get_by_test_id("lang-menu").click()
    page.get_by_test_id("lang-bg").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "bg"
    manager_bg = page.get_by_test_id("role-link-smart-city-project-manager").inner_text()
    assert manager_bg and manager_bg != "Smart City Project Manager"
    page.screenshot(path=str(screenshots / "02-home-bg.png"), full_page=True)

    page.locator("nav a[href='/frameworks/skills4cities/map/']").click()
    page.wait_for_selector("#heatmap-chart svg")
    assert page.locator("html").get_attribute("lang") == "bg"
    assert page.locator("#heatmap-chart svg text").count() > 20
    page.screenshot(path=str(screenshots / "03-map-bg.png"), full_page=True)
    page.get_by_test_id("tab-tree").click()
    page.wait_for_selector("#pane-tree.active.show #sunburst-chart svg path")
    page.wait_for_timeout(300)  # let the fade transition finish before the screenshot
    page.screenshot(path=str(screenshots / "04-map-tree-bg.png"))

    page.goto(live_url + "/frameworks/skills4cities/map/")
    page.locator("table[data-testid=heatmap-table] thead a").last.click()
    page.wait_for_load_state()
    assert page.get_by_test_id("role-title").inner_text() == manager_bg
    page.screenshot(path=str(screenshots / "05-role-bg.png"), full_page=False)

    href = page.get_by_test_id("booklet-link").get_attribute("href")
    response = page.request.get(live_url + href, headers={"Accept-Language": "bg"})
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    body = response.body()
    assert body.startswith(b"%PDF-")
    pdf = screenshots / "06-booklet-bg.pdf"
    pdf.write_bytes(body)
    pdf_to_png(pdf, screenshots / "06-booklet-bg")

    assert console_errors == []
