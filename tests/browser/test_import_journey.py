"""A framework editor imports a Moodle CSV through the web page and a background worker; a bad file shows its problems."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import sign_in
from tests.frameworks.interchange.test_moodle import HAND_WRITTEN, MALFORMED

pytestmark = pytest.mark.browser


def test_an_editor_imports_a_moodle_framework_and_sees_a_bad_file_refused(
    page: Any, live_url: str, screenshots: Path, tmp_path: Path
) -> None:
    console_errors: list[str] = []
    page.on("console", lambda message: console_errors.append(message.text) if message.type == "error" else None)
    good = tmp_path / "sofia-digital-transformation.csv"
    good.write_text(HAND_WRITTEN, encoding="utf-8")
    sign_in(page, live_url, "demo-admin")

    page.goto(live_url + "/frameworks/import/")
    page.set_input_files("input[type=file]", str(good))
    page.get_by_test_id("import-form").locator("button[type=submit]").click()
    page.wait_for_selector("[data-testid=import-status][data-status=succeeded]", timeout=60_000)
    page.screenshot(path=str(screenshots / "07-import-succeeded.png"), full_page=True)
    page.get_by_test_id("import-framework-link").click()
    page.wait_for_load_state()
    assert "Digital transformation" in page.locator("h1").inner_text()
    page.screenshot(path=str(screenshots / "08-imported-framework.png"))

    page.goto(live_url + "/frameworks/import/")
    page.set_input_files("input[type=file]", str(MALFORMED / "duplicate-id.csv"))
    page.get_by_test_id("import-form").locator("button[type=submit]").click()
    page.wait_for_selector("[data-testid=import-status][data-status=failed]", timeout=60_000)
    problems = page.get_by_test_id("import-problems").inner_text()
    assert "duplicate-id.csv" in problems
    assert "duplicate ID number" in problems
    page.screenshot(path=str(screenshots / "09-import-failed.png"), full_page=True)

    assert console_errors == []
