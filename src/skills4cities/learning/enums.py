from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class PathStatus(models.TextChoices):
    PROPOSED = "proposed", pgettext_lazy("learning path", "proposed")
    ACCEPTED = "accepted", pgettext_lazy("learning path", "accepted")


class ModuleStatus(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("path module", "planned")
    COMPLETED = "completed", pgettext_lazy("path module", "completed")
    DROPPED = "dropped", pgettext_lazy("path module", "dropped")


class SolverMethod(models.TextChoices):
    ILP = "ilp", _("exact (integer programme)")
    GREEDY = "greedy", _("approximate (greedy)")
    NONE = "none", _("nothing to choose")
