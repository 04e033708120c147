from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ValidationConfig(AppConfig):
    name = "skills4cities.validation"
    label = "validation"
    verbose_name = _("Validation of prior learning")
