"""The validation workflow: one service per transition, each atomic, checking the state and the actor,
and writing an audit entry (who, what, why). A transition from the wrong state raises
:class:`InvalidTransition` (409 ``invalid_transition`` in the API); a wrong actor ``PermissionDenied``.

draft → submitted → in_review ⇄ more_evidence_requested; in_review → decided → final (accepted), or
decided → appealed → in_review (appeal round) → final. See docs/adr/0012-validation-workflow.md.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from skills4cities.accounts.enums import MemberRole
from skills4cities.accounts.services import membership_grant
from skills4cities.core.audit import audit
from skills4cities.frameworks.models import Element, Role, Unit
from skills4cities.portfolio import selectors as portfolio_selectors
from skills4cities.portfolio import services as portfolio_services
from skills4cities.validation import rules, selectors
from skills4cities.validation.enums import JudgementStage, Outcome, RequestState
from skills4cities.validation.models import CriterionJudgement, ElementJudgement, ValidationRequest

ACTION = "validation_request.{}"


class InvalidTransition(ValidationError):
    """The request is not in a state that allows this step."""

    def __init__(self, message: str) -> None:
        super().__init__(message, code="invalid_transition")


def _require_state(request: ValidationRequest, *states: str) -> None:
    if request.state not in states:
        raise InvalidTransition(
            _("This step is not possible while the request is “%(state)s”.") % {"state": request.get_state_display()}
        )


def _require(condition: bool) -> None:
    if not condition:
        raise PermissionDenied


def _is(user: Any, other_id: int | None) -> bool:
    return bool(getattr(user, "is_authenticated", False) and other_id is not None and user.pk == other_id)


def _lock(request: ValidationRequest) -> ValidationRequest:
    """Re-read the request inside the transaction (row-locked where the database can) and check its state."""
    fresh = ValidationRequest.objects.select_for_update().get(pk=request.pk)
    for field in ("state", "assessor_id", "second_assessor_id", "appeal_assessor_id", "appealed_at"):
        setattr(request, field, getattr(fresh, field))
    return request


def _comment(value: str, *, required: bool, what: str = "") -> str:
    text = (value or "").strip()
    if required and not text:
        raise ValidationError({"comment": what or _("Say why: a comment is required for this step.")})
    if len(text) > 5000:
        raise ValidationError({"comment": _("This text can have at most %(limit)d characters.") % {"limit": 5000}})
    return text


def _record(actor: Any, request: ValidationRequest, verb: str, **data: Any) -> None:
    audit(actor=actor, action=ACTION.format(verb), obj=request, data={"state": request.state, **data})


def learner_organisation(learner: Any) -> Any:
    """The organisation whose assessors review the learner's requests: where they are a learner, else the
    first organisation they belong to (None when they belong to none)."""
    memberships = learner.memberships.select_related("organisation").order_by("created_at", "id")
    chosen = memberships.filter(role=MemberRole.LEARNER).first() or memberships.first()
    return chosen.organisation if chosen else None


# --- the learner's steps -----------------------------------------------------------------------------


@transaction.atomic
def validation_request_create(
    *,
    learner: Any,
    role: Role | None = None,
    unit: Unit | None = None,
    evidence_items: Iterable[Any] = (),
    statement: str = "",
) -> ValidationRequest:
    """A draft request for one role or one unit, with the learner's own evidence and statement."""
    _require(getattr(learner, "is_authenticated", False))
    if (role is None) == (unit is None):
        raise ValidationError({"scope": _("Choose either a job role or a unit to be validated.")})
    organisation = learner_organisation(learner)
    if organisation is None:
        raise ValidationError(
            {"scope": _("Join an organisation first: its assessors review your validation requests.")}
        )
    items = list(evidence_items)
    if any(item.owner_id != learner.pk for item in items):
        raise PermissionDenied
    framework = role.framework if role is not None else unit.framework  # type: ignore[union-attr]
    request = ValidationRequest.objects.create(
        learner=learner,
        organisation=organisation,
        framework=framework,
        role=role,
        unit=unit,
        statement=_comment(statement, required=False),
    )
    request.evidence_items.set(items)
    _record(
        learner,
        request,
        "create",
        scope=role.slug if role is not None else unit.code,  # type: ignore[union-attr]
        evidence=len(items),
    )
    return request


