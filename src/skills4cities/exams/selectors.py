"""Reads of the exams app: attempts for their owner, draws' candidates, results and the "tested" evidence stream.

Evidence level (docs/formats/item-bank.md, ADR 0009): a passed element of a certifying attempt shows the
**target level of the attempt's role** for that element — the exam certifies the element as the role
requires it. Without a role requirement (an element outside the role), it shows the highest level of the
element's items the learner answered fully right in that attempt (at least 1). The level is fixed on the
:class:`~skills4cities.exams.models.ElementResult` when the attempt is scored.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from skills4cities.assessments.enums import EvidenceKind
from skills4cities.assessments.rules import Evidence, StaticStream
from skills4cities.exams.enums import AttemptState, ExamKind, ItemStatus, ItemType
from skills4cities.exams.item_analysis import ItemStatistics, Response, classical_statistics
from skills4cities.exams.models import (
    AttemptItem,
    ElementResult,
    ExamAttempt,
    ExamConfig,
    ExamSession,
    Item,
    Option,
)
from skills4cities.frameworks.models import Role, RoleRequirement

FINISHED = (AttemptState.SUBMITTED, AttemptState.EXPIRED)


@dataclass(frozen=True)
class ElementExamResult:
    """A learner's standing on one element from certification exams (latest; a pass is never undone)."""

    element_code: str
    passed: bool
    fraction: Decimal
    at: datetime
    attempt_public_id: UUID
    level: int = 0  # the level a pass shows (0 when failed)


def _certifying_results(user: Any) -> QuerySet[ElementResult]:
    return (
        ElementResult.objects.filter(attempt__learner=user, attempt__certifying=True, attempt__state__in=FINISHED)
        .select_related("attempt")
        .order_by("attempt__finished_at", "attempt__id", "id")
    )


def exam_element_results(user: Any) -> dict[str, ElementExamResult]:
    """Per element code, the learner's latest certification exam result; a passed element stays passed
    (a later fail of the same element does not overwrite it). One query."""
    if not getattr(user, "is_authenticated", False):
        return {}
    results: dict[str, ElementExamResult] = {}
    for row in _certifying_results(user):
        known = results.get(row.element_code)
        if known is not None and known.passed and not row.passed:
            continue
        results[row.element_code] = ElementExamResult(
            element_code=row.element_code,
            passed=row.passed,
            fraction=row.fraction,
            at=row.attempt.finished_at or row.updated_at,
            attempt_public_id=row.attempt.public_id,
            level=row.level if row.passed else 0,
        )
    return results


def exam_evidence_stream(user: Any) -> StaticStream:
    """The "tested" evidence stream (``EvidenceKind.TEST_RESULT``): every passed element of the learner's
    submitted or expired certifying attempts, at the level fixed on the result (see the module docstring)."""
    items: tuple[Evidence, ...] = ()
    if getattr(user, "is_authenticated", False):
        items = tuple(
            Evidence(row.element_code, row.level, row.attempt.finished_at or row.updated_at)
            for row in _certifying_results(user).filter(passed=True)
        )
    return StaticStream(EvidenceKind.TEST_RESULT.value, items)


# --- configuration ---------------------------------------------------------------------------------------


def exam_config(role: Any) -> ExamConfig:
    """The role's exam configuration (an unsaved default one when the officer has set none)."""
    found = ExamConfig.objects.filter(role=role).first() if role is not None else None
    return found or ExamConfig(role=role)


def configs_by_role(roles: Iterable[Any]) -> dict[int, ExamConfig]:
    roles = list(roles)
    saved = {config.role_id: config for config in ExamConfig.objects.filter(role__in=roles)}
    return {role.pk: saved.get(role.pk) or ExamConfig(role=role) for role in roles}


# --- items ---------------------------------------------------------------------------------------------


def reviewed_items(framework_slug: str, element_codes: Iterable[str]) -> QuerySet[Item]:
    """Reviewed items of these elements (by code, any version of the framework)."""
    return Item.objects.filter(
        status=ItemStatus.REVIEWED,
        element__framework__slug=framework_slug,
        element__code__in=list(element_codes),
    )


