"""The public verifier /verify/ limits verification attempts (POSTs) per client address."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from skills4cities.core import ratelimit
from skills4cities.credentials import services

NOW = 1_000_020.0 + 15  # 15 s into a one-minute window: 45 s left


@pytest.fixture(autouse=True)
def empty_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def clock(monkeypatch: Any) -> list[float]:
    now = [NOW]
    monkeypatch.setattr(ratelimit, "_now", lambda: now[0])
    return now


@pytest.fixture
def verifications(monkeypatch: Any) -> list[Any]:
    """Every call of the verifier, which still runs."""
    calls: list[Any] = []
    real = services.credential_verify

    def counting(document: Any) -> Any:
        calls.append(document)
        return real(document)

    monkeypatch.setattr(services, "credential_verify", counting)
    return calls


def test_verify_posts_beyond_the_rate_get_429_and_are_not_verified(
    credential: Any, client: Client, settings: Any, clock: list[float], verifications: list[Any]
) -> None:
    settings.CREDENTIALS_VERIFY_RATE = "3/m"
    for _ in range(3):
        page = client.post("/verify/", {"document": credential.document}, headers={"accept-language": "en"})
        assert (page.status_code, 'data-state="valid"' in page.content.decode()) == (200, True)
    assert len(verifications) == 3
    limited = client.post("/verify/", {"document": credential.document}, headers={"accept-language": "en"})
    html = limited.content.decode()
    assert (limited.status_code, limited["Retry-After"]) == (429, "45")
    assert "Too many verification attempts from your address. Please try again in 45 seconds." in html
    assert "data-state=" not in html
    assert str(credential.public_id) in html  # the pasted text is shown again in the form
    assert len(verifications) == 3
    # A forwarded-for header is not believed: still the same address.
    spoofed = client.post("/verify/", {"document": "{}"}, headers={"x-forwarded-for": "10.9.9.9"})
    assert spoofed.status_code == 429
    assert len(verifications) == 3
    # Reading stays open: the form and the QR target of a credential.
    assert client.get("/verify/").status_code == 200
    assert client.get(f"/verify/{credential.public_id}/").status_code == 200


def test_verify_limit_is_per_address(
    credential: Any, client: Client, settings: Any, clock: list[float], verifications: list[Any]
) -> None:
    settings.CREDENTIALS_VERIFY_RATE = "1/m"
    assert client.post("/verify/", {"document": credential.document}).status_code == 200
    assert client.post("/verify/", {"document": credential.document}).status_code == 429
    other = client.post("/verify/", {"document": credential.document}, REMOTE_ADDR="10.0.0.2")
    assert (other.status_code, 'data-state="valid"' in other.content.decode()) == (200, True)
    assert len(verifications) == 2


def test_verify_limit_resets_with_the_next_window(
    credential: Any, client: Client, settings: Any, clock: list[float], verifications: list[Any]
) -> None:
    settings.CREDENTIALS_VERIFY_RATE = "2/m"
    assert [client.post("/verify/", {"document": "hello"}).status_code for _ in range(3)] == [200, 200, 429]
    clock[0] += 44
    limited = client.post("/verify/", {"document": "hello"}, headers={"accept-language": "en"})
    assert (limited.status_code, limited["Retry-After"]) == (429, "1")
    assert "Please try again in 1 second." in limited.content.decode()
    clock[0] += 1  # the window is over
    assert [client.post("/verify/", {"document": "hello"}).status_code for _ in range(3)] == [200, 200, 429]
    assert verifications == ["hello"] * 4  # the allowed ones only (the verifier says it is not JSON)
    again = client.post("/verify/", {"document": credential.document})
    assert again.status_code == 429
    clock[0] += 60
    assert client.post("/verify/", {"document": credential.document}).status_code == 200
    assert len(verifications) == 5
