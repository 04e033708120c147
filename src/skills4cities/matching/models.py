from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from skills4cities.core.models import PublicIdModel
from skills4cities.matching.enums import CorpusStatus


class CorpusJob(PublicIdModel):
    """A corpus → competencies analysis: uploaded documents, run as a background task, and its result."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.CASCADE, related_name="corpus_jobs"
    )
    title = models.CharField(_("title"), max_length=200)
    role = models.ForeignKey(
        "frameworks.Role",
        verbose_name=_("role profile to compare with"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    documents = models.JSONField(_("documents"), default=list, help_text=_("[{name, text}] as read from the uploads."))
    status = models.CharField(_("status"), max_length=16, choices=CorpusStatus.choices, default=CorpusStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    message = models.CharField(_("message"), max_length=300, blank=True)
    result = models.JSONField(_("result"), default=dict, blank=True)
    task_id = models.CharField(_("task id"), max_length=64, blank=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("corpus analysis")
        verbose_name_plural = _("corpus analyses")

    def __str__(self) -> str:
        return self.title

    @property
    def is_finished(self) -> bool:
        return self.status in (CorpusStatus.SUCCEEDED, CorpusStatus.FAILED)
