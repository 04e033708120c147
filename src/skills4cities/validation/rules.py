"""Pure rules of the validation workflow: the second-assessor policy and how an element's decision is made.

Decision per element (docs/adr/0012):
- the first assessor's judgement is the decision;
- unless the policy is not ``never``, a second assessor has judged the element and the two disagree
  (a different outcome or a different level): then the second assessor's judgement stands;
- after an appeal, the appeal assessor's judgement is the decision, and it is final.

An element's outcome follows from its criteria: every criterion met → met; none met or partly met → not
met; anything else → partly met. An element without criteria takes the outcome given for it directly.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings

from skills4cities.validation.enums import Outcome, SecondAssessorPolicy


def second_assessor_policy() -> str:
    value = (getattr(settings, "VALIDATION_RULES", None) or {}).get(
        "second_assessor", SecondAssessorPolicy.ON_DISAGREEMENT.value
    )
    if value not in SecondAssessorPolicy.values:
        raise ValueError(
            f"VALIDATION_RULES['second_assessor'] must be one of {', '.join(SecondAssessorPolicy.values)}, "
            f"not {value!r}"
        )
    return str(value)


def element_outcome(criterion_outcomes: Iterable[str]) -> str:
    outcomes = list(criterion_outcomes)
    if outcomes and all(outcome == Outcome.MET for outcome in outcomes):
        return Outcome.MET.value
    if all(outcome == Outcome.NOT_MET for outcome in outcomes):
        return Outcome.NOT_MET.value
    return Outcome.PARTLY_MET.value


def disagree(first: Any, second: Any) -> bool:
    """Two judgements disagree when their outcome or their level differs."""
    return bool(first.outcome != second.outcome or first.level != second.level)


def decisive_judgement(first: Any, second: Any | None, policy: str) -> Any:
    """The judgement that decides an element (see the module docstring)."""
    if second is not None and policy != SecondAssessorPolicy.NEVER and disagree(first, second):
        return second
    return first


def second_required(policy: str, has_second_assessor: bool) -> bool:
    """Whether the decision must wait for a second assessor's judgement of every element."""
    if policy == SecondAssessorPolicy.ALWAYS:
        return True
    if policy == SecondAssessorPolicy.ON_DISAGREEMENT:
        return has_second_assessor
    return False


def actions_for(user: Any, request: Any, *, manager: bool) -> set[str]:
    """The transitions ``user`` may start on ``request`` now (the services check again)."""
    uid = getattr(user, "pk", None)
    state = request.state
    actions: set[str] = set()
    if uid is None:
        return actions
    is_learner = uid == request.learner_id
    if is_learner and state == "draft":
        actions |= {"submit", "add_evidence"}
    if is_learner and state == "more_evidence_requested":
        actions |= {"add_evidence", "resubmit"}
    if is_learner and state == "decided":
        actions.add("finalise")
        if request.appealed_at is None:
            actions.add("appeal")
    if manager and state == "decided":
        actions.add("finalise")
    in_appeal_review = state == "in_review" and request.appealed_at is not None
    if manager and state in ("submitted", "in_review", "more_evidence_requested", "appealed") and not in_appeal_review:
        actions.add("assign")
    if state == "submitted" and uid == request.assessor_id:
        actions.add("start_review")
    if state == "appealed" and uid == request.appeal_assessor_id:
        actions.add("start_review")
    if state == "in_review" and request.appealed_at is None and uid == request.assessor_id:
        actions |= {"review", "request_more_evidence", "decide"}
    if state == "in_review" and request.appealed_at is None and uid == request.second_assessor_id:
        actions.add("review")
    if state == "in_review" and request.appealed_at is not None and uid == request.appeal_assessor_id:
        actions |= {"review", "decide_appeal"}
    return actions
