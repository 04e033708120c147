"""The matching indexes are built in the background, never inside a web request (docs/matching.md, "Operations")."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.test import override_settings
from django.utils import timezone
from django_tasks import task_backends
from rest_framework.test import APIClient

from skills4cities.matching import selectors, services, tasks
from skills4cities.matching.engine import Candidate, Ranker, RankerConfig
from skills4cities.matching.engine import encoder as encoders
from skills4cities.matching.engine.candidates import ALT, LABEL, LABEL_QUERY
from skills4cities.matching.engine.index import index_files
from skills4cities.matching.models import IndexBuild
from tests.conftest import client_for
from tests.matching.conftest import SMALL_ESCO
from tests.matching.fakes import FAKE_MODEL, fake_encode

DUMMY_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
ESCO = services.TARGET_ESCO
STOPPED = "The build stopped before it finished"


def small_candidates(**_kwargs: Any) -> list[Candidate]:
    return [Candidate.build(uri=uri, label=label, alternatives=alts) for uri, label, alts in SMALL_ESCO]


class FakeModel:
    """Stands in for the e5 model: counts the texts it encodes and reports progress two texts at a time."""

    def __init__(self) -> None:
        self.encoded = 0

    def passages(
        self, texts: Sequence[str], *, progress: Callable[[int, int], None] | None = None, as_query: bool = False
    ) -> np.ndarray:
        for start in range(0, len(texts), 2):
            self.encoded += len(texts[start : start + 2])
            if progress is not None:
                progress(min(start + 2, len(texts)), len(texts))
        return fake_encode(texts)


def refuse(*_args: Any, **_kwargs: Any) -> np.ndarray:
    raise AssertionError("the encoder was called")


@pytest.fixture
def small_esco(db: Any, monkeypatch: pytest.MonkeyPatch, isolated_rankers: Path) -> Path:
    """Four ESCO skills as the candidate set, an empty cache folder and a fresh ranker memo."""
    monkeypatch.setattr(selectors, "esco_candidates", small_candidates)
    return isolated_rankers


@pytest.fixture
def model(monkeypatch: pytest.MonkeyPatch) -> FakeModel:
    fake = FakeModel()
    monkeypatch.setattr(encoders, "encode_passages", fake.passages)
    monkeypatch.setattr(encoders, "encode_queries", fake_encode)
    return fake


@pytest.fixture
def no_model(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any use of the encoder fails the test."""
    monkeypatch.setattr(encoders, "encode_passages", refuse)
    monkeypatch.setattr(encoders, "encode_queries", refuse)


@pytest.fixture
def queue(settings: Any) -> Any:
    """A task backend that only records what is enqueued (as the database queue does until a worker runs it)."""
    settings.TASKS = DUMMY_TASKS
    return task_backends["default"]


@pytest.fixture
def fake_framework(monkeypatch: pytest.MonkeyPatch, reference: Any) -> Ranker:
    elements = list(reference.elements.order_by("code")[:4])
    candidates = [Candidate.build(uri=element.code, label=element.title) for element in elements]
    ranker = Ranker(candidates, passage_encoder=fake_encode, query_encoder=fake_encode, model_id=FAKE_MODEL)
    monkeypatch.setattr(services, "framework_ranker", lambda framework=None: ranker)
    return ranker


def build_here(target: str = ESCO) -> IndexBuild:
    build, created = services.index_build_request(target=target, run_here=True)
    assert created
    services.index_build_execute(build)
    build.refresh_from_db()
    return build


# -- the files ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "config",
    [RankerConfig(), RankerConfig(kind_weights=((LABEL, 1.0), (LABEL_QUERY, 0.5), (ALT, 0.3)), max_alternatives=None)],
)
def test_index_files_are_exactly_the_files_the_ranker_writes(tmp_path: Path, config: RankerConfig) -> None:
    candidates = small_candidates()
    files = index_files(candidates, config=config, cache_dir=tmp_path, model_id=FAKE_MODEL)
    assert files.missing() == list(files.paths)
    assert not files.ready()
    Ranker(candidates, config=config, cache_dir=tmp_path, passage_encoder=fake_encode, model_id=FAKE_MODEL)
    assert sorted(tmp_path.iterdir()) == sorted(files.paths)
    assert files.ready()
    labels = sum(1 for c in candidates for v in c.variants if v.kind == LABEL)
    alternatives = sum(1 for c in candidates for v in c.variants if v.kind == ALT)
    query_weight = config.weight(LABEL_QUERY) > 0
    assert files.texts == labels * (2 if query_weight else 1) + (alternatives if config.weight(ALT) > 0 else 0)


