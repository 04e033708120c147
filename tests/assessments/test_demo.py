from __future__ import annotations

import pytest
from django.core.management import call_command

from skills4cities.accounts.models import User
from skills4cities.assessments import selectors
from skills4cities.assessments.enums import AssessmentStatus
from skills4cities.assessments.models import SelfAssessment
from skills4cities.frameworks.models import Framework
from tests.assessments.helpers import manager

pytestmark = pytest.mark.django_db


def test_seed_demo_leaves_demo_learner_a_submitted_self_assessment_once(reference: Framework) -> None:
    call_command("seed_demo", verbosity=0)
    call_command("seed_demo", verbosity=0)

    learner = User.objects.get(username="demo-learner")
    role = manager(reference)
    assert list(SelfAssessment.objects.filter(learner=learner).values_list("role__slug", "status")) == [
        ("smart-city-project-manager", AssessmentStatus.SUBMITTED)
    ]
    analysis = selectors.gap_analysis(learner, role)
    assert len(analysis.rows) == role.requirements.count()
    assert {row.current_level for row in analysis.rows} == {1, 2, 3, 4}
    # the largest gaps (2) come first, in framework order among the essential elements
    assert [row.code for row in analysis.rows if row.gap == 2] == ["U06.E1", "U06.E3", "U08.E3", "U11.E2"]
    assert analysis.rows[0].code == "U06.E1"
    assert 0 < len(analysis.open_rows) < len(analysis.rows)
