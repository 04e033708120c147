"""The learner's own learning path for a role: ``GET /api/v1/me/learning-path/?role=<slug>``."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from skills4cities.api.errors import ApiError
from skills4cities.api.serializers import ErrorSerializer
from skills4cities.learning import selectors, sources


class GapSerializer(serializers.Serializer[dict[str, Any]]):
    element = serializers.CharField()
    title = serializers.CharField()
    target = serializers.IntegerField(help_text="The role's target level")
    current = serializers.IntegerField(help_text="The learner's current level (0: no evidence)")
    essential = serializers.BooleanField()


class PathModuleSerializer(serializers.Serializer[selectors.ModuleSummary]):
    position = serializers.IntegerField()
    code = serializers.CharField()
    title = serializers.CharField()
    hours = serializers.IntegerField()
    status = serializers.ChoiceField(choices=["planned", "completed"])
    elements = serializers.ListField(child=serializers.CharField(), help_text="Element codes the module covers")
    closes = GapSerializer(many=True, help_text="The gaps this module is the first in the path to close")


class LearningPathSerializer(serializers.Serializer[selectors.PathSummary]):
    role = serializers.SlugField(source="role.slug")
    framework = serializers.SlugField(source="role.framework.slug")
    version = serializers.CharField(source="role.framework.version")
    id = serializers.UUIDField(source="path_id", allow_null=True, help_text="null: a proposal not saved yet")
    status = serializers.ChoiceField(choices=["proposed", "accepted", "unsaved"])
    method = serializers.ChoiceField(choices=["ilp", "greedy", "none"])
    total_hours = serializers.IntegerField()
    completed_hours = serializers.IntegerField()
    modules = PathModuleSerializer(many=True)
    uncovered = GapSerializer(many=True, help_text="Open gaps no module of the path closes")


ROLE_PARAM = OpenApiParameter("role", OpenApiTypes.STR, OpenApiParameter.QUERY, required=True, description="Role slug")


@extend_schema(
    tags=["learning"],
    parameters=[ROLE_PARAM],
    responses={200: LearningPathSerializer, 400: ErrorSerializer, 401: ErrorSerializer, 404: ErrorSerializer},
)
class MyLearningPath(GenericAPIView[Any]):
    """The caller's newest learning path for the role (non-dropped modules in order, with the element codes each
    covers and the gaps it closes, plus the uncovered gaps); without a saved path, the proposal the solver makes
    from the caller's latest self-assessment, not saved."""

    serializer_class = LearningPathSerializer
    permission_classes = [IsAuthenticated]
    pagination_class = None

    def get(self, request: Request) -> Response:
        slug = request.query_params.get("role", "")
        if not slug:
            raise ApiError("role_required", "Give the role's slug as ?role=<slug>.")
        role = sources.learner_role(request.user, slug)
        if role is None:
            raise ApiError("not_found", "No such role.", status_code=404)
        summary = selectors.path_summary(request.user, role)
        if summary is None:
            raise ApiError("no_assessment", "You have no submitted self-assessment for this role yet.", status_code=404)
        return Response(self.get_serializer(summary).data)
