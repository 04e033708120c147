"""A learner's learning path for a role: the modules chosen by the solver, as a snapshot of the curriculum.

Modules are stored by code with their hours, the levels they bring elements to and the gaps they close at the
time of the proposal, so a path stays readable when the curriculum changes. ``gaps`` keeps every open gap the
path was computed for; what stays uncovered is derived from it and the modules not dropped.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from skills4cities.core.models import PublicIdModel, TimeStampedModel
from skills4cities.learning.enums import ModuleStatus, PathStatus, SolverMethod


class LearningPath(PublicIdModel):
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("learner"), on_delete=models.CASCADE, related_name="learning_paths"
    )
    role = models.ForeignKey(
        "frameworks.Role", verbose_name=_("role"), on_delete=models.PROTECT, related_name="learning_paths"
    )
    assessment_public_id = models.UUIDField(
        _("self-assessment"), null=True, blank=True, help_text=_("The self-assessment whose gaps the path closes.")
    )
    status = models.CharField(_("status"), max_length=16, choices=PathStatus.choices, default=PathStatus.PROPOSED)
    method = models.CharField(_("method"), max_length=16, choices=SolverMethod.choices, default=SolverMethod.ILP)
    gaps = models.JSONField(
        _("gaps"), default=list, blank=True, help_text=_("Every open gap: element, target, current, essential.")
    )
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("learning path")
        verbose_name_plural = _("learning paths")
        constraints = [
            models.CheckConstraint(condition=models.Q(status__in=PathStatus.values), name="learning_path_status_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.learner} → {self.role}"


class PathModule(TimeStampedModel):
    path = models.ForeignKey(
        LearningPath, verbose_name=_("learning path"), on_delete=models.CASCADE, related_name="modules"
    )
    code = models.CharField(_("module code"), max_length=32)
    title = models.CharField(_("title"), max_length=200, blank=True)
    hours = models.PositiveIntegerField(_("hours"))
    covers = models.JSONField(_("levels reached"), default=dict, blank=True)
    closes = models.JSONField(_("gaps closed"), default=list, blank=True)
    required_by = models.JSONField(_("required by"), default=list, blank=True)
    position = models.PositiveIntegerField(_("position"))
    status = models.CharField(_("status"), max_length=16, choices=ModuleStatus.choices, default=ModuleStatus.PLANNED)
    swapped_from = models.CharField(_("swapped from"), max_length=32, blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)

    class Meta:
        ordering = ["path", "position", "id"]
        verbose_name = _("module of a learning path")
        verbose_name_plural = _("modules of learning paths")
        constraints = [
            models.UniqueConstraint(fields=["path", "code"], name="learning_path_module_once"),
            models.CheckConstraint(
                condition=models.Q(status__in=ModuleStatus.values), name="learning_path_module_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.path_id}:{self.position} {self.code}"
