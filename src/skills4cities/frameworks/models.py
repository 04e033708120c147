"""The competencies map and reference framework (ECQA skill-card structure).

A *framework version* holds job roles and a tree of units → elements → performance criteria.
Elements carry knowledge, skill and attitude statements. Roles require elements at a target level
on the framework's proficiency scale. Any item can be aligned to ESCO and e-CF 4.0.

Published versions are immutable (enforced by ``services`` and the admin); editing starts a new
draft version.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from skills4cities.core.models import PublicIdModel, TimeStampedModel
from skills4cities.frameworks.enums import (
    AlignmentRelation,
    AlignmentTarget,
    FrameworkStatus,
    ImportStatus,
    StatementKind,
)

# Explicit ranges: they are the domain's, and they keep the OpenAPI schema the same on every database.
EQF_RANGE = [MinValueValidator(1), MaxValueValidator(8)]
ECF_RANGE = [MinValueValidator(1), MaxValueValidator(5)]
SCALE_RANGE = [MinValueValidator(1), MaxValueValidator(100)]


class Framework(PublicIdModel):
    slug = models.SlugField(_("slug"), max_length=80)
    version = models.CharField(_("version"), max_length=32)
    status = models.CharField(
        _("status"), max_length=16, choices=FrameworkStatus.choices, default=FrameworkStatus.DRAFT
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    languages = models.JSONField(_("languages"), default=list, help_text=_("Language codes the content is written in."))
    licence = models.TextField(_("licence"), blank=True)
    attribution = models.TextField(_("attribution"), blank=True)
    owner = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="frameworks",
        help_text=_("Organisation whose framework editors maintain it; empty for platform reference content."),
    )
    derived_from = models.ForeignKey(
        "self",
        verbose_name=_("derived from"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    source_hash = models.CharField(_("source hash"), max_length=64, blank=True, editable=False)
    extra = models.JSONField(
        _("format data"),
        default=dict,
        blank=True,
        help_text=_("Data kept from an imported format for lossless export."),
    )

    class Meta:
        ordering = ["slug", "-published_at", "-id"]
        verbose_name = _("framework")
        verbose_name_plural = _("frameworks")
        constraints = [
            models.UniqueConstraint(fields=["slug", "version"], name="frameworks_framework_unique_version"),
            models.UniqueConstraint(
                fields=["slug"], condition=Q(status="draft"), name="frameworks_framework_one_draft"
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="frameworks_framework_published_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} {self.version}"

    @property
    def is_editable(self) -> bool:
        return self.status == FrameworkStatus.DRAFT


class ProficiencyScale(TimeStampedModel):
    framework = models.OneToOneField(Framework, on_delete=models.CASCADE, related_name="scale")
    slug = models.SlugField(_("slug"), max_length=80)
    title = models.CharField(_("title"), max_length=200)
    extra = models.JSONField(
        _("format data"),
        default=dict,
        blank=True,
        help_text=_("Data kept from an imported format for lossless export."),
    )

    class Meta:
        ordering = ["framework", "slug"]
        verbose_name = _("proficiency scale")
        verbose_name_plural = _("proficiency scales")

    def __str__(self) -> str:
        return self.title


class ProficiencyLevel(TimeStampedModel):
    scale = models.ForeignKey(ProficiencyScale, on_delete=models.CASCADE, related_name="levels")
    value = models.PositiveSmallIntegerField(_("value"), validators=SCALE_RANGE)
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    eqf_level = models.PositiveSmallIntegerField(_("EQF level"), null=True, blank=True, validators=EQF_RANGE)
    ecf_level = models.PositiveSmallIntegerField(_("e-CF level"), null=True, blank=True, validators=ECF_RANGE)

    class Meta:
        ordering = ["scale", "value"]
        verbose_name = pgettext_lazy("proficiency", "level")
        verbose_name_plural = pgettext_lazy("proficiency", "levels")
        constraints = [
            models.UniqueConstraint(fields=["scale", "value"], name="frameworks_level_unique_value"),
            models.CheckConstraint(
                condition=Q(eqf_level__isnull=True) | Q(eqf_level__gte=1, eqf_level__lte=8),
                name="frameworks_level_eqf_range",
            ),
            models.CheckConstraint(
                condition=Q(ecf_level__isnull=True) | Q(ecf_level__gte=1, ecf_level__lte=5),
                name="frameworks_level_ecf_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.value} · {self.name}"


class Role(PublicIdModel):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="roles")
    slug = models.SlugField(_("slug"), max_length=80)
    code = models.CharField(_("code"), max_length=32)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    mission = models.TextField(_("mission"), blank=True)
    eqf_level = models.PositiveSmallIntegerField(_("EQF level"), validators=EQF_RANGE)
    position = models.PositiveIntegerField(_("position"), default=0)
    extra = models.JSONField(
        _("format data"),
        default=dict,
        blank=True,
        help_text=_("Data kept from an imported format for lossless export."),
    )

    class Meta:
        ordering = ["framework", "position", "code"]
        verbose_name = _("job role")
        verbose_name_plural = _("job roles")
        constraints = [
            models.UniqueConstraint(fields=["framework", "slug"], name="frameworks_role_unique_slug"),
            models.UniqueConstraint(fields=["framework", "code"], name="frameworks_role_unique_code"),
            models.CheckConstraint(condition=Q(eqf_level__gte=1, eqf_level__lte=8), name="frameworks_role_eqf_range"),
        ]

    def __str__(self) -> str:
        return self.title


class RoleTask(TimeStampedModel):
    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="tasks")
    position = models.PositiveIntegerField(_("position"), default=0)
    text = models.TextField(_("task"))

    class Meta:
        ordering = ["role", "position", "id"]
        verbose_name = _("main task")
        verbose_name_plural = _("main tasks")

    def __str__(self) -> str:
        return self.text[:80]


class Unit(PublicIdModel):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="units")
    code = models.CharField(_("code"), max_length=32)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    extra = models.JSONField(
        _("format data"),
        default=dict,
        blank=True,
        help_text=_("Data kept from an imported format for lossless export."),
    )

    class Meta:
        ordering = ["framework", "position", "code"]
        verbose_name = pgettext_lazy("framework", "unit")
        verbose_name_plural = pgettext_lazy("framework", "units")
        constraints = [models.UniqueConstraint(fields=["framework", "code"], name="frameworks_unit_unique_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Element(PublicIdModel):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="elements")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="elements")
    code = models.CharField(_("code"), max_length=32)
    title = models.CharField(_("title"), max_length=240)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    extra = models.JSONField(
        _("format data"),
        default=dict,
        blank=True,
        help_text=_("Data kept from an imported format for lossless export."),
    )

    class Meta:
        ordering = ["unit__position", "position", "code"]
        verbose_name = pgettext_lazy("framework", "element")
        verbose_name_plural = pgettext_lazy("framework", "elements")
        constraints = [models.UniqueConstraint(fields=["framework", "code"], name="frameworks_element_unique_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Statement(TimeStampedModel):
    """A knowledge, skill or attitude statement of an element."""

    element = models.ForeignKey(Element, on_delete=models.CASCADE, related_name="statements")
    kind = models.CharField(_("kind"), max_length=16, choices=StatementKind.choices)
    text = models.TextField(_("text"))
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["element", "kind", "position", "id"]
        verbose_name = _("K/S/A statement")
        verbose_name_plural = _("K/S/A statements")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text[:60]}"


class PerformanceCriterion(PublicIdModel):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="criteria")
    element = models.ForeignKey(Element, on_delete=models.CASCADE, related_name="criteria")
    code = models.CharField(_("code"), max_length=40)
    text = models.TextField(_("text"))
    position = models.PositiveIntegerField(_("position"), default=0)
    extra = models.JSONField(
        _("format data"),
        default=dict,
        blank=True,
        help_text=_("Data kept from an imported format for lossless export."),
    )

    class Meta:
        ordering = ["element", "position", "code"]
        verbose_name = _("performance criterion")
        verbose_name_plural = _("performance criteria")
        constraints = [models.UniqueConstraint(fields=["framework", "code"], name="frameworks_criterion_unique_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.text[:60]}"


class RoleRequirement(TimeStampedModel):
    """A role needs an element at a target level of the framework's scale."""

    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="requirements")
    element = models.ForeignKey(Element, on_delete=models.CASCADE, related_name="requirements")
    target_level = models.PositiveSmallIntegerField(_("target level"), validators=SCALE_RANGE)
    essential = models.BooleanField(_("essential"), default=True)

    class Meta:
        ordering = ["role", "element__unit__position", "element__position"]
        verbose_name = _("role requirement")
        verbose_name_plural = _("role requirements")
        constraints = [
            models.UniqueConstraint(fields=["role", "element"], name="frameworks_requirement_unique"),
            models.CheckConstraint(condition=Q(target_level__gte=1), name="frameworks_requirement_level_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.role.code} × {self.element.code} → {self.target_level}"


class Alignment(TimeStampedModel):
    """Alignment of one framework item (role, unit, element or criterion) to ESCO or e-CF 4.0."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="alignments")
    role = models.ForeignKey(Role, null=True, blank=True, on_delete=models.CASCADE, related_name="alignments")
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.CASCADE, related_name="alignments")
    element = models.ForeignKey(Element, null=True, blank=True, on_delete=models.CASCADE, related_name="alignments")
    criterion = models.ForeignKey(
        PerformanceCriterion, null=True, blank=True, on_delete=models.CASCADE, related_name="alignments"
    )
    target = models.CharField(_("target"), max_length=20, choices=AlignmentTarget.choices)
    uri = models.URLField(_("URI"), max_length=300, blank=True)
    ecf_code = models.CharField(_("e-CF code"), max_length=8, blank=True)
    ecf_level = models.PositiveSmallIntegerField(_("e-CF level"), null=True, blank=True, validators=ECF_RANGE)
    relation = models.CharField(
        _("relation"), max_length=16, choices=AlignmentRelation.choices, default=AlignmentRelation.RELATED
    )
    label = models.CharField(_("label"), max_length=300, blank=True)

    class Meta:
        ordering = ["framework", "target", "ecf_code", "uri", "id"]
        verbose_name = _("alignment")
        verbose_name_plural = _("alignments")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(role__isnull=False, unit__isnull=True, element__isnull=True, criterion__isnull=True)
                    | Q(role__isnull=True, unit__isnull=False, element__isnull=True, criterion__isnull=True)
                    | Q(role__isnull=True, unit__isnull=True, element__isnull=False, criterion__isnull=True)
                    | Q(role__isnull=True, unit__isnull=True, element__isnull=True, criterion__isnull=False)
                ),
                name="frameworks_alignment_one_item",
            ),
            models.CheckConstraint(
                condition=(Q(target="ecf") & ~Q(ecf_code="")) | (~Q(target="ecf") & ~Q(uri="")),
                name="frameworks_alignment_has_target",
            ),
            models.CheckConstraint(
                condition=Q(ecf_level__isnull=True) | Q(ecf_level__gte=1, ecf_level__lte=5),
                name="frameworks_alignment_ecf_level_range",
            ),
        ]

    def __str__(self) -> str:
        target = self.ecf_code if self.target == AlignmentTarget.ECF else self.uri
        return f"{self.get_relation_display()} {target}"

    @property
    def is_esco(self) -> bool:
        return self.target in {AlignmentTarget.ESCO_SKILL, AlignmentTarget.ESCO_OCCUPATION}


class EcfCompetence(models.Model):
    """e-CF 4.0 (EN 16234-1:2019) competences, cited by code and title only."""

    code = models.CharField(_("code"), max_length=8, unique=True)
    area = models.CharField(_("area"), max_length=16)
    title = models.CharField(_("title"), max_length=120)

    class Meta:
        ordering = ["code"]
        verbose_name = _("e-CF competence")
        verbose_name_plural = _("e-CF competences")

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


__all__ = [
    "Alignment",
    "EcfCompetence",
    "Element",
    "Framework",
    "ImportJob",
    "PerformanceCriterion",
    "ProficiencyLevel",
    "ProficiencyScale",
    "Role",
    "RoleRequirement",
    "RoleTask",
    "Statement",
    "Unit",
]


class ImportJob(PublicIdModel):
    """A framework file uploaded on the import page and imported by a background task.

    The uploaded bytes are kept in the row (files are limited by ``FRAMEWORK_IMPORT_MAX_BYTES``) until
    the import has run, then dropped; the name, size and SHA-256 stay. State changes only through the
    ``import_job_*`` services. Progress while running is published outside the import's transaction
    (``frameworks.progress``); the row holds the state before and after.
    """

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    owner = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Organisation the imported framework will belong to."),
    )
    filename = models.CharField(_("file name"), max_length=255)
    format = models.CharField(
        _("format"), max_length=32, blank=True, help_text=_("Requested format; empty to recognise it from the file.")
    )
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    data = models.BinaryField(_("file content"), blank=True, editable=False)
    status = models.CharField(_("status"), max_length=16, choices=ImportStatus.choices, default=ImportStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(
        _("progress"), default=0, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    message = models.CharField(_("message"), max_length=300, blank=True)
    framework = models.ForeignKey(
        Framework,
        verbose_name=_("framework"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="import_jobs",
    )
    framework_created = models.BooleanField(
        _("new version created"), null=True, help_text=_("False when the file matched a stored version exactly.")
    )
    problems = models.JSONField(_("problems"), default=list, blank=True)
    task_id = models.CharField(_("task id"), max_length=64, blank=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("framework import")
        verbose_name_plural = _("framework imports")
        indexes = [models.Index(fields=["status", "started_at"], name="frameworks_import_status_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="frameworks_importjob_progress_range"),
            models.CheckConstraint(
                condition=Q(status__in=ImportStatus.values), name="frameworks_importjob_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status__in=[ImportStatus.SUCCEEDED, ImportStatus.FAILED]) | Q(finished_at__isnull=False),
                name="frameworks_importjob_finished_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in {ImportStatus.SUCCEEDED, ImportStatus.FAILED}

    @property
    def problem_rows(self) -> list[dict[str, str]]:
        """Problems split for a table: the file, the place in it (line, field) and the message."""
        rows = []
        for problem in self.problems or []:
            where = str(problem.get("where", ""))
            file, _sep, place = where.partition(": ")
            rows.append({"file": file, "place": place, "message": str(problem.get("message", ""))})
        return rows
