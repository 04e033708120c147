from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "skills4cities.assessments"
    label = "assessments"
    verbose_name = _("Self-assessments")
