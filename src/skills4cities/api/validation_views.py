"""Validation requests: list, create, read, and one POST endpoint per transition.

Error codes: ``invalid`` (400, details by field), ``invalid_transition`` (409, the request's state does not allow
the step), ``permission_denied`` (403, the caller may see the request but not take this step), ``not_found``
(404, the request is not visible to the caller)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from skills4cities.api.errors import ApiError
from skills4cities.api.serializers import ErrorSerializer
from skills4cities.api.validation_serializers import (
    AddEvidenceSerializer,
    AppealSerializer,
    AssignSerializer,
    JudgementInputSerializer,
    JudgementSerializer,
    TransitionSerializer,
    ValidationRequestCreateSerializer,
    ValidationRequestDetailSerializer,
    ValidationRequestSerializer,
)
from skills4cities.portfolio import selectors as portfolio_selectors
from skills4cities.validation import selectors, services
from skills4cities.validation.enums import RequestState
from skills4cities.validation.models import ValidationRequest

ERRORS = {400: ErrorSerializer, 401: ErrorSerializer, 403: ErrorSerializer, 404: ErrorSerializer}
TRANSITION_ERRORS = {**ERRORS, 409: ErrorSerializer}


def _invalid(error: ValidationError) -> ApiError:
    if isinstance(error, services.InvalidTransition):
        return ApiError("invalid_transition", error.messages[0], status_code=status.HTTP_409_CONFLICT)
    details = error.message_dict if hasattr(error, "error_dict") else {"non_field_errors": error.messages}
    return ApiError("invalid", "The request is invalid.", details=details)


def _detail(req: ValidationRequest) -> dict[str, Any]:
    decided = req.state in (RequestState.DECIDED, RequestState.APPEALED, RequestState.FINAL) or req.in_appeal
    context = {
        "evidence": selectors.evidence_of(req),
        "scope": selectors.scope_elements(req),
        "judgements": selectors.judgements_of(req) if decided else [],
    }
    return ValidationRequestDetailSerializer(req, context=context).data


@extend_schema(tags=["validation"])
class ValidationRequestList(GenericAPIView[Any]):
    serializer_class = ValidationRequestSerializer
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: ValidationRequestSerializer(many=True), **ERRORS})
    def get(self, request: Request) -> Response:
        """Requests the caller may see: their own, those assigned to them, their organisations' (as admin or
        certification officer). Newest first, paginated."""
        queryset = selectors.visible_requests(request.user).select_related(
            "learner", "organisation", "framework", "role", "unit", "assessor", "second_assessor", "appeal_assessor"
        )
        page = self.paginate_queryset(queryset.order_by("-created_at", "-id"))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        request=ValidationRequestCreateSerializer, responses={201: ValidationRequestDetailSerializer, **ERRORS}
    )
    def post(self, request: Request) -> Response:
        """Create a request for one role (slug) or one unit (code) of the reference framework; ``submit`` submits it."""
        form = ValidationRequestCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        roles, units = selectors.scope_choices(request.user)
        role = next((r for r in roles if r.slug == data.get("role")), None)
        unit = next((u for u in units if u.code == data.get("unit")), None)
        if ("role" in data and role is None) or ("unit" in data and unit is None):
            raise ApiError("invalid", "The request is invalid.", details={"scope": ["No such role or unit."]})
        items = portfolio_selectors.items_by_public_ids(request.user, data["evidence"])
        if len(items) != len(set(data["evidence"])):
            raise ApiError("invalid", "The request is invalid.", details={"evidence": ["Unknown evidence."]})
        try:
            req = services.validation_request_create(
                learner=request.user, role=role, unit=unit, evidence_items=items, statement=data["statement"]
            )
            if data["submit"]:
                services.validation_request_submit(actor=request.user, request=req)
        except ValidationError as error:
            raise _invalid(error) from None
        req = selectors.request_for_user(request.user, req.public_id)
        return Response(_detail(req), status=status.HTTP_201_CREATED)


@extend_schema(tags=["validation"], responses={200: ValidationRequestDetailSerializer, **ERRORS})
class ValidationRequestDetail(GenericAPIView[Any]):
    serializer_class = ValidationRequestDetailSerializer
    permission_classes = [IsAuthenticated]

    def get(self, request: Request, public_id: UUID) -> Response:
        return Response(_detail(selectors.request_for_user(request.user, public_id)))


class _Transition(GenericAPIView[Any]):
    """A POST that runs one transition service and answers the request as it is afterwards."""

    permission_classes = [IsAuthenticated]
    serializer_class: Any = TransitionSerializer

    def run(self, request: Request, req: ValidationRequest, data: dict[str, Any]) -> None:
        raise NotImplementedError

    def post(self, request: Request, public_id: UUID) -> Response:
        req = selectors.request_for_user(request.user, public_id)
        form = self.get_serializer(data=request.data)
        form.is_valid(raise_exception=True)
        try:
            self.run(request, req, form.validated_data)
        except ValidationError as error:
            raise _invalid(error) from None
        return Response(_detail(selectors.request_for_user(request.user, public_id)))


def _transition(summary: str, request_serializer: Any = TransitionSerializer) -> Any:
    return extend_schema(
        tags=["validation"],
        summary=summary,
        request=request_serializer,
        responses={200: ValidationRequestDetailSerializer, **TRANSITION_ERRORS},
    )


@_transition("Submit a draft (learner)")
class Submit(_Transition):
    def run(self, request: Request, req: ValidationRequest, data: dict[str, Any]) -> None:
        services.validation_request_submit(actor=request.user, request=req)


def _user(username: str, field: str) -> Any:
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise ValidationError({field: "No such user."})
    return user


@_transition(
    "Assign the assessor(s), or the appeal assessor (organisation admin, certification officer)", AssignSerializer
)
class Assign(_Transition):
    serializer_class = AssignSerializer

    def run(self, request: Request, req: ValidationRequest, data: dict[str, Any]) -> None:
        second = _user(data["second_assessor"], "second_assessor") if data["second_assessor"] else None
        services.validation_request_assign(
            actor=request.user, request=req, assessor=_user(data["assessor"], "assessor"), second_assessor=second
        )


@_transition("Start the review (assigned assessor, or appeal assessor)")
class StartReview(_Transition):
    def run(self, request: Request, req: ValidationRequest, data: dict[str, Any]) -> None:
        services.validation_request_start_review(actor=request.user, request=req)


@_transition("Ask the learner for more evidence (first assessor; comment required)")
class RequestMoreEvidence(_Transition):
    def run(self, request: Request, req: ValidationRequest, data: dict[str, Any]) -> None:
        services.validation_request_request_more_evidence(actor=request.user, request=req, comment=data["comment"])


@_transition("Add portfolio evidence to a draft or while more evidence is requested (learner)", AddEvidenceSerializer)
class AddEvidence(_Transition):
    serializer_class = AddEvidenceSerializer

    def run(self, request: Request, req: ValidationRequest, data: dict[str, Any]) -> None:
        items = portfolio_selectors.items_by_public_ids(request.user, data["evidence"])
        if len(items) != len(set(data["evidence"])):
            raise ValidationError({"evidence": "Unknown evidence."})
        services.validation_request_add_evidence(actor=request.user, request=req, items=items)


@_transition("Send the request back to review after more evidence (learner)")
class Resubmit(_Transition):
    def run(self, request: Request, req: ValidationRequest, data: dict[str, Any]) -> None:
        services.validation_request_resubmit(actor=request.user, request=req, comment=data["comment"])


@_transition("Decide (first assessor, every element judged)")
class Decide(_Transition):
    def run(self, request: Request, req: ValidationRequest, data: dict[str, Any]) -> None:
        services.validation_request_decide(actor=request.user, request=req, comment=data["comment"])


@_transition("Appeal the decision once (learner; reason required)", AppealSerializer)
class Appeal(_Transition):
    serializer_class = AppealSerializer

    def run(self, request: Request, req: ValidationRequest, data: dict[str, Any]) -> None:
        services.validation_request_appeal(actor=request.user, request=req, reason=data["reason"])


@_transition("Decide the appeal; the decision is final (appeal assessor; comment required)")
class DecideAppeal(_Transition):
    def run(self, request: Request, req: ValidationRequest, data: dict[str, Any]) -> None:
        services.validation_request_decide_appeal(actor=request.user, request=req, comment=data["comment"])


@_transition("Make a decision final (learner accepts, or organisation admin / certification officer)")
class Finalise(_Transition):
    def run(self, request: Request, req: ValidationRequest, data: dict[str, Any]) -> None:
        services.validation_request_finalise(actor=request.user, request=req, comment=data["comment"])


@extend_schema(
    tags=["validation"],
    summary="Record the caller's judgement of one element (an assessor of the request, while in review)",
    request=JudgementInputSerializer,
    responses={200: JudgementSerializer, **TRANSITION_ERRORS},
)
class Judge(GenericAPIView[Any]):
    permission_classes = [IsAuthenticated]
    serializer_class = JudgementInputSerializer

    def post(self, request: Request, public_id: UUID) -> Response:
        req = selectors.request_for_user(request.user, public_id)
        form = self.get_serializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        entry = next((e for e in selectors.scope_elements(req) if e.element.code == data["element"]), None)
        if entry is None:
            raise ApiError("invalid", "The request is invalid.", details={"element": ["Not in the request's scope."]})
        try:
            judgement = services.element_judgement_save(
                actor=request.user,
                request=req,
                element=entry.element,
                criteria=data["criteria"],
                level=data["level"],
                comment=data["comment"],
                outcome=data["outcome"],
            )
        except ValidationError as error:
            raise _invalid(error) from None
        return Response(JudgementSerializer(judgement).data)
