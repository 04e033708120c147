"""The read-only 1EdTech CASE 1.1 REST binding under /ims/case/v1p1/.

Framework versions are served as CASE documents, packages, items, associations and rubrics; every
identifier is the CASE identifier of the object (docs/formats/case.md). Published and retired
versions are public, drafts only for their editors (as everywhere else). Errors have CASE's
``imsx_StatusInfo`` body instead of the /api/v1/ error format.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from skills4cities.frameworks import selectors

UUID_RE = re.compile(r"^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$")
CODE_MINOR = {
    status.HTTP_400_BAD_REQUEST: "invalid_selection_field",
    status.HTTP_401_UNAUTHORIZED: "unauthorised_request",
    status.HTTP_403_FORBIDDEN: "forbidden",
    status.HTTP_404_NOT_FOUND: "unknownobject",
    status.HTTP_429_TOO_MANY_REQUESTS: "server_busy",
}
MINOR_VALUES = [
    "forbidden",
    "fullsuccess",
    "internal_server_error",
    "invalid_selection_field",
    "invalid_sort_field",
    "invalid_uuid",
    "server_busy",
    "unauthorised_request",
    "unknownobject",
]


def status_info(description: str, minor: str, *, field: str = "sourcedId", major: str = "failure") -> dict[str, Any]:
    """CASE's error body: a failure with a human description and one machine-readable minor code."""
    return {
        "imsx_codeMajor": major,
        "imsx_severity": "error",
        "imsx_description": description,
        "imsx_codeMinor": {
            "imsx_codeMinorField": [{"imsx_codeMinorFieldName": field, "imsx_codeMinorFieldValue": minor}]
        },
    }


class InvalidUUID(exceptions.NotFound):
    case_minor = "invalid_uuid"


class InvalidSelection(exceptions.ValidationError):
    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.message, self.case_field = message, field


def case_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(_("No CASE object with this identifier is available."))
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    if not isinstance(exc, exceptions.APIException):
        return None
    minor = getattr(
        exc,
        "case_minor",
        CODE_MINOR.get(exc.status_code, "forbidden" if exc.status_code < 500 else "internal_server_error"),
    )
    description = getattr(exc, "message", None) or str(exc.detail)
    # CASE has no minor code for a wrong method or media type; its major code "unsupported" says it
    major = "unsupported" if exc.status_code in {405, 406, 415} else "failure"
    field = getattr(exc, "case_field", "sourcedId")
    response = Response(status_info(description, minor, field=field, major=major), status=exc.status_code)
    if getattr(exc, "auth_header", None):
        response["WWW-Authenticate"] = exc.auth_header  # type: ignore[attr-defined]
    if getattr(exc, "wait", None):
        response["Retry-After"] = str(int(exc.wait))  # type: ignore[attr-defined]
    return response


