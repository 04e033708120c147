"""The caller's evidence portfolio: list, create (multipart upload with the same content checks as the pages),
read, and download a file. Error codes: ``invalid`` (400), ``upload_refused`` (400, a file failed a check; the
details name the file and the problem), ``not_found`` (404)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.http import HttpResponseBase
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from skills4cities.api.errors import ApiError
from skills4cities.api.portfolio_serializers import EvidenceItemCreateSerializer, EvidenceItemSerializer
from skills4cities.api.serializers import ErrorSerializer
from skills4cities.portfolio import selectors, services

ERRORS = {400: ErrorSerializer, 401: ErrorSerializer, 404: ErrorSerializer}
MAX_FILES_PER_REQUEST = 5


def _too_large(request: Request) -> bool:
    """A body above five times the file limit is refused before it is read (it never reaches the disk)."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return True
    return length > services.max_upload_bytes() * MAX_FILES_PER_REQUEST + 1024 * 1024


def refused(error: ValidationError) -> ApiError:
    details = error.message_dict if hasattr(error, "error_dict") else {"non_field_errors": error.messages}
    code = "upload_refused" if "files" in details else "invalid"
    message = details["files"][0] if code == "upload_refused" else "The request is invalid."
    return ApiError(code, message, details=details)


@extend_schema(tags=["portfolio"])
class EvidenceItemList(GenericAPIView[Any]):
    serializer_class = EvidenceItemSerializer
    permission_classes = [IsAuthenticated]
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(responses={200: EvidenceItemSerializer(many=True), **ERRORS})
    def get(self, request: Request) -> Response:
        """The caller's evidence, newest first (paginated)."""
        page = self.paginate_queryset(selectors.items_of(request.user))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        request=EvidenceItemCreateSerializer, responses={201: EvidenceItemSerializer, 413: ErrorSerializer, **ERRORS}
    )
    def post(self, request: Request) -> Response:
        """Add evidence. A ``file`` item needs at least one file in ``files`` (multipart)."""
        if _too_large(request):
            raise ApiError(
                "upload_too_large",
                f"The upload is too large: at most {MAX_FILES_PER_REQUEST} files of "
                f"{services.max_upload_bytes()} bytes each can be sent at once.",
                status_code=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
            )
        data: Any = request.data
        if hasattr(data, "getlist"):
            data = {key: data.getlist(key) if key in {"files", "element_codes"} else data.get(key) for key in data}
        form = EvidenceItemCreateSerializer(data=data)
        form.is_valid(raise_exception=True)
        try:
            item = services.evidence_item_create(owner=request.user, **form.validated_data)
        except ValidationError as error:
            raise refused(error) from None
        item = selectors.item_for_user(request.user, item.public_id)
        return Response(EvidenceItemSerializer(item).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["portfolio"], responses={200: EvidenceItemSerializer, **ERRORS})
class EvidenceItemDetail(GenericAPIView[Any]):
    serializer_class = EvidenceItemSerializer
    permission_classes = [IsAuthenticated]

    def get(self, request: Request, public_id: UUID) -> Response:
        return Response(self.get_serializer(selectors.item_for_user(request.user, public_id)).data)


@extend_schema(tags=["portfolio"], responses={(200, "application/octet-stream"): OpenApiTypes.BINARY, **ERRORS})
class EvidenceFileDownload(GenericAPIView[Any]):
    """A stored file, as an attachment with its detected content type (owner and site staff)."""

    permission_classes = [IsAuthenticated]

    def get(self, request: Request, public_id: UUID) -> HttpResponseBase:
        return selectors.evidence_file_response(selectors.evidence_file_for_user(request.user, public_id))
