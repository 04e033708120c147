"""The import pages: upload → job → progress → result or problems; who may import and who may see a job.

Tests run tasks with django-tasks' ImmediateBackend (settings/test.py), so an upload is imported before
the redirect; the running and queued states are set up directly.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.template.defaultfilters import filesizeformat
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from skills4cities.accounts.enums import MemberRole
from skills4cities.core.models import AuditEntry
from skills4cities.frameworks import import_progress, services
from skills4cities.frameworks.enums import ImportStatus
from skills4cities.frameworks.interchange.document import DocumentErrors
from skills4cities.frameworks.models import Framework, ImportJob
from tests import factories
from tests.conftest import client_for, table_counts
from tests.frameworks.conftest import MINI

pytestmark = pytest.mark.django_db

IMPORT = "/frameworks/import/"


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Any) -> None:
    """Progress files go to a temporary media folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def editor(city: Any) -> Any:
    user = factories.UserFactory(username="editor")
    factories.MembershipFactory(user=user, organisation=city, role=MemberRole.FRAMEWORK_EDITOR)
    return user


def partner_yaml(**changes: Any) -> bytes:
    document = copy.deepcopy(MINI) | {"slug": "partner"} | changes
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False).encode()


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def framework_counts() -> dict[str, int]:
    """Rows of every framework table, leaving out the import jobs themselves."""
    return {k: v for k, v in table_counts().items() if k.startswith("frameworks.") and k != "frameworks.ImportJob"}


def test_anonymous_visitors_are_sent_to_sign_in(client: Client, unchanged_database: Callable[..., Any]) -> None:
    with unchanged_database():
        get = client.get(IMPORT)
        post = client.post(IMPORT, {"file": upload("partner.yaml", partner_yaml())})

    assert get.status_code == post.status_code == 302
    assert get["Location"] == "/accounts/login/?next=/frameworks/import/"


def test_learners_may_not_import(alice: Any, unchanged_database: Callable[..., Any]) -> None:
    client = client_for(alice)

    with unchanged_database():
        get = client.get(IMPORT)
        post = client.post(IMPORT, {"file": upload("partner.yaml", partner_yaml())})

    assert get.status_code == post.status_code == 403


def test_the_import_form_offers_the_formats_and_the_editors_organisations(editor: Any, city: Any) -> None:
    html = client_for(editor).get(IMPORT).content.decode()

    assert re.findall(r'<option value="([^"]*)"', html) == ["", "yaml", "json", "case", "moodle-csv", str(city.pk)]
    assert "You have not imported anything yet." in html


def test_an_editor_uploads_a_file_and_sees_the_imported_framework(editor: Any, city: Any) -> None:
    client = client_for(editor)

    response = client.post(IMPORT, {"file": upload("partner.yaml", partner_yaml()), "owner": city.pk})

    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/frameworks/import/{job.public_id}/"
    framework = Framework.objects.get(slug="partner")
    assert (framework.version, framework.status, framework.owner) == ("1.0.0", "draft", city)
    assert (job.status, job.progress, job.framework, job.framework_created) == ("succeeded", 100, framework, True)
    assert (job.filename, job.size, job.created_by, job.owner, job.problems) == (
        "partner.yaml",
        len(partner_yaml()),
        editor,
        city,
        [],
    )
    assert bytes(job.data) == b"", "the uploaded bytes are dropped once imported"
    assert job.message == "Imported partner 1.0.0 (Draft)"
    html = client.get(response["Location"]).content.decode()
    assert 'data-status="succeeded"' in html
    assert "Imported Mini framework, version 1.0.0." in html
    assert 'href="/frameworks/partner/?version=1.0.0"' in html
    assert "hx-trigger" not in html, "a finished job is not polled"
    assert list(AuditEntry.objects.filter(object_id=str(job.public_id)).values_list("action", flat=True)) == [
        "framework_import.succeed",
        "framework_import.start",
        "framework_import.create",
    ]


def test_the_same_file_again_changes_nothing_and_says_so(editor: Any, city: Any) -> None:
    client = client_for(editor)
    client.post(IMPORT, {"file": upload("partner.yaml", partner_yaml()), "owner": city.pk})

    response = client.post(IMPORT, {"file": upload("partner.yaml", partner_yaml()), "owner": city.pk}, follow=True)

    assert "is already stored with exactly this content; nothing changed." in response.content.decode()
    assert Framework.objects.filter(slug="partner").count() == 1


