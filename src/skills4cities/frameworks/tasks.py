"""Background tasks of the frameworks app (django-tasks; docs/adr/0008-background-tasks.md)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django_tasks import task

from skills4cities.frameworks import services
from skills4cities.frameworks.models import ImportJob


@task()
def run_framework_import(job_id: str) -> str | None:
    """Import the file of a queued import job (its public id); returns the job's final status."""
    job = services.import_job_run(job_id=job_id)
    return job.status if job else None


@transaction.atomic
def submit_framework_import(
    *, actor: Any, data: bytes, filename: str, format: str = "", owner: Any = None
) -> ImportJob:
    """Keep the upload as an import job and enqueue its task, both in one transaction (the database
    queue then never holds a task without its job, nor a job without its task)."""
    job = services.import_job_create(actor=actor, data=data, filename=filename, format=format, owner=owner)
    result = run_framework_import.enqueue(str(job.public_id))
    services.import_job_attach_task(job=job, task_id=str(result.id))
    return job
