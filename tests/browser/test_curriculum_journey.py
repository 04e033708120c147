"""A visitor opens the curriculum from the navigation, reads a module's study page and follows an outcome."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser


def test_a_visitor_reads_a_module_and_reaches_its_element(page: Any, live_url: str, screenshots: Path) -> None:
    console_errors: list[str] = []
    page.on("console", lambda message: console_errors.append(message.text) if message.type == "error" else None)

    page.goto(live_url + "/")
    page.locator("nav a[href='/curriculum/']").click()
    page.wait_for_url("**/curriculum/")
    assert page.locator("tr[data-module]").count() >= 26
    page.screenshot(path=str(screenshots / "curriculum-01-index.png"), full_page=True)

    page.locator("tr[data-module='M01'] a").first.click()
    page.wait_for_url("**/curriculum/modules/M01/")
    assert page.get_by_test_id("study").locator("h2", has_text="Why it matters").is_visible()
    assert page.get_by_test_id("study").locator("script").count() == 0
    page.screenshot(path=str(screenshots / "curriculum-02-module.png"), full_page=True)

    element_link = page.get_by_test_id("outcomes").locator("a").first
    code = element_link.locator(".code").inner_text()
    element_link.click()
    page.wait_for_url(f"**/elements/{code}/**")
    assert page.get_by_test_id("element-modules").locator("a[href='/curriculum/modules/M01/']").count() == 1
    page.screenshot(path=str(screenshots / "curriculum-03-element.png"), full_page=True)
    assert console_errors == []