def test_index_files_change_with_the_texts(tmp_path: Path) -> None:
    one = index_files(small_candidates(), config=RankerConfig(), cache_dir=tmp_path)
    two = index_files(small_candidates()[:3], config=RankerConfig(), cache_dir=tmp_path)
    assert one.key != two.key
    assert len(one.key) == 40


# -- status and builds -------------------------------------------------------------------------------------------


def test_status_is_missing_then_ready_after_a_build(small_esco: Path, model: FakeModel) -> None:
    status = services.index_status(ESCO)
    assert (status.state, status.done, status.total, status.percent) == ("missing", 0, 4, 0)
    build = build_here()
    assert (build.status, build.done, build.total, build.error) == ("succeeded", 4, 4, "")
    assert build.started_at is not None
    assert build.finished_at is not None
    assert model.encoded == 4
    status = services.index_status(ESCO)
    assert (status.state, status.percent) == ("ready", 100)
    services.reset_rankers()  # a new process: the ranker loads from the files without encoding
    services.esco_ranker(build=False)
    assert model.encoded == 4


def test_status_of_a_running_build_shows_its_progress(small_esco: Path) -> None:
    key = services.index_status(ESCO).key
    IndexBuild.objects.create(target=ESCO, key=key, status="running", done=43, total=100, started_at=timezone.now())
    status = services.index_status(ESCO)
    assert (status.state, status.done, status.total, status.percent, status.queued) == ("building", 43, 100, 43, False)
    assert services.index_notice(status) == "ESCO skills: the index is being prepared (43 %)."


def test_one_active_build_per_index_is_a_database_constraint(small_esco: Path) -> None:
    key = services.index_status(ESCO).key
    IndexBuild.objects.create(target=ESCO, key=key, status="queued")
    with pytest.raises(IntegrityError), transaction.atomic():
        IndexBuild.objects.create(target=ESCO, key=key, status="running")
    IndexBuild.objects.create(target=ESCO, key=key, status="failed")  # finished builds are not limited
    assert IndexBuild.objects.count() == 2


def test_two_requests_enqueue_one_build(small_esco: Path, queue: Any) -> None:
    first = tasks.ensure_index_build(ESCO)
    second = tasks.ensure_index_build(ESCO)
    build = IndexBuild.objects.get()
    assert (build.status, build.total, build.task_id != "") == ("queued", 4, True)
    assert len(queue.results) == 1
    assert queue.results[0].args == [str(build.public_id)]
    assert (first.state, first.queued, second.state, second.queued) == ("building", True, "building", True)
    again, created = services.index_build_request(target=ESCO)
    assert (again.pk, created) == (build.pk, False)


def test_the_task_builds_the_queued_index_once(small_esco: Path, queue: Any, model: FakeModel) -> None:
    tasks.ensure_index_build(ESCO)
    build_id = queue.results[0].args[0]
    assert tasks.build_matching_index.call(build_id) == "succeeded"
    assert services.index_status(ESCO).state == "ready"
    assert model.encoded == 4
    assert tasks.build_matching_index.call(build_id) == "succeeded"  # run twice: nothing to do the second time
    assert model.encoded == 4


def test_a_stale_build_is_given_up_and_enqueued_again(small_esco: Path, queue: Any, settings: Any) -> None:
    settings.MATCHING_INDEX_STALE_SECONDS = 60
    key = services.index_status(ESCO).key
    dead = IndexBuild.objects.create(target=ESCO, key=key, status="running", done=2, total=4)
    IndexBuild.objects.filter(pk=dead.pk).update(updated_at=timezone.now() - dt.timedelta(seconds=61))
    status = services.index_status(ESCO)
    assert status.state == "failed"
    assert status.error.startswith(STOPPED)
    status = tasks.ensure_index_build(ESCO)
    assert (status.state, status.queued) == ("building", True)
    dead.refresh_from_db()
    assert (dead.status, dead.stopped) == ("failed", True)
    assert dead.error.startswith(STOPPED)
    assert IndexBuild.objects.filter(status="queued").count() == 1
    assert len(queue.results) == 1
    # the dead worker's task, if it ever ran again, finds its build given up and does nothing
    assert services.index_build_run(build_id=str(dead.public_id)) == dead


def test_a_running_build_with_a_recent_sign_of_life_is_left_alone(small_esco: Path, queue: Any) -> None:
    key = services.index_status(ESCO).key
    alive = IndexBuild.objects.create(target=ESCO, key=key, status="running", done=2, total=4)
    assert tasks.ensure_index_build(ESCO).state == "building"
    assert list(IndexBuild.objects.values_list("pk", "status")) == [(alive.pk, "running")]
    assert queue.results == []


