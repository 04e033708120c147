"""The evidence portfolio (*documentation* in the EU validation steps): what a learner shows, tagged with
the framework elements it supports. Uploaded files live in private storage under generated names.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from skills4cities.core.models import PublicIdModel
from skills4cities.portfolio.enums import EvidenceItemKind
from skills4cities.portfolio.storage import private_storage


class EvidenceItem(PublicIdModel):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.CASCADE, related_name="evidence_items"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=EvidenceItemKind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=5000)
    date_from = models.DateField(_("from"), null=True, blank=True)
    date_to = models.DateField(_("to"), null=True, blank=True)
    issuer = models.CharField(_("issuing organisation"), max_length=200, blank=True)
    url = models.URLField(_("address (URL)"), max_length=500, blank=True)
    referee_name = models.CharField(_("referee name"), max_length=200, blank=True)
    referee_email = models.EmailField(_("referee email"), blank=True)
    referee_statement = models.TextField(_("referee statement"), blank=True, max_length=5000)
    elements = models.ManyToManyField(
        "frameworks.Element",
        verbose_name=pgettext_lazy("framework", "elements"),
        related_name="+",
        blank=True,
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = pgettext_lazy("portfolio", "evidence item")
        verbose_name_plural = pgettext_lazy("portfolio", "evidence items")
        constraints = [
            models.CheckConstraint(
                condition=Q(date_from__isnull=True) | Q(date_to__isnull=True) | Q(date_to__gte=models.F("date_from")),
                name="portfolio_item_dates_ordered",
            ),
            models.CheckConstraint(condition=~Q(kind="link") | ~Q(url=""), name="portfolio_link_has_url"),
        ]
        indexes = [models.Index(fields=["owner", "-created_at"], name="portfolio_item_owner_idx")]

    def __str__(self) -> str:
        return self.title


def _generated_name(instance: EvidenceFile, filename: str) -> str:
    """Only generated parts: the owner's public id is not used either (no user-controlled component)."""
    return f"{uuid.uuid4().hex[:2]}/{uuid.uuid4().hex}"


class EvidenceFile(PublicIdModel):
    item = models.ForeignKey(EvidenceItem, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(_("file"), storage=private_storage, upload_to=_generated_name, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=120)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)

    class Meta:
        ordering = ["item", "created_at", "id"]
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        constraints = [models.CheckConstraint(condition=Q(size__gt=0), name="portfolio_file_not_empty")]

    def __str__(self) -> str:
        return self.original_name
