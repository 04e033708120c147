"""Writes of the exams app: load the reference item bank; start, answer, finish and expire attempts;
configure a role's exam; the demo data.

Every answer is its own short transaction on the attempt row (locked), so a closed browser or a restarted
server loses nothing: the attempt, the drawn items, the option order and every answer given are rows.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from dataclasses import dataclass, replace
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from scipy.stats import norm

from skills4cities.accounts.enums import MemberRole, OrganisationKind
from skills4cities.accounts.selectors import organisations_for_user
from skills4cities.core.audit import audit
from skills4cities.exams import adaptive, item_analysis, scoring, selectors
from skills4cities.exams import document as doc
from skills4cities.exams.enums import AttemptState, ExamKind, IrtSource, ItemStatus, ItemType
from skills4cities.exams.models import (
    AttemptItem,
    ElementResult,
    ExamAttempt,
    ExamConfig,
    ExamSession,
    Item,
    Option,
)
from skills4cities.frameworks.interchange.document import DocumentErrors, Problem
from skills4cities.frameworks.selectors import framework_for_user

REFERENCE_DIR = Path(__file__).resolve().parent / "reference"
PRACTICE_ITEMS_PER_ELEMENT = 2
_random = random.SystemRandom()


class ExamError(Exception):
    """A refused exam action with a stable ``code`` (the API's error code) and a translated message."""

    def __init__(self, code: str, message: str, *, attempt: ExamAttempt | None = None, status: int = 400) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.attempt = attempt
        self.status = status


# --- the reference item bank ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemBankLoadResult:
    framework: str
    files: int
    created: int
    updated: int
    unchanged: int
    retired: int

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.retired)

    def summary(self) -> str:
        total = self.created + self.updated + self.unchanged
        if not self.changed:
            return f"Item bank {self.framework}: unchanged ({total} items in {self.files} files)"
        return (
            f"Item bank {self.framework}: loaded ({total} items in {self.files} files: {self.created} new, "
            f"{self.updated} updated, {self.unchanged} unchanged, {self.retired} retired)"
        )


def item_bank_reference_load(*, root: Path | None = None) -> list[ItemBankLoadResult]:
    """Load the item bank of every reference framework folder (``<root>/<framework slug>/items/*.yaml``)."""
    root = root or REFERENCE_DIR
    folders = sorted(p for p in root.iterdir() if (p / "items").is_dir()) if root.is_dir() else []
    return [item_bank_load_folder(folder=folder / "items", framework_slug=folder.name) for folder in folders]


def _raise(problems: list[tuple[str, str]]) -> None:
    if problems:
        raise DocumentErrors([Problem(where, message) for where, message in problems])


#: The two options of a true/false item, stored as content in every language of the item bank.
TRUE_FALSE_LABELS = {
    "en": ("True", "False"),
    "bg": ("Вярно", "Невярно"),
    "ro": ("Adevărat", "Fals"),
    "el": ("Σωστό", "Λάθος"),
    "es": ("Verdadero", "Falso"),
    "de": ("Richtig", "Falsch"),
}


def _true_false_options(answer: bool) -> list[dict[str, Any]]:
    labels: dict[str, dict[str, str]] = {"true": {}, "false": {}}
    for code in settings.LANGUAGE_CODES:
        if code in TRUE_FALSE_LABELS:
            labels["true"][code], labels["false"][code] = TRUE_FALSE_LABELS[code]
            continue
        with translation.override(code):  # a language added later: the UI's translation
            labels["true"][code] = pgettext("answer option", "True")
            labels["false"][code] = pgettext("answer option", "False")
    return [
        {"text": labels["true"], "correct": answer is True},
        {"text": labels["false"], "correct": answer is False},
    ]


def _tr(field: str, value: Any) -> dict[str, str]:
    texts = doc.translations(value)
    return {f"{field}_{code}": text for code, text in texts.items()} | {field: texts["en"]}


@transaction.atomic
def item_bank_load_folder(*, folder: Path, framework_slug: str, actor: Any = None) -> ItemBankLoadResult:
    """Check and store one folder of item files; all or nothing (a problem names file, item key and field).

    Items are matched by ``key``: an unchanged item is not touched, a changed one is updated in place (options
    by position, so answers given earlier keep pointing at their options) and set ``reviewed``; an item no
    longer in its unit's file is retired, never deleted (units without a file are left alone). Parameters
    calibrated from responses are kept when the file only gives expert ones.
    """
    problems: list[tuple[str, str]] = []
    documents = doc.read_files(folder, problems)
    try:
        framework = framework_for_user(None, framework_slug)
    except Http404:
        problems.append((framework_slug, "no published framework with this slug is loaded"))
        _raise(problems)
        raise
    elements = {element.code: element for element in framework.elements.select_related("unit")}
    units: dict[str, set[str]] = defaultdict(set)
    for element in elements.values():
        units[element.unit.code].add(element.code)
    items, more = doc.check_documents(documents, {code: frozenset(codes) for code, codes in units.items()})
    _raise(problems + more)

    existing = {item.key: item for item in Item.objects.filter(key__in=[entry.key for entry in items])}
    others = Item.objects.filter(key__in=list(existing)).exclude(element__framework__slug=framework_slug)
    clash = sorted(others.values_list("key", flat=True))
    if clash:
        _raise([(f"{key}", "this key is already used by an item of another framework") for key in clash])
    created = updated = unchanged = 0
    new_items: list[tuple[Item, list[dict[str, Any]]]] = []
    for entry in items:
        data = entry.data
        element = elements[data["element"]]
        digest = entry.digest()
        item = existing.get(entry.key)
        if item is not None and item.source_hash == digest and item.element_id == element.pk:
            unchanged += 1
            continue
        options = _true_false_options(data["answer"]) if data["type"] == ItemType.TRUE_FALSE else data["options"]
        values = _item_values(data, element=element, digest=digest, options=options, current=item)
        if item is None:
            item = Item(**values)
            new_items.append((item, options))
            created += 1
            continue
        for name, value in values.items():
            setattr(item, name, value)
        item.save()
        _update_options(item, options, ordering=data["type"] == ItemType.ORDERING)
        updated += 1
    Item.objects.bulk_create([item for item, _options in new_items])
    Option.objects.bulk_create(
        [
            _option(item, position, option, ordering=item.type == ItemType.ORDERING)
            for item, options in new_items
            for position, option in enumerate(options, start=1)
        ]
    )
    keys = {entry.key for entry in items}
    units_written = {document["unit"] for document in documents.values()}  # a unit without a file is not written yet
    gone = (
        Item.objects.filter(element__framework__slug=framework_slug, element__unit__code__in=units_written)
        .exclude(source_hash="")
        .exclude(key__in=keys)
    )
    retired = gone.update(status=ItemStatus.RETIRED, source_hash="")
    result = ItemBankLoadResult(framework_slug, len(documents), created, updated, unchanged, retired)
    if result.changed:
        audit(
            actor=actor,
            action="exams.item_bank.load",
            obj=framework,
            data={"created": created, "updated": updated, "retired": retired},
        )
    return result


