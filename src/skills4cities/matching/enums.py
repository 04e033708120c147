from __future__ import annotations

from django.db import models
from django.utils.translation import pgettext_lazy


class CorpusStatus(models.TextChoices):
    QUEUED = "queued", pgettext_lazy("corpus analysis status", "Queued")
    RUNNING = "running", pgettext_lazy("corpus analysis status", "Running")
    SUCCEEDED = "succeeded", pgettext_lazy("corpus analysis status", "Finished")
    FAILED = "failed", pgettext_lazy("corpus analysis status", "Failed")


class IndexBuildStatus(models.TextChoices):
    QUEUED = "queued", pgettext_lazy("index build status", "Queued")
    RUNNING = "running", pgettext_lazy("index build status", "Running")
    SUCCEEDED = "succeeded", pgettext_lazy("index build status", "Finished")
    FAILED = "failed", pgettext_lazy("index build status", "Failed")


class IndexTarget(models.TextChoices):
    ESCO = "esco", pgettext_lazy("matching target", "ESCO skills")
    FRAMEWORK = "framework", pgettext_lazy("matching target", "Framework elements")
