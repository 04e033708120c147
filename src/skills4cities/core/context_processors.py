from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from skills4cities import __version__


def platform(request: HttpRequest) -> dict[str, Any]:
    return {
        "PLATFORM_VERSION": __version__,
        "ESCO_ATTRIBUTION": settings.ESCO_ATTRIBUTION,
        "SIGNUP_OPEN": settings.SIGNUP_OPEN,
    }