@transaction.atomic
def validation_request_submit(
    *, actor: Any, request: ValidationRequest, statement: str | None = None
) -> ValidationRequest:
    """draft → submitted, by the learner, with at least one piece of evidence."""
    _lock(request)
    _require(_is(actor, request.learner_id))
    _require_state(request, RequestState.DRAFT)
    if statement is not None:
        request.statement = _comment(statement, required=False)
    if not request.evidence_items.exists():
        raise ValidationError(
            {"evidence": _("Add at least one piece of evidence from your portfolio before you submit.")}
        )
    request.state = RequestState.SUBMITTED
    request.submitted_at = timezone.now()
    request.save(update_fields=["state", "statement", "submitted_at", "updated_at"])
    _record(actor, request, "submit", evidence=request.evidence_items.count())
    return request


@transaction.atomic
def validation_request_add_evidence(
    *, actor: Any, request: ValidationRequest, items: Iterable[Any]
) -> ValidationRequest:
    """Add portfolio items to a draft, or while more evidence is requested (not a state change)."""
    _lock(request)
    _require(_is(actor, request.learner_id))
    _require_state(request, RequestState.DRAFT, RequestState.MORE_EVIDENCE_REQUESTED)
    items = list(items)
    if not items:
        raise ValidationError({"evidence": _("Choose the evidence to add.")})
    if any(item.owner_id != actor.pk for item in items):
        raise PermissionDenied
    request.evidence_items.add(*items)
    request.save(update_fields=["updated_at"])
    _record(actor, request, "add_evidence", items=[item.title for item in items])
    return request


@transaction.atomic
def validation_request_resubmit(*, actor: Any, request: ValidationRequest, comment: str = "") -> ValidationRequest:
    """more_evidence_requested → in_review, by the learner (after adding evidence, or saying why not)."""
    _lock(request)
    _require(_is(actor, request.learner_id))
    _require_state(request, RequestState.MORE_EVIDENCE_REQUESTED)
    request.state = RequestState.IN_REVIEW
    request.save(update_fields=["state", "updated_at"])
    _record(actor, request, "resubmit", comment=_comment(comment, required=False))
    return request


@transaction.atomic
def validation_request_appeal(*, actor: Any, request: ValidationRequest, reason: str) -> ValidationRequest:
    """decided → appealed, by the learner, once, with a reason. The second assessor (if any) takes the appeal;
    otherwise an organisation admin or certification officer assigns another assessor."""
    _lock(request)
    _require(_is(actor, request.learner_id))
    _require_state(request, RequestState.DECIDED)
    if request.appealed_at is not None:
        raise InvalidTransition(_("A decision can be appealed only once."))
    text = _comment(reason, required=True, what=_("Give the reason for your appeal."))
    request.state = RequestState.APPEALED
    request.appeal_reason = text
    request.appealed_at = timezone.now()
    request.appeal_assessor_id = request.second_assessor_id
    request.save(update_fields=["state", "appeal_reason", "appealed_at", "appeal_assessor", "updated_at"])
    _record(actor, request, "appeal", comment=text)
    return request


@transaction.atomic
def validation_request_finalise(*, actor: Any, request: ValidationRequest, comment: str = "") -> ValidationRequest:
    """decided → final: the learner accepts the decision (giving up the appeal), or an organisation admin or
    certification officer closes it."""
    _lock(request)
    _require(_is(actor, request.learner_id) or selectors.can_manage(actor, request))
    _require_state(request, RequestState.DECIDED)
    request.state = RequestState.FINAL
    request.finalised_at = timezone.now()
    request.save(update_fields=["state", "finalised_at", "updated_at"])
    _record(actor, request, "finalise", comment=_comment(comment, required=False))
    return request


# --- assignment and review ---------------------------------------------------------------------------


