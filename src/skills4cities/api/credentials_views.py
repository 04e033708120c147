"""Credentials in the API: mine (list, one with its JSON and VC-JWT) and public verification."""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID

from django.conf import settings
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.generics import GenericAPIView, ListAPIView
from rest_framework.parsers import BaseParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle

from skills4cities.api.credentials_serializers import (
    CredentialDetailSerializer,
    CredentialSummarySerializer,
    VerificationSerializer,
)
from skills4cities.api.errors import ApiError
from skills4cities.api.pagination import Pagination
from skills4cities.api.serializers import ErrorSerializer
from skills4cities.core import ratelimit
from skills4cities.credentials import selectors, services


@extend_schema(tags=["credentials"], responses={200: CredentialSummarySerializer(many=True), 401: ErrorSerializer})
class MyCredentials(ListAPIView[Any]):
    """The caller's credentials, newest first (revoked ones included, with the date and reason)."""

    serializer_class = CredentialSummarySerializer
    permission_classes = [IsAuthenticated]
    pagination_class = Pagination

    def get_queryset(self) -> Any:
        return selectors.credentials_of(self.request.user)


@extend_schema(
    tags=["credentials"], responses={200: CredentialDetailSerializer, 401: ErrorSerializer, 404: ErrorSerializer}
)
class CredentialDetail(GenericAPIView[Any]):
    """One credential of the caller (staff: any), with the signed JSON-LD and the VC-JWT."""

    serializer_class = CredentialDetailSerializer
    permission_classes = [IsAuthenticated]

    def get(self, request: Request, public_id: UUID) -> Response:
        credential = selectors.credential_for_user(request.user, public_id)
        return Response(self.get_serializer(credential).data)


class RawBodyParser(BaseParser):
    """Keeps the body as bytes: the credential is checked exactly as sent."""

    media_type = "*/*"

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        return bytes(stream.read(services.MAX_DOCUMENT_BYTES + 1)) if stream is not None else b""


class VerifyThrottle(ScopedRateThrottle):
    """Scope ``verify``: ``CREDENTIALS_VERIFY_RATE`` per client address (``REMOTE_ADDR``, as the /verify/ page;
    DRF's own default would believe any ``X-Forwarded-For`` a client sends), in the default cache."""

    def get_rate(self) -> str:
        return str(ratelimit.parse_rate(settings.CREDENTIALS_VERIFY_RATE))  # read per request; clear error if malformed

    def get_ident(self, request: Request) -> str:
        return ratelimit.client_ip(request)


@extend_schema(
    tags=["credentials"],
    request={"application/json": OpenApiTypes.OBJECT},
    responses={200: VerificationSerializer, 400: ErrorSerializer, 413: ErrorSerializer, 429: ErrorSerializer},
    parameters=[
        OpenApiParameter(
            "Retry-After",
            OpenApiTypes.INT,
            location=OpenApiParameter.HEADER,
            response=[429],
            description="Seconds to wait before verifying again (with ``throttled``).",
        )
    ],
)
class Verify(GenericAPIView[Any]):
    """Verify a credential (POST the credential JSON as the body). Anyone may call it; 200 with ``valid``
    false and the reasons when it does not verify. At most ``CREDENTIALS_VERIFY_RATE`` (default 30 a minute)
    per client address: beyond it 429 ``throttled`` with a ``Retry-After`` header, and nothing is verified."""

    serializer_class = VerificationSerializer
    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []  # public and stateless: no session, so no CSRF token needed
    parser_classes = [RawBodyParser]
    throttle_classes = [VerifyThrottle]
    throttle_scope = "verify"

    def post(self, request: Request) -> Response:
        body = request.data if isinstance(request.data, bytes) else b""
        if len(body) > services.MAX_DOCUMENT_BYTES:
            raise ApiError(
                "too_large", f"A credential is at most {services.MAX_DOCUMENT_BYTES} bytes.", status_code=413
            )
        try:
            document = json.loads(body)
        except (ValueError, UnicodeDecodeError):
            raise ApiError("invalid_json", "The body is not a JSON document.") from None
        if not isinstance(document, dict):
            raise ApiError("invalid_json", "The body must be a JSON object: the credential.")
        result = services.credential_verify(document)
        return Response(self.get_serializer(result).data)
