from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from skills4cities.core.models import AuditEntry
from skills4cities.validation import selectors, services
from skills4cities.validation.models import ElementJudgement, ValidationRequest
from skills4cities.validation.services import InvalidTransition
from tests.validation.helpers import actions, judge_all, unit_request

pytestmark = pytest.mark.django_db


def last_entry(req: ValidationRequest) -> AuditEntry:
    return AuditEntry.objects.filter(object_id=str(req.public_id)).order_by("-at", "-id").first()  # type: ignore[return-value]


def in_review(people: Any, reference: Any, *, second: bool = False) -> ValidationRequest:
    req = unit_request(people.alice, reference)
    services.validation_request_assign(
        actor=people.bob, request=req, assessor=people.dave, second_assessor=people.erin if second else None
    )
    services.validation_request_start_review(actor=people.dave, request=req)
    return req


def test_the_whole_workflow_is_audited_step_by_step(people: Any, reference: Any) -> None:
    req = in_review(people, reference)
    services.validation_request_request_more_evidence(actor=people.dave, request=req, comment="Add the budget.")
    assert (req.state, req.more_evidence_message) == ("more_evidence_requested", "Add the budget.")
    services.validation_request_add_evidence(
        actor=people.alice, request=req, items=list(people.alice.evidence_items.all())
    )
    services.validation_request_resubmit(actor=people.alice, request=req, comment="Added.")
    judge_all(people.dave, req)
    services.validation_request_decide(actor=people.dave, request=req, comment="Well documented.")
    assert req.state == "decided"
    services.validation_request_finalise(actor=people.alice, request=req)
    req.refresh_from_db()
    assert req.state == "final"
    judged = ["validation_request.judge"] * len(selectors.scope_elements(req))
    assert actions(req) == [
        "validation_request.create",
        "validation_request.submit",
        "validation_request.assign",
        "validation_request.start_review",
        "validation_request.request_more_evidence",
        "validation_request.add_evidence",
        "validation_request.resubmit",
        *judged,
        "validation_request.decide",
        "validation_request.finalise",
    ]
    decide = AuditEntry.objects.get(object_id=str(req.public_id), action="validation_request.decide")
    assert decide.actor == people.dave
    assert decide.data["comment"] == "Well documented."
    assert decide.data["state"] == "decided"


def test_submit_needs_evidence_and_the_learner(people: Any, reference: Any) -> None:
    req = services.validation_request_create(learner=people.alice, unit=reference.units.get(code="U01"))
    with pytest.raises(PermissionDenied):
        services.validation_request_submit(actor=people.dave, request=req)
    with pytest.raises(ValidationError) as refused:
        services.validation_request_submit(actor=people.alice, request=req)
    assert refused.value.message_dict == {
        "evidence": ["Add at least one piece of evidence from your portfolio before you submit."]
    }
    assert ValidationRequest.objects.get(pk=req.pk).state == "draft"
    assert actions(req) == ["validation_request.create"]


def test_a_submitted_request_cannot_be_submitted_again(people: Any, reference: Any) -> None:
    req = unit_request(people.alice, reference)
    with pytest.raises(InvalidTransition) as refused:
        services.validation_request_submit(actor=people.alice, request=req)
    assert refused.value.messages == ["This step is not possible while the request is “Submitted”."]
    assert refused.value.code == "invalid_transition"


def test_learner_cannot_use_someone_elses_evidence(people: Any, reference: Any) -> None:
    other = unit_request(people.charlie, reference, submit=False)
    with pytest.raises(PermissionDenied):
        services.validation_request_create(
            learner=people.alice, unit=reference.units.get(code="U01"), evidence_items=list(other.evidence_items.all())
        )


def test_only_a_manager_assigns_and_only_organisation_assessors(people: Any, reference: Any) -> None:
    req = unit_request(people.alice, reference)
    for actor in (people.alice, people.dave, people.charlie):
        with pytest.raises(PermissionDenied):
            services.validation_request_assign(actor=actor, request=req, assessor=people.dave)
    with pytest.raises(ValidationError) as refused:
        services.validation_request_assign(actor=people.bob, request=req, assessor=people.charlie)
    assert refused.value.message_dict == {"assessor": ["charlie is not an assessor of City of Sofia."]}
    with pytest.raises(ValidationError) as same:
        services.validation_request_assign(
            actor=people.bob, request=req, assessor=people.dave, second_assessor=people.dave
        )
    assert same.value.message_dict == {"second_assessor": ["The second assessor must be another person."]}
    assert ValidationRequest.objects.get(pk=req.pk).assessor is None
    services.validation_request_assign(actor=people.bob, request=req, assessor=people.dave, second_assessor=people.erin)
    assert last_entry(req).data == {"state": "submitted", "assessor": "dave", "second_assessor": "erin"}


