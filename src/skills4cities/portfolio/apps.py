from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortfolioConfig(AppConfig):
    name = "skills4cities.portfolio"
    label = "portfolio"
    verbose_name = _("Evidence portfolio")
