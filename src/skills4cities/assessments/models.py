"""Self-assessment: a learner rates each element a role requires on the framework's proficiency scale.

Self-ratings are one evidence stream of their own (DESIGN.md); the current level is derived from the
streams by ``rules.current_levels``, never stored here.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from skills4cities.assessments.enums import AssessmentStatus
from skills4cities.core.models import PublicIdModel, TimeStampedModel


class SelfAssessment(PublicIdModel):
    """A learner's self-assessment against one role of one framework version."""

    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("learner"), on_delete=models.CASCADE, related_name="self_assessments"
    )
    role = models.ForeignKey(
        "frameworks.Role", verbose_name=_("job role"), on_delete=models.PROTECT, related_name="self_assessments"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT
    )
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("self-assessment")
        verbose_name_plural = _("self-assessments")
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "role"], condition=Q(status="draft"), name="assessments_one_draft_per_role"
            ),
            models.CheckConstraint(
                condition=(Q(status="draft") & Q(submitted_at__isnull=True))
                | (Q(status="submitted") & Q(submitted_at__isnull=False)),
                name="assessments_submitted_has_date",
            ),
        ]
        indexes = [models.Index(fields=["learner", "status", "submitted_at"], name="assessments_learner_idx")]

    def __str__(self) -> str:
        return f"{self.learner} · {self.role} · {self.get_status_display()}"

    @property
    def is_draft(self) -> bool:
        return self.status == AssessmentStatus.DRAFT


class SelfRating(TimeStampedModel):
    """The level a learner gives themself for one element (the self-rating evidence stream)."""

    assessment = models.ForeignKey(SelfAssessment, on_delete=models.CASCADE, related_name="ratings")
    element = models.ForeignKey(
        "frameworks.Element",
        verbose_name=pgettext_lazy("framework", "element"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    level = models.PositiveSmallIntegerField(
        pgettext_lazy("proficiency", "level"), validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    note = models.TextField(_("note"), blank=True, max_length=2000)

    class Meta:
        ordering = ["assessment", "element__unit__position", "element__position"]
        verbose_name = _("self-rating")
        verbose_name_plural = _("self-ratings")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "element"], name="assessments_rating_unique"),
            models.CheckConstraint(condition=Q(level__gte=1), name="assessments_rating_level_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.element_id} → {self.level}"
