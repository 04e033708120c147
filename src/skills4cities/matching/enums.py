from __future__ import annotations

from django.db import models
from django.utils.translation import pgettext_lazy


class CorpusStatus(models.TextChoices):
    QUEUED = "queued", pgettext_lazy("corpus analysis status", "Queued")
    RUNNING = "running", pgettext_lazy("corpus analysis status", "Running")
    SUCCEEDED = "succeeded", pgettext_lazy("corpus analysis status", "Finished")
    FAILED = "failed", pgettext_lazy("corpus analysis status", "Failed")
