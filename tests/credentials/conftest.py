from __future__ import annotations

from typing import Any

import pytest

from skills4cities.credentials import services
from skills4cities.credentials.enums import CredentialKind
from skills4cities.frameworks.models import Role, Unit
from tests import factories


@pytest.fixture
def role(reference: Any) -> Role:
    return reference.roles.get(slug="smart-city-project-manager")


@pytest.fixture
def unit(role: Role) -> Unit:
    found = Unit.objects.filter(elements__requirements__role=role).distinct().order_by("position").first()
    assert found is not None
    return found


@pytest.fixture
def officer(db: Any) -> Any:
    return factories.UserFactory(username="officer", is_staff=True)


@pytest.fixture
def issue(role: Role, unit: Unit, officer: Any) -> Any:
    def make(holder: Any, kind: str = CredentialKind.UNIT, **kwargs: Any) -> Any:
        kwargs.setdefault("unit", unit if kind == CredentialKind.UNIT else None)
        return services.credential_issue(holder=holder, kind=kind, role=role, issued_by=officer, **kwargs)

    return make


@pytest.fixture
def credential(issue: Any, alice: Any) -> Any:
    return issue(alice)
