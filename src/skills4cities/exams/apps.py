from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExamsConfig(AppConfig):
    name = "skills4cities.exams"
    label = "exams"
    verbose_name = _("Tests and exams")