def _check_assessor(request: ValidationRequest, user: Any, field: str) -> None:
    if user.pk == request.learner_id:
        raise ValidationError({field: _("Learners cannot assess their own request.")})
    if not selectors.is_org_assessor(user, request.organisation_id):
        raise ValidationError(
            {
                field: _("%(name)s is not an assessor of %(organisation)s.")
                % {"name": user, "organisation": request.organisation}
            }
        )


@transaction.atomic
def validation_request_assign(
    *, actor: Any, request: ValidationRequest, assessor: Any, second_assessor: Any | None = None
) -> ValidationRequest:
    """Assign the assessor (and optionally a second one), by an organisation admin or certification officer.

    Before the decision this sets the first and second assessor; after an appeal, ``assessor`` is the appeal
    assessor, who must not be the first assessor."""
    _lock(request)
    _require(selectors.can_manage(actor, request))
    _require_state(
        request,
        RequestState.SUBMITTED,
        RequestState.IN_REVIEW,
        RequestState.MORE_EVIDENCE_REQUESTED,
        RequestState.APPEALED,
    )
    if request.state == RequestState.IN_REVIEW and request.in_appeal:
        raise InvalidTransition(_("The appeal is being reviewed; its assessor can no longer change."))
    if request.state == RequestState.APPEALED:
        _check_assessor(request, assessor, "assessor")
        if assessor.pk == request.assessor_id:
            raise ValidationError({"assessor": _("An appeal goes to an assessor other than the first one.")})
        request.appeal_assessor = assessor
        request.save(update_fields=["appeal_assessor", "updated_at"])
        _record(actor, request, "assign", appeal_assessor=assessor.username)
        return request
    _check_assessor(request, assessor, "assessor")
    if second_assessor is not None:
        _check_assessor(request, second_assessor, "second_assessor")
        if second_assessor.pk == assessor.pk:
            raise ValidationError({"second_assessor": _("The second assessor must be another person.")})
    request.assessor = assessor
    request.second_assessor = second_assessor
    request.save(update_fields=["assessor", "second_assessor", "updated_at"])
    _record(
        actor,
        request,
        "assign",
        assessor=assessor.username,
        second_assessor=second_assessor.username if second_assessor is not None else None,
    )
    return request


@transaction.atomic
def validation_request_start_review(*, actor: Any, request: ValidationRequest) -> ValidationRequest:
    """submitted → in_review by the assigned assessor; appealed → in_review by the appeal assessor."""
    _lock(request)
    _require_state(request, RequestState.SUBMITTED, RequestState.APPEALED)
    if request.state == RequestState.SUBMITTED:
        _require(_is(actor, request.assessor_id))
    else:
        _require(_is(actor, request.appeal_assessor_id))
    request.state = RequestState.IN_REVIEW
    request.save(update_fields=["state", "updated_at"])
    _record(actor, request, "start_review", appeal=request.in_appeal)
    return request


@transaction.atomic
def validation_request_request_more_evidence(
    *, actor: Any, request: ValidationRequest, comment: str
) -> ValidationRequest:
    """in_review → more_evidence_requested, by the first assessor, saying what is missing."""
    _lock(request)
    _require(_is(actor, request.assessor_id))
    _require_state(request, RequestState.IN_REVIEW)
    if request.in_appeal:
        raise InvalidTransition(_("An appeal is decided on the evidence given."))
    text = _comment(comment, required=True, what=_("Say which evidence is missing."))
    request.state = RequestState.MORE_EVIDENCE_REQUESTED
    request.more_evidence_message = text
    request.save(update_fields=["state", "more_evidence_message", "updated_at"])
    _record(actor, request, "request_more_evidence", comment=text)
    return request


def judgement_stage(user: Any, request: ValidationRequest) -> str | None:
    """The stage in which ``user`` judges the request now (None: they do not judge it now)."""
    if request.state != RequestState.IN_REVIEW:
        return None
    if request.in_appeal:
        return JudgementStage.APPEAL.value if _is(user, request.appeal_assessor_id) else None
    if _is(user, request.assessor_id):
        return JudgementStage.FIRST.value
    if _is(user, request.second_assessor_id):
        return JudgementStage.SECOND.value
    return None