def test_a_failed_build_records_the_error_and_is_retried_later(
    small_esco: Path, queue: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_args: Any, **_kwargs: Any) -> np.ndarray:
        raise RuntimeError("out of memory")

    monkeypatch.setattr(encoders, "encode_passages", broken)
    tasks.ensure_index_build(ESCO)
    assert tasks.build_matching_index.call(queue.results[0].args[0]) == "failed"
    status = services.index_status(ESCO)
    assert (status.state, status.error) == ("failed", "The index could not be built: out of memory")
    assert tasks.ensure_index_build(ESCO).state == "failed"  # not retried at once
    assert len(queue.results) == 1
    IndexBuild.objects.update(finished_at=timezone.now() - dt.timedelta(seconds=181))
    assert tasks.ensure_index_build(ESCO).state == "building"
    assert len(queue.results) == 2


def test_with_tasks_run_in_process_requests_enqueue_nothing(small_esco: Path, no_model: None) -> None:
    status = tasks.ensure_index_build(ESCO)  # the test settings use the immediate backend
    assert status.state == "missing"
    assert not IndexBuild.objects.exists()


# -- the page, the API and the suggestions --------------------------------------------------------------------------


def test_the_page_shows_elements_and_the_esco_index_in_preparation_without_encoding(
    alice: Any, small_esco: Path, no_model: None, queue: Any, fake_framework: Ranker
) -> None:
    element = fake_framework.candidates[0]
    response = client_for(alice).post("/matching/", {"text": f"I manage budgets. {element.label}."})
    assert response.status_code == 200
    body = response.content.decode()
    assert f'data-testid="cv-element-{element.uri}"' in body
    assert 'data-index-state="building"' in body
    assert "ESCO skills: the index is being prepared (0 %)." in body
    assert 'hx-trigger="every 2s"' in body
    assert 'data-testid="esco-index-progress"' in body
    assert "Waiting for the background worker to start." in body
    assert 'data-testid="cv-skill"' not in body
    assert len(queue.results) == 1
    assert IndexBuild.objects.get().status == "queued"


def test_the_page_shows_the_progress_of_the_running_build(
    alice: Any, small_esco: Path, no_model: None, queue: Any, fake_framework: Ranker
) -> None:
    key = services.index_status(ESCO).key
    IndexBuild.objects.create(target=ESCO, key=key, status="running", done=43, total=100)
    body = client_for(alice).post("/matching/", {"text": "I manage budgets."}).content.decode()
    assert "ESCO skills: the index is being prepared (43 %)." in body
    assert 'value="43"' in body
    assert queue.results == []


def test_the_poll_shows_progress_then_the_skills(
    alice: Any, small_esco: Path, queue: Any, model: FakeModel, django_assert_max_num_queries: Any
) -> None:
    client = client_for(alice)
    client.post("/matching/esco-skills/", {"text": "I manage budgets."})  # enqueues the build
    with django_assert_max_num_queries(8):  # each poll while it builds: session, user, release, build
        body = client.post("/matching/esco-skills/", {"text": "I manage budgets."}).content.decode()
    assert 'data-index-state="building"' in body
    assert 'hx-trigger="every 2s"' in body
    assert model.encoded == 0
    tasks.build_matching_index.call(queue.results[0].args[0])  # the worker
    services.reset_rankers()  # the web process has no ranker in memory
    model.encoded = 0
    body = client.post("/matching/esco-skills/", {"text": "I manage budgets."}).content.decode()
    assert body.count('data-testid="cv-skill"') == 4
    assert "hx-trigger" not in body
    assert "“I manage budgets.”" in body
    assert model.encoded == 0


def test_the_page_without_a_worker_says_how_to_build_the_index(
    alice: Any, small_esco: Path, no_model: None, fake_framework: Ranker
) -> None:
    body = client_for(alice).post("/matching/", {"text": "I manage budgets."}).content.decode()
    assert 'data-index-state="missing"' in body
    assert "skills4cities build_matching_index" in body
    assert not IndexBuild.objects.exists()


def test_the_api_answers_503_index_not_ready_with_retry_after(
    alice: Any, small_esco: Path, no_model: None, queue: Any
) -> None:
    client = APIClient()
    client.force_authenticate(alice)
    response = client.post("/api/v1/matching/match/", {"text": "I manage budgets."}, format="json")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response.json()["error"] == {
        "code": "index_not_ready",
        "message": "The esco index is being prepared (0 %); try again later.",
        "details": {"target": "esco", "state": "building", "done": 0, "total": 4, "percent": 0, "error": ""},
    }
    assert len(queue.results) == 1
    client.post("/api/v1/matching/match/", {"text": "I manage budgets."}, format="json")
    assert len(queue.results) == 1


