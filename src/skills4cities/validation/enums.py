from __future__ import annotations

from django.db import models
from django.utils.translation import pgettext_lazy


class RequestState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("validation state", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("validation state", "Submitted")
    IN_REVIEW = "in_review", pgettext_lazy("validation state", "In review")
    MORE_EVIDENCE_REQUESTED = "more_evidence_requested", pgettext_lazy("validation state", "More evidence requested")
    DECIDED = "decided", pgettext_lazy("validation state", "Decided")
    APPEALED = "appealed", pgettext_lazy("validation state", "Appealed")
    FINAL = "final", pgettext_lazy("validation state", "Final")


class Outcome(models.TextChoices):
    MET = "met", pgettext_lazy("rubric outcome", "Met")
    PARTLY_MET = "partly_met", pgettext_lazy("rubric outcome", "Partly met")
    NOT_MET = "not_met", pgettext_lazy("rubric outcome", "Not met")


class JudgementStage(models.TextChoices):
    FIRST = "first", pgettext_lazy("assessor", "First assessor")
    SECOND = "second", pgettext_lazy("assessor", "Second assessor")
    APPEAL = "appeal", pgettext_lazy("assessor", "Appeal assessor")


class SecondAssessorPolicy(models.TextChoices):
    ALWAYS = "always", pgettext_lazy("second assessor", "Always")
    ON_DISAGREEMENT = "on_disagreement", pgettext_lazy("second assessor", "On disagreement")
    NEVER = "never", pgettext_lazy("second assessor", "Never")
