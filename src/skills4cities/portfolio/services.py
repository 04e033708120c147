"""Writes of the evidence portfolio: create, update, delete items and their files. Keyword-only, atomic,
checked and audited. Files are checked by content before anything is stored; when a check fails nothing
is written (no row, no file).

Stable API for other apps: :func:`evidence_item_create` (e.g. "add to portfolio" from matching).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import IO, Any
from uuid import UUID

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import File
from django.core.validators import EmailValidator, URLValidator
from django.db import transaction
from django.utils.translation import gettext as _

from skills4cities.core.audit import audit
from skills4cities.portfolio import selectors
from skills4cities.portfolio.enums import EvidenceItemKind
from skills4cities.portfolio.models import EvidenceFile, EvidenceItem
from skills4cities.portfolio.storage import private_storage
from skills4cities.portfolio.validators import InspectedUpload, inspect_upload


@dataclass(frozen=True)
class _Checked:
    upload: Any
    info: InspectedUpload


def max_upload_bytes() -> int:
    return int(getattr(settings, "PORTFOLIO_MAX_UPLOAD_BYTES", 10 * 1024 * 1024))


def check_uploads(uploads: Sequence[Any]) -> list[_Checked]:
    """Inspect every upload; one ValidationError listing every refused file (nothing is stored)."""
    checked: list[_Checked] = []
    errors: list[ValidationError] = []
    for upload in uploads:
        try:
            stream: IO[bytes] = upload
            info = inspect_upload(
                name=upload.name or "", stream=stream, size=int(upload.size or 0), max_bytes=max_upload_bytes()
            )
        except ValidationError as error:
            errors.append(error)
        else:
            checked.append(_Checked(upload, info))
    if errors:
        raise ValidationError(errors)
    return checked


def _clean_fields(fields: dict[str, Any]) -> dict[str, Any]:
    """Strip and check the fields of an item of ``fields["kind"]``; raise one ValidationError per field."""
    values = {key: (value.strip() if isinstance(value, str) else value) for key, value in fields.items()}
    errors: dict[str, str] = {}
    kind = values.get("kind")
    if kind not in EvidenceItemKind.values:
        errors["kind"] = _("Choose what kind of evidence this is.")
    if not values.get("title"):
        errors["title"] = _("Give the evidence a title.")
    elif len(values["title"]) > 200:
        errors["title"] = _("The title can have at most 200 characters.")
    for key, limit in (("description", 5000), ("referee_statement", 5000), ("issuer", 200), ("referee_name", 200)):
        if len(values.get(key) or "") > limit:
            errors[key] = _("This text can have at most %(limit)d characters.") % {"limit": limit}
    date_from, date_to = values.get("date_from"), values.get("date_to")
    if isinstance(date_from, datetime.date) and isinstance(date_to, datetime.date) and date_to < date_from:
        errors["date_to"] = _("The end date cannot be before the start date.")
    if values.get("url"):
        try:
            URLValidator(schemes=["http", "https"])(values["url"])
        except ValidationError:
            errors["url"] = _("Enter a web address starting with http:// or https://.")
    if values.get("referee_email"):
        try:
            EmailValidator()(values["referee_email"])
        except ValidationError:
            errors["referee_email"] = _("Enter a valid email address.")
    if kind == EvidenceItemKind.LINK and not values.get("url"):
        errors["url"] = _("A link needs its web address.")
    if kind == EvidenceItemKind.DESCRIPTION and not values.get("description"):
        errors["description"] = _("Describe what you did and what it shows.")
    if kind == EvidenceItemKind.ATTESTATION:
        if not values.get("referee_name"):
            errors["referee_name"] = _("An attestation needs the name of the person who attests.")
        if not values.get("referee_statement"):
            errors["referee_statement"] = _("An attestation needs the referee's statement.")
    if errors:
        raise ValidationError(errors)
    return values


def _resolve_elements(codes: Iterable[str]) -> list[Any]:
    elements, unknown = selectors.elements_by_code(codes)
    if unknown:
        raise ValidationError({"element_codes": _("Unknown element codes: %(codes)s.") % {"codes": ", ".join(unknown)}})
    return elements


def _store(item: EvidenceItem, checked: list[_Checked], stored: list[EvidenceFile]) -> None:
    for entry in checked:
        entry.upload.seek(0)
        evidence_file = EvidenceFile(
            item=item,
            original_name=entry.info.display_name,
            content_type=entry.info.content_type,
            size=entry.info.size,
            sha256=entry.info.sha256,
        )
        evidence_file.file.save("upload", File(entry.upload), save=False)
        stored.append(evidence_file)
        evidence_file.save()


def _delete_stored(stored: list[EvidenceFile]) -> None:
    for evidence_file in stored:
        if evidence_file.file.name:
            evidence_file.file.storage.delete(evidence_file.file.name)


def _delete_on_commit(name: str | None) -> None:
    """Remove a stored file once the deletion of its row is committed (never before: no data lost)."""
    if not name:
        return
    storage = private_storage()

    def delete() -> None:
        storage.delete(name)

    transaction.on_commit(delete)


def _check_owner(actor: Any, item: EvidenceItem) -> None:
    if not getattr(actor, "is_authenticated", False) or item.owner_id != actor.pk:
        raise PermissionDenied


def evidence_item_create(
    *,
    owner: Any,
    title: str,
    kind: str = EvidenceItemKind.DESCRIPTION,
    description: str = "",
    element_codes: Iterable[str] = (),
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    issuer: str = "",
    url: str = "",
    referee_name: str = "",
    referee_email: str = "",
    referee_statement: str = "",
    files: Sequence[Any] = (),
) -> EvidenceItem:
    """Add an item to the owner's portfolio. A file item needs at least one file; every file is checked
    by content first. Raises ValidationError (by field; ``files`` lists every refused file)."""
    if not getattr(owner, "is_authenticated", False):
        raise PermissionDenied
    values = _clean_fields(
        {
            "kind": kind,
            "title": title,
            "description": description,
            "date_from": date_from,
            "date_to": date_to,
            "issuer": issuer,
            "url": url,
            "referee_name": referee_name,
            "referee_email": referee_email,
            "referee_statement": referee_statement,
        }
    )
    elements = _resolve_elements(element_codes)
    if kind == EvidenceItemKind.FILE and not files:
        raise ValidationError({"files": _("Choose the file to upload.")})
    try:
        checked = check_uploads(files)
    except ValidationError as error:
        raise ValidationError({"files": error.messages}) from None
    stored: list[EvidenceFile] = []
    try:
        with transaction.atomic():
            item = EvidenceItem.objects.create(owner=owner, **values)
            item.elements.set(elements)
            _store(item, checked, stored)
            audit(
                actor=owner,
                action="evidence_item.create",
                obj=item,
                data={
                    "kind": item.kind,
                    "files": [f.original_name for f in stored],
                    "elements": sorted(e.code for e in elements),
                },
            )
    except BaseException:
        _delete_stored(stored)
        raise
    return item


def evidence_item_update(
    *,
    actor: Any,
    item: EvidenceItem,
    title: str,
    description: str = "",
    element_codes: Iterable[str] = (),
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    issuer: str = "",
    url: str = "",
    referee_name: str = "",
    referee_email: str = "",
    referee_statement: str = "",
    add_files: Sequence[Any] = (),
    remove_files: Iterable[UUID | str] = (),
) -> EvidenceItem:
    """Change an item (its kind stays). Files can be added (checked like on create) and removed, except
    while a validation request past its draft includes the item."""
    _check_owner(actor, item)
    values = _clean_fields(
        {
            "kind": item.kind,
            "title": title,
            "description": description,
            "date_from": date_from,
            "date_to": date_to,
            "issuer": issuer,
            "url": url,
            "referee_name": referee_name,
            "referee_email": referee_email,
            "referee_statement": referee_statement,
        }
    )
    values.pop("kind")
    elements = _resolve_elements(element_codes)
    removing = list(item.files.filter(public_id__in=[str(value) for value in remove_files]))
    if removing and selectors.item_is_under_validation(item):
        raise ValidationError(
            {"files": _("This evidence is part of a validation request, so its files cannot be removed.")}
        )
    if item.kind == EvidenceItemKind.FILE and not add_files and len(removing) >= item.files.count():
        raise ValidationError({"files": _("A file item needs at least one file.")})
    try:
        checked = check_uploads(add_files)
    except ValidationError as error:
        raise ValidationError({"files": error.messages}) from None
    stored: list[EvidenceFile] = []
    try:
        with transaction.atomic():
            for key, value in values.items():
                setattr(item, key, value)
            item.save()
            item.elements.set(elements)
            _store(item, checked, stored)
            removed_names = [f.original_name for f in removing]
            for evidence_file in removing:
                name = evidence_file.file.name
                evidence_file.delete()
                _delete_on_commit(name)
            audit(
                actor=actor,
                action="evidence_item.update",
                obj=item,
                data={"added": [f.original_name for f in stored], "removed": removed_names},
            )
    except BaseException:
        _delete_stored(stored)
        raise
    return item


@transaction.atomic
def evidence_item_delete(*, actor: Any, item: EvidenceItem) -> None:
    """Delete an item and its files, unless a validation request past its draft includes it."""
    _check_owner(actor, item)
    if selectors.item_is_under_validation(item):
        raise ValidationError(
            _("This evidence is part of a validation request and cannot be deleted."), code="in_validation"
        )
    names = [evidence_file.file.name for evidence_file in item.files.all()]
    audit(actor=actor, action="evidence_item.delete", obj=item, data={"title": item.title, "files": len(names)})
    item.delete()
    for name in names:
        _delete_on_commit(name)