def _item_values(
    data: dict[str, Any], *, element: Any, digest: str, options: list[dict[str, Any]], current: Item | None
) -> dict[str, Any]:
    a, b, c = doc.default_irt(data | {"options": options})
    irt = data.get("irt") or {}
    source = irt.get("source", IrtSource.EXPERT)
    values: dict[str, Any] = {
        "key": data["key"],
        "element": element,
        "level": data["level"],
        "type": data["type"],
        "status": ItemStatus.REVIEWED,
        "source_hash": digest,
        **_tr("stem", data["stem"]),
        **_tr("explanation", data.get("explanation")),
    }
    keep_calibrated = current is not None and current.irt_source == IrtSource.CALIBRATED and source != "calibrated"
    if not keep_calibrated:
        values |= {
            "irt_a": float(irt.get("a", a)),
            "irt_b": float(irt.get("b", b)),
            "irt_c": float(irt.get("c", c)),
            "irt_source": source,
        }
        if source == IrtSource.CALIBRATED and (current is None or current.calibrated_at is None):
            values["calibrated_at"] = timezone.now()
    return values


def _option(item: Item, position: int, data: dict[str, Any], *, ordering: bool) -> Option:
    option = Option(item=item, position=position, correct=bool(data.get("correct")) and not ordering)
    for name, value in (_tr("text", data["text"]) | _tr("feedback", data.get("feedback"))).items():
        setattr(option, name, value)
    return option


def _update_options(item: Item, options: list[dict[str, Any]], *, ordering: bool) -> None:
    current = {option.position: option for option in item.options.all()}
    for position, data in enumerate(options, start=1):
        fresh = _option(item, position, data, ordering=ordering)
        option = current.get(position)
        if option is None:
            fresh.save()
            continue
        for name in ["correct", *_tr("text", {}), *_tr("feedback", {})]:
            setattr(option, name, getattr(fresh, name))
        option.save()
    item.options.filter(position__gt=len(options)).delete()


# --- exam configuration -----------------------------------------------------------------------------------


def can_configure_exams(user: Any) -> bool:
    """Certification officers of a certification body (and site admins) set the exam rules."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    return user.memberships.filter(
        role=MemberRole.CERTIFICATION_OFFICER, organisation__kind=OrganisationKind.CERTIFICATION_BODY
    ).exists()


@transaction.atomic
def exam_config_save(
    *,
    actor: Any,
    role: Any,
    items_per_element: int,
    pass_threshold: Decimal,
    time_limit_minutes: int,
    adaptive_allowed: bool,
    enabled: bool,
) -> ExamConfig:
    """Set the certification exam rules of ``role``; attempts already started keep the rules they started with."""
    if not can_configure_exams(actor):
        raise PermissionDenied
    config = ExamConfig.objects.select_for_update().filter(role=role).first() or ExamConfig(role=role)
    before = {
        "items_per_element": config.items_per_element,
        "pass_threshold": str(config.pass_threshold),
        "time_limit_minutes": config.time_limit_minutes,
        "adaptive_allowed": config.adaptive_allowed,
        "enabled": config.enabled,
    }
    config.items_per_element = items_per_element
    config.pass_threshold = Decimal(pass_threshold)
    config.time_limit_minutes = time_limit_minutes
    config.adaptive_allowed = adaptive_allowed
    config.enabled = enabled
    config.updated_by = actor
    config.full_clean(exclude=["role", "updated_by"], validate_unique=False, validate_constraints=False)
    config.save()
    after = {
        "items_per_element": config.items_per_element,
        "pass_threshold": str(config.pass_threshold),
        "time_limit_minutes": config.time_limit_minutes,
        "adaptive_allowed": config.adaptive_allowed,
        "enabled": config.enabled,
    }
    audit(actor=actor, action="exams.config.save", obj=role, data={"before": before, "after": after})
    return config


# --- exam sessions -----------------------------------------------------------------------------------------


def can_run_sessions(user: Any) -> bool:
    """Trainers (members with the trainer role of an organisation) see and run their organisations' sessions;
    opening one also needs the trainer's and the provider's accreditation (:func:`exam_session_open`)."""
    return selectors.is_trainer(user)


def _session_data(session: ExamSession) -> dict[str, Any]:
    return {
        "organisation": session.organisation.slug,
        "role": session.role.slug,
        "unit": session.unit.code if session.unit else None,
        "opens_at": session.opens_at.isoformat(),
        "closes_at": session.closes_at.isoformat(),
        "location": session.location,
    }


@transaction.atomic
def exam_session_open(
    *,
    actor: Any,
    organisation: Any,
    role: Any,
    opens_at: datetime.datetime,
    closes_at: datetime.datetime,
    unit: Any = None,
    location: str = "",
    now: datetime.datetime | None = None,
) -> ExamSession:
    """Open a certification exam session of ``organisation`` for ``role`` (every unit, or ``unit``) from ``opens_at``
    to ``closes_at``. The actor must be a trainer of the organisation (else PermissionDenied), hold a current trainer
    accreditation (``trainer_not_accredited``) and the organisation a current provider accreditation
    (``provider_not_accredited``); refused with ``invalid_unit`` or ``invalid_window`` otherwise. Audited."""
    now = now or timezone.now()
    if not selectors.trainer_organisations(actor).filter(pk=getattr(organisation, "pk", None)).exists():
        raise PermissionDenied
    if not selectors.trainer_may_run_exams(actor):
        raise ExamError(
            "trainer_not_accredited",
            _(
                "Only an accredited trainer can open a certification exam session; your trainer accreditation is not "
                "current."
            ),
            status=403,
        )
    if not selectors.provider_may_run_exams(organisation):
        raise ExamError(
            "provider_not_accredited",
            _("%(organisation)s is not a training provider accredited to run certification exams.")
            % {"organisation": organisation.name},
            status=403,
        )
    if unit is not None and (unit.framework_id != role.framework_id or not _elements_for(role, unit)):
        raise ExamError("invalid_unit", _("The job role requires no element of this unit."))
    if closes_at <= opens_at:
        raise ExamError("invalid_window", _("The session must close after it opens."))
    if closes_at <= now:
        raise ExamError("invalid_window", _("The session must close in the future."))
    if closes_at - opens_at > datetime.timedelta(days=selectors.SESSION_MAX_DAYS):
        raise ExamError(
            "invalid_window",
            _("A session lasts at most %(days)d days.") % {"days": selectors.SESSION_MAX_DAYS},
        )
    session = ExamSession.objects.create(
        organisation=organisation,
        trainer=actor,
        role=role,
        unit=unit,
        opens_at=opens_at,
        closes_at=closes_at,
        location=location.strip()[:200],
    )
    audit(actor=actor, action="exams.session.open", obj=session, data=_session_data(session))
    return session


@transaction.atomic
def exam_session_close(*, actor: Any, session: ExamSession, now: datetime.datetime | None = None) -> ExamSession:
    """Close a session early: no new attempt starts in it; attempts already running finish. Any trainer of the
    session's organisation may (PermissionDenied otherwise); ``session_closed`` (409) when it has ended. Audited."""
    now = now or timezone.now()
    if not selectors.trainer_organisations(actor).filter(pk=session.organisation_id).exists():
        raise PermissionDenied
    locked = ExamSession.objects.select_for_update().get(pk=session.pk)
    if locked.closed_at is not None or locked.closes_at <= now:
        raise ExamError("session_closed", _("This exam session has already ended."), status=409)
    locked.closed_at, locked.closed_by = now, actor
    locked.save(update_fields=["closed_at", "closed_by", "updated_at"])
    running = ExamAttempt.objects.filter(session=locked, state=AttemptState.OPEN).count()
    audit(actor=actor, action="exams.session.close", obj=locked, data={"running_attempts": running})
    session.closed_at, session.closed_by = locked.closed_at, locked.closed_by
    return locked


