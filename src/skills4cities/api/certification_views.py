"""Certification: the caller's eligibility under the rules, and the public list of accredited providers and trainers."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from skills4cities.api.certification_serializers import AccreditedSerializer, EligibilitySerializer
from skills4cities.api.errors import ApiError
from skills4cities.api.serializers import ErrorSerializer
from skills4cities.certification import selectors

ROLE_PARAM = OpenApiParameter("role", OpenApiTypes.STR, OpenApiParameter.QUERY, required=True, description="Role slug")
UNIT_PARAM = OpenApiParameter(
    "unit", OpenApiTypes.STR, OpenApiParameter.QUERY, description="Unit code: the unit micro-credential instead"
)


@extend_schema(
    tags=["certification"],
    parameters=[ROLE_PARAM, UNIT_PARAM],
    responses={200: EligibilitySerializer, 400: ErrorSerializer, 401: ErrorSerializer, 404: ErrorSerializer},
)
class MyEligibility(GenericAPIView[Any]):
    """Whether the caller meets the certification rule for a role certificate (or, with ``unit``, a unit
    micro-credential), with one sentence per missing requirement. Errors: ``role_required`` (400),
    ``not_found`` (404, no published role of that slug, or the unit is not part of the role)."""

    serializer_class = EligibilitySerializer
    permission_classes = [IsAuthenticated]
    pagination_class = None

    def get(self, request: Request) -> Response:
        slug = request.query_params.get("role", "").strip()
        if not slug:
            raise ApiError("role_required", "Give the role's slug as ?role=<slug>.")
        role = selectors.current_role(slug)
        if role is None:
            raise ApiError("not_found", "No such role.", status_code=404)
        unit = request.query_params.get("unit", "").strip() or None
        spec = selectors.role_spec(role)
        if unit is not None and unit not in {u.unit.code for u in spec.units}:
            raise ApiError("not_found", "The role has no unit of that code.", status_code=404)
        result = selectors.evaluate(spec, selectors.person_records(request.user), unit)
        return Response(self.get_serializer(result).data)


@extend_schema(tags=["certification"], responses={200: AccreditedSerializer(many=True)})
class AccreditedList(GenericAPIView[Any]):
    """Public: the training providers and trainers currently accredited (providers first), with their expiry.
    Only they may run certification exams."""

    serializer_class = AccreditedSerializer
    permission_classes = [AllowAny]
    pagination_class = None

    def get(self, request: Request) -> Response:
        return Response(self.get_serializer(selectors.accredited_list(), many=True).data)
