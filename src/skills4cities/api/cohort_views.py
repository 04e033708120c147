"""A trainer's view of a cohort member: ``GET /api/v1/cohorts/<id>/learners/<user id>/gap/`` and
``…/learning-path/`` (``?role=<slug>``), the same JSON as ``/api/v1/me/gap/`` and ``/api/v1/me/learning-path/``.
Only the cohort's trainer may read them; everyone else gets ``not_found`` (404)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from skills4cities.api.errors import ApiError
from skills4cities.api.learning_views import ROLE_PARAM, LearningPathSerializer
from skills4cities.api.me_serializers import GapAnalysisSerializer
from skills4cities.api.serializers import ErrorSerializer
from skills4cities.assessments import selectors as assessment_selectors
from skills4cities.curriculum import selectors as curriculum_selectors
from skills4cities.learning import selectors as learning_selectors


def _learner_and_role(request: Request, public_id: UUID, learner_id: UUID) -> tuple[Any, Any]:
    """The cohort member and the role asked for; 404 unless the caller is the cohort's trainer."""
    slug = request.query_params.get("role", "")
    try:
        cohort = curriculum_selectors.cohort_for_trainer(request.user, public_id)
        learner = curriculum_selectors.cohort_learner(cohort, learner_id)
    except Http404:
        raise ApiError("not_found", "Not found.", status_code=404) from None
    if not slug:
        raise ApiError("role_required", "Give the role's slug as ?role=<slug>.")
    role = assessment_selectors.assessable_role(learner, slug)
    if role is None:
        raise ApiError("not_found", "No such role.", status_code=404)
    return learner, role


@extend_schema(
    tags=["cohorts"],
    parameters=[ROLE_PARAM],
    responses={200: GapAnalysisSerializer, 400: ErrorSerializer, 401: ErrorSerializer, 404: ErrorSerializer},
)
class CohortLearnerGap(GenericAPIView[Any]):
    """A cohort member's latest gap analysis for a role, for the cohort's trainer (as ``/api/v1/me/gap/``).
    Errors: ``role_required`` (400), ``not_found`` (404: not your cohort, not a member, no such role),
    ``no_assessment`` (404)."""

    serializer_class = GapAnalysisSerializer
    permission_classes = [IsAuthenticated]
    pagination_class = None

    def get(self, request: Request, public_id: UUID, learner_id: UUID) -> Response:
        learner, role = _learner_and_role(request, public_id, learner_id)
        analysis = assessment_selectors.gap_analysis(learner, role)
        if analysis.assessment is None:
            raise ApiError(
                "no_assessment", "The learner has no submitted self-assessment for this role yet.", status_code=404
            )
        return Response(self.get_serializer(analysis).data)


@extend_schema(
    tags=["cohorts"],
    parameters=[ROLE_PARAM],
    responses={200: LearningPathSerializer, 400: ErrorSerializer, 401: ErrorSerializer, 404: ErrorSerializer},
)
class CohortLearnerPath(GenericAPIView[Any]):
    """A cohort member's learning path for a role, for the cohort's trainer (as ``/api/v1/me/learning-path/``)."""

    serializer_class = LearningPathSerializer
    permission_classes = [IsAuthenticated]
    pagination_class = None

    def get(self, request: Request, public_id: UUID, learner_id: UUID) -> Response:
        learner, role = _learner_and_role(request, public_id, learner_id)
        summary = learning_selectors.path_summary(learner, role)
        if summary is None:
            raise ApiError(
                "no_assessment", "The learner has no submitted self-assessment for this role yet.", status_code=404
            )
        return Response(self.get_serializer(summary).data)
