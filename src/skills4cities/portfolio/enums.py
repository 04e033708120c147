from __future__ import annotations

from django.db import models
from django.utils.translation import pgettext_lazy


class EvidenceItemKind(models.TextChoices):
    FILE = "file", pgettext_lazy("evidence kind", "File")
    LINK = "link", pgettext_lazy("evidence kind", "Link")
    DESCRIPTION = "description", pgettext_lazy("evidence kind", "Description")
    ATTESTATION = "attestation", pgettext_lazy("evidence kind", "Attestation")
