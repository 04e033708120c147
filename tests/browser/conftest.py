"""A real server in a subprocess, set up as a new user would (migrate, load_reference, seed_demo),
driven by Playwright with Debian's Chromium."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = "/usr/bin/chromium"
DEMO_PASSWORD = "skills4cities-demo"  # the documented demo password (seed_demo)
ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = Path(os.environ.get("S4C_SCREENSHOTS", ROOT / "var" / "screenshots"))
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def chromium_path() -> str:
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing; .ci/run installs Debian's chromium")
        pytest.skip(f"{CHROMIUM} is not installed")
    return CHROMIUM


@pytest.fixture(scope="session")
def live_url(tmp_path_factory: pytest.TempPathFactory, chromium_path: str) -> Iterator[str]:
    with serve_demo(tmp_path_factory.mktemp("e2e-var")) as url:
        yield url


@contextmanager
def serve_demo(var: Path, extra_env: Mapping[str, str] | None = None, port: int | None = None) -> Iterator[str]:
    """Set up a fresh site in `var` (migrate, load_reference, seed_demo) and serve it with a task worker.

    Journeys that change the demo data beyond what other journeys expect take their own site. ``extra_env`` is
    added to the environment of every command (e.g. ``SITE_URL``); ``port`` fixes the port (default: a free one),
    so that a journey can know the live URL before the site is set up."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
    env.update({"S4C_VAR_DIR": str(var), "DEBUG": "1", "SIGNUP_OPEN": "1", "PYTHONUNBUFFERED": "1"})
    env.update(extra_env or {})
    manage = [sys.executable, "-m", "skills4cities.manage"]
    for command in (["migrate", "--no-input"], ["load_reference"], ["seed_demo"]):
        subprocess.run([*manage, *command], env=env, check=True, capture_output=True, timeout=300)
    port = port or _free_port()
    log = (var / "server.log").open("a")
    command = [*manage, "runserver", "--noreload", f"127.0.0.1:{port}"]
    server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    # A real background worker, as `make demo` runs it, so that web imports go through the task queue.
    worker_log = (var / "worker.log").open("w")
    worker = subprocess.Popen(
        [*manage, "db_worker", "--no-reload"], env=env, stdout=worker_log, stderr=subprocess.STDOUT
    )
    url = f"http://127.0.0.1:{port}"
    _SERVERS[url] = {"process": server, "command": command, "env": env, "log": log, "var": var}
    _wait_until_up(url)
    try:
        yield url
    finally:
        for process in (_SERVERS.pop(url)["process"], worker):
            process.terminate()
            process.wait(timeout=20)
        log.close()
        worker_log.close()


_SERVERS: dict[str, dict[str, Any]] = {}


def _wait_until_up(url: str) -> None:
    server = _SERVERS[url]
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:  # noqa: S310 - local server
                if response.status == 200:
                    return
        except OSError:
            if time.monotonic() > deadline or server["process"].poll() is not None:
                server["process"].kill()
                raise RuntimeError((server["var"] / "server.log").read_text()) from None
            time.sleep(0.3)


def restart_server(url: str) -> None:
    """Kill the app server of ``url`` outright (SIGKILL, as a crash would) and start it again on the same port."""
    server = _SERVERS[url]
    server["process"].kill()
    server["process"].wait(timeout=20)
    server["process"] = subprocess.Popen(
        server["command"], env=server["env"], stdout=server["log"], stderr=subprocess.STDOUT
    )
    _wait_until_up(url)


@pytest.fixture(scope="session")
def browser(chromium_path: str) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, headless=True, args=LAUNCH_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


def sign_in(page: Any, live_url: str, username: str, password: str = DEMO_PASSWORD) -> None:
    page.goto(live_url + "/accounts/login/")
    page.fill("input[name=login]", username)
    page.fill("input[name=password]", password)
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def pdf_to_png(pdf: Path, png_stem: Path) -> Path | None:
    """Render the first page with poppler's pdftoppm when it is installed (for people to look at)."""
    if not shutil.which("pdftoppm"):
        return None
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "2", str(pdf), str(png_stem)], check=True)
    return png_stem
