from __future__ import annotations

from typing import Any

import pytest

from skills4cities.exams import services
from skills4cities.exams.enums import ExamKind
from skills4cities.exams.models import ExamAttempt
from tests.exams.conftest import Bank


def test_a_learner_without_an_accredited_provider_cannot_start_a_certification_exam(bank: Bank, alice: Any) -> None:
    assert services.exam_provider(alice) == (False, None)
    with pytest.raises(services.ExamError) as error:
        services.attempt_start(learner=alice, kind=ExamKind.CERTIFICATION, role=bank.role, unit=bank.unit)
    assert error.value.code == "provider_not_accredited"
    assert not ExamAttempt.objects.exists()
    # practice quizzes need no provider
    assert services.attempt_start(learner=alice, kind=ExamKind.PRACTICE, unit=bank.unit).provider is None


def test_the_provider_is_the_organisation_of_the_session(bank: Bank, alice: Any, city: Any, exam_session: Any) -> None:
    assert services.exam_provider(alice) == (True, city)
    attempt = services.attempt_start(learner=alice, kind=ExamKind.CERTIFICATION, role=bank.role, unit=bank.unit)
    assert (attempt.provider, attempt.session) == (city, exam_session)
