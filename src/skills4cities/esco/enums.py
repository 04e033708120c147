from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ConceptStatus(models.TextChoices):
    RELEASED = "released", _("Released")
    OBSOLETE = "obsolete", _("Obsolete")


class SkillRelation(models.TextChoices):
    ESSENTIAL = "essential", _("Essential")
    OPTIONAL = "optional", _("Optional")
