from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from skills4cities.accounts.enums import MemberRole
from skills4cities.frameworks.models import Framework
from tests import factories


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> None:
    """Load the shipped reference content (ESCO, e-CF, the Skills4Cities framework) once per test database."""
    with django_db_blocker.unblock():
        call_command("load_reference", verbosity=0)


@pytest.fixture
def reference(db: Any) -> Framework:
    return Framework.objects.get(slug="skills4cities", status="published")


@pytest.fixture
def city(db: Any) -> Any:
    return factories.OrganisationFactory(name="City of Sofia", slug="sofia")


@pytest.fixture
def alice(city: Any) -> Any:
    """A learner in the city (the owner of her own records)."""
    user = factories.UserFactory(username="alice")
    factories.MembershipFactory(user=user, organisation=city, role=MemberRole.LEARNER)
    return user


@pytest.fixture
def bob(city: Any) -> Any:
    """The city's organisation admin (a member who manages)."""
    user = factories.UserFactory(username="bob")
    factories.MembershipFactory(user=user, organisation=city, role=MemberRole.ORG_ADMIN)
    return user


@pytest.fixture
def charlie(db: Any) -> Any:
    """An outsider: a learner of another organisation."""
    user = factories.UserFactory(username="charlie")
    other = factories.OrganisationFactory(name="Cluj VET Centre", slug="cluj-vet")
    factories.MembershipFactory(user=user, organisation=other, role=MemberRole.LEARNER)
    return user


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def table_counts() -> dict[str, int]:
    """Row count of every table the project's models own (for "a bad file changes nothing")."""
    from django.apps import apps

    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label.split(".")[-1] not in {"sessions", "contenttypes", "admin"}
    }


@pytest.fixture
def unchanged_database(db: Any) -> Any:
    """Use as ``with unchanged_database(): …``: asserts that no table gained or lost a row inside."""
    from contextlib import contextmanager

    @contextmanager
    def check() -> Any:
        before = table_counts()
        yield
        after = table_counts()
        assert {k: (before[k], after[k]) for k in before if before[k] != after[k]} == {}

    return check


@pytest.fixture(autouse=True)
def _reset_active_language() -> Any:
    """A view or service that activates a language (the user's, an import job's) must not leak into later tests."""
    from django.conf import settings
    from django.utils import translation

    yield
    translation.activate(settings.LANGUAGE_CODE)