def test_only_the_assigned_assessor_starts_the_review(people: Any, reference: Any) -> None:
    req = unit_request(people.alice, reference)
    services.validation_request_assign(actor=people.bob, request=req, assessor=people.dave)
    with pytest.raises(PermissionDenied):
        services.validation_request_start_review(actor=people.erin, request=req)
    services.validation_request_start_review(actor=people.dave, request=req)
    with pytest.raises(InvalidTransition):
        services.validation_request_start_review(actor=people.dave, request=req)


def test_more_evidence_needs_a_comment(people: Any, reference: Any) -> None:
    req = in_review(people, reference)
    with pytest.raises(ValidationError) as refused:
        services.validation_request_request_more_evidence(actor=people.dave, request=req, comment="  ")
    assert refused.value.message_dict == {"comment": ["Say which evidence is missing."]}
    with pytest.raises(InvalidTransition):
        services.validation_request_resubmit(actor=people.alice, request=req)


def test_judgements_check_criteria_and_level(people: Any, reference: Any) -> None:
    req = in_review(people, reference)
    entry = selectors.scope_elements(req)[0]
    codes = [c.code for c in entry.criteria]
    with pytest.raises(ValidationError) as refused:
        services.element_judgement_save(
            actor=people.dave, request=req, element=entry.element, criteria={codes[0]: "met"}, level=None
        )
    assert refused.value.message_dict == {
        "criteria": [f"Judge every performance criterion. Still missing: {', '.join(codes[1:])}."],
        "level": ["Set the level the evidence shows: the element is at least partly met."],
    }
    with pytest.raises(ValidationError) as bad_level:
        services.element_judgement_save(
            actor=people.dave, request=req, element=entry.element, criteria=dict.fromkeys(codes, "met"), level=9
        )
    assert bad_level.value.message_dict == {"level": ["Choose a level between 1 and 5."]}
    partly = dict.fromkeys(codes, "met") | {codes[0]: "not_met"}
    judgement = services.element_judgement_save(
        actor=people.dave, request=req, element=entry.element, criteria=partly, level=2
    )
    assert (judgement.outcome, judgement.level, judgement.stage, judgement.criteria.count()) == (
        "partly_met",
        2,
        "first",
        len(codes),
    )
    with pytest.raises(PermissionDenied):
        services.element_judgement_save(actor=people.erin, request=req, element=entry.element, criteria=partly, level=2)


def test_decide_needs_every_element_judged(people: Any, reference: Any) -> None:
    req = in_review(people, reference)
    scope = selectors.scope_elements(req)
    with pytest.raises(ValidationError) as refused:
        services.validation_request_decide(actor=people.dave, request=req)
    assert refused.value.message_dict == {
        "judgements": [
            f"Judge every element before you decide. Still missing: {', '.join(e.element.code for e in scope)}."
        ]
    }
    assert ValidationRequest.objects.get(pk=req.pk).state == "in_review"


def test_second_assessor_decides_where_they_disagree(people: Any, reference: Any) -> None:
    req = in_review(people, reference, second=True)
    judge_all(people.dave, req, level=3)
    with pytest.raises(ValidationError) as waiting:
        services.validation_request_decide(actor=people.dave, request=req)
    assert "The second assessor has not judged every element yet." in waiting.value.messages[0]
    judge_all(people.erin, req, level=3)
    scope = selectors.scope_elements(req)
    first = scope[0].element
    services.element_judgement_save(
        actor=people.erin,
        request=req,
        element=first,
        criteria={c.code: "met" for c in scope[0].criteria},
        level=4,
    )
    services.validation_request_decide(actor=people.dave, request=req)
    decisive = {j.element.code: (j.stage, j.level) for j in ElementJudgement.objects.filter(request=req, decisive=True)}
    assert decisive == {
        e.element.code: ("second" if e.element == first else "first", 4 if e.element == first else 3) for e in scope
    }
    assert last_entry(req).data["disagreements"] == [first.code]


def test_policy_never_keeps_the_first_assessors_decision(settings: Any, people: Any, reference: Any) -> None:
    settings.VALIDATION_RULES = {"second_assessor": "never"}
    req = in_review(people, reference, second=True)
    judge_all(people.dave, req, level=3)
    services.validation_request_decide(actor=people.dave, request=req)
    assert set(ElementJudgement.objects.filter(request=req, decisive=True).values_list("stage", flat=True)) == {"first"}