# --- attempts -------------------------------------------------------------------------------------------


def exam_scope(kind: str, *, role: Any = None, unit: Any) -> str:
    """The name of an exam (one open attempt per learner and scope): stable across framework versions."""
    framework = unit.framework.slug
    if kind == ExamKind.PRACTICE:
        return f"practice:{framework}:{unit.code}"
    if kind == ExamKind.ADAPTIVE and role is None:  # a self-check
        return f"adaptive:{framework}:{unit.code}"
    return f"{kind}:{framework}:{role.slug}:{unit.code}"


def exam_provider(learner: Any) -> tuple[bool, Any]:
    """Whether one of the learner's organisations is a provider accredited to run certification exams
    (``certification.selectors.provider_may_run_exams``), and which (the first that may)."""
    from skills4cities.certification.selectors import provider_may_run_exams  # in here: certification reads exams

    for organisation in organisations_for_user(learner).order_by("name", "id"):
        if provider_may_run_exams(organisation):
            return True, organisation
    return False, None


def _exam_session(
    learner: Any, role: Any, unit: Any, now: datetime.datetime, *, required: bool
) -> tuple[Any, ExamSession | None]:
    """(provider, session) of a new certification attempt: an open session of one of the learner's accredited
    providers covering the exam, whose trainer is accredited now (both accreditations are checked again at every
    start). Refused with ``provider_not_accredited``, ``no_open_session`` or ``trainer_not_accredited`` (403);
    ``required=False`` (the demo data's history) takes the session when there is one, else the first provider."""
    check = selectors.session_for_exam(learner, role, unit, now)
    if check.session is not None:
        return check.session.organisation, check.session
    if required:
        raise ExamError(check.code, check.message, status=403)
    return exam_provider(learner)[1], None


def _elements_for(role: Any, unit: Any) -> list[tuple[Any, int | None]]:
    """(element, the role's target level) for the unit's elements the role requires (all for practice)."""
    if role is None:
        return [(element, None) for element in unit.elements.order_by("position", "code")]
    return [
        (requirement.element, requirement.target_level)
        for requirement in role.requirements.filter(element__unit=unit)
        .select_related("element")
        .order_by("element__position", "element__code")
    ]


def _draw(framework_slug: str, codes: list[str], per_element: int, rng: Any, avoid: set[int]) -> list[tuple[str, Item]]:
    by_code: dict[str, list[Item]] = defaultdict(list)
    queryset = selectors.reviewed_items(framework_slug, codes).annotate(code=F("element__code"))
    for item in queryset.prefetch_related("options").order_by("id"):
        by_code[item.code].append(item)
    drawn = []
    for code in codes:
        pool = by_code.get(code, [])
        rng.shuffle(pool)
        pool.sort(key=lambda item: item.pk in avoid)  # items not seen in the previous attempt first
        drawn += [(code, item) for item in pool[:per_element]]
    return drawn


