"""/frameworks/<slug>/export/<format>/: every format, with its content type and file name; drafts stay hidden."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from skills4cities.accounts.enums import MemberRole
from skills4cities.frameworks.models import Framework
from skills4cities.frameworks.services import framework_export, framework_import_document
from tests import factories
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("format", "content_type", "filename"),
    [
        ("yaml", "application/yaml; charset=utf-8", "skills4cities-1.0.0.yaml"),
        ("json", "application/json", "skills4cities-1.0.0.json"),
        ("case", "application/json", "skills4cities-1.0.0-case.json"),
        ("moodle-csv", "text/csv; charset=utf-8", "skills4cities-1.0.0-moodle.csv"),
    ],
)
def test_anyone_downloads_a_published_version_in_every_format(
    client: Client, reference: Framework, format: str, content_type: str, filename: str
) -> None:
    response = client.get(f"/frameworks/skills4cities/export/{format}/")

    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    assert response.content == framework_export(framework=reference, format=format)


def test_an_older_version_is_exported_when_asked_for(
    client: Client, reference: Framework, mini: dict[str, Any]
) -> None:
    framework_import_document(document=mini | {"status": "published"})
    framework_import_document(document=mini | {"status": "published", "version": "2.0.0"})

    response = client.get("/frameworks/mini/export/yaml/", {"version": "1.0.0"})

    assert response["Content-Disposition"] == 'attachment; filename="mini-1.0.0.yaml"'
    assert b"\nslug: mini\nversion: 1.0.0\n" in response.content


def test_an_unknown_format_or_version_is_a_404(client: Client, reference: Framework) -> None:
    assert client.get("/frameworks/skills4cities/export/xlsx/").status_code == 404
    assert client.get("/frameworks/skills4cities/export/yaml/", {"version": "7"}).status_code == 404


class TestDrafts:
    @pytest.fixture
    def draft(self, mini: dict[str, Any], city: Any) -> Framework:
        return framework_import_document(document=mini, owner=city).framework

    def test_the_editors_of_the_owner_export_their_draft(self, draft: Framework, city: Any) -> None:
        editor = factories.UserFactory(username="editor")
        factories.MembershipFactory(user=editor, organisation=city, role=MemberRole.FRAMEWORK_EDITOR)

        response = client_for(editor).get("/frameworks/mini/export/json/", {"version": "1.0.0"})

        assert response.status_code == 200
        assert response.content == framework_export(framework=draft, format="json")

    def test_nobody_else_exports_a_draft(self, draft: Framework, client: Client, alice: Any, charlie: Any) -> None:
        for caller in (client, client_for(alice), client_for(charlie)):
            assert caller.get("/frameworks/mini/export/json/", {"version": "1.0.0"}).status_code == 404


def test_an_export_runs_a_bounded_number_of_queries(client: Client, reference: Framework) -> None:
    """Measured 16: the version with its scale, then one full read of the framework (15), whatever its size."""
    url = "/frameworks/skills4cities/export/yaml/"
    client.get(url)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)

    assert response.status_code == 200
    assert len(queries) <= 17, [q["sql"][:120] for q in queries.captured_queries]


def test_exports_are_the_same_bytes_every_time(reference: Framework) -> None:
    """CASE stamps objects with a time: it must be the version's, not the clock's, or downloads would differ."""
    from unittest import mock

    from django.utils import timezone

    first = framework_export(framework=reference, format="case")
    later = timezone.now() + timezone.timedelta(days=3)
    with mock.patch("django.utils.timezone.now", return_value=later):
        second = framework_export(framework=reference, format="case")

    assert first == second
    assert reference.published_at is not None
    assert reference.published_at.strftime("%Y-%m-%dT%H:%M:%S").encode() in first
