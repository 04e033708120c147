from __future__ import annotations

from typing import Any

from django.urls import reverse

from skills4cities.exams import services
from skills4cities.exams.enums import ExamKind
from tests import factories
from tests.conftest import client_for
from tests.exams.conftest import Bank


def test_the_item_admin_shows_options_inline_and_attempts_read_only(bank: Bank, alice: Any, exam_session: Any) -> None:
    admin = factories.UserFactory(username="root", is_staff=True, is_superuser=True)
    client = client_for(admin)
    item = bank.items[bank.elements[0].code][0]
    page = client.get(reverse("admin:exams_item_change", args=[item.pk])).content.decode()
    assert 'name="options-0-text_en"' in page and 'name="stem_bg"' in page
    assert client.get(reverse("admin:exams_item_changelist")).status_code == 200
    attempt = services.attempt_start(learner=alice, kind=ExamKind.CERTIFICATION, role=bank.role, unit=bank.unit)
    assert client.get(reverse("admin:exams_examattempt_change", args=[attempt.pk])).status_code == 200
    assert client.get(reverse("admin:exams_examsession_change", args=[attempt.session_id])).status_code == 200
    assert client.get(reverse("admin:exams_examsession_add")).status_code == 403
    assert client.get(reverse("admin:exams_examconfig_add")).status_code == 200
