"""Choices of the exams app (shared freely with other apps)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import pgettext_lazy


class ItemType(models.TextChoices):
    SINGLE = "single", pgettext_lazy("item type", "Single choice")
    MULTIPLE = "multiple", pgettext_lazy("item type", "Multiple choice")
    TRUE_FALSE = "true_false", pgettext_lazy("item type", "True or false")
    ORDERING = "ordering", pgettext_lazy("item type", "Ordering")


class ItemStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("item status", "Draft")
    REVIEWED = "reviewed", pgettext_lazy("item status", "Reviewed")
    RETIRED = "retired", pgettext_lazy("item status", "Retired")


class IrtSource(models.TextChoices):
    EXPERT = "expert", pgettext_lazy("IRT parameter source", "Expert estimate")
    CALIBRATED = "calibrated", pgettext_lazy("IRT parameter source", "Calibrated from responses")


class ExamKind(models.TextChoices):
    PRACTICE = "practice", pgettext_lazy("exam kind", "Practice quiz")
    CERTIFICATION = "certification", pgettext_lazy("exam kind", "Certification exam")
    ADAPTIVE = "adaptive", pgettext_lazy("exam kind", "Adaptive test")


class AttemptState(models.TextChoices):
    OPEN = "open", pgettext_lazy("attempt state", "Open")
    SUBMITTED = "submitted", pgettext_lazy("attempt state", "Submitted")
    EXPIRED = "expired", pgettext_lazy("attempt state", "Expired")


class StartableKind(models.TextChoices):
    """The kinds of exam a learner starts by name (adaptive tests start through their own service)."""

    PRACTICE = "practice", pgettext_lazy("exam kind", "Practice quiz")
    CERTIFICATION = "certification", pgettext_lazy("exam kind", "Certification exam")
