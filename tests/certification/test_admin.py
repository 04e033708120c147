"""Admin: every page answers; rules saved in the admin go through the service (validated, audited)."""

from __future__ import annotations

import datetime
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from skills4cities.accounts.enums import OrganisationKind
from skills4cities.certification import services
from skills4cities.certification.models import CertificationRule
from skills4cities.core.models import AuditEntry
from tests import factories
from tests.certification.conftest import MANAGER
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_user(db: Any) -> Any:
    return factories.UserFactory(username="root", is_staff=True, is_superuser=True)


@pytest.mark.parametrize("model", ["certificationrule", "accreditation", "experiencerecord", "attendancerecord"])
def test_admin_pages_answer(admin_user: Any, model: str) -> None:
    client = client_for(admin_user)
    assert client.get(f"/admin/certification/{model}/").status_code == 200


def test_a_rule_added_in_the_admin_is_audited(reference: Any, admin_user: Any) -> None:
    data = {
        "role_slug": MANAGER,
        "accept_exam": "on",
        "accept_assessor": "on",
        "min_experience_months": "12",
        "min_training_hours": "0",
        "validity_months": "24",
        "renewal_cpd_hours": "0",
    }
    response = client_for(admin_user).post("/admin/certification/certificationrule/add/", data)

    assert response.status_code == 302
    rule = CertificationRule.objects.get()
    assert (rule.min_experience_months, rule.validity_months, rule.updated_by) == (12, 24, admin_user)
    assert AuditEntry.objects.filter(action="certification.rule_created", actor=admin_user).count() == 1


def test_expire_command_marks_lapsed_accreditations(reference: Any, admin_user: Any) -> None:
    vet = factories.OrganisationFactory(slug="vet", name="VET", kind=OrganisationKind.VET_CENTRE)
    from skills4cities.curriculum.models import Course

    item = services.accreditation_apply(
        actor=admin_user,
        kind="provider",
        organisation=vet,
        courses=list(Course.objects.filter(curriculum__framework=reference)),
    )
    services.accreditation_grant(actor=admin_user, accreditation=item, at=timezone.now() - datetime.timedelta(days=366))
    out = StringIO()

    call_command("expire_accreditations", stdout=out)
    call_command("expire_accreditations", stdout=out)

    assert out.getvalue().splitlines() == [
        "1 accreditation(s) marked as expired.",
        "0 accreditation(s) marked as expired.",
    ]
    item.refresh_from_db()
    assert item.status == "expired"
