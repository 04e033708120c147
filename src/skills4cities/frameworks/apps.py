from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FrameworksConfig(AppConfig):
    name = "skills4cities.frameworks"
    label = "frameworks"
    verbose_name = _("Competence frameworks")
