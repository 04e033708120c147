"""Issue 5's journey: demo-learner takes a unit quiz, then a certification exam; the server process is
killed and started again mid-exam and the attempt resumes with every answer given; the result shows
each element; a resit asks only the failed elements.

The journey answers the first element's questions right and the others wrong on purpose, reading the
keys from the site's own database (a test may; the pages never show them), so the result is known."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import restart_server, serve_demo, sign_in

pytestmark = pytest.mark.browser

ROLE = "smart-city-project-manager"


def _hex(value: str) -> str:
    return value.replace("-", "")


def _options(db: Path, item_id: str) -> list[tuple[str, bool, int]]:
    with sqlite3.connect(db) as connection:
        rows = connection.execute(
            "SELECT o.public_id, o.correct, o.position FROM exams_option o JOIN exams_item i ON o.item_id = i.id "
            "WHERE replace(i.public_id, '-', '') = ? ORDER BY o.position",
            (_hex(item_id),),
        ).fetchall()
    return [(_hex(str(public_id)), bool(correct), int(position)) for public_id, correct, position in rows]


def _element_codes(db: Path, attempt_id: str) -> set[str]:
    with sqlite3.connect(db) as connection:
        rows = connection.execute(
            "SELECT ai.element_code FROM exams_attemptitem ai JOIN exams_examattempt a ON ai.attempt_id = a.id "
            "WHERE replace(a.public_id, '-', '') = ?",
            (_hex(attempt_id),),
        ).fetchall()
    return {code for (code,) in rows}


def _answer(page: Any, db: Path, *, right: bool) -> list[str]:
    """Answer the item on the page, right or wrong; return the test ids of the inputs chosen (or ranks)."""
    item = page.get_by_test_id("item")
    kind = item.get_attribute("data-type")
    options = _options(db, item.get_attribute("data-item-id"))
    key = {public_id: (correct, position) for public_id, correct, position in options}
    inputs = item.locator("input[name=answer], select")
    shown = [
        _hex(inputs.nth(n).get_attribute("value") or inputs.nth(n).get_attribute("name") or "")
        for n in range(inputs.count())
    ]
    shown = [value.removeprefix("rank") for value in shown]
    chosen: list[str] = []
    if kind == "ordering":
        order = sorted(key, key=lambda public_id: key[public_id][1])
        if not right:
            order = list(reversed(order))
        for n, public_id in enumerate(shown):
            rank = str(order.index(public_id) + 1)
            inputs.nth(n).select_option(rank)
            chosen.append(f"{n + 1}:{rank}")
        return chosen
    for n, public_id in enumerate(shown):
        correct = key[public_id][0]
        if (right and correct) or (not right and not correct and not chosen):
            inputs.nth(n).check()
            chosen.append(f"answer-{n + 1}")
            if kind != "multiple":
                break
    return chosen


def _assert_given(page: Any, given: list[str]) -> None:
    item = page.get_by_test_id("item")
    if item.get_attribute("data-type") == "ordering":
        selects = item.locator("select")
        for entry in given:
            n, rank = entry.split(":")
            assert selects.nth(int(n) - 1).input_value() == rank
        return
    for test_id in given:
        assert item.get_by_test_id(test_id).is_checked(), test_id


def test_quiz_then_certification_exam_survives_a_server_restart_and_resits_only_failed_elements(
    browser: Any, tmp_path_factory: pytest.TempPathFactory, chromium_path: str, screenshots: Path
) -> None:
    var = tmp_path_factory.mktemp("exam-site")
    db = var / "skills4cities.sqlite3"
    with serve_demo(var) as url:
        context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
        page = context.new_page()
        sign_in(page, url, "demo-learner")

        # A practice quiz with immediate feedback.
        page.goto(url + "/exams/")
        page.screenshot(path=str(screenshots / "exam-01-home.png"), full_page=True)
        page.get_by_test_id("quiz-start-U05").click()
        questions = 0
        while True:
            _answer(page, db, right=questions % 2 == 0)
            page.get_by_test_id("check").click()
            feedback = page.get_by_test_id("feedback")
            feedback.wait_for()
            assert "Your score on this question" in feedback.inner_text()
            questions += 1
            if questions == 1:
                page.screenshot(path=str(screenshots / "exam-02-quiz-feedback.png"), full_page=True)
            following = page.get_by_test_id("next")
            if following.count() == 0:
                break
            following.click()
        assert questions == 8  # two questions for each of U05's four elements
        page.get_by_test_id("finish").click()
        page.get_by_test_id("confirm-finish").click()
        page.get_by_test_id("results").wait_for()

        # A certification exam for one unit of the role, which demo-learner has not taken yet.
        page.goto(url + "/exams/")
        start = page.locator(f"[data-testid^='start-{ROLE}-']").first
        unit = (start.get_attribute("data-testid") or "").rsplit("-", 1)[1]
        start.click()
        page.get_by_test_id("item").wait_for()
        attempt = re.search(r"/exams/attempts/([0-9a-f-]{36})/", page.url)
        assert attempt is not None
        attempt_id = attempt.group(1)
        total = int(re.search(r"of (\d+)", page.get_by_test_id("progress").inner_text()).group(1))  # type: ignore[union-attr]
        first_element = page.get_by_test_id("item").locator("legend .code").inner_text()
        given: dict[int, list[str]] = {}
        half = total // 2

        def answer_from(position: int, until: int) -> None:
            for current in range(position, until + 1):
                assert page.get_by_test_id("item").get_attribute("data-position") == str(current)
                element = page.get_by_test_id("item").locator("legend .code").inner_text()
                given[current] = _answer(page, db, right=element == first_element)
                page.get_by_test_id("save-next").click()
                page.wait_for_load_state()

        answer_from(1, half)
        page.screenshot(path=str(screenshots / "exam-03-before-restart.png"), full_page=True)

        # The app server dies (SIGKILL) and comes back; the browser is closed and opened again.
        restart_server(url)
        context.close()
        context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
        page = context.new_page()
        sign_in(page, url, "demo-learner")
        page.goto(url + "/exams/")
        page.get_by_test_id(f"continue-{ROLE}-{unit}").click()
        page.get_by_test_id("item").wait_for()
        assert page.get_by_test_id("item").get_attribute("data-position") == str(half + 1)
        assert f"Answered {half} of {total}" in page.get_by_test_id("progress").inner_text()
        for position in range(1, total + 1):
            answered = page.get_by_test_id(f"nav-item-{position}").get_attribute("data-answered")
            assert answered == ("true" if position <= half else "false"), position
        page.screenshot(path=str(screenshots / "exam-04-resumed.png"), full_page=True)
        for position in (1, half):
            page.get_by_test_id(f"nav-item-{position}").click()
            page.get_by_test_id("item").wait_for()
            _assert_given(page, given[position])
        page.get_by_test_id(f"nav-item-{half + 1}").click()
        page.get_by_test_id("item").wait_for()
        answer_from(half + 1, total)

        page.goto(f"{url}/exams/attempts/{attempt_id}/finish/")
        page.get_by_test_id("all-answered").wait_for()
        page.get_by_test_id("confirm-finish").click()
        results = page.get_by_test_id("results")
        results.wait_for()
        page.screenshot(path=str(screenshots / "exam-05-result.png"), full_page=True)
        elements = sorted(_element_codes(db, attempt_id))
        assert first_element in elements
        assert len(elements) >= 2
        text = results.inner_text()
        for code in elements:
            assert code in text
        rows = {code: results.locator("tr", has_text=code).inner_text().lower() for code in elements}
        assert rows[first_element].endswith("passed"), rows[first_element]
        for code in elements:
            if code != first_element:
                assert rows[code].endswith("failed"), rows[code]

        # The resit asks only the failed elements; the passed one stays valid.
        page.goto(url + "/exams/")
        resit = page.get_by_test_id(f"resit-{ROLE}-{unit}")
        assert f"Resit {len(elements) - 1} failed element" in resit.inner_text()
        resit.click()
        page.get_by_test_id("item").wait_for()
        resit_attempt = re.search(r"/exams/attempts/([0-9a-f-]{36})/", page.url)
        assert resit_attempt is not None
        assert _element_codes(db, resit_attempt.group(1)) == set(elements) - {first_element}
        page.screenshot(path=str(screenshots / "exam-06-resit.png"), full_page=True)
        context.close()
