"""The committed OpenAPI file matches the code, and the API honours it (schemathesis)."""

from __future__ import annotations

from pathlib import Path

import pytest
import schemathesis
import yaml
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from skills4cities.wsgi import application

ROOT = Path(__file__).resolve().parents[2]


def test_the_committed_openapi_file_is_up_to_date(tmp_path: Path) -> None:
    generated = tmp_path / "openapi.yaml"

    call_command("spectacular", "--file", str(generated), "--validate")

    assert yaml.safe_load(generated.read_text()) == yaml.safe_load((ROOT / "docs/openapi.yaml").read_text())


schema = schemathesis.openapi.from_path(ROOT / "docs/openapi.yaml")
schema.app = application
# An address holding a NUL character is refused with 400 before any view (core.middleware, tests/core); the
# strings schemathesis takes as schema-valid must not hold one.
schema.config.generation.update(allow_x00=False)


@pytest.fixture
def keep_test_connection() -> object:
    """Calling the WSGI app directly fires request_finished, which would close the test's DB connection
    (inside its transaction) on PostgreSQL; Django's own test client disconnects these handlers the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.django_db
@pytest.mark.usefixtures("keep_test_connection")
@schema.parametrize()
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_schema(case: schemathesis.Case, reference: object) -> None:
    case.call_and_validate(app=application)
