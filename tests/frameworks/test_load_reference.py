from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from skills4cities.core.models import AuditEntry
from skills4cities.esco.models import EscoRelease, EscoSkill
from skills4cities.frameworks.models import Alignment, Element, Framework, RoleRequirement, Statement

pytestmark = pytest.mark.django_db


def _snapshot() -> dict[str, object]:
    return {
        "frameworks": list(Framework.objects.values_list("id", "updated_at", "source_hash")),
        "elements": list(Element.objects.values_list("id", "updated_at")),
        "statements": Statement.objects.count(),
        "requirements": list(RoleRequirement.objects.values_list("id", "target_level", "essential")),
        "alignments": Alignment.objects.count(),
        "esco_skills": EscoSkill.objects.count(),
        "esco_updated": EscoSkill.objects.order_by("-updated_at").values_list("updated_at", flat=True).first(),
        "releases": EscoRelease.objects.count(),
        "audit": AuditEntry.objects.count(),
    }


def test_load_reference_a_second_time_changes_nothing(reference: Framework) -> None:
    before = _snapshot()
    out = StringIO()

    call_command("load_reference", stdout=out)

    assert _snapshot() == before
    assert "ESCO: the shipped release is already loaded (unchanged)." in out.getvalue()
    assert "skills4cities 1.0.0: unchanged" in out.getvalue()
