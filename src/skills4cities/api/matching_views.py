"""``POST /api/v1/matching/match/``: ESCO skills or framework elements a text evidences, with supporting sentences."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import UserRateThrottle

from skills4cities.api.errors import ApiError
from skills4cities.api.matching_serializers import MatchRequestSerializer, MatchResponseSerializer
from skills4cities.api.serializers import ErrorSerializer
from skills4cities.matching import services
from skills4cities.matching.tasks import ensure_index_build

RETRY_AFTER_SECONDS = 30


class IndexNotReadyError(ApiError):
    """503 ``index_not_ready``: the ESCO index is being prepared in the background; ``Retry-After`` says when to
    ask again and ``details`` carries the build's progress."""

    def __init__(self, status: services.IndexStatus) -> None:
        super().__init__(
            "index_not_ready",
            f"The {status.target} index is being prepared ({status.percent} %); try again later."
            if status.state == services.INDEX_BUILDING
            else f"The {status.target} index is not ready ({status.state}); try again later.",
            status_code=503,
            details=status.as_dict(),
        )
        self.wait = RETRY_AFTER_SECONDS  # DRF's exception handler turns ``wait`` into the Retry-After header


class MatchThrottle(UserRateThrottle):
    scope = "matching"
    rate = "60/min"


@extend_schema(
    tags=["matching"],
    request=MatchRequestSerializer,
    responses={200: MatchResponseSerializer, 400: ErrorSerializer, 401: ErrorSerializer, 503: ErrorSerializer},
    parameters=[
        OpenApiParameter(
            "Retry-After",
            OpenApiTypes.INT,
            location=OpenApiParameter.HEADER,
            response=[503],
            description="Seconds to wait before asking again (with ``index_not_ready``).",
        )
    ],
)
class Match(GenericAPIView[Any]):
    """Rank ESCO skills (``target=esco``) or the elements of the current reference framework (``target=framework``)
    for a text in any of the six languages; best first, each with the sentence that supports it. Scores are for
    ranking within one response, not thresholds. Errors: ``invalid`` (400: empty text, unknown target, top outside
    1–100), ``matching_unavailable`` (503: no ESCO skills or no framework loaded), ``index_not_ready`` (503, with a
    ``Retry-After`` header: the ESCO index is being prepared in the background after a new install or ESCO release;
    ``details`` holds ``target``, ``state`` (building, missing or failed), ``done``, ``total``, ``percent`` and
    ``error``)."""

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
                [incoming.validated_data["text"]],
                target=target,
                top=incoming.validated_data["top"],
                split=True,
                build=False,
            )
        except services.IndexNotReady as exc:
            try:
                status = ensure_index_build(exc.status.target)
            except services.MatchingUnavailable:
                status = exc.status
            raise IndexNotReadyError(status) from None
        except services.MatchingUnavailable as exc:
            raise ApiError("matching_unavailable", str(exc), status_code=503) from None
        body = {"target": target, "framework": framework, "matches": matches}
        return Response(MatchResponseSerializer(body).data)
