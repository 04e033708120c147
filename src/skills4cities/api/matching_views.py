"""``POST /api/v1/matching/match/``: ESCO skills or framework elements a text evidences, with supporting sentences."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import UserRateThrottle

from skills4cities.api.errors import ApiError
from skills4cities.api.matching_serializers import MatchRequestSerializer, MatchResponseSerializer
from skills4cities.api.serializers import ErrorSerializer
from skills4cities.matching import services


class MatchThrottle(UserRateThrottle):
    scope = "matching"
    rate = "60/min"


@extend_schema(
    tags=["matching"],
    request=MatchRequestSerializer,
    responses={200: MatchResponseSerializer, 400: ErrorSerializer, 401: ErrorSerializer, 503: ErrorSerializer},
)
class Match(GenericAPIView[Any]):
    """Rank ESCO skills (``target=esco``) or the elements of the current reference framework (``target=framework``)
    for a text in any of the six languages; best first, each with the sentence that supports it. Scores are for
    ranking within one response, not thresholds. Errors: ``invalid`` (400: empty text, unknown target, top outside
    1–100), ``matching_unavailable`` (503: no ESCO skills or no framework loaded)."""

    serializer_class = MatchRequestSerializer
    permission_classes = [IsAuthenticated]
    throttle_classes = [MatchThrottle]
    pagination_class = None

    def post(self, request: Request) -> Response:
        incoming = MatchRequestSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        target = incoming.validated_data["target"]
        try:
            framework = services.framework_label() if target == services.TARGET_FRAMEWORK else None
            (matches,) = services.match_texts(
                [incoming.validated_data["text"]], target=target, top=incoming.validated_data["top"], split=True
            )
        except services.MatchingUnavailable as exc:
            raise ApiError("matching_unavailable", str(exc), status_code=503) from None
        body = {"target": target, "framework": framework, "matches": matches}
        return Response(MatchResponseSerializer(body).data)
