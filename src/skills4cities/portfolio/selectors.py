"""Reads of the evidence portfolio, the access helpers and the one way a stored file is served.

Stable API for other apps: :func:`items_of`, :func:`items_by_public_ids`, :func:`evidence_file_response`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.http import FileResponse, Http404

from skills4cities.assessments.selectors import REFERENCE_SLUG
from skills4cities.frameworks import selectors as framework_selectors
from skills4cities.frameworks.models import Element
from skills4cities.portfolio.models import EvidenceFile, EvidenceItem


def _authenticated(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def _with_details(queryset: QuerySet[EvidenceItem]) -> QuerySet[EvidenceItem]:
    return queryset.select_related("owner").prefetch_related(
        Prefetch("elements", queryset=Element.objects.select_related("framework").order_by("code")), "files"
    )


def items_of(user: Any) -> QuerySet[EvidenceItem]:
    """The user's own evidence, newest first, with elements and files (three queries when evaluated)."""
    if not _authenticated(user):
        return EvidenceItem.objects.none()
    return _with_details(EvidenceItem.objects.filter(owner=user))


def items_by_public_ids(user: Any, public_ids: Iterable[UUID | str]) -> list[EvidenceItem]:
    """The user's own items among ``public_ids`` (others' and unknown ids are left out)."""
    ids = [str(value) for value in public_ids]
    if not _authenticated(user) or not ids:
        return []
    try:
        return list(EvidenceItem.objects.filter(owner=user, public_id__in=ids))
    except ValidationError:
        return []


def item_for_user(user: Any, public_id: UUID | str, *, write: bool = False) -> EvidenceItem:
    """The item for its owner; read-only for site staff; 404 for everyone else."""
    if not _authenticated(user):
        raise Http404
    queryset = EvidenceItem.objects.all()
    if write or not (user.is_staff or user.is_superuser):
        queryset = queryset.filter(owner=user)
    try:
        return _with_details(queryset).get(public_id=public_id)
    except (EvidenceItem.DoesNotExist, ValueError, ValidationError):
        raise Http404 from None


def evidence_file_for_user(user: Any, public_id: UUID | str) -> EvidenceFile:
    """A stored file for its owner or site staff; 404 otherwise (assessors download through validation)."""
    if not _authenticated(user):
        raise Http404
    queryset = EvidenceFile.objects.select_related("item")
    if not (user.is_staff or user.is_superuser):
        queryset = queryset.filter(item__owner=user)
    try:
        return queryset.get(public_id=public_id)
    except (EvidenceFile.DoesNotExist, ValueError, ValidationError):
        raise Http404 from None


def evidence_file_among(items: QuerySet[EvidenceItem], public_id: UUID | str) -> EvidenceFile:
    """A file of one of ``items`` (the caller has checked access to them); 404 otherwise."""
    try:
        return EvidenceFile.objects.select_related("item").get(public_id=public_id, item__in=items)
    except (EvidenceFile.DoesNotExist, ValueError, ValidationError):
        raise Http404 from None


def evidence_file_response(evidence_file: EvidenceFile) -> FileResponse:
    """The file as a download: always an attachment, with the type detected at upload and no sniffing."""
    try:
        handle = evidence_file.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    response = FileResponse(
        handle, as_attachment=True, filename=evidence_file.original_name, content_type=evidence_file.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


def taggable_elements() -> list[Element]:
    """Elements a learner can tag evidence with: those of the newest published reference framework."""
    try:
        framework = framework_selectors.framework_for_user(None, REFERENCE_SLUG)
    except Http404:
        return []
    return list(framework.elements.select_related("unit").order_by("unit__position", "position", "code"))


def elements_by_code(codes: Iterable[str]) -> tuple[list[Element], list[str]]:
    """(elements of the reference framework with these codes, the codes not found)."""
    wanted = sorted({code.strip() for code in codes if code and code.strip()})
    if not wanted:
        return [], []
    try:
        framework = framework_selectors.framework_for_user(None, REFERENCE_SLUG)
    except Http404:
        return [], wanted
    found = list(framework.elements.filter(code__in=wanted))
    known = {element.code for element in found}
    return found, [code for code in wanted if code not in known]


def item_is_under_validation(item: EvidenceItem) -> bool:
    """True when a validation request past its draft includes the item (its files must then stay)."""
    return item.validation_requests.exclude(state="draft").exists()
