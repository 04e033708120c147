"""Decisions of the certification body: certification rules per role, the records the rules read
(verified experience, attended training) and the accreditation registry of providers and trainers.

Credentials themselves (the signed output) live in ``credentials``; exam results in ``exams`` and
assessor decisions in ``validation``. Rules are keyed by the role's *slug*, which stays stable across
framework versions, so a new framework version keeps its rules.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from skills4cities.certification.enums import AccreditationKind, AccreditationStatus
from skills4cities.core.models import PublicIdModel

DEFAULT_VALIDITY_MONTHS = 36


class CertificationRule(PublicIdModel):
    """How a role certificate and its unit micro-credentials are earned, and for how long they are valid."""

    role_slug = models.SlugField(_("job role"), max_length=80, unique=True)
    accept_exam = models.BooleanField(
        _("exam results count"), default=True, help_text=_("An element passed in a certification exam is met.")
    )
    accept_assessor = models.BooleanField(
        _("assessor decisions count"),
        default=True,
        help_text=_("An element an assessor judged as met in a validation request is met."),
    )
    include_optional_units = models.BooleanField(
        _("optional units required"),
        default=False,
        help_text=_("When set, the role certificate also needs the role's optional (non-essential) units."),
    )
    min_experience_months = models.PositiveSmallIntegerField(
        _("minimum experience (months)"),
        default=0,
        validators=[MaxValueValidator(600)],
        help_text=_("Verified project experience the role certificate needs; 0 for none."),
    )
    min_training_hours = models.PositiveIntegerField(
        _("minimum attended training (hours)"),
        default=0,
        validators=[MaxValueValidator(10000)],
        help_text=_("Attended training hours the role certificate needs; 0 for none."),
    )
    validity_months = models.PositiveSmallIntegerField(
        _("validity (months)"),
        default=DEFAULT_VALIDITY_MONTHS,
        validators=[MinValueValidator(1), MaxValueValidator(240)],
        help_text=_("How long a certificate is valid after it is issued."),
    )
    renewal_cpd_hours = models.PositiveIntegerField(
        _("CPD hours for renewal"),
        default=0,
        validators=[MaxValueValidator(10000)],
        help_text=_(
            "A holder who no longer meets the rule may still renew with this many hours of training attended "
            "since the certificate was issued; 0 to renew only by meeting the rule again."
        ),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("last changed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["role_slug"]
        verbose_name = _("certification rule")
        verbose_name_plural = _("certification rules")
        constraints = [
            models.CheckConstraint(
                condition=Q(accept_exam=True) | Q(accept_assessor=True), name="certification_rule_one_stream"
            ),
            models.CheckConstraint(
                condition=Q(validity_months__gte=1, validity_months__lte=240),
                name="certification_rule_validity_range",
            ),
        ]

    def __str__(self) -> str:
        return self.role_slug

    @property
    def streams(self) -> list[str]:
        return [name for name, on in (("exam", self.accept_exam), ("assessor", self.accept_assessor)) if on]


class ExperienceRecord(PublicIdModel):
    """Project experience of a person, verified by an assessor or a certification officer."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE, related_name="+"
    )
    description = models.CharField(_("description"), max_length=300)
    employer = models.CharField(_("employer or client"), max_length=200, blank=True)
    months = models.PositiveSmallIntegerField(_("months"), validators=[MinValueValidator(1), MaxValueValidator(600)])
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("verified by"), on_delete=models.PROTECT, related_name="+"
    )
    verified_at = models.DateTimeField(_("verified"), default=timezone.now)

    class Meta:
        ordering = ["user", "-verified_at", "-id"]
        verbose_name = _("verified experience")
        verbose_name_plural = _("verified experience")
        constraints = [
            models.CheckConstraint(condition=Q(months__gte=1), name="certification_experience_months_positive")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.months} · {self.description[:60]}"


