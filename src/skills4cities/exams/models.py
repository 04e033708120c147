"""The item bank, exam configuration per role, attempts with their items and per-element results.

Items point at a framework element (and through it at a framework version); draws and results match
elements by their *code*, which stays stable across versions. Every answer is stored on its
``AttemptItem`` row as it is given, so an attempt survives a closed browser or a restarted server.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from skills4cities.core.models import PublicIdModel, TimeStampedModel
from skills4cities.exams.enums import AttemptState, ExamKind, IrtSource, ItemStatus, ItemType

LEVEL_RANGE = [MinValueValidator(1), MaxValueValidator(5)]
DEFAULT_ITEMS_PER_ELEMENT = 10
DEFAULT_PASS_THRESHOLD = Decimal("0.660")
DEFAULT_TIME_LIMIT = 90


class Item(PublicIdModel):
    """One question of the item bank, evidencing one element at one proficiency level."""

    key = models.CharField(_("key"), max_length=40, unique=True, help_text=_("Stable identifier, e.g. U01.E1.01."))
    element = models.ForeignKey(
        "frameworks.Element",
        verbose_name=pgettext_lazy("framework", "element"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    level = models.PositiveSmallIntegerField(pgettext_lazy("proficiency", "level"), validators=LEVEL_RANGE)
    type = models.CharField(_("type"), max_length=16, choices=ItemType.choices)
    stem = models.TextField(_("question"))
    explanation = models.TextField(_("explanation"), blank=True, help_text=_("Shown after the answer."))
    status = models.CharField(_("status"), max_length=16, choices=ItemStatus.choices, default=ItemStatus.DRAFT)
    irt_a = models.FloatField(_("discrimination (a)"), default=1.0)
    irt_b = models.FloatField(_("difficulty (b)"), default=0.0)
    irt_c = models.FloatField(_("guessing (c)"), default=0.0)
    irt_source = models.CharField(
        _("IRT parameter source"), max_length=16, choices=IrtSource.choices, default=IrtSource.EXPERT
    )
    calibrated_at = models.DateTimeField(_("calibrated"), null=True, blank=True)
    source_hash = models.CharField(_("source hash"), max_length=64, blank=True, editable=False)

    class Meta:
        ordering = ["key"]
        verbose_name = _("item")
        verbose_name_plural = _("items")
        constraints = [
            models.CheckConstraint(condition=Q(level__gte=1, level__lte=5), name="exams_item_level_range"),
            models.CheckConstraint(condition=Q(irt_a__gt=0), name="exams_item_irt_a_positive"),
            models.CheckConstraint(condition=Q(irt_c__gte=0, irt_c__lt=1), name="exams_item_irt_c_range"),
        ]
        indexes = [models.Index(fields=["element", "status"], name="exams_item_element_idx")]

    def __str__(self) -> str:
        return self.key


class Option(PublicIdModel):
    """An answer option (single, multiple, true/false) or a step (ordering: ``position`` is the right order)."""

    item = models.ForeignKey(Item, verbose_name=_("item"), on_delete=models.CASCADE, related_name="options")
    position = models.PositiveSmallIntegerField(_("position"))
    text = models.TextField(_("text"))
    correct = models.BooleanField(_("correct"), default=False)
    feedback = models.TextField(_("feedback"), blank=True, help_text=_("Why this option is right or wrong."))

    class Meta:
        ordering = ["item", "position"]
        verbose_name = _("option")
        verbose_name_plural = _("options")
        constraints = [models.UniqueConstraint(fields=["item", "position"], name="exams_option_unique_position")]

    def __str__(self) -> str:
        return f"{self.item.key} #{self.position}"


class ExamConfig(TimeStampedModel):
    """The certification exam rules of one role, set by a certification officer (defaults without a row)."""

    role = models.OneToOneField("frameworks.Role", verbose_name=_("role"), on_delete=models.CASCADE, related_name="+")
    items_per_element = models.PositiveSmallIntegerField(
        _("items per element"),
        default=DEFAULT_ITEMS_PER_ELEMENT,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
    )
    pass_threshold = models.DecimalField(
        _("pass threshold"),
        max_digits=4,
        decimal_places=3,
        default=DEFAULT_PASS_THRESHOLD,
        validators=[MinValueValidator(Decimal("0.001")), MaxValueValidator(Decimal("1"))],
        help_text=_("The fraction of the element's points needed to pass it, e.g. 0.660 for 66 %."),
    )
    time_limit_minutes = models.PositiveSmallIntegerField(
        _("time limit (minutes)"), default=DEFAULT_TIME_LIMIT, validators=[MinValueValidator(1), MaxValueValidator(600)]
    )
    adaptive_allowed = models.BooleanField(_("adaptive test allowed for certification"), default=False)
    enabled = models.BooleanField(_("enabled"), default=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["role"]
        verbose_name = _("exam configuration")
        verbose_name_plural = _("exam configurations")
        constraints = [
            models.CheckConstraint(
                condition=Q(pass_threshold__gt=0, pass_threshold__lte=1), name="exams_config_threshold_range"
            ),
            models.CheckConstraint(
                condition=Q(items_per_element__gte=1, items_per_element__lte=50), name="exams_config_items_range"
            ),
            models.CheckConstraint(
                condition=Q(time_limit_minutes__gte=1, time_limit_minutes__lte=600), name="exams_config_time_range"
            ),
        ]

    def __str__(self) -> str:
        return str(self.role)


class ExamSession(PublicIdModel):
    """A certification exam session: opened by an accredited trainer for an accredited training provider and a
    role (all its units, or one), open from ``opens_at`` until ``closes_at`` or until a trainer closes it early.

    Certification attempts start only inside an open session of the learner's provider that covers the exam;
    the trainer's and the provider's accreditations are checked when the session opens and again at every start.
    """

    organisation = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("training provider"), on_delete=models.PROTECT, related_name="+"
    )
    trainer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("trainer"), on_delete=models.PROTECT, related_name="+"
    )
    role = models.ForeignKey("frameworks.Role", verbose_name=_("role"), on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(
        "frameworks.Unit",
        verbose_name=pgettext_lazy("framework", "unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty: every unit of the role."),
    )
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    location = models.CharField(
        _("room or remote note"), max_length=200, blank=True, help_text=_("Where the exam takes place.")
    )
    closed_at = models.DateTimeField(_("closed early"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-opens_at", "-id"]
        verbose_name = _("exam session")
        verbose_name_plural = _("exam sessions")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="exams_session_closes_after_opening"
            ),
        ]
        indexes = [models.Index(fields=["organisation", "closes_at"], name="exams_session_org_idx")]

    def __str__(self) -> str:
        return f"{self.role} · {self.unit.code if self.unit else '*'} · {self.opens_at:%Y-%m-%d %H:%M}"

    def is_open(self, at: datetime.datetime | None = None) -> bool:
        now = at or timezone.now()
        return self.closed_at is None and self.opens_at <= now < self.closes_at

    @property
    def ends_at(self) -> datetime.datetime:
        """When the session stopped (or stops) letting attempts start: closed early, or its end."""
        return min(self.closed_at, self.closes_at) if self.closed_at else self.closes_at


class ExamAttempt(PublicIdModel):
    """One sitting of a learner: a practice quiz, a certification exam (per unit of a role) or an adaptive test.

    ``scope`` names the exam (kind, role, unit); a learner has at most one open attempt per scope.
    The rules in force at the start (threshold, items per element) are copied onto the attempt.
    """

    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("learner"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=ExamKind.choices)
    certifying = models.BooleanField(
        _("counts for certification"), default=False, help_text=_("Passed elements are test evidence.")
    )
    role = models.ForeignKey(
        "frameworks.Role", verbose_name=_("role"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        "frameworks.Unit",
        verbose_name=pgettext_lazy("framework", "unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    scope = models.CharField(_("exam"), max_length=200)
    state = models.CharField(_("state"), max_length=16, choices=AttemptState.choices, default=AttemptState.OPEN)
    started_at = models.DateTimeField(_("started"))
    deadline = models.DateTimeField(_("deadline"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    resit_of = models.ForeignKey(
        "self", verbose_name=_("resit of"), null=True, blank=True, on_delete=models.SET_NULL, related_name="resits"
    )
    provider = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("provider"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    session = models.ForeignKey(
        ExamSession,
        verbose_name=_("exam session"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="attempts",
        help_text=_("The session a certification attempt started in (none for practice quizzes and self-checks)."),
    )
    pass_threshold = models.DecimalField(_("pass threshold"), max_digits=4, decimal_places=3)
    items_per_element = models.PositiveSmallIntegerField(_("items per element"))
    # adaptive tests (docs/adr/0015): the seed of the item choice, the length limit, and the ability at the end
    seed = models.BigIntegerField(_("random seed"), null=True, blank=True, editable=False)
    max_items = models.PositiveSmallIntegerField(_("at most items"), null=True, blank=True)
    cut_theta = models.FloatField(_("cut score (ability)"), null=True, blank=True)
    theta = models.FloatField(_("ability estimate"), null=True, blank=True)
    theta_se = models.FloatField(_("standard error"), null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("exam attempt")
        verbose_name_plural = _("exam attempts")
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "scope"], condition=Q(state="open"), name="exams_attempt_one_open_per_exam"
            ),
            models.CheckConstraint(
                condition=Q(pass_threshold__gt=0, pass_threshold__lte=1), name="exams_attempt_threshold_range"
            ),
        ]
        indexes = [models.Index(fields=["learner", "state"], name="exams_attempt_learner_idx")]

    def __str__(self) -> str:
        return f"{self.scope} ({self.get_state_display()})"


class AttemptItem(TimeStampedModel):
    """A drawn item of an attempt: its place, the option order shown, and the answer as given."""

    attempt = models.ForeignKey(ExamAttempt, verbose_name=_("attempt"), on_delete=models.CASCADE, related_name="items")
    item = models.ForeignKey(Item, verbose_name=_("item"), on_delete=models.PROTECT, related_name="responses")
    element_code = models.CharField(_("element code"), max_length=32)
    position = models.PositiveSmallIntegerField(_("position"))
    option_order = models.JSONField(_("option order"), default=list, help_text=_("Option public ids as shown."))
    answer = models.JSONField(_("answer"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=4, null=True, blank=True)

    class Meta:
        ordering = ["attempt", "position"]
        verbose_name = _("attempt item")
        verbose_name_plural = _("attempt items")
        constraints = [
            models.UniqueConstraint(fields=["attempt", "position"], name="exams_attemptitem_unique_position"),
            models.UniqueConstraint(fields=["attempt", "item"], name="exams_attemptitem_unique_item"),
        ]

    def __str__(self) -> str:
        return f"{self.attempt_id} #{self.position} {self.item_id}"


class ElementResult(TimeStampedModel):
    """The score of one element in a finished attempt (``fraction`` rounded for display; ``passed`` exact)."""

    attempt = models.ForeignKey(
        ExamAttempt, verbose_name=_("attempt"), on_delete=models.CASCADE, related_name="element_results"
    )
    element = models.ForeignKey(
        "frameworks.Element",
        verbose_name=pgettext_lazy("framework", "element"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    element_code = models.CharField(_("element code"), max_length=32)
    items = models.PositiveSmallIntegerField(_("items"))
    score = models.DecimalField(_("score"), max_digits=8, decimal_places=4)
    fraction = models.DecimalField(_("fraction"), max_digits=5, decimal_places=4)
    threshold = models.DecimalField(_("pass threshold"), max_digits=4, decimal_places=3)
    passed = models.BooleanField(_("passed"))
    level = models.PositiveSmallIntegerField(
        pgettext_lazy("proficiency", "level"), help_text=_("The level a pass shows (the role's target level).")
    )

    class Meta:
        ordering = ["attempt", "element__unit__position", "element__position", "element_code"]
        verbose_name = _("element result")
        verbose_name_plural = _("element results")
        constraints = [
            models.UniqueConstraint(fields=["attempt", "element"], name="exams_elementresult_unique_element")
        ]

    def __str__(self) -> str:
        return f"{self.element_code}: {self.fraction}"