def test_a_bad_file_fails_with_every_problem_and_changes_no_framework(editor: Any, city: Any) -> None:
    data = partner_yaml().replace(b"code: M1.E2\n", b"code: M1.E1\n")
    with pytest.raises(DocumentErrors) as expected:
        services.framework_import_file(data=data, filename="partner.yaml", owner=city)
    before = framework_counts()

    response = client_for(editor).post(IMPORT, {"file": upload("partner.yaml", data), "owner": city.pk}, follow=True)

    job = ImportJob.objects.get()
    assert framework_counts() == before
    assert job.status == ImportStatus.FAILED
    assert job.problems == [{"where": p.where, "message": p.message} for p in expected.value.problems]
    assert job.problems and all(p["where"].startswith("partner.yaml: line ") for p in job.problems)
    html = response.content.decode()
    assert 'data-status="failed"' in html
    assert "Nothing was changed." in html
    for row in job.problem_rows:
        assert row["file"] == "partner.yaml"
        assert f'<td class="code">{row["place"]}</td>' in html


def test_the_format_can_be_chosen_when_the_name_does_not_tell(editor: Any, city: Any) -> None:
    data = partner_yaml()

    client_for(editor).post(IMPORT, {"file": upload("partner.txt", data), "format": "yaml", "owner": city.pk})

    assert ImportJob.objects.get().status == ImportStatus.SUCCEEDED
    assert Framework.objects.filter(slug="partner").exists()


def test_an_oversized_file_is_refused_by_the_form_naming_the_file(
    editor: Any, city: Any, settings: Any, unchanged_database: Callable[..., Any]
) -> None:
    settings.FRAMEWORK_IMPORT_MAX_BYTES = 100

    with unchanged_database():
        response = client_for(editor).post(IMPORT, {"file": upload("partner.yaml", partner_yaml()), "owner": city.pk})

    assert response.status_code == 400
    assert f"partner.yaml has {filesizeformat(len(partner_yaml()))}; an import accepts at most 100\xa0bytes." in (
        response.content.decode()
    )


def test_editors_may_not_give_a_framework_to_an_organisation_they_do_not_edit(
    editor: Any, unchanged_database: Callable[..., Any]
) -> None:
    other = factories.OrganisationFactory(slug="elsewhere")

    with unchanged_database():
        response = client_for(editor).post(IMPORT, {"file": upload("partner.yaml", partner_yaml()), "owner": other.pk})

    assert response.status_code == 400
    assert "Select a valid choice." in response.content.decode()


def test_an_editor_cannot_add_versions_to_another_organisations_framework(
    editor: Any, city: Any, reference: Framework
) -> None:
    before = framework_counts()
    data = partner_yaml(slug="skills4cities", version="9.0.0")

    client_for(editor).post(IMPORT, {"file": upload("skills4cities.yaml", data), "owner": city.pk})

    job = ImportJob.objects.get()
    assert job.status == ImportStatus.FAILED
    assert job.problems == [
        {
            "where": "skills4cities.yaml: slug",
            "message": "the framework 'skills4cities' belongs to another organisation; give this framework its own slug",
        }
    ]
    assert framework_counts() == before


def test_site_admins_import_platform_content_without_an_owner(reference: Framework) -> None:
    admin = factories.UserFactory(username="root", is_superuser=True, is_staff=True)

    client_for(admin).post(IMPORT, {"file": upload("partner.yaml", partner_yaml())})

    assert Framework.objects.get(slug="partner").owner is None


