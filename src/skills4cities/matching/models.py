from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from skills4cities.core.models import PublicIdModel
from skills4cities.matching.enums import CorpusStatus, IndexBuildStatus, IndexTarget


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


ACTIVE_BUILD_STATUSES = (IndexBuildStatus.QUEUED, IndexBuildStatus.RUNNING)


class IndexBuild(PublicIdModel):
    """One build of a matching index (the embedding and BM25 cache files of a candidate set), run in the background.

    At most one build per index ``key`` is queued or running (a partial unique constraint): a second request for
    the same index finds the first one instead of enqueueing again. ``updated_at`` is the build's sign of life.
    """

    target = models.CharField(_("target"), max_length=16, choices=IndexTarget.choices)
    key = models.CharField(_("index key"), max_length=64, help_text=_("A digest of the cache files of the index."))
    status = models.CharField(
        _("status"), max_length=16, choices=IndexBuildStatus.choices, default=IndexBuildStatus.QUEUED
    )
    done = models.PositiveIntegerField(_("texts encoded"), default=0)
    total = models.PositiveIntegerField(_("texts to encode"), default=0)
    error = models.CharField(_("error"), max_length=300, blank=True)
    stopped = models.BooleanField(
        _("stopped"), default=False, help_text=_("Failed because it stopped without a sign of life (its worker died).")
    )
    task_id = models.CharField(_("task id"), max_length=64, blank=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("matching index build")
        verbose_name_plural = _("matching index builds")
        constraints = [
            models.UniqueConstraint(
                fields=["key"],
                condition=models.Q(status__in=ACTIVE_BUILD_STATUSES),
                name="matching_one_active_build_per_key",
            ),
        ]
        indexes = [models.Index(fields=["key", "created_at"], name="matching_build_key_idx")]

    def __str__(self) -> str:
        return f"{self.target} {self.key[:8]} {self.status}"

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.done / self.total)) if self.total else 0
