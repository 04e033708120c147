from __future__ import annotations

from typing import Any

from skills4cities.credentials import services
from skills4cities.credentials.models import Credential
from tests import factories


def test_demo_seed_issues_one_unit_credential_once(reference: Any) -> None:
    holder = factories.UserFactory(username="demo-certified")
    first = services.credentials_demo_seed(holder=holder)
    again = services.credentials_demo_seed(holder=holder)
    assert first == again
    assert list(Credential.objects.values_list("holder__username", "kind")) == [("demo-certified", "unit")]
    assert services.credential_verify(first.document).valid
