"""Request-wide middleware: refusing NUL characters, and language selection.

Language selection.

Order of precedence: an explicit choice made with the language switcher (Django's language cookie),
then the signed-in user's preferred language, then the browser's ``Accept-Language`` (Django's
``LocaleMiddleware``, which runs before this middleware).
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.utils import translation
from django.utils.translation import gettext as _


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


class RejectNullCharactersMiddleware:
    """Answer 400 to a request whose path or query string holds a NUL character.

    PostgreSQL text cannot hold NUL, so such a value would reach a query and fail with a server error on
    PostgreSQL (SQLite accepts it). No legitimate address contains one; refusing it here covers every view.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path or any("\x00" in key or "\x00" in value for key, value in request.GET.items()):
            message = str(_("The address contains a null character."))
            if request.path.startswith(("/api/", "/ims/")):  # the REST API and the CASE API answer JSON
                return JsonResponse({"error": {"code": "invalid", "message": message}}, status=400)
            return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
