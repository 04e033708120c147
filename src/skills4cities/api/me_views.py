"""The caller's own gap analysis: ``GET /api/v1/me/gap/?role=<slug>``."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from skills4cities.api.errors import ApiError
from skills4cities.api.me_serializers import GapAnalysisSerializer
from skills4cities.api.serializers import ErrorSerializer
from skills4cities.assessments import selectors

ROLE_PARAM = OpenApiParameter("role", OpenApiTypes.STR, OpenApiParameter.QUERY, required=True, description="Role slug")


@extend_schema(
    tags=["assessments"],
    parameters=[ROLE_PARAM],
    responses={200: GapAnalysisSerializer, 400: ErrorSerializer, 401: ErrorSerializer, 404: ErrorSerializer},
)
class MyGap(GenericAPIView[Any]):
    """The caller's latest gap analysis for a role of the reference framework: per element the target level, the
    current level (by the configured rule from the evidence streams), the gap and whether it is essential.
    Errors: ``role_required`` (400), ``not_found`` (404, no such role), ``no_assessment`` (404, no submitted
    self-assessment for the role yet)."""

    serializer_class = GapAnalysisSerializer
    permission_classes = [IsAuthenticated]
    pagination_class = None

    def get(self, request: Request) -> Response:
        slug = request.query_params.get("role", "")
        if not slug:
            raise ApiError("role_required", "Give the role's slug as ?role=<slug>.")
        role = selectors.assessable_role(request.user, slug)
        if role is None:
            raise ApiError("not_found", "No such role.", status_code=404)
        analysis = selectors.gap_analysis(request.user, role)
        if analysis.assessment is None:
            raise ApiError("no_assessment", "You have no submitted self-assessment for this role yet.", status_code=404)
        return Response(self.get_serializer(analysis).data)