@transaction.atomic
def element_judgement_save(
    *,
    actor: Any,
    request: ValidationRequest,
    element: Element,
    criteria: Mapping[str, str],
    level: int | None,
    comment: str = "",
    outcome: str | None = None,
) -> ElementJudgement:
    """Save (or change) the actor's judgement of one element in scope: an outcome per performance criterion
    (by code), the level shown on the framework's scale (required unless not met) and a comment.
    ``outcome`` is used only for an element without criteria."""
    _lock(request)
    stage = judgement_stage(actor, request)
    if stage is None:
        if request.state != RequestState.IN_REVIEW:
            raise InvalidTransition(_("Judgements are recorded only while the request is in review."))
        raise PermissionDenied
    scope = {entry.element.pk: entry for entry in selectors.scope_elements(request)}
    entry = scope.get(element.pk)
    if entry is None:
        raise ValidationError({"element": _("This element is not in the scope of the request.")})
    errors: dict[str, str] = {}
    codes = [criterion.code for criterion in entry.criteria]
    unknown = sorted(set(criteria) - set(codes))
    if unknown:
        errors["criteria"] = _("Unknown criteria: %(codes)s.") % {"codes": ", ".join(unknown)}
    missing = [code for code in codes if criteria.get(code) not in Outcome.values]
    if missing and not unknown:
        errors["criteria"] = _("Judge every performance criterion. Still missing: %(codes)s.") % {
            "codes": ", ".join(missing)
        }
    if codes:
        decided = rules.element_outcome(criteria.get(code, "") for code in codes)
    elif outcome in Outcome.values:
        decided = str(outcome)
    else:
        decided = ""
        errors["outcome"] = _("Choose whether the element is met, partly met or not met.")
    values = selectors.scale_values(request)
    if level is not None and level not in values:
        errors["level"] = _("Choose a level between %(low)d and %(high)d.") % {"low": min(values), "high": max(values)}
    elif level is None and decided in (Outcome.MET, Outcome.PARTLY_MET):
        errors["level"] = _("Set the level the evidence shows: the element is at least partly met.")
    text = (comment or "").strip()
    if len(text) > 5000:
        errors["comment"] = _("This text can have at most %(limit)d characters.") % {"limit": 5000}
    if errors:
        raise ValidationError(errors)
    judgement, _created = ElementJudgement.objects.update_or_create(
        request=request,
        element=element,
        stage=stage,
        defaults={"assessor": actor, "outcome": decided, "level": level, "comment": text},
    )
    by_code = {criterion.code: criterion for criterion in entry.criteria}
    CriterionJudgement.objects.filter(judgement=judgement).delete()
    CriterionJudgement.objects.bulk_create(
        CriterionJudgement(judgement=judgement, criterion=by_code[code], outcome=criteria[code]) for code in codes
    )
    request.save(update_fields=["updated_at"])
    _record(actor, request, "judge", element=element.code, stage=stage, outcome=decided, level=level, comment=text)
    return judgement


def _judged(request: ValidationRequest, stage: str) -> dict[int, ElementJudgement]:
    return {j.element_id: j for j in ElementJudgement.objects.filter(request=request, stage=stage)}


def _missing(scope: list[selectors.ScopeElement], judged: dict[int, ElementJudgement]) -> list[str]:
    return [entry.element.code for entry in scope if entry.element.pk not in judged]


