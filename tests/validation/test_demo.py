from __future__ import annotations

from typing import Any

import pytest

from skills4cities.accounts.enums import MemberRole
from skills4cities.frameworks.models import RoleRequirement
from skills4cities.portfolio.models import EvidenceItem
from skills4cities.validation import selectors
from skills4cities.validation.models import ValidationRequest
from skills4cities.validation.services import validation_demo_seed
from tests import factories

pytestmark = pytest.mark.django_db


def test_demo_seed_is_idempotent_and_gives_the_graduate_a_final_decision(reference: Any) -> None:
    city = factories.OrganisationFactory(slug="demo-city", name="Demo City")
    learner: Any = factories.UserFactory(username="demo-learner")
    factories.MembershipFactory(user=learner, organisation=city, role=MemberRole.LEARNER)
    assessor: Any = factories.UserFactory(username="demo-assessor")
    factories.UserFactory(username="demo-admin", is_superuser=True, is_staff=True)
    validation_demo_seed(password="pw")
    validation_demo_seed(password="pw")
    assert sorted(EvidenceItem.objects.filter(owner=learner).values_list("kind", flat=True)) == [
        "attestation",
        "file",
        "link",
    ]
    submitted = ValidationRequest.objects.get(learner=learner)
    assert (submitted.state, submitted.assessor, submitted.evidence_items.count()) == ("submitted", assessor, 3)
    graduate = ValidationRequest.objects.get(learner__username="demo-graduate")
    assert graduate.role is not None
    assert (graduate.state, graduate.role.slug) == ("final", "smart-city-project-manager")
    targets = dict(RoleRequirement.objects.filter(role=graduate.role).values_list("element__code", "target_level"))
    results = selectors.assessor_element_results(graduate.learner)
    assert {code: (r.met, r.level) for code, r in results.items()} == {
        code: (True, level) for code, level in targets.items()
    }
    assert graduate.learner.check_password("pw")
