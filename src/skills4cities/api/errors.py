"""One error format for the whole API: ``{"error": {"code": …, "message": …, "details": …}}``.

Codes are stable and documented in docs/api.md; clients switch on ``code``, never on ``message``.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

CODES: dict[type[Exception], str] = {
    exceptions.NotAuthenticated: "not_authenticated",
    exceptions.AuthenticationFailed: "authentication_failed",
    exceptions.PermissionDenied: "permission_denied",
    exceptions.NotFound: "not_found",
    exceptions.MethodNotAllowed: "method_not_allowed",
    exceptions.NotAcceptable: "not_acceptable",
    exceptions.UnsupportedMediaType: "unsupported_media_type",
    exceptions.Throttled: "throttled",
    exceptions.ParseError: "parse_error",
    exceptions.ValidationError: "invalid",
}


class ApiError(exceptions.APIException):
    """An error raised by our own API code with an explicit stable code."""

    def __init__(
        self, code: str, message: str, *, status_code: int = status.HTTP_400_BAD_REQUEST, details: Any = None
    ) -> None:
        super().__init__(detail=message, code=code)
        self.status_code = status_code
        self.error_code = code
        self.details = details


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, ApiError):
        code, message, details = exc.error_code, str(exc.detail), exc.details
    else:
        code = next((value for cls, value in CODES.items() if isinstance(exc, cls)), "error")
        if isinstance(exc, exceptions.ValidationError):
            message, details = "The request is invalid.", response.data
        else:
            message, details = str(getattr(exc, "detail", exc)), None
    body: dict[str, Any] = {"code": code, "message": message}
    if details is not None:
        body["details"] = details
    response.data = {"error": body}
    return response


@csrf_exempt  # a POST to an unknown address answers 404 JSON, not the CSRF failure page: nothing is changed here
def not_found_view(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
    """Any unknown path under /api/: the API's own 404 body, never the HTML page of the site."""
    return JsonResponse(
        {"error": {"code": "not_found", "message": "No API endpoint at this address."}},
        status=status.HTTP_404_NOT_FOUND,
    )