class TestJobPage:
    @pytest.fixture
    def job(self, editor: Any, city: Any) -> ImportJob:
        return services.import_job_create(actor=editor, data=partner_yaml(), filename="partner.yaml", owner=city)

    def test_nobody_else_sees_an_import(self, job: ImportJob, city: Any, charlie: Any, client: Client) -> None:
        colleague = factories.UserFactory(username="colleague")
        factories.MembershipFactory(user=colleague, organisation=city, role=MemberRole.FRAMEWORK_EDITOR)
        url = f"/frameworks/import/{job.public_id}/"

        assert client.get(url).status_code == 302
        assert client_for(charlie).get(url).status_code == 404
        assert client_for(colleague).get(url).status_code == 404
        assert client_for(colleague).get(IMPORT).content.decode().count("partner.yaml") == 0

    def test_a_queued_import_is_polled_and_explains_a_missing_worker(self, job: ImportJob, editor: Any) -> None:
        ImportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(minutes=5))

        html = client_for(editor).get(f"/frameworks/import/{job.public_id}/").content.decode()

        assert 'hx-get="/frameworks/import/' in html
        assert 'hx-trigger="every 1s"' in html
        assert "Waiting for a worker to start the import…" in html
        assert 'data-testid="import-waiting"' in html

    def test_a_running_import_shows_the_workers_progress_to_htmx(self, job: ImportJob, editor: Any) -> None:
        started = services.import_job_start(job_id=str(job.public_id))
        assert started is not None
        import_progress.publish(job.public_id, 42, "Checking and storing partner 1.0.0")

        response = client_for(editor).get(f"/frameworks/import/{job.public_id}/", HTTP_HX_REQUEST="true")

        html = response.content.decode()
        assert "<html" not in html
        assert html.startswith('<div id="import-status"')
        assert '<progress class="w-100 import-progress" max="100" value="42"' in html
        assert "Checking and storing partner 1.0.0" in html
        assert 'hx-trigger="every 1s"' in html

    def test_an_import_whose_worker_died_shows_as_failed(self, job: ImportJob, editor: Any, settings: Any) -> None:
        services.import_job_start(job_id=str(job.public_id))
        settings.FRAMEWORK_IMPORT_STALE_SECONDS = 60
        ImportJob.objects.filter(pk=job.pk).update(started_at=timezone.now() - timedelta(minutes=2))

        html = client_for(editor).get(f"/frameworks/import/{job.public_id}/").content.decode()

        job.refresh_from_db()
        assert job.status == ImportStatus.FAILED
        assert job.problems == [{"where": "partner.yaml", "message": str(services.IMPORT_STOPPED)}]
        assert 'data-status="failed"' in html
        assert str(services.IMPORT_STOPPED) in html

    def test_an_unknown_job_is_a_404(self, editor: Any) -> None:
        assert client_for(editor).get("/frameworks/import/00000000-0000-0000-0000-000000000000/").status_code == 404


def test_the_import_page_lists_recent_jobs_with_a_bounded_number_of_queries(editor: Any, city: Any) -> None:
    for index in range(5):
        services.import_job_create(actor=editor, data=b"x", filename=f"file{index}.yaml", owner=city)
    client = client_for(editor)
    client.get(IMPORT)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(IMPORT)

    assert response.status_code == 200
    assert response.content.decode().count("/frameworks/import/") == 5 + 1  # five jobs and the form
    # measured 6: session, user, the import permission, the jobs (with their frameworks), the owner choices (twice)
    assert len(queries) <= 7, [q["sql"][:120] for q in queries.captured_queries]


def test_polling_a_job_runs_a_bounded_number_of_queries(editor: Any, city: Any) -> None:
    job = services.import_job_create(actor=editor, data=b"x", filename="file.yaml", owner=city)
    client = client_for(editor)
    url = f"/frameworks/import/{job.public_id}/"
    client.get(url, HTTP_HX_REQUEST="true")

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert len(queries) <= 4, [q["sql"][:120] for q in queries.captured_queries]  # measured 3: session, user, job


def test_site_admins_follow_imports_in_the_administration(editor: Any, city: Any) -> None:
    admin = factories.UserFactory(username="root", is_superuser=True, is_staff=True)
    job = services.import_job_create(actor=editor, data=partner_yaml(), filename="partner.yaml", owner=city)
    client = client_for(admin)

    listing = client.get("/admin/frameworks/importjob/")
    detail = client.get(f"/admin/frameworks/importjob/{job.pk}/change/")

    assert listing.status_code == detail.status_code == 200
    assert "partner.yaml" in listing.content.decode()
    assert "file content" not in detail.content.decode().lower()