def attempt_start(
    *,
    learner: Any,
    kind: str,
    unit: Any,
    role: Any = None,
    resit_of: ExamAttempt | None = None,
    now: datetime.datetime | None = None,
    rng: Any = None,
    check_provider: bool = True,
) -> ExamAttempt:
    """Start a practice quiz (``kind=practice``, a unit) or a certification exam (a role and one of its units).

    Draws N random reviewed items per element (fewer when the bank has fewer): N is 2 for practice and the
    role's ``items_per_element`` for certification. A resit (``resit_of``: the learner's latest finished
    attempt of the same exam) draws only the elements failed there, preferring items not seen in it.
    Refused (:class:`ExamError`) while an attempt of the same exam is open (``attempt_open``).
    """
    now = now or timezone.now()
    if kind == ExamKind.ADAPTIVE:
        if resit_of is not None:
            raise ExamError("invalid_resit", _("An adaptive test is retaken whole; there is no resit of elements."))
        return adaptive_start(learner=learner, unit=unit, role=role, now=now, check_provider=check_provider)
    rng = rng or _random
    if kind not in (ExamKind.PRACTICE, ExamKind.CERTIFICATION):
        raise ExamError("invalid_kind", _("This kind of exam cannot be started here."))
    if kind == ExamKind.CERTIFICATION and role is None:
        raise ExamError("role_required", _("A certification exam is taken for a job role."))
    role = role if kind == ExamKind.CERTIFICATION else None
    scope = exam_scope(kind, role=role, unit=unit)
    config = selectors.exam_config(role) if role is not None else ExamConfig()
    if role is not None and not config.enabled:
        raise ExamError("exam_disabled", _("The certification exam for this role is not offered at the moment."))
    provider = session = None
    if kind == ExamKind.CERTIFICATION:
        provider, session = _exam_session(learner, role, unit, now, required=check_provider)
    _expire_open(learner, scope, now)
    open_attempt = selectors.open_attempt(learner, scope)
    if open_attempt is not None:
        raise ExamError(
            "attempt_open", _("You already have an open attempt at this exam."), attempt=open_attempt, status=409
        )
    targets = _elements_for(role, unit)
    if not targets:
        raise ExamError("no_elements", _("The job role requires no element of this unit."))
    avoid: set[int] = set()
    if resit_of is not None:
        targets, avoid = _resit_targets(learner, scope, resit_of, targets)
    per_element = PRACTICE_ITEMS_PER_ELEMENT if kind == ExamKind.PRACTICE else config.items_per_element
    drawn = _draw(unit.framework.slug, [element.code for element, _level in targets], per_element, rng, avoid)
    if not drawn:
        raise ExamError("no_items", _("The item bank has no reviewed items for this unit yet."))
    deadline = now + datetime.timedelta(minutes=config.time_limit_minutes) if kind == ExamKind.CERTIFICATION else None
    try:
        with transaction.atomic():
            attempt = ExamAttempt.objects.create(
                learner=learner,
                kind=kind,
                certifying=kind == ExamKind.CERTIFICATION,
                role=role,
                unit=unit,
                scope=scope,
                started_at=now,
                deadline=deadline,
                resit_of=resit_of,
                provider=provider,
                session=session,
                pass_threshold=config.pass_threshold,
                items_per_element=per_element,
            )
            AttemptItem.objects.bulk_create(
                AttemptItem(
                    attempt=attempt,
                    item=item,
                    element_code=code,
                    position=position,
                    option_order=scoring.shuffled_order(
                        [str(option.public_id) for option in sorted(item.options.all(), key=lambda o: o.position)],
                        rng,
                        type=item.type,
                    ),
                )
                for position, (code, item) in enumerate(drawn, start=1)
            )
            audit(
                actor=learner,
                action="exams.attempt.start",
                obj=attempt,
                data={
                    "scope": scope,
                    "items": len(drawn),
                    "resit_of": str(resit_of.public_id) if resit_of else None,
                    "session": str(session.public_id) if session else None,
                },
            )
    except IntegrityError:  # another request opened the same exam a moment ago
        raise ExamError(
            "attempt_open",
            _("You already have an open attempt at this exam."),
            attempt=selectors.open_attempt(learner, scope),
            status=409,
        ) from None
    return attempt


def _resit_targets(
    learner: Any, scope: str, resit_of: ExamAttempt, targets: list[tuple[Any, int | None]]
) -> tuple[list[tuple[Any, int | None]], set[int]]:
    latest = selectors.latest_finished(learner, scope)
    if resit_of.learner_id != learner.pk or resit_of.scope != scope or latest is None or latest.pk != resit_of.pk:
        raise ExamError("invalid_resit", _("A resit follows your latest finished attempt at the same exam."))
    failed = set(ElementResult.objects.filter(attempt=resit_of, passed=False).values_list("element_code", flat=True))
    if not failed:
        raise ExamError("nothing_to_resit", _("You passed every element of this attempt; there is nothing to resit."))
    seen = set(AttemptItem.objects.filter(attempt=resit_of).values_list("item_id", flat=True))
    return [(element, level) for element, level in targets if element.code in failed], seen


def _expire_open(learner: Any, scope: str, now: datetime.datetime) -> None:
    attempt = selectors.open_attempt(learner, scope)
    if attempt is not None:
        attempt_expire_if_due(attempt=attempt, now=now)


def _lock(attempt: ExamAttempt) -> ExamAttempt:
    return ExamAttempt.objects.select_for_update(of=("self",)).select_related("role", "unit").get(pk=attempt.pk)


def is_past_deadline(attempt: ExamAttempt, now: datetime.datetime | None = None) -> bool:
    return attempt.deadline is not None and (now or timezone.now()) > attempt.deadline


def attempt_expire_if_due(*, attempt: ExamAttempt, now: datetime.datetime | None = None) -> bool:
    """Score an open attempt whose deadline has passed, as it stands (state ``expired``). True if it did."""
    now = now or timezone.now()
    if attempt.state != AttemptState.OPEN or not is_past_deadline(attempt, now):
        return False
    with transaction.atomic():
        locked = _lock(attempt)
        if locked.state != AttemptState.OPEN:
            return False
        _score(locked, state=AttemptState.EXPIRED, now=now)
        audit(actor=None, action="exams.attempt.expire", obj=locked, data={"deadline": str(locked.deadline)})
    attempt.refresh_from_db()
    return True


def _key(item: Item) -> scoring.ItemKey:
    options = sorted(item.options.all(), key=lambda option: option.position)
    return scoring.ItemKey(
        type=item.type,
        options=tuple(str(option.public_id) for option in options),
        correct=frozenset(str(option.public_id) for option in options if option.correct),
    )


