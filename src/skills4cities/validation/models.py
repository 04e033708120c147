"""Validation requests (*assessment* in the EU validation steps): a learner asks for a role or a unit to be
validated on their portfolio evidence; assessors judge each element by its performance criteria.

The state changes only through one service per transition (``services.py``), each audited. Assessor
judgements are their own evidence stream (``selectors.assessor_evidence_stream``), never merged into
another record.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from skills4cities.core.models import PublicIdModel, TimeStampedModel
from skills4cities.validation.enums import JudgementStage, Outcome, RequestState

_USER = settings.AUTH_USER_MODEL


class ValidationRequest(PublicIdModel):
    learner = models.ForeignKey(
        _USER, verbose_name=_("learner"), on_delete=models.CASCADE, related_name="validation_requests"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="validation_requests",
        help_text=_("The learner's organisation, whose assessors review the request."),
    )
    framework = models.ForeignKey(
        "frameworks.Framework", verbose_name=_("framework version"), on_delete=models.PROTECT, related_name="+"
    )
    role = models.ForeignKey(
        "frameworks.Role",
        verbose_name=_("job role"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="validation_requests",
    )
    unit = models.ForeignKey(
        "frameworks.Unit",
        verbose_name=pgettext_lazy("framework", "unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="validation_requests",
    )
    evidence_items = models.ManyToManyField(
        "portfolio.EvidenceItem", verbose_name=_("evidence"), related_name="validation_requests", blank=True
    )
    state = models.CharField(_("state"), max_length=32, choices=RequestState.choices, default=RequestState.DRAFT)
    statement = models.TextField(_("learner statement"), blank=True, max_length=5000)
    assessor = models.ForeignKey(
        _USER, verbose_name=_("assessor"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    second_assessor = models.ForeignKey(
        _USER, verbose_name=_("second assessor"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    appeal_assessor = models.ForeignKey(
        _USER, verbose_name=_("appeal assessor"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    more_evidence_message = models.TextField(_("evidence asked for"), blank=True, max_length=5000)
    appeal_reason = models.TextField(_("reason for the appeal"), blank=True, max_length=5000)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    appealed_at = models.DateTimeField(_("appealed"), null=True, blank=True)
    finalised_at = models.DateTimeField(_("final since"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("validation request")
        verbose_name_plural = _("validation requests")
        constraints = [
            models.CheckConstraint(
                condition=(Q(role__isnull=False) & Q(unit__isnull=True))
                | (Q(role__isnull=True) & Q(unit__isnull=False)),
                name="validation_request_one_scope",
            ),
            models.CheckConstraint(
                condition=Q(second_assessor__isnull=True) | ~Q(second_assessor=models.F("assessor")),
                name="validation_request_two_assessors_differ",
            ),
            models.CheckConstraint(
                condition=Q(appeal_assessor__isnull=True) | ~Q(appeal_assessor=models.F("assessor")),
                name="validation_request_appeal_to_another",
            ),
        ]
        indexes = [
            models.Index(fields=["learner", "state"], name="validation_request_learner_idx"),
            models.Index(fields=["organisation", "state"], name="validation_request_org_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.learner} · {self.role or self.unit} · {self.get_state_display()}"

    @property
    def scope(self) -> object:
        return self.role or self.unit

    @property
    def in_appeal(self) -> bool:
        """True from the appeal on: the review in progress (if any) is the appeal's."""
        return self.appealed_at is not None


class ElementJudgement(TimeStampedModel):
    """One assessor's judgement of one element in scope: the outcome, the level shown, and why.

    ``decisive`` marks the judgement that is the decision for its element (set by the decide services);
    ``outcome`` follows from the criteria (all met → met, none met or partly → not met, else partly met).
    """

    request = models.ForeignKey(ValidationRequest, on_delete=models.CASCADE, related_name="judgements")
    element = models.ForeignKey(
        "frameworks.Element",
        verbose_name=pgettext_lazy("framework", "element"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    assessor = models.ForeignKey(_USER, verbose_name=_("assessor"), on_delete=models.PROTECT, related_name="+")
    stage = models.CharField(_("stage"), max_length=16, choices=JudgementStage.choices)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices)
    level = models.PositiveSmallIntegerField(
        pgettext_lazy("proficiency", "level"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    comment = models.TextField(_("comment"), blank=True, max_length=5000)
    decisive = models.BooleanField(_("decisive"), default=False)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        ordering = ["request", "element__unit__position", "element__position", "stage"]
        verbose_name = _("element judgement")
        verbose_name_plural = _("element judgements")
        constraints = [
            models.UniqueConstraint(fields=["request", "element", "stage"], name="validation_judgement_unique"),
            models.CheckConstraint(
                condition=Q(outcome="not_met") | Q(level__gte=1), name="validation_judgement_level_when_met"
            ),
            models.UniqueConstraint(
                fields=["request", "element"], condition=Q(decisive=True), name="validation_one_decisive_judgement"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.element_id} {self.stage} → {self.outcome} {self.level or ''}"

    @property
    def met(self) -> bool:
        return self.outcome == Outcome.MET


class CriterionJudgement(TimeStampedModel):
    judgement = models.ForeignKey(ElementJudgement, on_delete=models.CASCADE, related_name="criteria")
    criterion = models.ForeignKey(
        "frameworks.PerformanceCriterion",
        verbose_name=_("performance criterion"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices)

    class Meta:
        ordering = ["judgement", "criterion__position", "criterion__code"]
        verbose_name = _("criterion judgement")
        verbose_name_plural = _("criterion judgements")
        constraints = [
            models.UniqueConstraint(fields=["judgement", "criterion"], name="validation_criterion_judgement_unique")
        ]

    def __str__(self) -> str:
        return f"{self.criterion_id} → {self.outcome}"
