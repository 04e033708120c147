from __future__ import annotations

from django.db import models
from django.utils.translation import pgettext_lazy


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("self-assessment status", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("self-assessment status", "Submitted")


class EvidenceKind(models.TextChoices):
    """The separate evidence streams a learner's current level is derived from (DESIGN.md)."""

    ASSESSOR_DECISION = "assessor_decision", pgettext_lazy("evidence", "Assessor decision")
    PRIOR_LEARNING = "prior_learning", pgettext_lazy("evidence", "Recognised prior learning")
    TEST_RESULT = "test_result", pgettext_lazy("evidence", "Passed test")
    SELF_RATING = "self_rating", pgettext_lazy("evidence", "Self-rating")
