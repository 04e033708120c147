"""REST endpoints, one view per operation; reads go through the apps' selectors."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from skills4cities.api import serializers as s
from skills4cities.frameworks import selectors
from skills4cities.frameworks.models import Element, Framework, RoleRequirement

VERSION_PARAM = OpenApiParameter(
    "version",
    OpenApiTypes.STR,
    OpenApiParameter.QUERY,
    description="Framework version (default: newest published)",
)
ERRORS = {404: s.ErrorSerializer}


def _framework(request: Request, slug: str) -> Framework:
    return selectors.framework_for_user(request.user, slug, request.query_params.get("version") or None)


@extend_schema(tags=["frameworks"], responses={200: s.FrameworkSummarySerializer(many=True)})
class FrameworkList(GenericAPIView[Any]):
    """The newest published version of every framework."""

    serializer_class = s.FrameworkSummarySerializer
    pagination_class = None

    def get(self, request: Request) -> Response:
        frameworks = selectors.current_frameworks(request.user)
        return Response(self.get_serializer(frameworks, many=True).data)


@extend_schema(tags=["frameworks"], parameters=[VERSION_PARAM], responses={200: s.FrameworkDetailSerializer, **ERRORS})
class FrameworkDetail(GenericAPIView[Any]):
    serializer_class = s.FrameworkDetailSerializer

    def get(self, request: Request, slug: str) -> Response:
        return Response(self.get_serializer(_framework(request, slug)).data)


@extend_schema(tags=["frameworks"], responses={200: s.FrameworkSummarySerializer(many=True), **ERRORS})
class FrameworkVersions(GenericAPIView[Any]):
    """Every version of a framework the caller may see, newest first."""

    serializer_class = s.FrameworkSummarySerializer
    pagination_class = None

    def get(self, request: Request, slug: str) -> Response:
        versions = list(selectors.versions_of(request.user, slug))
        if not versions:
            _framework(request, slug)  # raises the 404
        return Response(self.get_serializer(versions, many=True).data)


@extend_schema(
    tags=["frameworks"],
    parameters=[VERSION_PARAM],
    responses={200: s.RoleSummarySerializer(many=True), **ERRORS},
)
class RoleList(GenericAPIView[Any]):
    serializer_class = s.RoleSummarySerializer
    pagination_class = None

    def get(self, request: Request, slug: str) -> Response:
        roles = selectors.roles_of(_framework(request, slug))
        return Response(self.get_serializer(roles, many=True).data)


@extend_schema(tags=["frameworks"], parameters=[VERSION_PARAM], responses={200: s.RoleDetailSerializer, **ERRORS})
class RoleDetail(GenericAPIView[Any]):
    serializer_class = s.RoleDetailSerializer

    def get(self, request: Request, slug: str, role_slug: str) -> Response:
        framework = _framework(request, slug)
        role = selectors.role_in(framework, role_slug)
        role = (
            type(role)
            .objects.prefetch_related(
                "tasks",
                "alignments",
                Prefetch("requirements", queryset=RoleRequirement.objects.select_related("element__unit")),
            )
            .get(pk=role.pk)
        )
        return Response(self.get_serializer(role).data)


@extend_schema(
    tags=["frameworks"],
    parameters=[VERSION_PARAM],
    responses={200: s.UnitSummarySerializer(many=True), **ERRORS},
)
class UnitList(GenericAPIView[Any]):
    serializer_class = s.UnitSummarySerializer
    pagination_class = None

    def get(self, request: Request, slug: str) -> Response:
        units = selectors.units_with_elements(_framework(request, slug))
        return Response(self.get_serializer(units, many=True).data)


@extend_schema(tags=["frameworks"], parameters=[VERSION_PARAM], responses={200: s.UnitDetailSerializer, **ERRORS})
class UnitDetail(GenericAPIView[Any]):
    serializer_class = s.UnitDetailSerializer

    def get(self, request: Request, slug: str, code: str) -> Response:
        unit = selectors.unit_in(_framework(request, slug), code)
        return Response(self.get_serializer(unit).data)


@extend_schema(
    tags=["frameworks"],
    parameters=[VERSION_PARAM],
    responses={200: s.ElementSummarySerializer(many=True), **ERRORS},
)
class ElementList(GenericAPIView[Any]):
    serializer_class = s.ElementSummarySerializer

    def get(self, request: Request, slug: str) -> Response:
        framework = _framework(request, slug)
        elements = (
            Element.objects.filter(framework=framework).select_related("unit").order_by("unit__position", "position")
        )
        page = self.paginate_queryset(elements)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


@extend_schema(tags=["frameworks"], parameters=[VERSION_PARAM], responses={200: s.ElementDetailSerializer, **ERRORS})
class ElementDetail(GenericAPIView[Any]):
    serializer_class = s.ElementDetailSerializer

    def get(self, request: Request, slug: str, code: str) -> Response:
        element = selectors.element_in(_framework(request, slug), code)
        return Response(self.get_serializer(element).data)