def answer_save(
    *, actor: Any, attempt: ExamAttempt, attempt_item: AttemptItem, answer: Any, now: datetime.datetime | None = None
) -> AttemptItem:
    """Save (or replace) the answer to one item of an open attempt, in its own transaction.

    Refused with ``attempt_closed`` (submitted or expired), ``deadline_passed`` (the attempt is then scored as
    it stands) or ``invalid_answer``; nothing is changed then.
    """
    now = now or timezone.now()
    if attempt.learner_id != getattr(actor, "pk", None) or attempt_item.attempt_id != attempt.pk:
        raise PermissionDenied
    try:
        value = scoring.normalise_answer(_key(attempt_item.item), answer)
    except scoring.InvalidAnswer as exc:
        raise ExamError("invalid_answer", _invalid_message(str(exc))) from None
    expired = False
    with transaction.atomic():
        locked = _lock(attempt)
        if locked.state != AttemptState.OPEN:
            raise ExamError("attempt_closed", _("This attempt is finished; answers can no longer change."), status=409)
        if is_past_deadline(locked, now):
            _score(locked, state=AttemptState.EXPIRED, now=now)
            audit(actor=None, action="exams.attempt.expire", obj=locked, data={"deadline": str(locked.deadline)})
            expired = True
        else:
            if locked.kind == ExamKind.ADAPTIVE and _answered(attempt_item):
                raise ExamError(
                    "answer_final",
                    _("In an adaptive test an answer is final: the next question was chosen on it."),
                    status=409,
                )
            score = scoring.score_item(_key(attempt_item.item), value)
            AttemptItem.objects.filter(pk=attempt_item.pk).update(
                answer=value, answered_at=now, score=scoring.to_decimal(score), updated_at=now
            )
    attempt.refresh_from_db()
    if expired:
        raise ExamError(
            "deadline_passed",
            _("The time for this exam is up; your answer was not saved. The attempt is scored as it stood."),
            status=409,
        )
    attempt_item.refresh_from_db()
    if attempt.kind == ExamKind.ADAPTIVE:  # the answer is committed; choosing the next item is a step of its own
        adaptive_advance(attempt=attempt, now=now)
    return attempt_item


def _answered(attempt_item: AttemptItem) -> bool:
    return AttemptItem.objects.filter(pk=attempt_item.pk, answered_at__isnull=False).exists()


def _invalid_message(reason: str) -> str:
    messages = {
        "Choose one of the item's options.": _("Choose one of the options."),
        "Select at least one option.": _("Select at least one option."),
        "Put every step in order.": _("Put every step in order."),
    }
    return messages.get(reason, _("This answer does not fit the question."))


def attempt_finish(*, actor: Any, attempt: ExamAttempt, now: datetime.datetime | None = None) -> ExamAttempt:
    """Submit an open attempt and score it per element (past the deadline it is scored as ``expired``)."""
    now = now or timezone.now()
    if attempt.learner_id != getattr(actor, "pk", None):
        raise PermissionDenied
    with transaction.atomic():
        locked = _lock(attempt)
        if locked.state != AttemptState.OPEN:
            raise ExamError("attempt_closed", _("This attempt is already finished."), status=409)
        state = AttemptState.EXPIRED if is_past_deadline(locked, now) else AttemptState.SUBMITTED
        _score(locked, state=state, now=now)
        audit(
            actor=actor, action=f"exams.attempt.{'expire' if state == AttemptState.EXPIRED else 'submit'}", obj=locked
        )
    attempt.refresh_from_db()
    return attempt


def _score(attempt: ExamAttempt, *, state: str, now: datetime.datetime) -> None:
    """Per-element results of a locked attempt; unanswered items score 0."""
    if attempt.kind == ExamKind.ADAPTIVE:
        _score_adaptive(attempt, state=state, now=now)
        return
    rows = selectors.attempt_items(attempt)
    targets: dict[str, int] = {}
    if attempt.role is not None:
        targets = dict(attempt.role.requirements.values_list("element__code", "target_level"))
    unit_elements = {element.code: element for element in attempt.unit.elements.all()} if attempt.unit else {}
    per_element: dict[str, list[tuple[AttemptItem, Fraction]]] = defaultdict(list)
    for row in rows:
        per_element[row.element_code].append((row, scoring.score_item(_key(row.item), row.answer)))
    results = []
    for code, scored in per_element.items():
        fraction = scoring.element_fraction(score for _row, score in scored)
        passed = scoring.passed(fraction, attempt.pass_threshold)
        right_levels = [row.item.level for row, score in scored if score == 1]
        level = targets.get(code) or max(right_levels, default=1)
        results.append(
            ElementResult(
                attempt=attempt,
                element=unit_elements.get(code) or scored[0][0].item.element,
                element_code=code,
                items=len(scored),
                score=scoring.to_decimal(sum((score for _row, score in scored), Fraction(0))),
                fraction=scoring.to_decimal(fraction),
                threshold=attempt.pass_threshold,
                passed=passed,
                level=level,
            )
        )
    ElementResult.objects.filter(attempt=attempt).delete()
    ElementResult.objects.bulk_create(results)
    attempt.state = state
    attempt.finished_at = now
    attempt.save(update_fields=["state", "finished_at", "updated_at"])


# --- adaptive tests (docs/adr/0015) ---------------------------------------------------------------------

#: The most items a self-check (placement) asks; an adaptive certification asks at most the fixed form's length.
SELF_CHECK_MAX_ITEMS = 20
ADAPTIVE_SETTINGS = adaptive.AdaptiveSettings()
_seeds = random.SystemRandom()


@dataclass
class AdaptiveState:
    """Where an adaptive attempt stands, recomputed from its rows (the answered items are the whole state)."""

    items: list[Item]  # the bank, in a fixed order (by id): reviewed items of the scope and the items shown
    rows: list[AttemptItem]  # the items shown, in order
    estimate: adaptive.Estimate
    settings: adaptive.AdaptiveSettings
    cut: float | None

    @property
    def answered(self) -> int:
        return sum(1 for row in self.rows if row.answered_at is not None)

    @property
    def open_row(self) -> AttemptItem | None:
        return next((row for row in self.rows if row.answered_at is None), None)

    @property
    def complete(self) -> bool:
        """No item is waiting for an answer and the test has measured enough (or the bank is used up)."""
        if self.open_row is not None:
            return False
        stop = adaptive.should_stop(self.answered, self.estimate, settings=self.settings, cut=self.cut)
        return stop or len(self.rows) >= len(self.items)

    @property
    def level(self) -> int:
        return adaptive.level_for_theta(self.estimate.theta)


def _adaptive_settings(attempt: ExamAttempt) -> adaptive.AdaptiveSettings:
    return replace(ADAPTIVE_SETTINGS, max_items=attempt.max_items or ADAPTIVE_SETTINGS.max_items)


