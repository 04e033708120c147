"""Background tasks of the matching app (django-tasks; docs/adr/0008-background-tasks.md)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django_tasks import task, task_backends
from django_tasks.backends.immediate import ImmediateBackend

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


@task()
def build_matching_index(build_id: str) -> str | None:
    """Build a matching index (an ``IndexBuild``'s public id); returns the build's final status."""
    build = services.index_build_run(build_id=build_id)
    return build.status if build else None


def tasks_run_in_process() -> bool:
    """Whether enqueued tasks run inside the enqueueing process (``TASKS_BACKEND=immediate``), not in a worker."""
    return isinstance(task_backends["default"], ImmediateBackend)


def ensure_index_build(target: str, *, in_request: bool = True) -> services.IndexStatus:
    """The status of ``target``'s index, after enqueueing a background build when none is under way.

    The build row and its task are created in one transaction; two calls at once enqueue one build (a database
    constraint). With ``TASKS_BACKEND=immediate`` a task would run inside the web request, so ``in_request``
    callers enqueue nothing there (``build_matching_index`` builds the index). Raises MatchingUnavailable when
    there is nothing to index."""
    status = services.index_status(target)
    if not services.index_build_due(status) or (in_request and tasks_run_in_process()):
        return status
    with transaction.atomic():
        build, created = services.index_build_request(target=target)
        if created:
            result = build_matching_index.enqueue(str(build.public_id))
            type(build).objects.filter(pk=build.pk).update(task_id=str(result.id))
    return services.index_status(target)


def engine_suggester() -> services.EngineSuggester:
    """The framework editor's ESCO suggester (setting ``ESCO_SKILL_SUGGESTER``): the engine, which enqueues the
    ESCO index build when the index is not ready (and suggests by words meanwhile)."""
    return services.EngineSuggester(request_build=ensure_index_build)
