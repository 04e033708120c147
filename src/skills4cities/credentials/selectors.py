"""Reads of credentials, keys and status lists, with the access rules of docs/credentials.md.

* A credential's public page, its JSON and its status are public (anyone holding the id may verify).
* The holder and staff (``is_staff``) see the holder pages and downloads (PDF, JWT).
"""

from __future__ import annotations

import functools
from typing import Any
from uuid import UUID

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connections, router
from django.db.models import QuerySet
from django.http import Http404

from skills4cities.credentials.composition.did import did_web_for
from skills4cities.credentials.models import Credential, SigningKey, StatusList

DEFAULT_VALIDITY_DAYS: dict[str, int | None] = {"unit": 1095, "role": 1095, "attendance": None}


def site_url() -> str:
    return str(settings.SITE_URL).rstrip("/")


def uses_did_key() -> bool:
    return bool(getattr(settings, "CREDENTIALS_USE_DID_KEY", False))


def issuer_did() -> str:
    """``did:web`` of SITE_URL unless ``CREDENTIALS_DID`` names one (did:key mode: the active key's DID)."""
    override = str(getattr(settings, "CREDENTIALS_DID", "") or "")
    return override or did_web_for(site_url())


def issuer_name() -> str:
    return str(getattr(settings, "CREDENTIALS_ISSUER_NAME", "") or "Skills4Cities")


def validity_days(kind: str) -> int | None:
    configured = getattr(settings, "CREDENTIALS_VALIDITY_DAYS", None) or {}
    return configured.get(kind, DEFAULT_VALIDITY_DAYS.get(kind))


def did_key_of(key: SigningKey) -> str:
    return f"did:key:{key.public_key_multibase}"


def verification_method_of(key: SigningKey) -> str:
    """The proof's verificationMethod: ``<did:web>#key-<n>``, or ``did:key:z…#z…`` in did:key mode."""
    if uses_did_key():
        return f"{did_key_of(key)}#{key.public_key_multibase}"
    return f"{issuer_did()}#{key.fragment}"


def controller_of(key: SigningKey) -> str:
    return did_key_of(key) if uses_did_key() else issuer_did()


def all_keys() -> list[SigningKey]:
    return list(SigningKey.objects.only("id", "number", "public_key_multibase", "active", "retired_at"))


def key_pairs() -> tuple[tuple[int, str], ...]:
    """(number, public key multibase) of every key, active and retired, by number: what verification reads of the
    keys, on every verification. One plain SELECT through the read router: the ORM would compile its query anew
    each time, which costs several times the query."""
    alias = router.db_for_read(SigningKey)
    connection = connections[alias]
    quote = connection.ops.quote_name
    columns = {field.name: str(field.column) for field in SigningKey._meta.concrete_fields}
    number, multibase = quote(columns["number"]), quote(columns["public_key_multibase"])
    table = quote(SigningKey._meta.db_table)
    with connection.cursor() as cursor:
        # Only identifiers from the model's metadata, quoted, go into the statement: no input does.
        cursor.execute(f"SELECT {number}, {multibase} FROM {table} ORDER BY {number}")  # noqa: S608
        return tuple((int(row[0]), str(row[1])) for row in cursor.fetchall())


def trusted_dids(keys: list[SigningKey] | None = None) -> set[str]:
    """The DIDs whose proofs this platform vouches for: its did:web, and the did:key of each of its keys."""
    keys = all_keys() if keys is None else keys
    return {issuer_did(), *(did_key_of(key) for key in keys)}


def status_list_url(status_list: StatusList) -> str:
    return f"{site_url()}/credentials/status/{status_list.number}/"


def status_list_by_number(number: int) -> StatusList:
    try:
        return StatusList.objects.get(number=number)
    except StatusList.DoesNotExist:
        raise Http404 from None


def revoked_indices(status_list: StatusList) -> list[int]:
    return list(
        Credential.objects.filter(status_list=status_list, revoked_at__isnull=False).values_list(
            "status_index", flat=True
        )
    )


def _with_relations(queryset: QuerySet[Credential]) -> QuerySet[Credential]:
    return queryset.select_related("holder", "role", "unit", "course", "framework", "status_list", "revoked_by")


def credentials_of(user: Any) -> QuerySet[Credential]:
    """The user's own credentials, newest first (revoked ones included: the holder must see the revocation)."""
    if not getattr(user, "is_authenticated", False):
        return Credential.objects.none()
    return _with_relations(Credential.objects.filter(holder=user))


def credential_public(public_id: UUID | str) -> Credential:
    """Any issued credential by its public id (public verification); 404 when unknown."""
    try:
        return _with_relations(Credential.objects.all()).get(public_id=public_id)
    except (Credential.DoesNotExist, ValidationError, ValueError):
        raise Http404 from None


def credential_for_user(user: Any, public_id: UUID | str) -> Credential:
    """The holder's own credential, or any credential for staff; 404 for everyone else."""
    credential = credential_public(public_id)
    if not getattr(user, "is_authenticated", False):
        raise Http404
    if credential.holder_id != user.pk and not user.is_staff:
        raise Http404
    return credential


def credential_by_document_id(document_id: str) -> Credential | None:
    """The credential a document's ``id`` (``urn:uuid:…``) names, or None; its ``status_list_number`` attribute
    holds the number of its status list.

    Verification's register lookup, on every verification: it reads the status list number and index,
    ``revoked_at`` and the reason (other relations load on access). One plain SELECT with the status list joined,
    through the read router: compiling the ORM's query anew each time cost several times the query."""
    prefix = "urn:uuid:"
    if not isinstance(document_id, str) or not document_id.startswith(prefix):
        return None
    try:
        public_id = UUID(document_id[len(prefix) :])
    except ValueError:
        return None
    alias = router.db_for_read(Credential)
    param = Credential._meta.get_field("public_id").get_db_prep_value(public_id, connections[alias])
    return next(iter(Credential.objects.raw(_register_sql(alias), [param], using=alias)), None)  # a unique id


@functools.cache
def _register_sql(alias: str) -> str:
    quote = connections[alias].ops.quote_name
    credential, status_list = Credential._meta, StatusList._meta
    public_id = quote(str(credential.get_field("public_id").column))
    list_id = quote(str(credential.get_field("status_list").column))
    number = quote(str(status_list.get_field("number").column))
    pk = quote(str(status_list.get_field("id").column))
    # Only identifiers from the models' metadata, quoted, go into the statement: the id is a parameter.
    return (
        f"SELECT c.*, s.{number} AS status_list_number FROM {quote(credential.db_table)} c "  # noqa: S608
        f"JOIN {quote(status_list.db_table)} s ON s.{pk} = c.{list_id} WHERE c.{public_id} = %s"
    )


def verify_url(credential: Credential) -> str:
    return f"{site_url()}/verify/{credential.public_id}/"