def test_policy_always_requires_a_second_assessor(settings: Any, people: Any, reference: Any) -> None:
    settings.VALIDATION_RULES = {"second_assessor": "always"}
    req = in_review(people, reference)
    judge_all(people.dave, req)
    with pytest.raises(ValidationError) as refused:
        services.validation_request_decide(actor=people.dave, request=req)
    assert refused.value.message_dict == {"second_assessor": ["A second assessor must be assigned and judge first."]}


def decided(people: Any, reference: Any, **kwargs: Any) -> ValidationRequest:
    req = in_review(people, reference, **kwargs)
    judge_all(people.dave, req, outcome="not_met", level=None)
    if kwargs.get("second"):
        judge_all(people.erin, req, outcome="not_met", level=None)
    services.validation_request_decide(actor=people.dave, request=req)
    return req


def test_appeal_once_to_another_assessor_whose_decision_is_final(people: Any, reference: Any) -> None:
    req = decided(people, reference)
    with pytest.raises(ValidationError) as no_reason:
        services.validation_request_appeal(actor=people.alice, request=req, reason="")
    assert no_reason.value.message_dict == {"comment": ["Give the reason for your appeal."]}
    with pytest.raises(PermissionDenied):
        services.validation_request_appeal(actor=people.dave, request=req, reason="x")
    services.validation_request_appeal(actor=people.alice, request=req, reason="The report shows U01.E1.")
    assert (req.state, req.appeal_assessor) == ("appealed", None)
    with pytest.raises(ValidationError) as same:
        services.validation_request_assign(actor=people.bob, request=req, assessor=people.dave)
    assert same.value.message_dict == {"assessor": ["An appeal goes to an assessor other than the first one."]}
    services.validation_request_assign(actor=people.bob, request=req, assessor=people.frank)
    with pytest.raises(PermissionDenied):
        services.validation_request_start_review(actor=people.dave, request=req)
    services.validation_request_start_review(actor=people.frank, request=req)
    assert selectors.assessor_element_results(people.alice) == {}  # under appeal: no decision counts
    with pytest.raises(InvalidTransition):
        services.validation_request_decide(actor=people.dave, request=req)
    judge_all(people.frank, req, outcome="met", level=2)
    with pytest.raises(ValidationError):
        services.validation_request_decide_appeal(actor=people.frank, request=req, comment="")
    services.validation_request_decide_appeal(actor=people.frank, request=req, comment="Evidence suffices.")
    req.refresh_from_db()
    assert req.state == "final"
    assert set(ElementJudgement.objects.filter(request=req, decisive=True).values_list("stage", flat=True)) == {
        "appeal"
    }
    assert ElementJudgement.objects.filter(request=req, stage="first").count() == len(selectors.scope_elements(req))
    with pytest.raises(InvalidTransition):
        services.validation_request_appeal(actor=people.alice, request=req, reason="again")


def test_appeal_goes_to_the_second_assessor_when_there_is_one(people: Any, reference: Any) -> None:
    req = decided(people, reference, second=True)
    services.validation_request_appeal(actor=people.alice, request=req, reason="Please look again.")
    assert req.appeal_assessor == people.erin
    assert last_entry(req).data == {"state": "appealed", "comment": "Please look again."}


def test_a_decision_can_be_appealed_only_once(people: Any, reference: Any) -> None:
    req = decided(people, reference)
    services.validation_request_appeal(actor=people.alice, request=req, reason="x")
    req.state = "decided"  # even if the state were decided again, the appeal is spent
    with pytest.raises(InvalidTransition) as refused:
        services.validation_request_appeal(actor=people.alice, request=req, reason="y")
    assert refused.value.messages == ["This step is not possible while the request is “Appealed”."]


def test_finalise_by_learner_or_manager_only_after_a_decision(people: Any, reference: Any) -> None:
    req = in_review(people, reference)
    with pytest.raises(InvalidTransition):
        services.validation_request_finalise(actor=people.alice, request=req)
    judge_all(people.dave, req)
    services.validation_request_decide(actor=people.dave, request=req)
    with pytest.raises(PermissionDenied):
        services.validation_request_finalise(actor=people.dave, request=req)
    services.validation_request_finalise(actor=people.bob, request=req, comment="Closed.")
    assert last_entry(req).data == {"state": "final", "comment": "Closed."}
