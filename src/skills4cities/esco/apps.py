from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EscoConfig(AppConfig):
    name = "skills4cities.esco"
    label = "esco"
    verbose_name = _("ESCO classification")