@transaction.atomic
def validation_request_decide(*, actor: Any, request: ValidationRequest, comment: str = "") -> ValidationRequest:
    """in_review → decided, by the first assessor once every element in scope is judged (and, when the
    policy requires, judged by the second assessor too). The decision per element follows ``rules``."""
    _lock(request)
    _require(_is(actor, request.assessor_id))
    _require_state(request, RequestState.IN_REVIEW)
    if request.in_appeal:
        raise InvalidTransition(_("The appeal assessor decides an appeal."))
    policy = rules.second_assessor_policy()
    scope = selectors.scope_elements(request)
    first = _judged(request, JudgementStage.FIRST)
    missing = _missing(scope, first)
    if missing:
        raise ValidationError(
            {
                "judgements": _("Judge every element before you decide. Still missing: %(codes)s.")
                % {"codes": ", ".join(missing)}
            }
        )
    second = _judged(request, JudgementStage.SECOND)
    if rules.second_required(policy, request.second_assessor_id is not None):
        if request.second_assessor_id is None:
            raise ValidationError({"second_assessor": _("A second assessor must be assigned and judge first.")})
        missing = _missing(scope, second)
        if missing:
            raise ValidationError(
                {
                    "judgements": _("The second assessor has not judged every element yet. Still missing: %(codes)s.")
                    % {"codes": ", ".join(missing)}
                }
            )
    now = timezone.now()
    decisions: dict[str, str] = {}
    disagreements: list[str] = []
    ElementJudgement.objects.filter(request=request).update(decisive=False, decided_at=None)
    for entry in scope:
        one, two = first[entry.element.pk], second.get(entry.element.pk)
        chosen = rules.decisive_judgement(one, two, policy)
        if two is not None and rules.disagree(one, two):
            disagreements.append(entry.element.code)
        ElementJudgement.objects.filter(pk=chosen.pk).update(decisive=True, decided_at=now)
        decisions[entry.element.code] = f"{chosen.outcome}:{chosen.level or '-'}:{chosen.stage}"
    request.state = RequestState.DECIDED
    request.decided_at = now
    request.save(update_fields=["state", "decided_at", "updated_at"])
    _record(
        actor,
        request,
        "decide",
        comment=_comment(comment, required=False),
        policy=policy,
        decisions=decisions,
        disagreements=disagreements,
    )
    return request


@transaction.atomic
def validation_request_decide_appeal(*, actor: Any, request: ValidationRequest, comment: str) -> ValidationRequest:
    """in_review (appeal round) → final, by the appeal assessor once every element is judged again. The
    appeal assessor's judgements replace the earlier decision; the earlier judgements stay on record."""
    _lock(request)
    _require(_is(actor, request.appeal_assessor_id))
    _require_state(request, RequestState.IN_REVIEW)
    if not request.in_appeal:
        raise InvalidTransition(_("There is no appeal to decide."))
    text = _comment(comment, required=True, what=_("Explain the decision on the appeal."))
    scope = selectors.scope_elements(request)
    appeal = _judged(request, JudgementStage.APPEAL)
    missing = _missing(scope, appeal)
    if missing:
        raise ValidationError(
            {
                "judgements": _("Judge every element before you decide. Still missing: %(codes)s.")
                % {"codes": ", ".join(missing)}
            }
        )
    now = timezone.now()
    ElementJudgement.objects.filter(request=request).update(decisive=False, decided_at=None)
    ElementJudgement.objects.filter(pk__in=[j.pk for j in appeal.values()]).update(decisive=True, decided_at=now)
    request.state = RequestState.FINAL
    request.finalised_at = now
    request.save(update_fields=["state", "finalised_at", "updated_at"])
    _record(
        actor,
        request,
        "decide_appeal",
        comment=text,
        decisions={
            entry.element.code: f"{appeal[entry.element.pk].outcome}:{appeal[entry.element.pk].level or '-'}"
            for entry in scope
        },
    )
    return request


# --- demo data ---------------------------------------------------------------------------------------

DEMO_TEXT = (
    "Project summary: smart street lighting pilot, Demo City, 2024–2025.\n"
    "I coordinated three departments and two suppliers, kept the budget of 480 000 EUR and\n"
    "reported monthly to the steering group. Lessons learned are attached to the final report.\n"
)


def _demo_user(username: str, first_name: str, last_name: str, password: str) -> Any:
    user, created = get_user_model().objects.get_or_create(
        username=username,
        defaults={
            "first_name": first_name,
            "last_name": last_name,
            "email": f"{username}@example.org",
            "preferred_language": "en",
        },
    )
    if created or not user.check_password(password):
        user.set_password(password)
        user.save(update_fields=["password"])
    return user