def reviewed_counts(framework_slug: str) -> dict[str, int]:
    rows = (
        Item.objects.filter(status=ItemStatus.REVIEWED, element__framework__slug=framework_slug)
        .values("element__code")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {row["element__code"]: row["n"] for row in rows}


def _uuid(value: Any) -> UUID | None:
    if isinstance(value, UUID):
        return value
    try:
        return UUID(str(value))
    except (TypeError, ValueError):
        return None


# --- attempts --------------------------------------------------------------------------------------------


def attempt_for_user(user: Any, public_id: UUID | str) -> ExamAttempt:
    """The learner's own attempt (404 for anyone else, and for a malformed id)."""
    uuid = _uuid(public_id)
    if uuid is None or not getattr(user, "is_authenticated", False):
        raise Http404
    try:
        return ExamAttempt.objects.select_related("role__framework", "unit", "resit_of").get(
            public_id=uuid, learner=user
        )
    except ExamAttempt.DoesNotExist:
        raise Http404 from None


def attempts_of(user: Any, *, kind: str | None = None) -> list[ExamAttempt]:
    if not getattr(user, "is_authenticated", False):
        return []
    queryset = ExamAttempt.objects.filter(learner=user).select_related("role", "unit")
    if kind:
        queryset = queryset.filter(kind=kind)
    return list(queryset.order_by("-started_at", "-id"))


def open_attempt(user: Any, scope: str) -> ExamAttempt | None:
    return ExamAttempt.objects.filter(learner=user, scope=scope, state=AttemptState.OPEN).first()


def latest_finished(user: Any, scope: str) -> ExamAttempt | None:
    return (
        ExamAttempt.objects.filter(learner=user, scope=scope, state__in=FINISHED)
        .order_by("-finished_at", "-id")
        .first()
    )


def attempt_items(attempt: ExamAttempt) -> list[AttemptItem]:
    """The attempt's items in order, each with its item and options (three queries)."""
    return list(
        AttemptItem.objects.filter(attempt=attempt)
        .select_related("item")
        .prefetch_related(Prefetch("item__options", queryset=Option.objects.order_by("position")))
        .order_by("position")
    )


def attempt_item_at(attempt: ExamAttempt, position: int) -> AttemptItem:
    try:
        return (
            AttemptItem.objects.select_related("item")
            .prefetch_related(Prefetch("item__options", queryset=Option.objects.order_by("position")))
            .get(attempt=attempt, position=position)
        )
    except AttemptItem.DoesNotExist:
        raise Http404 from None


def attempt_item_for(attempt: ExamAttempt, item_public_id: UUID | str) -> AttemptItem | None:
    uuid = _uuid(item_public_id)
    if uuid is None:
        return None
    return (
        AttemptItem.objects.select_related("item")
        .prefetch_related(Prefetch("item__options", queryset=Option.objects.order_by("position")))
        .filter(attempt=attempt, item__public_id=uuid)
        .first()
    )


def answered_positions(attempt: ExamAttempt) -> list[tuple[int, bool]]:
    """(position, answered) for every item of the attempt, in order (one query)."""
    return [
        (position, answered_at is not None)
        for position, answered_at in AttemptItem.objects.filter(attempt=attempt)
        .order_by("position")
        .values_list("position", "answered_at")
    ]


def first_unanswered(attempt: ExamAttempt) -> AttemptItem | None:
    return (
        AttemptItem.objects.filter(attempt=attempt, answered_at__isnull=True)
        .select_related("item")
        .prefetch_related(Prefetch("item__options", queryset=Option.objects.order_by("position")))
        .order_by("position")
        .first()
    )


def element_results(attempt: ExamAttempt) -> list[ElementResult]:
    return list(ElementResult.objects.filter(attempt=attempt).select_related("element__unit"))


def is_practice(attempt: ExamAttempt) -> bool:
    return attempt.kind == ExamKind.PRACTICE


# --- the learner's exams page -------------------------------------------------------------------------------

REFERENCE_SLUG = "skills4cities"


@dataclass
class UnitExam:
    """One certification exam (a unit of a role) as the learner stands on it."""

    role: Any
    unit: Any
    elements: list[Any]  # the unit's elements the role requires
    results: dict[str, ElementExamResult]
    open_attempt: ExamAttempt | None = None
    latest: ExamAttempt | None = None
    failed_in_latest: list[str] | None = None
    items: int = 0
    adaptive_open: ExamAttempt | None = None  # an open adaptive certification test of this unit
    session: SessionCheck | None = None  # the exam session a new attempt would start in, or why none can

    @property
    def passed(self) -> int:
        return sum(1 for element in self.elements if (found := self.results.get(element.code)) and found.passed)

    @property
    def element_rows(self) -> list[tuple[Any, ElementExamResult | None]]:
        return [(element, self.results.get(element.code)) for element in self.elements]

    @property
    def complete(self) -> bool:
        return bool(self.elements) and self.passed == len(self.elements)

    @property
    def resit_available(self) -> bool:
        return self.open_attempt is None and bool(self.failed_in_latest)


@dataclass
class RoleExams:
    role: Any
    config: ExamConfig
    units: list[UnitExam]

    @property
    def threshold_percent(self) -> Decimal:
        """0.660 → 66, 0.659 → 65.9 (for display)."""
        value = (Decimal(self.config.pass_threshold) * 100).normalize()
        return value.quantize(Decimal(1)) if value == value.to_integral() else value


@dataclass
class PracticeUnit:
    unit: Any
    items: int
    open_attempt: ExamAttempt | None = None
    adaptive_open: ExamAttempt | None = None  # an open adaptive self-check of this unit


@dataclass
class ExamOverview:
    framework: Any
    practice: list[PracticeUnit]
    roles: list[RoleExams]


def reference_framework(user: Any = None) -> Any | None:
    from skills4cities.frameworks.selectors import framework_for_user

    try:
        return framework_for_user(user, REFERENCE_SLUG)
    except Http404:
        return None


def learner_roles(user: Any, framework: Any) -> list[Any]:
    """The roles the learner works towards (those of their self-assessments); all roles when none."""
    from skills4cities.assessments.selectors import assessments_of

    roles = list(framework.roles.order_by("position", "code"))
    chosen = {assessment.role.slug for assessment in assessments_of(user)}
    return [role for role in roles if role.slug in chosen] or roles


def exam_overview(user: Any) -> ExamOverview | None:
    """Practice quizzes per unit and certification exams per role and unit with the learner's results (bounded
    number of queries, whatever the number of roles and units)."""
    framework = reference_framework(user)
    if framework is None:
        return None
    counts = reviewed_counts(framework.slug)
    units = list(framework.units.prefetch_related("elements").order_by("position", "code"))
    attempts = list(
        ExamAttempt.objects.filter(learner=user, unit__framework__slug=framework.slug).order_by(
            "-finished_at", "-started_at", "-id"
        )
    )
    open_by_scope = {a.scope: a for a in attempts if a.state == AttemptState.OPEN}
    latest_by_scope: dict[str, ExamAttempt] = {}
    for attempt in attempts:
        if attempt.state != AttemptState.OPEN:
            latest_by_scope.setdefault(attempt.scope, attempt)
    failed: dict[int, list[str]] = {}
    for attempt_id, code in ElementResult.objects.filter(
        attempt__in=[a.pk for a in latest_by_scope.values()], passed=False
    ).values_list("attempt_id", "element_code"):
        failed.setdefault(attempt_id, []).append(code)
    practice = [
        PracticeUnit(
            unit=unit,
            items=sum(counts.get(element.code, 0) for element in unit.elements.all()),
            open_attempt=open_by_scope.get(f"practice:{framework.slug}:{unit.code}"),
            adaptive_open=open_by_scope.get(f"adaptive:{framework.slug}:{unit.code}"),
        )
        for unit in units
    ]
    roles = learner_roles(user, framework)
    configs = configs_by_role(roles)
    results = exam_element_results(user)
    requirements = RoleRequirement.objects.filter(role__in=roles).select_related("element__unit")
    required: dict[int, dict[int, list[Any]]] = {}
    for requirement in requirements.order_by("element__unit__position", "element__position", "element__code"):
        required.setdefault(requirement.role_id, {}).setdefault(requirement.element.unit_id, []).append(
            requirement.element
        )
    by_unit = {unit.pk: unit for unit in units}
    sessions = learner_sessions(user)
    role_exams = []
    for role in roles:
        unit_exams = []
        for unit_id, elements in required.get(role.pk, {}).items():
            unit = by_unit[unit_id]
            scope = f"certification:{framework.slug}:{role.slug}:{unit.code}"
            latest = latest_by_scope.get(scope)
            unit_exams.append(
                UnitExam(
                    role=role,
                    unit=unit,
                    elements=elements,
                    results={e.code: results[e.code] for e in elements if e.code in results},
                    open_attempt=open_by_scope.get(scope),
                    latest=latest,
                    failed_in_latest=failed.get(latest.pk, []) if latest else None,
                    items=sum(counts.get(element.code, 0) for element in elements),
                    adaptive_open=open_by_scope.get(f"adaptive:{framework.slug}:{role.slug}:{unit.code}"),
                    session=sessions.check(role, unit),
                )
            )
        role_exams.append(RoleExams(role=role, config=configs[role.pk], units=unit_exams))
    return ExamOverview(framework=framework, practice=practice, roles=role_exams)


def unit_of(framework: Any, code: str) -> Any:
    unit = framework.units.filter(code=code).first()
    if unit is None:
        raise Http404
    return unit


def role_of(framework: Any, slug: str) -> Any:
    role = framework.roles.filter(slug=slug).first()
    if role is None:
        raise Http404
    return role


def configurable_roles(framework: Any) -> list[tuple[Any, ExamConfig]]:
    roles = list(framework.roles.order_by("position", "code"))
    configs = configs_by_role(roles)
    return [(role, configs[role.pk]) for role in roles]


def role_by_public_id(public_id: UUID | str) -> Any:
    uuid = _uuid(public_id)
    role = Role.objects.select_related("framework").filter(public_id=uuid).first() if uuid else None
    if role is None:
        raise Http404
    return role


def attempt_progress(attempt: ExamAttempt) -> tuple[int, int]:
    """(answered, total) items of the attempt, one query."""
    from django.db.models import Q

    row = AttemptItem.objects.filter(attempt=attempt).aggregate(
        total=Count("id"), answered=Count("id", filter=Q(answered_at__isnull=False))
    )
    return row["answered"], row["total"]


# --- adaptive tests and item analysis (docs/adr/0015) ---------------------------------------------------------


def adaptive_bank(framework_slug: str, element_codes: Iterable[str]) -> list[Item]:
    """The reviewed items of these elements in a fixed order (by id), with element and options (two queries)."""
    return list(
        reviewed_items(framework_slug, element_codes)
        .select_related("element")
        .prefetch_related(Prefetch("options", queryset=Option.objects.order_by("position")))
        .order_by("id")
    )


#: Attempts whose answers the item analysis uses: finished certification exams and adaptive tests. Practice
#: quizzes are left out: they are answered with the feedback at hand, and answers may be changed after it.
ANALYSED_KINDS = (ExamKind.CERTIFICATION, ExamKind.ADAPTIVE)


def analysis_responses(item_ids: Iterable[int] | None = None) -> list[Response]:
    """Every answered item of finished certification and adaptive attempts as an item-analysis response (item
    and attempt by database id; options chosen by public id, none for ordering items). One query."""
    rows = AttemptItem.objects.filter(
        attempt__state__in=FINISHED, attempt__kind__in=ANALYSED_KINDS, answered_at__isnull=False, score__isnull=False
    )
    if item_ids is not None:  # whole attempts that show one of these items (discrimination needs the rest)
        rows = rows.filter(attempt_id__in=AttemptItem.objects.filter(item_id__in=list(item_ids)).values("attempt_id"))
    responses = []
    for attempt_id, item_id, score, answer, item_type in rows.values_list(
        "attempt_id", "item_id", "score", "answer", "item__type"
    ).order_by("attempt_id", "position"):
        chosen: tuple[str, ...] = ()
        if item_type != ItemType.ORDERING:
            chosen = tuple(answer) if isinstance(answer, list) else (str(answer),)
        responses.append(Response(str(attempt_id), str(item_id), float(score or 0), chosen))
    return responses


def _distractors(item: Item) -> list[str]:
    if item.type == ItemType.ORDERING:
        return []
    return [str(option.public_id) for option in item.options.all() if not option.correct]


@dataclass
class AnalysedItem:
    item: Item
    stats: ItemStatistics | None

    @property
    def flags(self) -> list[str]:
        return self.stats.flags if self.stats else []

    @property
    def responses(self) -> int:
        return self.stats.responses if self.stats else 0

    @property
    def least_used(self) -> float | None:
        """The share of respondents choosing the least chosen distractor (None without distractors or responses)."""
        if not self.stats:
            return None
        shares = [self.stats.distractor_use.get(option, 0.0) for option in _distractors(self.item)]
        return min(shares) if shares else None

    @property
    def options(self) -> list[tuple[Option, int, float | None]]:
        """(option, times chosen, share of respondents) in the item's order; no share for ordering steps."""
        use = self.stats.distractor_use if self.stats else {}
        rows = []
        for option in self.item.options.all():
            share = use.get(str(option.public_id), 0.0) if self.item.type != ItemType.ORDERING else None
            rows.append((option, round((share or 0.0) * self.responses), share))
        return rows


@dataclass
class AnalysedElement:
    element: Any
    items: list[AnalysedItem]


@dataclass
class AnalysedUnit:
    unit: Any
    elements: list[AnalysedElement]


def _analysed(items: list[Item]) -> dict[int, ItemStatistics]:
    responses = analysis_responses([item.pk for item in items])
    stats = classical_statistics(responses, {str(item.pk): _distractors(item) for item in items})
    return {int(key): value for key, value in stats.items()}


def item_analysis_overview(framework: Any, *, flagged_only: bool = False, unit: Any = None) -> list[AnalysedUnit]:
    """The framework's reviewed and draft items (of one unit, if given) per unit and element with their classical
    statistics and flags (four queries, whatever the number of items)."""
    queryset = Item.objects.filter(element__framework=framework, status__in=[ItemStatus.REVIEWED, ItemStatus.DRAFT])
    if unit is not None:
        queryset = queryset.filter(element__unit=unit)
    items = list(
        queryset.select_related("element__unit")
        .prefetch_related(Prefetch("options", queryset=Option.objects.order_by("position")))
        .order_by("element__unit__position", "element__position", "element__code", "key")
    )
    stats = _analysed(items)
    units: list[AnalysedUnit] = []
    for item in items:
        found = AnalysedItem(item, stats.get(item.pk))
        if flagged_only and not found.flags:
            continue
        if not units or units[-1].unit.pk != item.element.unit_id:
            units.append(AnalysedUnit(item.element.unit, []))
        elements = units[-1].elements
        if not elements or elements[-1].element.pk != item.element_id:
            elements.append(AnalysedElement(item.element, []))
        elements[-1].items.append(found)
    return units


def analysed_item(public_id: UUID | str) -> AnalysedItem:
    """One item (any status) with its statistics; 404 for an unknown id."""
    uuid = _uuid(public_id)
    item = (
        Item.objects.select_related("element__unit", "element__framework")
        .prefetch_related(Prefetch("options", queryset=Option.objects.order_by("position")))
        .filter(public_id=uuid)
        .first()
        if uuid
        else None
    )
    if item is None:
        raise Http404
    return AnalysedItem(item, _analysed([item]).get(item.pk))


# --- exam sessions ---------------------------------------------------------------------------------------------

#: The longest window a session may have (a certification body plans sessions, not open-ended exams).
SESSION_MAX_DAYS = 366


def _accreditation() -> Any:
    """The certification app's registry (imported here: the certification app reads exam results)."""
    from skills4cities.certification import selectors as certification

    return certification


def provider_may_run_exams(organisation: Any) -> bool:
    return bool(_accreditation().provider_may_run_exams(organisation))


def trainer_may_run_exams(user: Any) -> bool:
    return bool(_accreditation().trainer_may_run_exams(user))


def open_sessions(at: datetime | None = None) -> QuerySet[ExamSession]:
    """Sessions in which attempts may start at ``at`` (now): inside their window and not closed early."""
    now = at or timezone.now()
    return ExamSession.objects.filter(closed_at__isnull=True, opens_at__lte=now, closes_at__gt=now)


def session_covers(session: ExamSession, role: Any, unit: Any) -> bool:
    """Whether the session covers the certification exam of ``unit`` for ``role`` (by slug and code: stable across
    framework versions)."""
    return (
        session.role.slug == role.slug
        and session.role.framework.slug == role.framework.slug
        and (session.unit_id is None or (session.unit is not None and session.unit.code == unit.code))
    )


@dataclass(frozen=True)
class SessionCheck:
    """The session a learner's new certification attempt starts in, or the refusal (``code``, ``message``)."""

    session: ExamSession | None
    code: str = ""
    message: str = ""


@dataclass
class LearnerSessions:
    """The open sessions of the learner's accredited providers, each with whether its trainer is accredited now."""

    accredited_provider: bool
    sessions: list[tuple[ExamSession, bool]]

    def check(self, role: Any, unit: Any) -> SessionCheck:
        if not self.accredited_provider:
            return SessionCheck(
                None,
                "provider_not_accredited",
                _("None of your organisations is a training provider accredited to run certification exams."),
            )
        covering = [(session, ok) for session, ok in self.sessions if session_covers(session, role, unit)]
        if not covering:
            return SessionCheck(
                None,
                "no_open_session",
                _(
                    "No exam session of your training provider is open for this exam. Certification exams are taken "
                    "in a session opened by an accredited trainer; ask your trainer when the next one is."
                ),
            )
        allowed = [session for session, ok in covering if ok]
        if not allowed:
            return SessionCheck(
                None,
                "trainer_not_accredited",
                _(
                    "The trainer of the open exam session is no longer accredited to run certification exams, so no "
                    "new attempt can start in it. Ask your training provider."
                ),
            )
        return SessionCheck(allowed[0])


def learner_sessions(learner: Any, at: datetime | None = None) -> LearnerSessions:
    """The open sessions of the learner's organisations that are accredited providers now, latest closing first
    (queries: one for the organisations, one per organisation and per trainer for the accreditations, one for the
    sessions — whatever the number of roles and units)."""
    from skills4cities.accounts.models import Organisation

    if not getattr(learner, "is_authenticated", False):
        return LearnerSessions(False, [])
    mine = Organisation.objects.filter(memberships__user=learner).distinct().order_by("name", "id")  # members only
    organisations = [organisation for organisation in mine if provider_may_run_exams(organisation)]
    if not organisations:
        return LearnerSessions(False, [])
    sessions = list(
        open_sessions(at)
        .filter(organisation__in=organisations)
        .select_related("organisation", "trainer", "role__framework", "unit")
        .order_by("-closes_at", "id")
    )
    trainers: dict[int, bool] = {}
    for session in sessions:
        if session.trainer_id not in trainers:
            trainers[session.trainer_id] = trainer_may_run_exams(session.trainer)
    return LearnerSessions(True, [(session, trainers[session.trainer_id]) for session in sessions])


def session_for_exam(learner: Any, role: Any, unit: Any, at: datetime | None = None) -> SessionCheck:
    """The session a new certification attempt of ``learner`` at ``unit`` for ``role`` starts in (or why none)."""
    return learner_sessions(learner, at).check(role, unit)


def trainer_organisations(user: Any) -> QuerySet[Any]:
    """Organisations in which the user is a trainer (the ones whose exam sessions they see and run)."""
    from skills4cities.accounts.enums import MemberRole
    from skills4cities.accounts.models import Organisation

    if not getattr(user, "is_authenticated", False):
        return Organisation.objects.none()
    return Organisation.objects.filter(memberships__user=user, memberships__role=MemberRole.TRAINER).distinct()


def is_trainer(user: Any) -> bool:
    return trainer_organisations(user).exists()


def sessions_for_trainer(user: Any) -> QuerySet[ExamSession]:
    """The exam sessions of the trainer's organisations, newest first, with the attempts started in each."""
    return (
        ExamSession.objects.filter(organisation__in=trainer_organisations(user))
        .select_related("organisation", "trainer", "role", "unit", "closed_by")
        .annotate(attempt_count=Count("attempts"))
        .order_by("-opens_at", "-id")
    )


def session_for_trainer(user: Any, public_id: UUID | str) -> ExamSession:
    """Access helper: a session of one of the trainer's organisations, or 404."""
    uuid = _uuid(public_id)
    session = sessions_for_trainer(user).filter(public_id=uuid).first() if uuid else None
    if session is None:
        raise Http404
    return session


def session_roles(framework: Any) -> list[Any]:
    return list(framework.roles.order_by("position", "code"))


def session_units(framework: Any) -> QuerySet[Any]:
    """Units of the framework that some role requires (the units a session may be opened for)."""
    return framework.units.filter(elements__requirements__isnull=False).distinct().order_by("position", "code")
