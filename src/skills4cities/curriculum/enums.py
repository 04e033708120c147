from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DeliveryMode(models.TextChoices):
    ONLINE = "online", _("Online")
    CLASSROOM = "classroom", _("Classroom")
    WORK_BASED = "work-based", _("Work-based")
