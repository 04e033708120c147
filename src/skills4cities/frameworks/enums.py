from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class FrameworkStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("framework status", "Draft")
    PUBLISHED = "published", pgettext_lazy("framework status", "Published")
    RETIRED = "retired", pgettext_lazy("framework status", "Retired")


class StatementKind(models.TextChoices):
    KNOWLEDGE = "knowledge", _("Knowledge")
    SKILL = "skill", _("Skill")
    ATTITUDE = "attitude", _("Attitude")


class AlignmentTarget(models.TextChoices):
    ESCO_SKILL = "esco-skill", _("ESCO skill")
    ESCO_OCCUPATION = "esco-occupation", _("ESCO occupation")
    ECF = "ecf", _("e-CF 4.0 competence")


class AlignmentRelation(models.TextChoices):
    EXACT = "exact", pgettext_lazy("alignment relation", "Exact match")
    BROADER = "broader", pgettext_lazy("alignment relation", "Broader")
    NARROWER = "narrower", pgettext_lazy("alignment relation", "Narrower")
    RELATED = "related", pgettext_lazy("alignment relation", "Related")


class ImportStatus(models.TextChoices):
    QUEUED = "queued", pgettext_lazy("import status", "Queued")
    RUNNING = "running", pgettext_lazy("import status", "Running")
    SUCCEEDED = "succeeded", pgettext_lazy("import status", "Succeeded")
    FAILED = "failed", pgettext_lazy("import status", "Failed")
