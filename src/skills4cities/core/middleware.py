"""Language selection.

Order of precedence: an explicit choice made with the language switcher (Django's language cookie),
then the signed-in user's preferred language, then the browser's ``Accept-Language`` (Django's
``LocaleMiddleware``, which runs before this middleware).
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation


class UserLanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES and request.user.is_authenticated:
            preferred = getattr(request.user, "preferred_language", "")
            if preferred in settings.LANGUAGE_CODES:
                translation.activate(preferred)
                request.LANGUAGE_CODE = preferred
        return self.get_response(request)
