"""Import jobs and their task: progress, a worker that dies midway, stale jobs, the database queue end to end."""

from __future__ import annotations

import copy
import signal
from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
import yaml
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.utils import timezone, translation
from django_tasks_db.models import DBTaskResult

from skills4cities.accounts.enums import MemberRole
from skills4cities.frameworks import import_progress, services, tasks
from skills4cities.frameworks.enums import ImportStatus
from skills4cities.frameworks.models import Framework, ImportJob
from tests import factories
from tests.conftest import table_counts
from tests.frameworks.conftest import MINI

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def editor(city: Any) -> Any:
    user = factories.UserFactory(username="editor")
    factories.MembershipFactory(user=user, organisation=city, role=MemberRole.FRAMEWORK_EDITOR)
    return user


DATA = yaml.safe_dump(copy.deepcopy(MINI) | {"slug": "partner"}, sort_keys=False).encode()


@pytest.fixture
def job(editor: Any, city: Any) -> ImportJob:
    return services.import_job_create(actor=editor, data=DATA, filename="partner.yaml", owner=city)


def framework_counts() -> dict[str, int]:
    return {k: v for k, v in table_counts().items() if k.startswith("frameworks.") and k != "frameworks.ImportJob"}


@pytest.mark.parametrize(
    ("previous", "message", "expected"),
    [
        (5, "Reading partner.csv as Moodle (1200 bytes)", 27),  # no count: a quarter of the way to 95
        (27, "Checking and storing partner 1.0.0", 44),
        (5, "Writing elements 30/60", 50),  # a count is taken at its word, scaled into 5…95
        (5, "50 %", 50),
        (60, "Writing elements 1/60", 60),  # never backwards
        (94, "Almost done", 95),
        (95, "Still going", 95),  # 100 is for the committed result
    ],
)
def test_progress_is_estimated_from_the_importers_messages(previous: int, message: str, expected: int) -> None:
    assert import_progress.estimate(previous, message) == expected


def test_the_task_imports_the_file_and_reports_progress_along_the_way(
    job: ImportJob, monkeypatch: pytest.MonkeyPatch
) -> None:
    published: list[tuple[int, str]] = []
    monkeypatch.setattr(import_progress, "publish", lambda _job, percent, message: published.append((percent, message)))
    monkeypatch.setattr(services.time, "monotonic", iter(range(10, 1000, 10)).__next__)  # every message is published

    status = tasks.run_framework_import.call(str(job.public_id))

    job.refresh_from_db()
    assert status == job.status == ImportStatus.SUCCEEDED
    assert [percent for percent, _message in published] == [27, 44, 56]  # three steps of the importer
    assert published[0][1].startswith("Reading partner.yaml")
    assert (job.progress, job.message) == (100, published[-1][1])
    assert job.message == "Imported partner 1.0.0 (Draft)"
    assert import_progress.read(job.public_id) is None, "the progress file is removed at the end"


def test_running_a_job_twice_imports_it_once(job: ImportJob) -> None:
    assert services.import_job_run(job_id=str(job.public_id)) is not None
    finished = ImportJob.objects.get(pk=job.pk).finished_at

    assert services.import_job_run(job_id=str(job.public_id)) is None
    assert ImportJob.objects.get(pk=job.pk).finished_at == finished
    assert Framework.objects.filter(slug="partner").count() == 1


def test_a_worker_that_dies_midway_leaves_nothing_half_written(job: ImportJob, monkeypatch: pytest.MonkeyPatch) -> None:
    real_import = services.framework_import_file

    def import_then_die(**kwargs: Any) -> Any:
        real_import(**kwargs)  # everything is written …
        raise SystemExit(1)  # … and the process ends before the transaction commits

    monkeypatch.setattr(services, "framework_import_file", import_then_die)
    before = framework_counts()

    with pytest.raises(SystemExit):
        services.import_job_run(job_id=str(job.public_id))

    assert framework_counts() == before
    job.refresh_from_db()
    assert job.status == ImportStatus.RUNNING

    assert services.import_jobs_fail_stale(older_than=timedelta(minutes=5)) == 0  # it may still be working
    assert services.import_jobs_fail_stale(older_than=timedelta(0)) == 1  # a restarted worker knows better

    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert job.problems == [{"where": "partner.yaml", "message": str(services.IMPORT_STOPPED)}]
    assert bytes(job.data) == b""


def test_the_command_marks_stale_imports_failed(job: ImportJob, settings: Any) -> None:
    services.import_job_start(job_id=str(job.public_id))
    settings.FRAMEWORK_IMPORT_STALE_SECONDS = 600
    ImportJob.objects.filter(pk=job.pk).update(started_at=timezone.now() - timedelta(minutes=11))
    out = StringIO()

    call_command("fail_stale_imports", stdout=out)

    assert out.getvalue() == "1 stale import(s) marked failed.\n"
    assert ImportJob.objects.get(pk=job.pk).status == ImportStatus.FAILED


def test_recent_progress_keeps_a_long_import_alive(job: ImportJob) -> None:
    services.import_job_start(job_id=str(job.public_id))
    ImportJob.objects.filter(pk=job.pk).update(started_at=timezone.now() - timedelta(hours=1))
    import_progress.publish(job.public_id, 50, "Still writing")

    assert services.import_jobs_fail_stale(older_than=timedelta(minutes=10)) == 0
    assert ImportJob.objects.get(pk=job.pk).status == ImportStatus.RUNNING


def test_an_unexpected_error_fails_the_job_and_writes_nothing(job: ImportJob, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(**kwargs: Any) -> Any:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(services, "framework_import_file", broken)
    before = framework_counts()

    services.import_job_run(job_id=str(job.public_id))

    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert job.problems == [{"where": "partner.yaml", "message": str(services.IMPORT_CRASHED)}]
    assert framework_counts() == before


def test_the_import_runs_in_the_uploaders_language(editor: Any, city: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    editor.preferred_language = "de"
    editor.save(update_fields=["preferred_language"])
    job = services.import_job_create(actor=editor, data=DATA, filename="partner.yaml", owner=city)
    real_import, languages = services.framework_import_file, []

    def spy(**kwargs: Any) -> Any:
        languages.append(translation.get_language())
        return real_import(**kwargs)

    monkeypatch.setattr(services, "framework_import_file", spy)

    services.import_job_run(job_id=str(job.public_id))

    assert languages == ["de"]


def test_with_the_database_queue_an_upload_waits_for_the_worker(
    editor: Any, city: Any, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

    job = tasks.submit_framework_import(actor=editor, data=DATA, filename="partner.yaml", owner=city)

    job.refresh_from_db()
    task = DBTaskResult.objects.get()
    assert (job.status, job.task_id) == (ImportStatus.QUEUED, str(task.id))
    assert task.args_kwargs == {"args": [str(job.public_id)], "kwargs": {}}
    assert not Framework.objects.filter(slug="partner").exists()

    # The worker, as `skills4cities db_worker --batch` runs it (its connection recycling would end the test's
    # transaction, so it is switched off here).
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)
    handlers = {number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    try:
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    finally:  # the worker installs its own signal handlers
        for number, handler in handlers.items():
            signal.signal(number, handler)

    job.refresh_from_db()
    assert job.status == ImportStatus.SUCCEEDED
    assert Framework.objects.get(slug="partner").owner == city
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


def test_only_importers_create_jobs(alice: Any, city: Any) -> None:
    with pytest.raises(PermissionDenied):
        services.import_job_create(actor=alice, data=DATA, filename="partner.yaml", owner=city)
    assert not ImportJob.objects.exists()
