"""Background tasks of the matching app (django-tasks; docs/adr/0008-background-tasks.md)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django_tasks import task

from skills4cities.matching import services


@task()
def run_corpus_job(job_id: str) -> str | None:
    """Analyse the documents of a queued corpus job (its public id); returns the job's final status."""
    job = services.corpus_job_run(job_id=job_id)
    return job.status if job else None


@transaction.atomic
def submit_corpus_job(*, owner: Any, title: str, documents: list[dict[str, str]], role: Any = None) -> Any:
    """Store the corpus job and enqueue its task in one transaction (the database queue then never holds a task
    without its job, nor a job without its task)."""
    job = services.corpus_job_create(owner=owner, title=title, documents=documents, role=role)
    result = run_corpus_job.enqueue(str(job.public_id))
    type(job).objects.filter(pk=job.pk).update(task_id=str(result.id))
    job.refresh_from_db()
    return job