def _bank(items: list[Item]) -> Any:
    return adaptive.bank_matrix([(item.irt_a, item.irt_b, item.irt_c) for item in items])


def adaptive_state(attempt: ExamAttempt) -> AdaptiveState:
    """The state of an adaptive attempt from the database (five queries)."""
    unit = attempt.unit
    if unit is None:  # adaptive attempts always have a unit
        raise Http404
    rows = selectors.attempt_items(attempt)
    codes = [element.code for element, _level in _elements_for(attempt.role, unit)]
    items = selectors.adaptive_bank(unit.framework.slug, codes)
    known = {item.pk for item in items}
    items += [row.item for row in rows if row.item_id not in known]
    index = {item.pk: position for position, item in enumerate(items)}
    answered = [row for row in rows if row.answered_at is not None and row.score is not None]
    found = adaptive.estimate(
        _bank(items), [index[row.item_id] for row in answered], [row.score == 1 for row in answered]
    )
    return AdaptiveState(items, rows, found, _adaptive_settings(attempt), attempt.cut_theta)


def _append_next(attempt: ExamAttempt, state: AdaptiveState) -> AttemptItem | None:
    """Choose the next item (seeded per attempt and step, so the choice is reproducible) and show it."""
    shown = [index for index, item in enumerate(state.items) if item.pk in {row.item_id for row in state.rows}]
    step = len(state.rows)
    rng = np.random.default_rng([attempt.seed or 0, step])
    chosen = adaptive.next_item(_bank(state.items), shown, state.estimate.theta, settings=state.settings, rng=rng)
    if chosen is None:
        return None
    item = state.items[chosen]
    options = [str(option.public_id) for option in sorted(item.options.all(), key=lambda o: o.position)]
    shuffle = random.Random(f"{attempt.seed}:{step}")  # noqa: S311 (reproducible, not a secret)
    return AttemptItem.objects.create(
        attempt=attempt,
        item=item,
        element_code=item.element.code,
        position=step + 1,
        option_order=scoring.shuffled_order(options, shuffle, type=item.type),
    )


def adaptive_start(
    *,
    learner: Any,
    unit: Any,
    role: Any = None,
    now: datetime.datetime | None = None,
    seed: int | None = None,
    check_provider: bool = True,
) -> ExamAttempt:
    """Start an adaptive test of ``unit``: a self-check without ``role`` (no decision, no evidence), or an adaptive
    certification of the role's elements of the unit when the role's exam rules allow it (then the learner needs
    an accredited provider, the deadline applies, and the decision is made at the cut score of the pass
    threshold). The first item is chosen at once; each answer chooses the next (:func:`adaptive_advance`)."""
    now = now or timezone.now()
    config = selectors.exam_config(role) if role is not None else ExamConfig()
    provider = session = None
    if role is not None:
        if not config.enabled:
            raise ExamError("exam_disabled", _("The certification exam for this role is not offered at the moment."))
        if not config.adaptive_allowed:
            raise ExamError(
                "adaptive_not_allowed", _("An adaptive certification test is not offered for this role."), status=403
            )
        provider, session = _exam_session(learner, role, unit, now, required=check_provider)
    scope = exam_scope(ExamKind.ADAPTIVE, role=role, unit=unit)
    _expire_open(learner, scope, now)
    open_attempt = selectors.open_attempt(learner, scope)
    if open_attempt is not None:
        raise ExamError(
            "attempt_open", _("You already have an open attempt at this exam."), attempt=open_attempt, status=409
        )
    targets = _elements_for(role, unit)
    if not targets:
        raise ExamError("no_elements", _("The job role requires no element of this unit."))
    items = selectors.adaptive_bank(unit.framework.slug, [element.code for element, _level in targets])
    if not items:
        raise ExamError("no_items", _("The item bank has no reviewed items for this unit yet."))
    certifying = role is not None
    if certifying:
        max_items = min(config.items_per_element * len(targets), len(items))
        cut: float | None = adaptive.cut_theta(_bank(items), float(config.pass_threshold))
    else:
        max_items, cut = min(SELF_CHECK_MAX_ITEMS, len(items)), None
    try:
        with transaction.atomic():
            attempt = ExamAttempt.objects.create(
                learner=learner,
                kind=ExamKind.ADAPTIVE,
                certifying=certifying,
                role=role,
                unit=unit,
                scope=scope,
                started_at=now,
                deadline=now + datetime.timedelta(minutes=config.time_limit_minutes) if certifying else None,
                provider=provider,
                session=session,
                pass_threshold=config.pass_threshold,
                items_per_element=config.items_per_element,
                seed=_seeds.randrange(2**62) if seed is None else seed,
                max_items=max_items,
                cut_theta=cut,
            )
            start = AdaptiveState(items, [], adaptive.Estimate(0.0, 1.0), _adaptive_settings(attempt), cut)
            first = _append_next(attempt, start)
            audit(
                actor=learner,
                action="exams.attempt.start",
                obj=attempt,
                data={
                    "scope": scope,
                    "adaptive": True,
                    "max_items": max_items,
                    "first": first and first.item.key,
                    "session": str(session.public_id) if session else None,
                },
            )
    except IntegrityError:  # another request opened the same test a moment ago
        raise ExamError(
            "attempt_open",
            _("You already have an open attempt at this exam."),
            attempt=selectors.open_attempt(learner, scope),
            status=409,
        ) from None
    return attempt


def adaptive_advance(*, attempt: ExamAttempt, now: datetime.datetime | None = None) -> AttemptItem | None:
    """The item waiting for an answer in an open adaptive attempt: the open one, or a newly chosen one when every
    item shown is answered and the test has not measured enough yet; None when it is complete (or closed).
    Idempotent, so a crash between an answer and this step loses nothing: the next call chooses the item."""
    if attempt.kind != ExamKind.ADAPTIVE:
        return selectors.first_unanswered(attempt)
    with transaction.atomic():
        locked = _lock(attempt)
        if locked.state != AttemptState.OPEN or is_past_deadline(locked, now):
            return None
        state = adaptive_state(locked)
        if state.open_row is not None:
            return state.open_row
        if state.complete:
            return None
        return _append_next(locked, state)