def not_found_view(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
    """Any unknown path under /ims/case/v1p1/: CASE's 404 body."""
    body = status_info(_("No CASE endpoint at this address."), "unknownobject", field="path")
    return JsonResponse(body, status=status.HTTP_404_NOT_FOUND)


# OpenAPI description of the bodies ------------------------------------------------------------------


class CodeMinorFieldSerializer(serializers.Serializer[Any]):
    imsx_codeMinorFieldName = serializers.CharField()
    imsx_codeMinorFieldValue = serializers.ChoiceField(choices=MINOR_VALUES)


class CodeMinorSerializer(serializers.Serializer[Any]):
    imsx_codeMinorField = CodeMinorFieldSerializer(many=True)


class CaseStatusInfoSerializer(serializers.Serializer[Any]):
    imsx_codeMajor = serializers.ChoiceField(choices=["success", "processing", "failure", "unsupported"])
    imsx_severity = serializers.ChoiceField(choices=["status", "warning", "error"])
    imsx_description = serializers.CharField()
    imsx_codeMinor = CodeMinorSerializer()


def _object(*required: str) -> dict[str, Any]:
    """A loose schema of a CASE object (the exact one: schemas/case-1.1-cfpackage.schema.json)."""
    return {"type": "object", "required": list(required), "additionalProperties": True}


ID_PARAM = OpenApiParameter(
    "sourcedId", str, OpenApiParameter.PATH, description="The CASE identifier (a UUID) of the object."
)
ERRORS = {404: CaseStatusInfoSerializer}
DOCUMENT = _object("identifier", "uri", "creator", "title", "lastChangeDateTime", "CFPackageURI")
ITEM = _object("identifier", "fullStatement", "uri", "lastChangeDateTime", "CFDocumentURI")
ASSOCIATION = _object(
    "identifier", "associationType", "uri", "originNodeURI", "destinationNodeURI", "lastChangeDateTime"
)


# Views ----------------------------------------------------------------------------------------------


class CaseView(APIView):
    permission_classes = [AllowAny]

    def get_exception_handler(self) -> Callable[[Exception, dict[str, Any]], Response | None]:
        return case_exception_handler


def _identifier(value: str) -> str:
    if not UUID_RE.match(value):
        raise InvalidUUID(_("%(value)r is not a UUID.") % {"value": value})
    return value


def _whole_number(request: Request, name: str, default: int, minimum: int) -> int:
    raw = request.query_params.get(name)
    if raw is None:
        return default
    if not re.fullmatch(r"\d+", raw) or int(raw) < minimum:
        raise InvalidSelection(
            _("%(name)s must be a whole number of at least %(minimum)d.") % {"name": name, "minimum": minimum}, name
        )
    return int(raw)


class CFDocumentList(CaseView):
    """The CFDocument of every framework version the caller may see (published and retired ones for everyone)."""

    @extend_schema(
        tags=["case"],
        operation_id="case_getAllCFDocuments",
        parameters=[
            OpenApiParameter("limit", {"type": "integer", "minimum": 1}, description="Most documents to answer (100)."),
            OpenApiParameter(
                "offset", {"type": "integer", "minimum": 0}, description="Index of the first document (0)."
            ),
        ],
        responses={
            200: {
                "type": "object",
                "required": ["CFDocuments"],
                "properties": {"CFDocuments": {"type": "array", "items": DOCUMENT}},
            },
            400: CaseStatusInfoSerializer,
        },
    )
    def get(self, request: Request) -> Response:
        limit = _whole_number(request, "limit", 100, 1)
        offset = _whole_number(request, "offset", 0, 0)
        documents = selectors.case_documents(request.user)
        return Response({"CFDocuments": documents[offset : offset + limit]})


class CFDocumentDetail(CaseView):
    @extend_schema(
        tags=["case"], operation_id="case_getCFDocument", parameters=[ID_PARAM], responses={200: DOCUMENT, **ERRORS}
    )
    def get(self, request: Request, sourcedId: str) -> Response:
        return Response(selectors.case_document(request.user, _identifier(sourcedId)))


class CFPackageDetail(CaseView):
    """The whole framework version: CFDocument, CFItems, CFAssociations, CFDefinitions and CFRubrics."""

    @extend_schema(
        tags=["case"],
        operation_id="case_getCFPackage",
        parameters=[ID_PARAM],
        responses={200: _object("CFDocument"), **ERRORS},
    )
    def get(self, request: Request, sourcedId: str) -> Response:
        return Response(selectors.case_package(request.user, _identifier(sourcedId)))


class CFItemDetail(CaseView):
    @extend_schema(tags=["case"], operation_id="case_getCFItem", parameters=[ID_PARAM], responses={200: ITEM, **ERRORS})
    def get(self, request: Request, sourcedId: str) -> Response:
        return Response(selectors.case_item(request.user, _identifier(sourcedId)))


class CFItemAssociations(CaseView):
    """An item with every association that starts or ends at it."""

    @extend_schema(
        tags=["case"],
        operation_id="case_getCFItemAssociations",
        parameters=[ID_PARAM],
        responses={
            200: {
                "type": "object",
                "required": ["CFItem", "CFAssociations"],
                "properties": {"CFItem": ITEM, "CFAssociations": {"type": "array", "items": ASSOCIATION}},
            },
            **ERRORS,
        },
    )
    def get(self, request: Request, sourcedId: str) -> Response:
        return Response(selectors.case_item_associations(request.user, _identifier(sourcedId)))


class CFAssociationDetail(CaseView):
    @extend_schema(
        tags=["case"],
        operation_id="case_getCFAssociation",
        parameters=[ID_PARAM],
        responses={200: ASSOCIATION, **ERRORS},
    )
    def get(self, request: Request, sourcedId: str) -> Response:
        return Response(selectors.case_association(request.user, _identifier(sourcedId)))


class CFRubricDetail(CaseView):
    """A framework's proficiency scale as a rubric (one criterion, one level per scale value)."""

    @extend_schema(
        tags=["case"],
        operation_id="case_getCFRubric",
        parameters=[ID_PARAM],
        responses={200: _object("identifier", "uri", "lastChangeDateTime"), **ERRORS},
    )
    def get(self, request: Request, sourcedId: str) -> Response:
        return Response(selectors.case_rubric(request.user, _identifier(sourcedId)))
