"""demo-learner assesses themself against the Smart City Project Manager, answer by answer, and reads the results."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser


def test_a_learner_completes_a_self_assessment_and_sees_radar_and_gaps(
    page: Any, live_url: str, screenshots: Path
) -> None:
    console_errors: list[str] = []
    page.on("console", lambda message: console_errors.append(message.text) if message.type == "error" else None)
    sign_in(page, live_url, "demo-learner")

    page.goto(live_url + "/assessment/")
    assert page.get_by_test_id("assessment-list").locator("tbody tr").count() == 1  # the seeded one
    page.select_option("#role", "smart-city-project-manager")
    page.get_by_test_id("start-form").get_by_role("button").click()
    page.wait_for_selector("[data-testid=unit-form]")
    steps = page.get_by_test_id("steps").locator("li").count()
    assert steps == 9

    for number in range(1, steps + 1):
        page.goto(page.url.split("?")[0] + f"?step={number}")
        fieldsets = page.locator("[data-testid=unit-form] fieldset")
        for index in range(fieldsets.count()):
            fieldset = fieldsets.nth(index)
            code = fieldset.get_attribute("data-testid").removeprefix("element-")
            level = 2 + (index + number) % 3
            fieldset.locator(f"label[for='level-{code}-{level}']").click()
            page.wait_for_selector(f"[data-testid='saved-{code}']")  # saved by HTMX as it is given
        if number == 1:
            page.screenshot(path=str(screenshots / "10-self-assessment-step.png"), full_page=False)

    page.reload()  # the draft resumes with every answer
    assert "You have rated" in page.content()
    page.get_by_test_id("submit").click()
    page.wait_for_selector("[data-testid=gap-table]")
    page.wait_for_selector("[data-testid=radar-U08] svg path")
    assert page.locator(".radar-chart svg").count() == 9
    assert "Change since previous" in page.get_by_test_id("gap-table").inner_text()
    assert "Otherwise the latest self-rating gives your current level." in page.get_by_test_id("rule").inner_text()
    page.screenshot(path=str(screenshots / "11-self-assessment-results.png"), full_page=True)
    assert console_errors == []
