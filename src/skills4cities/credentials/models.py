"""Signing keys, status lists and issued credentials (docs/credentials.md, docs/adr/0011).

An issued credential never changes except through revocation (``services.credential_revoke``): the signed
JSON is stored exactly as signed and served byte-for-byte.
"""

from __future__ import annotations

import json
from functools import cached_property
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from skills4cities.core.models import PublicIdModel, TimeStampedModel
from skills4cities.credentials.enums import CredentialKind


class SigningKey(TimeStampedModel):
    """An Ed25519 key of the issuer DID; retired keys stay published so old credentials keep verifying."""

    number = models.PositiveIntegerField(_("number"), unique=True)
    public_key_multibase = models.CharField(_("public key (multibase)"), max_length=80, unique=True)
    # The private half, encrypted with the key-encryption keys of CREDENTIALS_KEY_ENCRYPTION_KEYS (a Fernet token,
    # never the PEM; see keyencryption.py). Only services.signing_key_private_pem decrypts it, to sign; no view,
    # serializer or admin page shows it.
    private_key_encrypted = models.TextField(_("private key (encrypted)"), editable=False)
    active = models.BooleanField(_("active"), default=True)
    retired_at = models.DateTimeField(_("retired"), null=True, blank=True)

    class Meta:
        ordering = ["number"]
        verbose_name = _("signing key")
        verbose_name_plural = _("signing keys")
        constraints = [
            models.UniqueConstraint(fields=["active"], condition=Q(active=True), name="credentials_one_active_key"),
            models.CheckConstraint(
                condition=Q(active=True, retired_at__isnull=True) | Q(active=False, retired_at__isnull=False),
                name="credentials_key_retired_when_inactive",
            ),
        ]

    def __str__(self) -> str:
        return f"key-{self.number}"

    @property
    def fragment(self) -> str:
        return f"key-{self.number}"


class StatusList(TimeStampedModel):
    """One Bitstring Status List (purpose: revocation), served at /credentials/status/<number>/."""

    number = models.PositiveIntegerField(_("number"), unique=True)
    size = models.PositiveIntegerField(_("size in bits"))
    allocated = models.PositiveIntegerField(_("indices allocated"), default=0)
    # The signed BitstringStatusListCredential as served; re-signed on every revocation and when it gets old.
    document = models.TextField(_("signed status list (JSON)"), blank=True, editable=False)
    signed_at = models.DateTimeField(_("signed"), null=True, blank=True)

    class Meta:
        ordering = ["number"]
        verbose_name = _("status list")
        verbose_name_plural = _("status lists")
        constraints = [
            models.CheckConstraint(condition=Q(allocated__lte=models.F("size")), name="credentials_list_not_overfull"),
        ]

    def __str__(self) -> str:
        return f"status list {self.number}"


class Credential(PublicIdModel):
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("holder"), on_delete=models.PROTECT, related_name="credentials"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=CredentialKind.choices)
    role = models.ForeignKey(
        "frameworks.Role", verbose_name=_("job role"), on_delete=models.PROTECT, related_name="credentials"
    )
    unit = models.ForeignKey(
        "frameworks.Unit",
        verbose_name=pgettext_lazy("framework", "unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="credentials",
    )
    framework = models.ForeignKey(
        "frameworks.Framework",
        verbose_name=_("framework version"),
        on_delete=models.PROTECT,
        related_name="credentials",
    )
    course = models.ForeignKey(
        "curriculum.Course",
        verbose_name=_("course"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The course a certificate of attendance was issued for."),
    )
    title = models.CharField(_("title"), max_length=300, help_text=_("The achievement name as signed."))
    language = models.CharField(_("language"), max_length=8, help_text=_("The language the credential is written in."))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    issued_at = models.DateTimeField(_("issued"))
    valid_until = models.DateTimeField(_("valid until"), null=True, blank=True)
    signing_key = models.ForeignKey(
        SigningKey, verbose_name=_("signing key"), on_delete=models.PROTECT, related_name="credentials"
    )
    status_list = models.ForeignKey(
        StatusList, verbose_name=_("status list"), on_delete=models.PROTECT, related_name="credentials"
    )
    status_index = models.PositiveIntegerField(_("status list index"))
    document = models.TextField(_("signed credential (JSON)"), editable=False)
    jwt = models.TextField(_("VC-JWT"), editable=False)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revocation_reason = models.TextField(_("reason for revocation"), blank=True)

    class Meta:
        ordering = ["-issued_at", "-id"]
        verbose_name = _("credential")
        verbose_name_plural = _("credentials")
        constraints = [
            models.UniqueConstraint(fields=["status_list", "status_index"], name="credentials_unique_status_index"),
            models.CheckConstraint(
                condition=Q(kind="unit", unit__isnull=False) | Q(kind="role", unit__isnull=True) | Q(kind="attendance"),
                name="credentials_unit_matches_kind",
            ),
            models.CheckConstraint(
                condition=Q(course__isnull=True) | Q(kind="attendance", unit__isnull=True),
                name="credentials_course_only_for_attendance",
            ),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True, revocation_reason="")
                | (Q(revoked_at__isnull=False) & ~Q(revocation_reason="")),
                name="credentials_revocation_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gt=models.F("issued_at")),
                name="credentials_valid_until_after_issue",
            ),
        ]
        indexes = [models.Index(fields=["holder", "-issued_at"], name="credentials_holder_idx")]

    def __str__(self) -> str:
        return f"{self.title} · {self.holder}"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @cached_property
    def document_dict(self) -> dict[str, Any]:
        return dict(json.loads(self.document))

    @property
    def holder_name(self) -> str:
        """The name as signed into the credential (not today's account name)."""
        for identifier in self.document_dict["credentialSubject"].get("identifier", []):
            if identifier.get("identityType") == "name" and not identifier.get("hashed"):
                return str(identifier["identityHash"])
        return str(self.holder)