class AttendanceRecord(PublicIdModel):
    """Hours a person attended: a module of a course, or other training (continuing professional development)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE, related_name="+"
    )
    course = models.ForeignKey(
        "curriculum.Course",
        verbose_name=_("course"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    module = models.ForeignKey(
        "curriculum.Module",
        verbose_name=_("module"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    title = models.CharField(
        _("training"), max_length=200, blank=True, help_text=_("For training outside the curriculum.")
    )
    hours = models.PositiveIntegerField(_("hours"), validators=[MinValueValidator(1), MaxValueValidator(2000)])
    attended_on = models.DateField(_("attended on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["user", "-attended_on", "-id"]
        verbose_name = _("attended training")
        verbose_name_plural = _("attended training")
        constraints = [
            models.CheckConstraint(condition=Q(hours__gte=1), name="certification_attendance_hours_positive"),
            models.CheckConstraint(
                condition=Q(module__isnull=False) | ~Q(title=""), name="certification_attendance_names_training"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.hours} h · {self.attended_on}"


class Accreditation(PublicIdModel):
    """A training provider (organisation) or a trainer (person) accredited by the certification body.

    One row per provider or trainer; renewals move ``granted_at``/``expires_at`` forward (the audit log
    keeps the history). An accreditation is *current* while it is accredited and not past ``expires_at``.
    """

    kind = models.CharField(_("kind"), max_length=16, choices=AccreditationKind.choices)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("training provider"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    trainer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("trainer"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=AccreditationStatus.choices, default=AccreditationStatus.APPLIED
    )
    courses = models.ManyToManyField(
        "curriculum.Course",
        verbose_name=_("courses offered"),
        blank=True,
        related_name="+",
        help_text=_("The courses whose material the provider teaches (with those of its cohorts)."),
    )
    trainer_exam_passed = models.BooleanField(_("trainer exam passed"), default=False)
    train_the_trainer_attended = models.BooleanField(_("train-the-trainer course attended"), default=False)
    experience_years = models.PositiveSmallIntegerField(
        _("years of experience"), default=0, validators=[MaxValueValidator(60)]
    )
    criteria = models.JSONField(
        _("criteria met"),
        default=dict,
        blank=True,
        help_text=_("The criteria as checked at the last grant or renewal."),
    )
    granted_at = models.DateTimeField(_("granted"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("granted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True, help_text=_("Why it was suspended."))

    class Meta:
        ordering = ["kind", "-expires_at", "id"]
        verbose_name = _("accreditation")
        verbose_name_plural = _("accreditations")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind="provider", organisation__isnull=False, trainer__isnull=True)
                    | Q(kind="trainer", organisation__isnull=True, trainer__isnull=False)
                ),
                name="certification_accreditation_one_holder",
            ),
            models.UniqueConstraint(
                fields=["organisation"],
                condition=Q(kind="provider"),
                name="certification_accreditation_one_per_provider",
            ),
            models.UniqueConstraint(
                fields=["trainer"], condition=Q(kind="trainer"), name="certification_accreditation_one_per_trainer"
            ),
            models.CheckConstraint(
                condition=~Q(status="accredited") | Q(granted_at__isnull=False, expires_at__isnull=False),
                name="certification_accreditation_accredited_has_dates",
            ),
            models.CheckConstraint(
                condition=Q(expires_at__isnull=True)
                | Q(granted_at__isnull=False, expires_at__gt=models.F("granted_at")),
                name="certification_accreditation_expires_after_grant",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.holder}"

    @property
    def holder(self) -> object:
        return self.organisation if self.kind == AccreditationKind.PROVIDER else self.trainer

    def is_current(self, at: object = None) -> bool:
        now = at or timezone.now()
        return bool(
            self.status == AccreditationStatus.ACCREDITED
            and self.granted_at is not None
            and self.expires_at is not None
            and self.granted_at <= now < self.expires_at  # type: ignore[operator]
        )

    @property
    def effective_status(self) -> str:
        """The stored status, except that an accreditation past its expiry reads as expired."""
        if (
            self.status == AccreditationStatus.ACCREDITED
            and self.expires_at is not None
            and self.expires_at <= timezone.now()
        ):
            return AccreditationStatus.EXPIRED.value
        return str(self.status)

    def get_effective_status_display(self) -> str:
        return str(AccreditationStatus(self.effective_status).label)
