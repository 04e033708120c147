"""POST /api/v1/verify/ has its own throttle scope ``verify`` (CREDENTIALS_VERIFY_RATE per client address)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from skills4cities.api.credentials_views import VerifyThrottle
from skills4cities.credentials import services
from tests.conftest import client_for
from tests.credentials.conftest import credential, issue, officer, role, unit  # noqa: F401 - fixtures

URL = "/api/v1/verify/"


@pytest.fixture(autouse=True)
def empty_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def verifications(monkeypatch: Any) -> list[Any]:
    calls: list[Any] = []
    real = services.credential_verify

    def counting(document: Any) -> Any:
        calls.append(document)
        return real(document)

    monkeypatch.setattr(services, "credential_verify", counting)
    return calls


def test_verify_api_answers_429_throttled_beyond_the_rate(
    credential: Any,  # noqa: F811
    officer: Any,  # noqa: F811
    settings: Any,
    monkeypatch: Any,
    verifications: list[Any],
) -> None:
    settings.CREDENTIALS_VERIFY_RATE = "2/m"
    now = [5000.0]
    monkeypatch.setattr(VerifyThrottle, "timer", lambda self: now[0])
    client = Client()
    for _ in range(2):
        assert client.post(URL, credential.document, content_type="application/json").json()["valid"] is True
    refused = client.post(URL, credential.document, content_type="application/json")
    assert (refused.status_code, refused["Retry-After"]) == (429, "60")
    error = refused.json()["error"]
    assert error["code"] == "throttled"
    assert error["message"].startswith("Request was throttled.")
    assert len(verifications) == 2
    # Neither a forwarded-for header nor a signed-in session gets round it: the address counts.
    spoofed = client.post(
        URL, credential.document, content_type="application/json", headers={"x-forwarded-for": "1.1.1.1"}
    )
    assert spoofed.status_code == 429
    assert client_for(officer).post(URL, credential.document, content_type="application/json").status_code == 429
    assert len(verifications) == 2
    # Another address is not affected, nor is the HTML verifier (its own count).
    other = client.post(URL, credential.document, content_type="application/json", REMOTE_ADDR="10.0.0.2")
    assert other.status_code == 200
    assert client.post("/verify/", {"document": credential.document}).status_code == 200
    assert len(verifications) == 4
    now[0] += 60  # the throttle's history has moved on
    assert client.post(URL, credential.document, content_type="application/json").status_code == 200


def test_verify_api_is_not_throttled_within_the_default_rate(credential: Any) -> None:  # noqa: F811
    client = Client()
    statuses = {client.post(URL, credential.document, content_type="application/json").status_code for _ in range(30)}
    assert statuses == {200}
    assert client.post(URL, credential.document, content_type="application/json").status_code == 429
