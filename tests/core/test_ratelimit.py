from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured

from skills4cities.core import ratelimit


@pytest.fixture(autouse=True)
def empty_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


@pytest.mark.parametrize(
    ("text", "count", "seconds", "normalised"),
    [("30/m", 30, 60, "30/m"), ("100/hour", 100, 3600, "100/h"), (" 5/S", 5, 1, "5/s"), ("2/day", 2, 86400, "2/d")],
)
def test_parse_rate_reads_drf_format(text: str, count: int, seconds: int, normalised: str) -> None:
    rate = ratelimit.parse_rate(text)
    assert (rate.count, rate.seconds, str(rate)) == (count, seconds, normalised)


@pytest.mark.parametrize("text", ["30", "x/m", "30/w", "30/", "0/m", "-1/m", "1/2/m", ""])
def test_parse_rate_refuses_malformed_rates(text: str) -> None:
    with pytest.raises(ImproperlyConfigured, match="rate"):
        ratelimit.parse_rate(text)


def test_hit_counts_per_ident_and_window(monkeypatch: Any) -> None:
    now = [6000.0 + 50]  # 10 s before the end of a one-minute window
    monkeypatch.setattr(ratelimit, "_now", lambda: now[0])
    rate = ratelimit.Rate(2, 60)
    assert [ratelimit.hit("s", "1.2.3.4", rate) for _ in range(4)] == [None, None, 10, 10]
    assert ratelimit.hit("s", "5.6.7.8", rate) is None  # another client
    assert ratelimit.hit("other", "1.2.3.4", rate) is None  # another scope
    now[0] = 6059.5
    assert ratelimit.hit("s", "1.2.3.4", rate) == 1  # never less than a second
    now[0] = 6060.0  # the next window
    assert [ratelimit.hit("s", "1.2.3.4", rate) for _ in range(3)] == [None, None, 60]
