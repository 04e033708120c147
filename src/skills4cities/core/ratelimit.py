"""A fixed-window rate limit per client address, counted in Django's ``default`` cache (docs/configuration.md).

With a shared cache (Redis, Memcached, the database cache) the count holds across processes and servers; with the
local-memory cache (the default in ``settings.CACHES``) each process counts on its own, so N worker processes let a
client through up to N times the rate.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


@dataclass(frozen=True)
class Rate:
    count: int
    seconds: int

    def __str__(self) -> str:
        """Normalised, as DRF's throttles read it: ``"30/m"``."""
        return f"{self.count}/{next(letter for letter, seconds in PERIODS.items() if seconds == self.seconds)}"


def parse_rate(rate: str) -> Rate:
    """``"30/m"`` → 30 per 60 seconds. DRF's format: the first letter of the period counts (s, m, h, d), so
    ``"30/min"`` and ``"100/hour"`` work too."""
    try:
        count_text, period = rate.split("/")
        count, seconds = int(count_text), PERIODS[period.strip()[:1].lower()]
    except (ValueError, KeyError):
        raise ImproperlyConfigured(
            f"A rate is written as count/period, e.g. '30/m' (s, m, h or d), not {rate!r}."
        ) from None
    if count < 1:
        raise ImproperlyConfigured(f"A rate allows at least one request, not {rate!r}.")
    return Rate(count, seconds)


def client_ip(request: HttpRequest) -> str:
    """The address the request came from: ``REMOTE_ADDR``. No forwarded-for header is trusted (the project has no
    trusted-proxy setting), so behind a reverse proxy every client counts as the proxy unless the proxy or the
    application server sets ``REMOTE_ADDR`` to the client's address."""
    return str(request.META.get("REMOTE_ADDR") or "unknown")


def _now() -> float:
    return time.time()


def hit(scope: str, ident: str, rate: Rate) -> int | None:
    """Count one request of ``ident`` (e.g. a client address) in ``scope``. ``None`` while within the rate; over it,
    the seconds until the current window ends (for ``Retry-After``). Requests over the limit are counted too."""
    now = _now()
    window = int(now // rate.seconds)
    wait = max(1, math.ceil((window + 1) * rate.seconds - now))
    key = f"ratelimit:{scope}:{ident}:{window}"
    cache.add(key, 0, timeout=wait + 1)  # atomic in Redis, Memcached and the local-memory cache
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=wait + 1)
        count = 1
    return wait if count > rate.count else None