@override_settings(ESCO_SKILL_SUGGESTER="skills4cities.matching.tasks.engine_suggester")
def test_suggestions_say_the_index_is_being_prepared_and_match_words_meanwhile(
    alice: Any, small_esco: Path, no_model: None, queue: Any
) -> None:
    body = client_for(alice).get("/esco/suggest/", {"text": "manage budgets"}, HTTP_HX_REQUEST="true")
    text = body.content.decode()
    assert "ESCO skills: the index is being prepared (0 %). Until it is ready, these suggestions match words only." in (
        text
    )
    assert 'data-testid="esco-suggestions"' in text  # the lexical suggester's matches over the database
    assert len(queue.results) == 1


@override_settings(ESCO_SKILL_SUGGESTER="skills4cities.matching.tasks.engine_suggester")
def test_suggestions_come_from_the_engine_once_the_index_is_ready(
    alice: Any, small_esco: Path, model: FakeModel
) -> None:
    build_here()
    text = client_for(alice).get("/esco/suggest/", {"text": "manage budgets"}, HTTP_HX_REQUEST="true")
    body = text.content.decode()
    assert 'data-testid="esco-suggest-notice"' not in body
    assert body.count("<li") == 4  # the four skills of the small index


# -- the commands --------------------------------------------------------------------------------------------------


def run(command: str, *args: str) -> str:
    err = io.StringIO()
    call_command(command, *args, stdout=io.StringIO(), stderr=err)
    return err.getvalue()


def test_the_command_builds_cold_with_progress_and_is_idempotent(
    small_esco: Path, model: FakeModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    err = run("build_matching_index", "--target", "esco")
    assert err.splitlines()[0] == "esco: building the index of 4 texts …"
    assert "esco: 2/4 texts encoded (50 %)" in err
    assert "esco: 4/4 texts encoded (100 %)" in err
    assert err.splitlines()[-1].startswith("esco: the index is ready (")
    assert IndexBuild.objects.get().status == "succeeded"
    monkeypatch.setattr(encoders, "encode_passages", refuse)
    services.reset_rankers()
    assert run("build_matching_index", "--target", "esco") == "esco: the index is ready (4 texts).\n"
    assert IndexBuild.objects.count() == 1


def test_the_command_builds_both_indexes_and_takes_over_a_queued_build(
    small_esco: Path, model: FakeModel, queue: Any, reference: Any
) -> None:
    tasks.ensure_index_build(ESCO)  # queued, but no worker runs
    err = run("build_matching_index")
    assert "esco: the index is ready (" in err
    assert "framework: the index is ready (" in err
    assert services.index_status(services.TARGET_FRAMEWORK).state == "ready"
    assert sorted(IndexBuild.objects.values_list("target", "status")) == [
        ("esco", "succeeded"),
        ("framework", "succeeded"),
    ]
    assert tasks.build_matching_index.call(queue.results[0].args[0]) == "succeeded"  # the late task does nothing
    assert model.encoded == 4 + reference.elements.count()


def test_the_command_enqueues_for_the_worker(small_esco: Path, queue: Any, no_model: None) -> None:
    err = run("build_matching_index", "--target", "esco", "--enqueue")
    assert err == "esco: a background build is queued or running (0 %).\n"
    assert len(queue.results) == 1
    assert run("build_matching_index", "--target", "esco", "--enqueue") == err  # still one build
    assert len(queue.results) == 1


def test_make_demo_enqueues_again_a_build_its_last_worker_left_running(
    small_esco: Path, queue: Any, no_model: None
) -> None:
    key = services.index_status(ESCO).key
    left = IndexBuild.objects.create(target=ESCO, key=key, status="running", done=2, total=4)  # a recent sign of life
    err = run("build_matching_index", "--target", "esco", "--enqueue", "--fail-running")
    assert err.splitlines() == [
        "esco: a build its worker left unfinished was marked failed.",
        "esco: a background build is queued or running (0 %).",
    ]
    left.refresh_from_db()
    assert left.status == "failed"
    assert IndexBuild.objects.filter(status="queued").count() == 1
    assert len(queue.results) == 1


def test_the_command_refuses_unknown_targets(db: Any) -> None:
    with pytest.raises(CommandError, match="Unknown target 'skills'") as raised:
        call_command("build_matching_index", "--target", "skills")
    assert raised.value.returncode == 2


def test_match_text_reports_progress_on_a_cold_start(small_esco: Path, model: FakeModel) -> None:
    out, err = io.StringIO(), io.StringIO()
    call_command("match_text", "I manage budgets", "--top", "1", stdout=out, stderr=err)
    assert "manage budgets" in out.getvalue()
    assert err.getvalue().splitlines()[0] == "Building the index of the ESCO skills (first run; cached afterwards) …"
    assert "4/4 texts encoded (100 %)" in err.getvalue()
    services.reset_rankers()
    err = io.StringIO()
    call_command("match_text", "I manage budgets", "--top", "1", stdout=io.StringIO(), stderr=err)
    assert err.getvalue() == ""
