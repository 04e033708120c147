"""The exam API: list the caller's exams, start an attempt, read it, get the next item, answer, finish, result.

Learners only ever see their own attempts (others' are 404). Errors use the API's format with these stable
codes: ``attempt_open`` (409, ``details.attempt`` names the open attempt), ``attempt_closed`` (409),
``deadline_passed`` (409), ``invalid_answer`` (400), ``item_not_in_attempt`` (404), ``exam_disabled`` (400),
``provider_not_accredited`` (403), ``no_open_session`` (403: no open exam session of the caller's provider covers
the exam), ``trainer_not_accredited`` (403: the session's trainer is no longer accredited), ``no_items`` (400),
``no_elements`` (400), ``invalid_resit`` (400), ``nothing_to_resit`` (400), ``role_required`` (400),
``not_found`` (404); adaptive tests add ``adaptive_not_allowed`` (403) and ``answer_final`` (409: an adaptive
answer cannot be changed).
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from skills4cities.api import exams_serializers as s
from skills4cities.api.errors import ApiError
from skills4cities.api.serializers import ErrorSerializer
from skills4cities.exams import selectors, services
from skills4cities.exams.enums import AttemptState, ExamKind, ItemType
from skills4cities.exams.models import AttemptItem, ExamAttempt

ERRORS = {400: ErrorSerializer, 401: ErrorSerializer, 404: ErrorSerializer}
ATTEMPT_ID = OpenApiParameter("public_id", OpenApiTypes.UUID, OpenApiParameter.PATH, description="The attempt's id")


def _error(exc: services.ExamError) -> ApiError:
    details = {"attempt": str(exc.attempt.public_id)} if exc.attempt is not None else None
    return ApiError(exc.code, exc.message, status_code=exc.status, details=details)


def _attempt(request: Request, public_id: str) -> ExamAttempt:
    attempt = selectors.attempt_for_user(request.user, public_id)
    services.attempt_expire_if_due(attempt=attempt)
    return attempt


def _annotated(attempt: ExamAttempt) -> ExamAttempt:
    """The attempt with ``answered``, ``total`` and ``seconds_left`` for the serializer."""
    answered, total = selectors.attempt_progress(attempt)
    attempt.answered, attempt.total = answered, total  # type: ignore[attr-defined]
    left = None
    if attempt.deadline is not None and attempt.state == AttemptState.OPEN:
        left = max(int((attempt.deadline - timezone.now()).total_seconds()), 0)
    attempt.seconds_left = left  # type: ignore[attr-defined]
    return attempt


def _adaptive_data(attempt: ExamAttempt) -> dict[str, Any]:
    found = services.adaptive_result(attempt)
    if found is None:
        return {"theta": None, "se": None, "level": None, "items_used": None, "unit_passed": None}
    return {
        "theta": round(found.theta, 4),
        "se": round(found.se, 4),
        "level": found.level,
        "items_used": found.items,
        "unit_passed": found.passed,
    }


def _attempt_data(attempt: ExamAttempt) -> dict[str, Any]:
    return dict(s.AttemptSerializer(_annotated(attempt)).data)


def _item_data(row: AttemptItem) -> dict[str, Any]:
    by_id = {str(option.public_id): option for option in row.item.options.all()}
    return {
        "id": row.item.public_id,
        "position": row.position,
        "element": row.element_code,
        "type": row.item.type,
        "stem": row.item.stem,
        "options": [
            {"id": option_id, "text": by_id[option_id].text} for option_id in row.option_order if option_id in by_id
        ],
        "answer": row.answer,
        "answered_at": row.answered_at,
    }


def _session_fields(check: selectors.SessionCheck | None) -> dict[str, Any]:
    session = check.session if check is not None else None
    if session is None:
        refused = {"code": check.code, "message": check.message} if check is not None else None
        return {"session": None, "start_refused": refused}
    session.trainer_name = session.trainer.get_full_name() or session.trainer.get_username()  # type: ignore[attr-defined]
    return {"session": session, "start_refused": None}


@extend_schema(tags=["exams"], responses={200: s.ExamSerializer(many=True), 401: ErrorSerializer})
class ExamList(GenericAPIView[Any]):
    """The caller's exams: a practice quiz per unit of the reference framework, and a certification exam per unit of
    each of the caller's roles, with the elements passed so far, the open and latest attempts and the resit, and
    the open exam session a new certification attempt would start in (``session``) or why none can (``start_refused``).
    """

    serializer_class = s.ExamSerializer
    permission_classes = [IsAuthenticated]
    pagination_class = None

    def get(self, request: Request) -> Response:
        overview = selectors.exam_overview(request.user)
        rows: list[dict[str, Any]] = []
        if overview is not None:
            for quiz in overview.practice:
                rows.append(
                    {
                        "kind": ExamKind.PRACTICE.value,
                        "role": None,
                        "role_title": None,
                        "unit": quiz.unit.code,
                        "unit_title": quiz.unit.title,
                        "elements": [element.code for element in quiz.unit.elements.all()],
                        "items_in_bank": quiz.items,
                        "passed_elements": [],
                        "open_attempt": quiz.open_attempt.public_id if quiz.open_attempt else None,
                        "latest_attempt": None,
                        "resit_elements": [],
                        "enabled": True,
                        "items_per_element": services.PRACTICE_ITEMS_PER_ELEMENT,
                        "pass_threshold": None,
                        "time_limit_minutes": None,
                        "session": None,
                        "start_refused": None,
                    }
                )
            for entry in overview.roles:
                for exam in entry.units:
                    rows.append(
                        {
                            "kind": ExamKind.CERTIFICATION.value,
                            "role": entry.role.slug,
                            "role_title": entry.role.title,
                            "unit": exam.unit.code,
                            "unit_title": exam.unit.title,
                            "elements": [element.code for element in exam.elements],
                            "items_in_bank": exam.items,
                            "passed_elements": [e.code for e, found in exam.element_rows if found and found.passed],
                            "open_attempt": exam.open_attempt.public_id if exam.open_attempt else None,
                            "latest_attempt": exam.latest.public_id if exam.latest else None,
                            "resit_elements": exam.failed_in_latest or [] if exam.resit_available else [],
                            "enabled": entry.config.enabled,
                            "items_per_element": entry.config.items_per_element,
                            "pass_threshold": entry.config.pass_threshold,
                            "time_limit_minutes": entry.config.time_limit_minutes,
                            **_session_fields(exam.session),
                        }
                    )
        return Response(s.ExamSerializer(rows, many=True).data)


@extend_schema(
    tags=["exams"],
    request=s.StartSerializer,
    responses={201: s.AttemptSerializer, 403: ErrorSerializer, 409: ErrorSerializer, **ERRORS},
)
class AttemptStart(GenericAPIView[Any]):
    """Start a practice quiz (``kind=practice``, ``unit``) or a certification exam (``kind=certification``,
    ``role``, ``unit``; ``resit_of`` to resit only the failed elements of your latest finished attempt), or an
    adaptive test (``kind=adaptive``, ``unit``: a self-check; with ``role``: an adaptive certification test
    where the role's exam rules allow it). An adaptive attempt shows one item at a time: ``next/`` gives it.
    Certification attempts (resits and adaptive ones too) start only inside an open exam session of the caller's
    accredited training provider opened by an accredited trainer: 403 ``no_open_session``,
    ``trainer_not_accredited`` or ``provider_not_accredited`` otherwise.
    409 ``attempt_open`` while an attempt of the same exam is open (``details.attempt`` is its id)."""

    serializer_class = s.StartSerializer
    permission_classes = [IsAuthenticated]

    def post(self, request: Request) -> Response:
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        framework = selectors.reference_framework(request.user)
        if framework is None:
            raise ApiError("not_found", "The reference framework is not loaded.", status_code=404)
        unit = framework.units.filter(code=values["unit"]).first()
        if unit is None:
            raise ApiError("not_found", "No such unit.", status_code=404)
        role = None
        if values["kind"] == ExamKind.CERTIFICATION and not values.get("role"):
            raise ApiError("role_required", "A certification exam needs the role's slug.")
        if values["kind"] != ExamKind.PRACTICE and values.get("role"):
            role = framework.roles.filter(slug=values["role"]).first()
            if role is None:
                raise ApiError("not_found", "No such role.", status_code=404)
        resit_of = None
        if values.get("resit_of"):
            resit_of = selectors.attempt_for_user(request.user, values["resit_of"])
        try:
            attempt = services.attempt_start(
                learner=request.user, kind=values["kind"], role=role, unit=unit, resit_of=resit_of
            )
        except services.ExamError as exc:
            raise _error(exc) from None
        return Response(_attempt_data(attempt), status=status.HTTP_201_CREATED)


@extend_schema(parameters=[ATTEMPT_ID], tags=["exams"], responses={200: s.AttemptSerializer, **ERRORS})
class AttemptDetail(GenericAPIView[Any]):
    """One of your attempts: its state, the server-side deadline and the seconds left, and how many items are
    answered. An open attempt past its deadline is scored as it stands (state ``expired``) on this request."""

    serializer_class = s.AttemptSerializer
    permission_classes = [IsAuthenticated]

    def get(self, request: Request, public_id: str) -> Response:
        return Response(_attempt_data(_attempt(request, public_id)))


def _require_open(attempt: ExamAttempt) -> None:
    if attempt.state != AttemptState.OPEN:
        code = "deadline_passed" if attempt.state == AttemptState.EXPIRED else "attempt_closed"
        raise ApiError(code, "This attempt is finished.", status_code=409)


@extend_schema(
    parameters=[ATTEMPT_ID], tags=["exams"], responses={200: s.NextItemSerializer, 409: ErrorSerializer, **ERRORS}
)
class NextItem(GenericAPIView[Any]):
    """The first unanswered item of an open attempt (``item`` null when all are answered). No keys.
    In an adaptive test: the item chosen by the answers so far; null once the test has measured enough."""

    serializer_class = s.NextItemSerializer
    permission_classes = [IsAuthenticated]

    def get(self, request: Request, public_id: str) -> Response:
        attempt = _attempt(request, public_id)
        _require_open(attempt)
        row = services.adaptive_advance(attempt=attempt)
        answered, total = selectors.attempt_progress(attempt)
        body = {
            "answered": answered,
            "total": total,
            "item": _item_data(row) if row else None,
            "max_items": attempt.max_items,
        }
        return Response(s.NextItemSerializer(body).data)


@extend_schema(
    parameters=[ATTEMPT_ID], tags=["exams"], responses={200: s.ItemSerializer, 409: ErrorSerializer, **ERRORS}
)
class ItemAt(GenericAPIView[Any]):
    """The item at ``position`` (1…total) of an open attempt, with the answer given so far. No keys."""

    serializer_class = s.ItemSerializer
    permission_classes = [IsAuthenticated]

    def get(self, request: Request, public_id: str, position: int) -> Response:
        attempt = _attempt(request, public_id)
        _require_open(attempt)
        return Response(s.ItemSerializer(_item_data(selectors.attempt_item_at(attempt, position))).data)


def _feedback(row: AttemptItem) -> dict[str, Any]:
    options = sorted(row.item.options.all(), key=lambda option: option.position)
    return {
        "score": row.score,
        "options": [
            {"id": o.public_id, "correct": o.correct or row.item.type == ItemType.ORDERING, "feedback": o.feedback}
            for o in options
        ],
        "explanation": row.item.explanation,
    }


@extend_schema(
    parameters=[ATTEMPT_ID],
    tags=["exams"],
    request=s.AnswerInSerializer,
    responses={200: s.AnswerOutSerializer, 403: ErrorSerializer, 409: ErrorSerializer, **ERRORS},
)
class AnswerSave(GenericAPIView[Any]):
    """Save (or replace) the answer to one item, in its own transaction: it is kept whatever happens next.
    Errors: ``invalid_answer`` (400), ``item_not_in_attempt`` (404), ``attempt_closed`` and ``deadline_passed``
    (409; past the deadline the attempt is scored as it stands). Practice quizzes return feedback."""

    serializer_class = s.AnswerInSerializer
    permission_classes = [IsAuthenticated]

    def post(self, request: Request, public_id: str) -> Response:
        attempt = selectors.attempt_for_user(request.user, public_id)
        data = self.get_serializer(data=request.data)
        if not data.is_valid():
            raise ApiError(
                "invalid_answer", "Give the item's id and an option id or a list of option ids.", details=data.errors
            )
        row = selectors.attempt_item_for(attempt, data.validated_data["item"])
        if row is None:
            raise ApiError("item_not_in_attempt", "This item is not part of the attempt.", status_code=404)
        try:
            row = services.answer_save(
                actor=request.user, attempt=attempt, attempt_item=row, answer=data.validated_data["answer"]
            )
        except services.ExamError as exc:
            raise _error(exc) from None
        answered, total = selectors.attempt_progress(attempt)
        body = {
            "item": row.item.public_id,
            "position": row.position,
            "answer": row.answer,
            "answered_at": row.answered_at,
            "answered": answered,
            "total": total,
            "feedback": _feedback(row) if attempt.kind == ExamKind.PRACTICE else None,
        }
        return Response(s.AnswerOutSerializer(body).data)


def _result_data(request: Request, attempt: ExamAttempt) -> dict[str, Any]:
    results = selectors.element_results(attempt)
    failed = [result.element_code for result in results if not result.passed]
    latest = selectors.latest_finished(request.user, attempt.scope)
    open_now = selectors.open_attempt(request.user, attempt.scope)
    available = attempt.certifying and bool(failed) and latest is not None and latest.pk == attempt.pk
    available = available and attempt.kind != ExamKind.ADAPTIVE  # an adaptive test is retaken whole
    return {
        "attempt": _annotated(attempt),
        "elements": results,
        "resit_available": available and open_now is None,
        "resit_elements": failed if available else [],
        **_adaptive_data(attempt),
    }


@extend_schema(
    parameters=[ATTEMPT_ID],
    tags=["exams"],
    request=None,
    responses={200: s.ResultSerializer, 403: ErrorSerializer, 409: ErrorSerializer, **ERRORS},
)
class AttemptFinish(GenericAPIView[Any]):
    """Submit an open attempt; returns the result per element. 409 ``attempt_closed`` if it is finished already."""

    serializer_class = s.ResultSerializer
    permission_classes = [IsAuthenticated]

    def post(self, request: Request, public_id: str) -> Response:
        attempt = _attempt(request, public_id)
        if attempt.state == AttemptState.EXPIRED:
            raise ApiError("deadline_passed", "The time was up; the attempt was scored as it stood.", status_code=409)
        try:
            services.attempt_finish(actor=request.user, attempt=attempt)
        except services.ExamError as exc:
            raise _error(exc) from None
        return Response(s.ResultSerializer(_result_data(request, attempt)).data)


@extend_schema(
    parameters=[ATTEMPT_ID], tags=["exams"], responses={200: s.ResultSerializer, 409: ErrorSerializer, **ERRORS}
)
class AttemptResult(GenericAPIView[Any]):
    """The result per element of a finished attempt (fraction, threshold, passed) and whether a resit is offered.
    409 ``attempt_open`` while the attempt is still open."""

    serializer_class = s.ResultSerializer
    permission_classes = [IsAuthenticated]

    def get(self, request: Request, public_id: str) -> Response:
        attempt = _attempt(request, public_id)
        if attempt.state == AttemptState.OPEN:
            raise ApiError(
                "attempt_open",
                "The attempt is still open.",
                status_code=409,
                details={"attempt": str(attempt.public_id)},
            )
        return Response(s.ResultSerializer(_result_data(request, attempt)).data)
