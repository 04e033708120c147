"""The VET curriculum on a framework: courses of ordered modules, learning outcomes, materials, cohorts.

A module's learning outcomes name framework elements and the proficiency level the module brings a
learner to; the learning path and the coverage checks build on them. The shipped reference
curriculum is written by ``services.curriculum_reference_load`` from YAML (``docs/formats/curriculum.md``).
"""

from __future__ import annotations

import uuid
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from skills4cities.core.models import PublicIdModel, TimeStampedModel
from skills4cities.curriculum.enums import DeliveryMode
from skills4cities.curriculum.validators import validate_delivery


class Curriculum(PublicIdModel):
    slug = models.SlugField(_("slug"), max_length=80)
    version = models.CharField(_("version"), max_length=32)
    framework = models.ForeignKey(
        "frameworks.Framework", verbose_name=_("framework"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    source_hash = models.CharField(_("source hash"), max_length=64, blank=True, editable=False)

    class Meta:
        ordering = ["slug", "-id"]
        verbose_name = _("curriculum")
        verbose_name_plural = _("curricula")
        constraints = [models.UniqueConstraint(fields=["slug", "version"], name="curriculum_curriculum_unique_version")]

    def __str__(self) -> str:
        return f"{self.title} {self.version}"


class Module(PublicIdModel):
    curriculum = models.ForeignKey(Curriculum, on_delete=models.CASCADE, related_name="modules")
    code = models.CharField(_("code"), max_length=32)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    hours = models.PositiveIntegerField(
        _("hours"), validators=[MinValueValidator(1)], help_text=_("Notional learning hours.")
    )
    ecvet = models.DecimalField(_("ECVET points"), max_digits=5, decimal_places=1, default=0)
    delivery = models.JSONField(
        _("delivery"),
        default=list,
        validators=[validate_delivery],
        help_text=_("A list of any of: online, classroom, work-based."),
    )
    prerequisites = models.ManyToManyField(
        "self",
        verbose_name=_("prerequisites"),
        symmetrical=False,
        blank=True,
        related_name="dependents",
        help_text=_("Modules that must be completed first."),
    )
    assessment_method = models.TextField(_("assessment method"), blank=True)
    study = models.TextField(_("study page"), help_text=_("Markdown; raw HTML is not rendered."))
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["curriculum", "position", "code"]
        verbose_name = _("module")
        verbose_name_plural = _("modules")
        constraints = [
            models.UniqueConstraint(fields=["curriculum", "code"], name="curriculum_module_unique_code"),
            models.CheckConstraint(condition=Q(hours__gte=1), name="curriculum_module_hours_positive"),
            models.CheckConstraint(condition=Q(ecvet__gte=0), name="curriculum_module_ecvet_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def get_delivery_display(self) -> list[str]:
        labels = dict(DeliveryMode.choices)
        return [str(labels.get(mode, mode)) for mode in self.delivery]


class Course(PublicIdModel):
    curriculum = models.ForeignKey(Curriculum, on_delete=models.CASCADE, related_name="courses")
    code = models.CharField(_("code"), max_length=32)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    modules = models.ManyToManyField(
        Module, verbose_name=_("modules"), through="CourseModule", related_name="courses", blank=True
    )

    class Meta:
        ordering = ["curriculum", "position", "code"]
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        constraints = [models.UniqueConstraint(fields=["curriculum", "code"], name="curriculum_course_unique_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class CourseModule(TimeStampedModel):
    """A module's place in a course (the recommended order)."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="course_modules")
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="course_modules")
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["course", "position"]
        verbose_name = _("module of a course")
        verbose_name_plural = _("modules of a course")
        constraints = [models.UniqueConstraint(fields=["course", "module"], name="curriculum_course_module_unique")]

    def __str__(self) -> str:
        return f"{self.course.code} · {self.position} · {self.module.code}"


class LearningOutcome(TimeStampedModel):
    """What a learner can do after the module: an element reached at a level of the framework's scale."""

    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="outcomes")
    element = models.ForeignKey(
        "frameworks.Element",
        verbose_name=pgettext_lazy("framework", "element"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    level = models.PositiveSmallIntegerField(pgettext_lazy("proficiency", "level"), validators=[MinValueValidator(1)])
    text = models.TextField(_("learning outcome"))
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["module", "position", "id"]
        verbose_name = _("learning outcome")
        verbose_name_plural = _("learning outcomes")
        constraints = [models.CheckConstraint(condition=Q(level__gte=1), name="curriculum_outcome_level_positive")]

    def __str__(self) -> str:
        return f"{self.module.code} → {self.element.code} @ {self.level}"


class ModuleLink(TimeStampedModel):
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="links")
    title = models.CharField(_("title"), max_length=300)
    url = models.URLField(_("URL"), max_length=500)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["module", "position", "id"]
        verbose_name = _("further-reading link")
        verbose_name_plural = _("further-reading links")

    def __str__(self) -> str:
        return self.title


def attachment_path(instance: Any, filename: str) -> str:
    """A generated name under ``modules/`` (never the uploader's file name, which may be unsafe)."""
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"modules/{uuid.uuid4().hex}{suffix}"


class ModuleAttachment(TimeStampedModel):
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="attachments")
    title = models.CharField(_("title"), max_length=300)
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=200)
    content_type = models.CharField(_("content type"), max_length=120, blank=True)

    class Meta:
        ordering = ["module", "title", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.title


class Cohort(PublicIdModel):
    """A group of learners of one organisation following a course with a trainer."""

    course = models.ForeignKey(Course, verbose_name=_("course"), on_delete=models.PROTECT, related_name="cohorts")
    organisation = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="+"
    )
    trainer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("trainer"), on_delete=models.PROTECT, related_name="+"
    )
    learners = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("learners"), blank=True, related_name="+"
    )
    name = models.CharField(_("name"), max_length=200)
    start_date = models.DateField(_("start date"))

    class Meta:
        ordering = ["-start_date", "name", "id"]
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")

    def __str__(self) -> str:
        return self.name
