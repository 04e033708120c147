from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CurriculumConfig(AppConfig):
    name = "skills4cities.curriculum"
    label = "curriculum"
    verbose_name = _("Curriculum")