def _score_adaptive(attempt: ExamAttempt, *, state: str, now: datetime.datetime) -> None:
    """The ability estimate of a locked adaptive attempt and, when it certifies, the decision for the unit: every
    element of the scope gets the unit's result (an adaptive test decides per unit, docs/adr/0015). A test ended
    before its stopping rule passes only when the whole 95 % interval of the ability lies above the cut score."""
    found = adaptive_state(attempt)
    attempt.theta, attempt.theta_se = found.estimate.theta, found.estimate.se
    results = []
    if attempt.certifying and attempt.cut_theta is not None:
        cut = attempt.cut_theta
        if found.complete:
            passed = found.estimate.theta >= cut
        else:
            margin = float(norm.ppf(0.5 + found.settings.confidence / 2)) * found.estimate.se
            passed = found.answered >= found.settings.min_items and found.estimate.theta - margin > cut
        per_element: dict[str, list[Fraction]] = defaultdict(list)
        for row in found.rows:
            if row.answered_at is not None:
                per_element[row.element_code].append(scoring.score_item(_key(row.item), row.answer))
        for element, level in _elements_for(attempt.role, attempt.unit):
            scores = per_element.get(element.code, [])
            total = sum(scores, Fraction(0))
            results.append(
                ElementResult(
                    attempt=attempt,
                    element=element,
                    element_code=element.code,
                    items=len(scores),
                    score=scoring.to_decimal(total),
                    fraction=scoring.to_decimal(total / len(scores) if scores else Fraction(0)),
                    threshold=attempt.pass_threshold,
                    passed=passed,
                    level=level or found.level,
                )
            )
    ElementResult.objects.filter(attempt=attempt).delete()
    ElementResult.objects.bulk_create(results)
    attempt.state = state
    attempt.finished_at = now
    attempt.save(update_fields=["state", "finished_at", "theta", "theta_se", "updated_at"])


@dataclass(frozen=True)
class AdaptiveResult:
    theta: float
    se: float
    level: int
    items: int
    max_items: int
    passed: bool | None  # None for a self-check


def adaptive_result(attempt: ExamAttempt) -> AdaptiveResult | None:
    """What a finished adaptive attempt measured (None for other attempts and open ones)."""
    if attempt.kind != ExamKind.ADAPTIVE or attempt.theta is None or attempt.theta_se is None:
        return None
    answered, _total = selectors.attempt_progress(attempt)
    passed = None
    if attempt.certifying:
        results = selectors.element_results(attempt)
        passed = bool(results) and all(result.passed for result in results)
    return AdaptiveResult(
        theta=attempt.theta,
        se=attempt.theta_se,
        level=adaptive.level_for_theta(attempt.theta),
        items=answered,
        max_items=attempt.max_items or 0,
        passed=passed,
    )


# --- item analysis (docs/adr/0015) ----------------------------------------------------------------------


