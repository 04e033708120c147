"""``GET /api/v1/frameworks/{slug}/diff/?from=…&to=…``: what changed between two versions."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from skills4cities.api.diff_serializers import FrameworkDiffSerializer
from skills4cities.api.errors import ApiError
from skills4cities.api.serializers import ErrorSerializer
from skills4cities.frameworks import selectors

VERSION_PARAMS = [
    OpenApiParameter("from", OpenApiTypes.STR, OpenApiParameter.QUERY, required=True, description="Older version"),
    OpenApiParameter("to", OpenApiTypes.STR, OpenApiParameter.QUERY, required=True, description="Newer version"),
]


@extend_schema(
    tags=["frameworks"],
    parameters=VERSION_PARAMS,
    responses={200: FrameworkDiffSerializer, 400: ErrorSerializer, 404: ErrorSerializer},
    description=(
        "Items added, removed, moved (to another parent or reordered) and changed (field by field, per language), "
        "and role requirement changes, keyed by code. Errors: `version_required` when `from` or `to` is missing, "
        "`version_not_found` when a version does not exist or is not visible to the caller."
    ),
)
class FrameworkDiff(GenericAPIView[Any]):
    serializer_class = FrameworkDiffSerializer
    pagination_class = None

    def get(self, request: Request, slug: str) -> Response:
        versions = {framework.version: framework for framework in selectors.versions_of(request.user, slug)}
        if not versions:
            raise Http404
        wanted = {name: (request.query_params.get(name) or "").strip() for name in ("from", "to")}
        missing = [name for name, value in wanted.items() if not value]
        if missing:
            raise ApiError(
                "version_required", "Give both versions to compare: ?from=…&to=….", details={"missing": missing}
            )
        unknown = {name: value for name, value in wanted.items() if value not in versions}
        if unknown:
            raise ApiError("version_not_found", "No such version of this framework.", details={"unknown": unknown})
        comparison = selectors.version_diff(versions[wanted["from"]], versions[wanted["to"]])
        return Response(self.get_serializer(comparison.diff).data)
