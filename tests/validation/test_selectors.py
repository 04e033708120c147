from __future__ import annotations

from typing import Any

import pytest

from skills4cities.assessments.rules import Evidence, current_levels
from skills4cities.validation import selectors, services
from skills4cities.validation.models import ValidationRequest
from tests.validation.helpers import judge_all, unit_request

pytestmark = pytest.mark.django_db


def decide(people: Any, reference: Any, code: str, outcomes: dict[int, tuple[str, int | None]]) -> ValidationRequest:
    req = unit_request(people.alice, reference, code=code)
    services.validation_request_assign(actor=people.bob, request=req, assessor=people.dave)
    services.validation_request_start_review(actor=people.dave, request=req)
    for index, entry in enumerate(selectors.scope_elements(req)):
        outcome, level = outcomes.get(index, ("met", 3))
        services.element_judgement_save(
            actor=people.dave,
            request=req,
            element=entry.element,
            criteria={c.code: outcome for c in entry.criteria},
            level=level,
        )
    services.validation_request_decide(actor=people.dave, request=req)
    return req


def test_results_and_stream_carry_decided_elements_and_leave_not_met_out(people: Any, reference: Any) -> None:
    req = decide(people, reference, "U01", {0: ("not_met", None), 1: ("partly_met", 2)})
    scope = [entry.element.code for entry in selectors.scope_elements(req)]
    results = selectors.assessor_element_results(people.alice)
    assert set(results) == set(scope)
    first, second = results[scope[0]], results[scope[1]]
    assert (first.outcome, first.level, first.met, first.request_public_id) == ("not_met", None, False, req.public_id)
    assert (second.outcome, second.level, second.met) == ("partly_met", 2, False)
    assert results[scope[2]].met is True
    stream = selectors.assessor_evidence_stream(people.alice)
    assert stream.kind == "assessor_decision"
    evidence = sorted(stream.evidence(), key=lambda e: e.element_code)
    assert [(e.element_code, e.level) for e in evidence] == sorted([(scope[1], 2)] + [(code, 3) for code in scope[2:]])
    assert all(isinstance(e, Evidence) and e.at == req.decided_at for e in evidence)
    levels = current_levels([stream])
    assert levels[scope[1]].level == 2 and levels[scope[1]].source == "assessor_decision"


def test_undecided_requests_and_other_learners_give_nothing(people: Any, reference: Any) -> None:
    req = unit_request(people.alice, reference)
    services.validation_request_assign(actor=people.bob, request=req, assessor=people.dave)
    services.validation_request_start_review(actor=people.dave, request=req)
    judge_all(people.dave, req)
    assert selectors.assessor_element_results(people.alice) == {}
    decide(people, reference, "U02", {})
    assert selectors.assessor_element_results(people.charlie) == {}
    assert list(selectors.assessor_evidence_stream(people.charlie).evidence()) == []


def test_latest_decision_per_element_wins(people: Any, reference: Any) -> None:
    decide(people, reference, "U01", {0: ("partly_met", 2)})
    later = decide(people, reference, "U01", {0: ("met", 4)})
    code = selectors.scope_elements(later)[0].element.code
    result = selectors.assessor_element_results(people.alice)[code]
    assert (result.outcome, result.level, result.request_public_id) == ("met", 4, later.public_id)


def test_results_cost_one_query(people: Any, reference: Any, django_assert_num_queries: Any) -> None:
    decide(people, reference, "U01", {})
    with django_assert_num_queries(1):
        selectors.assessor_element_results(people.alice)


def test_the_stream_is_registered_in_settings(settings: Any) -> None:
    assert "skills4cities.validation.selectors.assessor_evidence_stream" in settings.EVIDENCE_STREAMS


def test_visibility(people: Any, reference: Any) -> None:
    req = unit_request(people.alice, reference)
    draft = unit_request(people.alice, reference, submit=False)
    assert set(selectors.visible_requests(people.alice)) == {req, draft}
    assert set(selectors.visible_requests(people.bob)) == {req}  # the admin never sees drafts
    assert list(selectors.visible_requests(people.dave)) == []  # an assessor sees only assigned requests
    assert list(selectors.visible_requests(people.charlie)) == []
    services.validation_request_assign(actor=people.bob, request=req, assessor=people.dave)
    assert list(selectors.visible_requests(people.dave)) == [req]
    assert list(selectors.inbox_of(people.dave)) == [req]
    assert list(selectors.inbox_of(people.erin)) == []
    assert list(selectors.to_assign(people.bob)) == []


def test_gap_analysis_takes_the_assessor_decision_as_decisive(settings: Any, people: Any, reference: Any) -> None:
    from skills4cities.assessments.selectors import gap_analysis

    settings.EVIDENCE_STREAMS = ["skills4cities.validation.selectors.assessor_evidence_stream"]
    req = decide(people, reference, "U05", {0: ("partly_met", 1)})
    role = reference.roles.get(slug="smart-city-project-manager")
    rows = {row.code: row for row in gap_analysis(people.alice, role).rows}
    scope = [entry.element.code for entry in selectors.scope_elements(req)]
    assert (rows[scope[0]].current_level, rows[scope[0]].source) == (1, "assessor_decision")
    assert {rows[code].current_level for code in scope[1:] if code in rows} == {3}