def can_analyse_items(user: Any) -> bool:
    """Trainers, certification officers and staff see the item analysis and send items back to review."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_staff or user.is_superuser:
        return True
    return user.memberships.filter(role__in=[MemberRole.TRAINER, MemberRole.CERTIFICATION_OFFICER]).exists()


@transaction.atomic
def item_review_reopen(*, actor: Any, item: Item, reason: str = "") -> Item:
    """Set a reviewed item back to ``draft``: it leaves draws and adaptive tests until it is reviewed again."""
    if not can_analyse_items(actor):
        raise PermissionDenied
    locked = Item.objects.select_for_update().get(pk=item.pk)
    if locked.status != ItemStatus.REVIEWED:
        raise ExamError("not_reviewed", _("Only a reviewed item can be sent back to review."), status=409)
    locked.status = ItemStatus.DRAFT
    locked.save(update_fields=["status"])
    audit(actor=actor, action="exams.item.reopen", obj=locked, data={"key": locked.key, "reason": reason[:500]})
    item.status = locked.status
    return locked


@dataclass(frozen=True)
class CalibrationReport:
    calibrated: list[str]  # item keys
    rejected: list[str]  # fits outside the admissible range (the items kept their parameters)
    answered: int  # items with responses
    enough: int  # of these, items with at least ``minimum`` responses
    most: int  # the most responses of an item
    examinees: int  # finished attempts with responses
    minimum: int

    def summary(self) -> str:
        if not self.calibrated and not self.rejected:
            if self.enough < 2:
                return (
                    f"No item calibrated: of {self.answered} item(s) with responses, {self.enough} have the "
                    f"{self.minimum} needed (the most has {self.most})."
                )
            return (
                f"No item calibrated: {self.enough} item(s) have {self.minimum} responses, but fewer than "
                f"{self.minimum} attempts answered at least {item_analysis.MIN_ITEMS_PER_EXAMINEE} of them."
            )
        text = f"{len(self.calibrated)} item(s) calibrated (2PL) from {self.examinees} attempts"
        if self.answered > self.enough:
            text += f"; {self.answered - self.enough} item(s) not calibrated: fewer than {self.minimum} responses"
        if self.rejected:
            text += f"; {len(self.rejected)} fit(s) rejected (non-positive discrimination or difficulty beyond ±6)"
        return text + "."


def items_calibrate(*, actor: Any = None, now: datetime.datetime | None = None) -> CalibrationReport:
    """Fit 2PL parameters (girth) to the responses of finished certification and adaptive attempts and store them
    on the items with enough responses (``irt_source=calibrated``); ``c`` keeps its prior. Audited per framework.
    ``actor`` None is the command line; a person must be allowed to analyse items."""
    if actor is not None and not can_analyse_items(actor):
        raise PermissionDenied
    now = now or timezone.now()
    responses = selectors.analysis_responses()
    counts: dict[str, int] = defaultdict(int)
    attempts: set[str] = set()
    for response in responses:
        counts[response.item] += 1
        attempts.add(response.attempt)
    minimum = item_analysis.MIN_RESPONSES_FOR_CALIBRATION
    fitted = item_analysis.calibrate_2pl(responses)
    good = [
        fit
        for fit in fitted
        if np.isfinite(fit.discrimination)
        and np.isfinite(fit.difficulty)
        and fit.discrimination > 0
        and abs(fit.difficulty) <= 6
    ]
    rejected_ids = {fit.item for fit in fitted} - {fit.item for fit in good}
    with transaction.atomic():
        items = (
            Item.objects.select_for_update(of=("self",))
            .select_related("element__framework")
            .in_bulk([int(fit.item) for fit in fitted])
        )
        frameworks: dict[int, tuple[Any, list[str]]] = {}
        for fit in good:
            item = items[int(fit.item)]
            item.irt_a, item.irt_b = round(fit.discrimination, 4), round(fit.difficulty, 4)
            item.irt_source, item.calibrated_at = IrtSource.CALIBRATED, now
            frameworks.setdefault(item.element.framework_id, (item.element.framework, []))[1].append(item.key)
        fields = ["irt_a", "irt_b", "irt_source", "calibrated_at"]
        Item.objects.bulk_update([items[int(fit.item)] for fit in good], fields)
        for framework, keys in frameworks.values():
            audit(
                actor=actor,
                action="exams.items.calibrate",
                obj=framework,
                data={"calibrated": sorted(keys), "attempts": len(attempts)},
            )
    return CalibrationReport(
        calibrated=sorted(items[int(fit.item)].key for fit in good),
        rejected=sorted(items[int(i)].key for i in rejected_ids),
        answered=len(counts),
        enough=sum(1 for n in counts.values() if n >= minimum),
        most=max(counts.values(), default=0),
        examinees=len(attempts),
        minimum=minimum,
    )


# --- demo data ------------------------------------------------------------------------------------------

DEMO_ROLE = "smart-city-project-manager"
DEMO_GRADUATE = "demo-graduate"


def _answer_demo(attempt: ExamAttempt, *, right: Any) -> None:
    """Answer every item of a demo attempt: fully right where ``right(element_code)`` says so, else wrong."""
    for row in selectors.attempt_items(attempt):
        key = _key(row.item)
        wrong = [option for option in key.options if option not in key.correct]
        if row.item.type == ItemType.ORDERING:
            answer: Any = list(key.options) if right(row.element_code) else list(reversed(key.options))
        elif row.item.type == ItemType.MULTIPLE:
            answer = sorted(key.correct) if right(row.element_code) else wrong[:1]
        else:
            answer = next(iter(sorted(key.correct))) if right(row.element_code) else wrong[0]
        answer_save(actor=attempt.learner, attempt=attempt, attempt_item=row, answer=answer)


def _demo_certify(learner: Any, role: Any, unit: Any, *, right: Any) -> ExamAttempt | None:
    try:
        attempt = attempt_start(
            learner=learner, kind=ExamKind.CERTIFICATION, role=role, unit=unit, check_provider=False
        )
    except ExamError:
        return None
    _answer_demo(attempt, right=right)
    return attempt_finish(actor=learner, attempt=attempt)


def _role_units(role: Any) -> list[Any]:
    seen: dict[int, Any] = {}
    for requirement in role.requirements.select_related("element__unit").order_by("element__unit__position"):
        seen.setdefault(requirement.element.unit_id, requirement.element.unit)
    return list(seen.values())


DEMO_TRAINER = "demo-trainer"
DEMO_SESSION_DAYS = 365


@transaction.atomic
def exam_sessions_demo_seed(*, now: datetime.datetime | None = None) -> list[ExamSession]:
    """``demo-trainer`` opens, for each accredited provider it trains in, a year-long session per role of the
    reference framework (all units), so the demo learners can start certification exams. Idempotent: a role with
    an open all-units session of the provider gets no second one. Needs the certification demo accreditations."""
    from skills4cities.accounts.models import User  # demo only: the user model of the accounts app

    now = now or timezone.now()
    trainer = User.objects.filter(username=DEMO_TRAINER).first()
    framework = selectors.reference_framework()
    if trainer is None or framework is None or not selectors.trainer_may_run_exams(trainer):
        return []
    opened = []
    for organisation in selectors.trainer_organisations(trainer).order_by("pk"):
        if not selectors.provider_may_run_exams(organisation):
            continue
        for role in selectors.session_roles(framework):
            running = selectors.open_sessions(now).filter(
                organisation=organisation, role__slug=role.slug, unit__isnull=True
            )
            if running.exists():
                continue
            opened.append(
                exam_session_open(
                    actor=trainer,
                    organisation=organisation,
                    role=role,
                    opens_at=now,
                    closes_at=now + datetime.timedelta(days=DEMO_SESSION_DAYS),
                    location="Demo VET Centre, room 2, or remote with a webcam proctor",
                    now=now,
                )
            )
    return opened


@transaction.atomic
def exams_demo_seed(*, password: str, organisation: Any) -> None:
    """demo-learner: a submitted certification exam of the first unit of the Smart City Project Manager with its
    even-numbered elements failed (a resit is offered); ``demo-graduate`` (a learner of ``organisation``): passed
    certification exams of every unit of that role. Idempotent; needs the reference content and item bank."""
    from skills4cities.accounts.models import User  # demo only: the user model of the accounts app

    learner = User.objects.filter(username="demo-learner").first()
    try:
        framework = framework_for_user(None, "skills4cities")
    except Http404:
        return
    role = framework.roles.filter(slug=DEMO_ROLE).first()
    if role is None:
        return
    units = [
        unit
        for unit in _role_units(role)
        if selectors.reviewed_items(framework.slug, [e.code for e in unit.elements.all()]).exists()
    ]
    if learner is not None and units and not ExamAttempt.objects.filter(learner=learner, certifying=True).exists():
        codes = [element.code for element, _level in _elements_for(role, units[0])]
        failed = set(codes[1::2])
        _demo_certify(learner, role, units[0], right=lambda code: code not in failed)
    graduate, created = User.objects.get_or_create(
        username=DEMO_GRADUATE,
        defaults={
            "first_name": "Jonas",
            "last_name": "Berg",
            "email": f"{DEMO_GRADUATE}@example.org",
            "preferred_language": "en",
        },
    )
    if created or not graduate.check_password(password):
        graduate.set_password(password)
        graduate.save(update_fields=["password"])
    from skills4cities.accounts.services import membership_grant

    membership_grant(actor=None, organisation=organisation, user=graduate, role=MemberRole.LEARNER)
    passed = selectors.exam_element_results(graduate)
    for unit in units:
        codes = [element.code for element, _level in _elements_for(role, unit)]
        if all(code in passed and passed[code].passed for code in codes):
            continue
        _demo_certify(graduate, role, unit, right=lambda code: True)
