from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CurriculumConfig(AppConfig):
    name = "skills4cities.curriculum"
    label = "curriculum"
    verbose_name = _("Curriculum")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from skills4cities.curriculum.signals import remember_trainer

        user_logged_in.connect(remember_trainer, dispatch_uid="curriculum.remember_trainer")