def _demo_portfolio(learner: Any) -> list[Any]:
    existing = list(portfolio_selectors.items_of(learner))
    if existing:
        return existing
    return [
        portfolio_services.evidence_item_create(
            owner=learner,
            kind="file",
            title="Smart street lighting pilot — project summary",
            description="The summary I wrote for the steering group at the end of the pilot.",
            issuer="Demo City Municipality",
            element_codes=["U05.E1"],
            files=[SimpleUploadedFile("project-summary.txt", DEMO_TEXT.encode(), content_type="text/plain")],
        ),
        portfolio_services.evidence_item_create(
            owner=learner,
            kind="link",
            title="Published pilot report",
            url="https://example.org/demo-city/street-lighting-report",
            element_codes=["U05.E2"],
        ),
        portfolio_services.evidence_item_create(
            owner=learner,
            kind="attestation",
            title="Attestation by the head of the city's IT department",
            referee_name="Dimitar Kolev",
            referee_email="dimitar.kolev@example.org",
            referee_statement="Elena led the stakeholder work of the pilot and kept every partner on board.",
            element_codes=["U05.E1", "U05.E2"],
        ),
    ]


def _demo_final_request(graduate: Any, manager: Any, assessor: Any, role: Role) -> None:
    item = portfolio_services.evidence_item_create(
        owner=graduate,
        kind="description",
        title="Six years as project manager of the city's smart mobility programme",
        description="Led the smart mobility programme from feasibility to operation, with a team of twelve.",
        issuer="Demo VET Centre",
    )
    req = validation_request_create(learner=graduate, role=role, evidence_items=[item], statement="Please validate.")
    validation_request_submit(actor=graduate, request=req)
    validation_request_assign(actor=manager, request=req, assessor=assessor)
    validation_request_start_review(actor=assessor, request=req)
    targets = {requirement.element_id: requirement.target_level for requirement in role.requirements.all()}
    for entry in selectors.scope_elements(req):
        element_judgement_save(
            actor=assessor,
            request=req,
            element=entry.element,
            criteria={criterion.code: Outcome.MET.value for criterion in entry.criteria},
            level=targets[entry.element.pk],
            comment="Met at the target level.",
            outcome=Outcome.MET.value,
        )
    validation_request_decide(actor=assessor, request=req, comment="Every element met at its target level.")
    validation_request_finalise(actor=graduate, request=req, comment="Accepted.")


DEMO_ROLE = "smart-city-project-manager"
DEMO_UNIT = "U05"


@transaction.atomic
def validation_demo_seed(*, password: str) -> None:
    """Idempotent demo data: ``demo-learner``'s portfolio and a submitted request (unit U05) assigned to
    ``demo-assessor``; ``demo-graduate``'s final request for the project manager role, every element met at
    its target level. ``demo-assessor`` becomes an assessor of the learners' organisations for this."""
    users = get_user_model().objects
    learner = users.filter(username="demo-learner").first()
    assessor = users.filter(username="demo-assessor").first()
    manager = users.filter(is_superuser=True, username="demo-admin").first()
    roles, units = selectors.scope_choices(None)
    role = next((r for r in roles if r.slug == DEMO_ROLE), None)
    unit = next((u for u in units if u.code == DEMO_UNIT), None)
    if learner is None or assessor is None or manager is None or role is None or unit is None:
        return
    graduate = _demo_user("demo-graduate", "Jonas", "Berg", password)
    home = learner_organisation(learner)
    if learner_organisation(graduate) is None and home is not None:
        membership_grant(actor=None, organisation=home, user=graduate, role=MemberRole.LEARNER)
    for person in (learner, graduate):
        organisation = learner_organisation(person)
        if organisation is None:
            continue
        membership_grant(actor=None, organisation=organisation, user=assessor, role=MemberRole.ASSESSOR)
    items = _demo_portfolio(learner)
    if not ValidationRequest.objects.filter(learner=learner).exists():
        req = validation_request_create(
            learner=learner,
            unit=unit,
            evidence_items=items,
            statement="I led the stakeholder management of the street lighting pilot; the evidence shows how.",
        )
        validation_request_submit(actor=learner, request=req)
        validation_request_assign(actor=manager, request=req, assessor=assessor)
    done = ValidationRequest.objects.filter(learner=graduate, role__slug=DEMO_ROLE, state=RequestState.FINAL)
    if learner_organisation(graduate) is not None and not done.exists():
        _demo_final_request(graduate, manager, assessor, role)
