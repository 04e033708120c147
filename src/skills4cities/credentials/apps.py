from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CredentialsConfig(AppConfig):
    name = "skills4cities.credentials"
    label = "credentials"
    verbose_name = _("Verifiable credentials")

    def ready(self) -> None:
        from skills4cities.credentials import checks  # noqa: F401 - registers the system checks
