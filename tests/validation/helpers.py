from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from skills4cities.accounts.enums import MemberRole
from skills4cities.frameworks.models import Framework
from skills4cities.portfolio.services import evidence_item_create
from skills4cities.validation import selectors, services
from skills4cities.validation.models import ValidationRequest
from tests import factories
from tests.portfolio.helpers import PDF, upload


@dataclass
class People:
    alice: Any  # the learner
    bob: Any  # the city's organisation admin
    charlie: Any  # an outsider
    dave: Any  # an assessor
    erin: Any  # another assessor
    frank: Any  # a third assessor


def assessor(username: str, organisation: Any) -> Any:
    user = factories.UserFactory(username=username)
    factories.MembershipFactory(user=user, organisation=organisation, role=MemberRole.ASSESSOR)
    return user


def unit_request(learner: Any, reference: Framework, *, code: str = "U01", submit: bool = True) -> ValidationRequest:
    item = evidence_item_create(owner=learner, title="Report", kind="file", files=[upload("report.pdf", PDF)])
    req = services.validation_request_create(
        learner=learner, unit=reference.units.get(code=code), evidence_items=[item], statement="I did it."
    )
    if submit:
        services.validation_request_submit(actor=learner, request=req)
    return req


def judge_all(actor: Any, req: ValidationRequest, outcome: str = "met", level: int | None = 3) -> None:
    for entry in selectors.scope_elements(req):
        services.element_judgement_save(
            actor=actor,
            request=req,
            element=entry.element,
            criteria={criterion.code: outcome for criterion in entry.criteria},
            level=level,
            comment=f"{entry.element.code} judged",
            outcome=outcome,
        )


def actions(req: ValidationRequest) -> list[str]:
    from skills4cities.core.models import AuditEntry

    return list(
        AuditEntry.objects.filter(object_id=str(req.public_id)).order_by("at", "id").values_list("action", flat=True)
    )
