"""Matching services: the rankers the CLI, the pages, the API and the ESCO suggester share.

Three candidate sets: ``label_ranker(path)`` (a fixed label list, enriched with the alternative labels and
descriptions of the shipped ESCO bundle — the benchmark's set), ``esco_ranker()`` (the released ESCO skills of
the database) and ``framework_ranker()`` (the elements of the current reference framework version, every
language). Rankers are built once per process and candidate set; their embeddings are cached on disk in
``MATCHING_CACHE_DIR`` (see ``docs/matching.md``).
"""

from __future__ import annotations

import datetime as dt
import logging
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from skills4cities.matching import selectors
from skills4cities.matching.engine import Candidate, Match, Ranker, RankerConfig
from skills4cities.matching.engine import sources as engine_sources
from skills4cities.matching.engine.index import IndexFiles, index_files
from skills4cities.matching.enums import IndexBuildStatus
from skills4cities.matching.models import ACTIVE_BUILD_STATUSES, IndexBuild

TARGET_ESCO = "esco"
TARGET_FRAMEWORK = "framework"
TARGETS = (TARGET_ESCO, TARGET_FRAMEWORK)
MAX_TOP = 100
MAX_SUGGEST_CHARS = 2000

_lock = threading.RLock()
_rankers: dict[Hashable, Ranker] = {}


def cache_dir() -> Path:
    return Path(getattr(settings, "MATCHING_CACHE_DIR", Path(settings.VAR_DIR) / "cache" / "matching"))


def default_config() -> RankerConfig:
    return RankerConfig()


def _bundle_path() -> Path:
    from skills4cities.esco.services import BUNDLE_PATH

    return Path(getattr(settings, "MATCHING_LABEL_VARIANTS", "") or BUNDLE_PATH)


def _priors() -> dict[str, float]:
    path = getattr(settings, "MATCHING_LABEL_PRIORS", "")
    return engine_sources.read_priors(path) if path and Path(path).exists() else {}


def _memoised(key: Hashable, build: Callable[[], Ranker], *, reuse: bool) -> Ranker:
    with _lock:
        ranker = _rankers.get(key) if reuse else None
        if ranker is None:
            ranker = build()
            _rankers[key] = ranker
        return ranker


def reset_rankers() -> None:
    with _lock:
        _rankers.clear()
        _files.clear()


def label_ranker(
    path: Path | str,
    *,
    config: RankerConfig | None = None,
    cache_dir: Path | None = None,
    reuse: bool = True,
    progress: Callable[[int, int], None] | None = None,
) -> Ranker:
    """A ranker over the labels listed in ``path`` (one per line), as ``match_text --labels`` uses it.

    A label that is the preferred label of a skill in the shipped ESCO bundle gets that skill's URI,
    alternative labels and description as variants; other labels stand alone (``uri`` empty).
    """
    path = Path(path)
    config = config or default_config()
    folder = cache_dir or globals()["cache_dir"]()
    stat = path.stat()
    priors = str(getattr(settings, "MATCHING_LABEL_PRIORS", ""))
    key = ("labels", str(path.resolve()), stat.st_mtime_ns, stat.st_size, config, str(folder), priors)

    def build() -> Ranker:
        labels = engine_sources.read_labels(path)
        records = engine_sources.bundle_skills(_bundle_path())
        candidates = engine_sources.label_candidates(
            labels,
            records,
            priors=_priors(),
            descriptions=config.descriptions,
            max_alternatives=config.max_alternatives,
        )
        return Ranker(candidates, config=config, cache_dir=folder, progress=progress)

    return _memoised(key, build, reuse=reuse)


def match_texts(
    texts: Sequence[str],
    *,
    target: str = TARGET_ESCO,
    top: int = 10,
    labels: Path | str | None = None,
    split: bool | None = None,
    build: bool = True,
) -> list[list[Match]]:
    """The ``top`` best matches for each text, best first. ``split`` ranks a text sentence by sentence (pages and
    API: long texts); by default each text is ranked whole (``match_text``: one input line, one text).

    ``build=False`` (web requests) never builds the ESCO index here: IndexNotReady when it is not ready."""
    ranker = label_ranker(labels) if labels is not None else ranker_for(target, build=build)
    return ranker.rank(list(texts), top=max(0, min(top, MAX_TOP)), split=split)


def ranker_for(target: str, *, build: bool = True) -> Ranker:
    if target == TARGET_ESCO:
        return esco_ranker() if build else esco_ranker(build=False)
    if target == TARGET_FRAMEWORK:
        return framework_ranker()  # a few dozen elements: built in seconds wherever it is needed
    raise ValueError(f"unknown target {target!r}")


class MatchingUnavailable(Exception):
    """Nothing to rank: no ESCO skills loaded, or no framework."""


def esco_ranker(*, progress: Callable[[int, int], None] | None = None, build: bool = True) -> Ranker:
    """A ranker over the released ESCO skills of the database (rebuilt when a new release is loaded).

    When the index is not cached, ``build=True`` builds it here (minutes; recorded as an ``IndexBuild`` so that
    pages show its progress) and ``build=False`` raises IndexNotReady without encoding anything."""
    key = _esco_memo_key()
    with _lock:
        ranker = _rankers.get(key)
    if ranker is not None:
        return ranker
    status = index_status(TARGET_ESCO)
    if status.state != INDEX_READY:
        if not build:
            raise IndexNotReady(status)
        return _build_recorded(TARGET_ESCO, progress=progress)
    encoder = None if build else _refuse_encoding(TARGET_ESCO)
    return _memoised(
        key,
        lambda: Ranker(_esco_candidates(), config=default_config(), cache_dir=cache_dir(), passage_encoder=encoder),
        reuse=True,
    )


def framework_ranker(framework: Any = None) -> Ranker:
    """A ranker over the elements of ``framework`` (default: the current reference framework version)."""
    framework = framework or selectors.reference_framework()
    if framework is None:
        raise MatchingUnavailable(_("No framework is loaded: run load_reference first."))
    return _memoised(_framework_memo_key(framework), lambda: _framework_ranker_build(framework), reuse=True)


def _framework_ranker_build(framework: Any, progress: Callable[[int, int], None] | None = None) -> Ranker:
    return Ranker(_framework_candidates(framework), config=default_config(), cache_dir=cache_dir(), progress=progress)


def _esco_memo_key() -> tuple[Hashable, ...]:
    return ("esco", selectors.esco_release_key(), default_config(), str(cache_dir()))


def _framework_memo_key(framework: Any) -> tuple[Hashable, ...]:
    return ("framework", selectors.framework_key(framework), default_config(), str(cache_dir()))


def _esco_candidates() -> list[Candidate]:
    config = default_config()
    candidates = selectors.esco_candidates(descriptions=config.descriptions, max_alternatives=config.max_alternatives)
    if not candidates:
        raise MatchingUnavailable(_("No ESCO skills are loaded: run load_reference or import_esco first."))
    return candidates


def _framework_candidates(framework: Any) -> list[Candidate]:
    candidates = selectors.framework_candidates(framework)
    if not candidates:
        raise MatchingUnavailable(_("The framework has no elements to match."))
    return candidates


# -- index status and background builds (docs/matching.md, "Operations") ---------------------------------------

INDEX_READY = "ready"  # every cache file is there: a ranker loads in well under a second
INDEX_BUILDING = "building"  # a build is queued or running (``done`` of ``total`` texts encoded)
INDEX_MISSING = "missing"  # not built, and no build is queued
INDEX_FAILED = "failed"  # the last build failed (``error``) or stopped without finishing
QUEUED_STALE_FACTOR = 20  # a build no worker started within 20 × MATCHING_INDEX_STALE_SECONDS is given up

_files: dict[Hashable, IndexFiles] = {}


@dataclass(frozen=True)
class IndexStatus:
    target: str
    state: str
    done: int = 0
    total: int = 0
    error: str = ""
    key: str = ""
    queued: bool = False  # building, but no worker has started it yet
    since: dt.datetime | None = None  # when the build was requested (building) or ended (failed)
    stopped: bool = False  # failed: the build stopped without a sign of life (its worker died)

    @property
    def ready(self) -> bool:
        return self.state == INDEX_READY

    @property
    def percent(self) -> int:
        if self.state == INDEX_READY:
            return 100
        return min(99, int(100 * self.done / self.total)) if self.total else 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "target": self.target,
            "state": self.state,
            "done": self.done,
            "total": self.total,
            "percent": self.percent,
            "error": self.error,
        }


class IndexNotReady(Exception):
    """The index of a target is not built yet; ``status`` says whether a build is under way."""

    def __init__(self, status: IndexStatus) -> None:
        super().__init__(f"the {status.target} index is {status.state}")
        self.status = status


def _stale_seconds() -> int:
    return int(getattr(settings, "MATCHING_INDEX_STALE_SECONDS", 180))


def _index_files(target: str) -> IndexFiles:
    """The cache files of ``target``'s index (computed from the candidate texts once per candidate set)."""
    if target == TARGET_ESCO:
        memo_key: Hashable = _esco_memo_key()
        load: Callable[[], list[Candidate]] = _esco_candidates
    elif target == TARGET_FRAMEWORK:
        framework = selectors.reference_framework()
        if framework is None:
            raise MatchingUnavailable(_("No framework is loaded: run load_reference first."))
        memo_key = _framework_memo_key(framework)

        def load() -> list[Candidate]:
            return _framework_candidates(framework)
    else:
        raise ValueError(f"unknown target {target!r}")
    with _lock:
        files = _files.get(memo_key)
    if files is None:
        files = index_files(load(), config=default_config(), cache_dir=cache_dir())
        with _lock:
            _files[memo_key] = files
    return files


def _is_stale(build: IndexBuild, now: dt.datetime) -> bool:
    if build.status == IndexBuildStatus.RUNNING:
        return build.updated_at < now - dt.timedelta(seconds=_stale_seconds())
    if build.status == IndexBuildStatus.QUEUED:
        return build.created_at < now - dt.timedelta(seconds=_stale_seconds() * QUEUED_STALE_FACTOR)
    return False


def _stopped_message() -> str:
    return _("The build stopped before it finished (the background worker was stopped or crashed).")


def index_status(target: str) -> IndexStatus:
    """Whether ``target``'s index is ready, being built (progress), missing or failed — without encoding anything.

    Ready means every cache file the ranker reads exists for the current candidate texts, configuration and
    model. Raises MatchingUnavailable when there is nothing to index (no ESCO skills, no framework)."""
    files = _index_files(target)
    if files.ready():
        return IndexStatus(target, INDEX_READY, done=files.texts, total=files.texts, key=files.key)
    build = selectors.latest_index_build(files.key)
    if build is None or build.status == IndexBuildStatus.SUCCEEDED:  # never built, or its files were deleted
        return IndexStatus(target, INDEX_MISSING, total=files.texts, key=files.key)
    if build.status in ACTIVE_BUILD_STATUSES:
        if _is_stale(build, timezone.now()):
            return IndexStatus(
                target, INDEX_FAILED, build.done, build.total, _stopped_message(), files.key, stopped=True
            )
        return IndexStatus(
            target,
            INDEX_BUILDING,
            done=build.done,
            total=build.total or files.texts,
            key=files.key,
            queued=build.status == IndexBuildStatus.QUEUED,
            since=build.created_at,
        )
    return IndexStatus(
        target,
        INDEX_FAILED,
        build.done,
        build.total,
        build.error,
        files.key,
        since=build.finished_at or build.updated_at,
        stopped=build.stopped,
    )


def index_build_due(status: IndexStatus) -> bool:
    """Whether a new build should be requested: none is under way and the index is missing, or the last build
    stopped without a sign of life, or it failed more than MATCHING_INDEX_STALE_SECONDS ago."""
    if status.state == INDEX_MISSING:
        return True
    if status.state != INDEX_FAILED:
        return False
    if status.stopped or status.since is None:
        return True
    return status.since < timezone.now() - dt.timedelta(seconds=_stale_seconds())


def index_build_request(*, target: str, run_here: bool = False) -> tuple[IndexBuild, bool]:
    """The queued or running build of ``target``'s index, or a new one: ``(build, created)``.

    A new build is *queued* (the caller enqueues its task in the same transaction), or *running* with
    ``run_here`` (the caller builds it in this process). At most one build per index is queued or running —
    a database constraint, so two requests at once create one build. Builds without a sign of life for
    MATCHING_INDEX_STALE_SECONDS (queued ones: 20 times as long) are marked failed first."""
    files = _index_files(target)
    now = timezone.now()
    stale = dt.timedelta(seconds=_stale_seconds())
    stopped = {
        "status": IndexBuildStatus.FAILED,
        "error": _stopped_message()[:300],
        "stopped": True,
        "finished_at": now,
    }
    with transaction.atomic():
        running = IndexBuild.objects.filter(key=files.key, status=IndexBuildStatus.RUNNING)
        running.filter(updated_at__lt=now - stale).update(**stopped, updated_at=now)
        queued = IndexBuild.objects.filter(key=files.key, status=IndexBuildStatus.QUEUED)
        queued.filter(created_at__lt=now - stale * QUEUED_STALE_FACTOR).update(**stopped, updated_at=now)
        try:
            with transaction.atomic():
                build = IndexBuild.objects.create(
                    target=target,
                    key=files.key,
                    total=files.texts,
                    status=IndexBuildStatus.RUNNING if run_here else IndexBuildStatus.QUEUED,
                    started_at=now if run_here else None,
                )
        except IntegrityError:
            existing = IndexBuild.objects.filter(key=files.key, status__in=ACTIVE_BUILD_STATUSES).first()
            if existing is None:
                raise
            return existing, False
    return build, True


def index_builds_fail_running(*, target: str) -> int:
    """Mark the running builds of ``target``'s index failed ("stopped before it finished"): for use when no worker
    runs (``make demo`` before it starts its worker), so that a build its last worker left behind is enqueued
    again at once. Returns how many were marked."""
    files = _index_files(target)
    now = timezone.now()
    return IndexBuild.objects.filter(key=files.key, status=IndexBuildStatus.RUNNING).update(
        status=IndexBuildStatus.FAILED, error=_stopped_message()[:300], stopped=True, finished_at=now, updated_at=now
    )


def index_build_claim(*, build_id: Any) -> IndexBuild | None:
    """Start a queued build in this process: the build, running, or None when another process claimed it first
    (or it was given up as stale). One conditional UPDATE, so two workers never run the same build."""
    now = timezone.now()
    claimed = IndexBuild.objects.filter(public_id=build_id, status=IndexBuildStatus.QUEUED).update(
        status=IndexBuildStatus.RUNNING, started_at=now, updated_at=now
    )
    return IndexBuild.objects.filter(public_id=build_id).first() if claimed else None


def index_build_run(*, build_id: str) -> IndexBuild | None:
    """Run a queued build (the task): claim it (one worker only), build the index, record the outcome."""
    build = index_build_claim(build_id=build_id)
    if build is None:
        return IndexBuild.objects.filter(public_id=build_id).first()  # already run, given up or gone: nothing to do
    try:
        index_build_execute(build)
    except Exception:  # recorded on the build; the task ends normally
        logging.getLogger(__name__).exception("matching index build %s failed", build.public_id)
    return build


def index_build_execute(build: IndexBuild, *, progress: Callable[[int, int], None] | None = None) -> Ranker:
    """Build the index of a running ``build`` in this process; progress is saved at most once a second.

    The cache files are written atomically, so a build that dies half-way leaves only complete files.
    Records success or failure on ``build`` (and re-raises the failure)."""
    last = [0.0]

    def report(done: int, total: int) -> None:
        if progress is not None:
            progress(done, total)
        if time.monotonic() - last[0] >= 1.0 or done >= total:
            last[0] = time.monotonic()
            IndexBuild.objects.filter(pk=build.pk).update(done=done, total=total, updated_at=timezone.now())

    try:
        files = _index_files(build.target)
        if files.key != build.key:
            raise MatchingUnavailable(_("The texts to index changed since this build was requested."))
        if build.target == TARGET_ESCO:
            ranker = _memoised(
                _esco_memo_key(),
                lambda: Ranker(_esco_candidates(), config=default_config(), cache_dir=cache_dir(), progress=report),
                reuse=False,
            )
        else:
            framework = selectors.reference_framework()
            ranker = _memoised(
                _framework_memo_key(framework), lambda: _framework_ranker_build(framework, report), reuse=False
            )
    except Exception as exc:
        if isinstance(exc, MatchingUnavailable):
            message = str(exc)
        else:
            message = _("The index could not be built: %(error)s") % {"error": exc}
        build.status, build.error, build.finished_at = IndexBuildStatus.FAILED, message[:300], timezone.now()
        build.save(update_fields=["status", "error", "finished_at", "updated_at"])
        raise
    build.refresh_from_db(fields=["total"])
    build.status, build.done, build.error = IndexBuildStatus.SUCCEEDED, build.total, ""
    build.finished_at = timezone.now()
    build.save(update_fields=["status", "done", "error", "finished_at", "updated_at"])
    return ranker


def _build_recorded(target: str, *, progress: Callable[[int, int], None] | None = None) -> Ranker:
    """Build ``target``'s index in this process, recorded as an IndexBuild (unless another process builds it)."""
    build, created = index_build_request(target=target, run_here=True)
    if created:
        return index_build_execute(build, progress=progress)
    if target == TARGET_ESCO:  # another process is building it: build here too (the files are written atomically)
        return _memoised(
            _esco_memo_key(),
            lambda: Ranker(_esco_candidates(), config=default_config(), cache_dir=cache_dir(), progress=progress),
            reuse=True,
        )
    return framework_ranker()


def _refuse_encoding(target: str) -> Callable[[Sequence[str]], np.ndarray]:
    """An encoder for web requests: a cache file that vanished since the status check is not rebuilt here."""

    def refuse(_texts: Sequence[str]) -> np.ndarray:
        raise IndexNotReady(IndexStatus(target, INDEX_MISSING))

    return refuse


def framework_label(framework: Any = None) -> str:
    """``slug@version`` of the framework ``target=framework`` ranks."""
    framework = framework or selectors.reference_framework()
    if framework is None:
        raise MatchingUnavailable(_("No framework is loaded: run load_reference first."))
    return f"{framework.slug}@{framework.version}"


@dataclass(frozen=True)
class Analysis:
    """What a text evidences: framework elements and ESCO skills, each best first with its sentence."""

    sentences: int
    elements: list[Match]
    skills: list[Match]
    problems: list[str]
    esco_index: IndexStatus | None = None  # set when the ESCO index is not ready (no skills were ranked)


def analyse_text(text: str, *, top: int = 10) -> Analysis:
    """Framework elements and ESCO skills ``text`` evidences (each list empty when its index is unavailable).

    Never builds the ESCO index: when it is not ready, ``esco_index`` says so and ``skills`` is empty."""
    from skills4cities.matching.engine.text import split_sentences

    problems: list[str] = []
    found: dict[str, list[Match]] = {}
    pending: IndexStatus | None = None
    for target in (TARGET_FRAMEWORK, TARGET_ESCO):
        try:
            (found[target],) = match_texts([text], target=target, top=top, split=True, build=False)
        except IndexNotReady as exc:
            found[target], pending = [], exc.status
        except MatchingUnavailable as exc:
            found[target] = []
            problems.append(str(exc))
    return Analysis(
        sentences=len(split_sentences(text)),
        elements=found[TARGET_FRAMEWORK],
        skills=found[TARGET_ESCO],
        problems=problems,
        esco_index=pending,
    )


def index_notice(status: IndexStatus) -> str:
    """One sentence for a page: the ESCO index is being prepared (with its progress), missing or failed."""
    if status.state == INDEX_BUILDING:
        return _("ESCO skills: the index is being prepared (%(percent)s %%).") % {"percent": status.percent}
    if status.state == INDEX_FAILED:
        return _("ESCO skills: the index could not be prepared: %(error)s") % {"error": status.error}
    if status.state == INDEX_MISSING:
        return _(
            "ESCO skills: the index has not been built yet. An administrator builds it with "
            "“skills4cities build_matching_index”."
        )
    return ""


def relative_strength(matches: Sequence[Match]) -> list[float]:
    """0 … 1 per match for a bar: e5 scores sit in a narrow band, so the list is scaled from its own spread."""
    if not matches:
        return []
    best, worst = matches[0].score, matches[-1].score
    spread = best - worst
    if spread <= 1e-9:
        return [1.0 for _ in matches]
    return [round(0.25 + 0.75 * (match.score - worst) / spread, 3) for match in matches]


def element_for_code(code: str) -> Any:
    """The element ``code`` of the reference framework version the matcher ranks."""
    framework = selectors.reference_framework()
    element = selectors.element_of(framework, code) if framework is not None and code else None
    if element is None:
        raise MatchingUnavailable(_("No such element."))
    return element


def add_to_portfolio(*, owner: Any, element: Any, sentence: str) -> Any:
    """A portfolio item (a description) that evidences ``element`` with the supporting sentence."""
    try:
        from skills4cities.portfolio.services import evidence_item_create
    except ImportError:  # the portfolio app is optional
        raise MatchingUnavailable(_("The portfolio is not available.")) from None
    from django.core.exceptions import ValidationError

    try:
        return evidence_item_create(
            owner=owner,
            title=(_("%(code)s %(title)s (from a text analysis)") % {"code": element.code, "title": element.title})[
                :200
            ],
            description=sentence,
            element_codes=[element.code],
        )
    except ValidationError as exc:
        raise MatchingUnavailable(" ".join(exc.messages)) from None


def self_assessment_step(user: Any, element: Any) -> str | None:
    """The URL of the step of the learner's newest draft self-assessment that asks about ``element``; else None."""
    from django.urls import reverse

    from skills4cities.assessments import selectors as assessment_selectors

    for assessment in assessment_selectors.assessments_of(user):
        if assessment.status != "draft":
            continue
        for step in assessment_selectors.assessment_steps(assessment):
            if any(item.element.code == element.code for item in step.elements):
                url = reverse("assessments:detail", args=[assessment.public_id])
                return f"{url}?step={step.number}#element-{element.code}"
    return None


class EngineSuggester:
    """The ``SkillSuggester`` of ``esco.suggest`` backed by the ESCO ranker (setting ``ESCO_SKILL_SUGGESTER``).

    It never builds the ESCO index inside a request: until the index is ready it asks ``request_build`` for a
    background build (``tasks.engine_suggester`` passes the one that enqueues it), sets ``notice`` to say that
    the index is being prepared, and answers with the lexical suggester's word matches meanwhile."""

    def __init__(self, request_build: Callable[[str], IndexStatus] | None = None) -> None:
        self.request_build = request_build
        self.notice = ""

    def suggest(self, text: str, *, limit: int = 10) -> list[Any]:
        from skills4cities.esco.suggest import Suggestion, lexical_suggester

        if not text.strip() or limit <= 0:
            return []
        try:
            ranker = esco_ranker(build=False)
        except MatchingUnavailable:
            return []
        except IndexNotReady as exc:
            status = self.request_build(TARGET_ESCO) if self.request_build is not None else exc.status
            self.notice = " ".join((index_notice(status), _("Until it is ready, these suggestions match words only.")))
            return lexical_suggester().suggest(text, limit=limit)
        # An element's title and description are one piece: rank it whole, not sentence by sentence.
        (matches,) = ranker.rank([" ".join(text.split())[:MAX_SUGGEST_CHARS]], top=limit, split=False)
        return [Suggestion(uri=match.uri, label=match.label, score=match.score) for match in matches]


def engine_suggester() -> EngineSuggester:
    """The engine suggester without background builds (``tasks.engine_suggester`` also enqueues the build)."""
    return EngineSuggester()


# -- uploaded documents ---------------------------------------------------------------------------------------


class UnreadableDocument(Exception):
    """An uploaded file that is too large, of an unsupported type, or without readable text."""


PDF_TIMEOUT_SECONDS = 60


def text_of_upload(upload: Any, *, max_bytes: int) -> str:
    """The text of an uploaded .txt (UTF-8, else Windows-1252) or .pdf file (``pdftotext`` from poppler-utils)."""
    name = (getattr(upload, "name", "") or "").lower()
    if upload.size > max_bytes:
        raise UnreadableDocument(
            _("The file is too large (%(size)s MB; at most %(limit)s MB).")
            % {"size": round(upload.size / 1_048_576, 1), "limit": round(max_bytes / 1_048_576, 1)}
        )
    data = b"".join(upload.chunks())
    if name.endswith(".pdf") or data.startswith(b"%PDF-"):
        return _pdf_text(data)
    if name.endswith((".txt", ".text", ".md")) or not name or "." not in name:
        if b"\x00" in data[:4096]:
            raise UnreadableDocument(_("This is not a text file."))
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError:
            return data.decode("cp1252", errors="replace")
    raise UnreadableDocument(_("Upload a .txt or .pdf file."))


def _pdf_text(data: bytes) -> str:
    tool = shutil.which("pdftotext")
    if tool is None:
        raise UnreadableDocument(_("PDF files cannot be read on this server (pdftotext is not installed)."))
    with tempfile.NamedTemporaryFile(suffix=".pdf") as source:
        source.write(data)
        source.flush()
        try:
            result = subprocess.run(  # noqa: S603 - a fixed tool on a temporary file we wrote
                [tool, "-q", "-enc", "UTF-8", source.name, "-"],
                capture_output=True,
                timeout=PDF_TIMEOUT_SECONDS,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise UnreadableDocument(_("The PDF file took too long to read.")) from None
    text = result.stdout.decode("utf-8", errors="replace")
    if result.returncode != 0 or not text.strip():
        raise UnreadableDocument(_("No text could be read from this PDF file (a scan without a text layer?)."))
    return text


# -- corpus → competencies map ----------------------------------------------------------------------------------

CORPUS_MAX_DOCUMENTS = 500
CORPUS_TOP = 10  # a competence "occurs" in a document when it is among the document's ten best matches
CORPUS_PAIRS = 20
CSV_TEXT_COLUMNS = ("text", "description", "content", "body", "job description", "ad")


def corpus_documents(uploads: Sequence[Any], *, max_bytes: int) -> list[dict[str, str]]:
    """``[{name, text}]`` from uploaded .txt and .pdf files (one document each) and .csv files (one per row of
    the column ``text``, or ``description``/``content``/``body``). Raises UnreadableDocument naming the file."""
    import csv
    import io

    total = sum(upload.size for upload in uploads)
    if total > max_bytes:
        raise UnreadableDocument(
            _("The files are too large together (%(size)s MB; at most %(limit)s MB).")
            % {"size": round(total / 1_048_576, 1), "limit": round(max_bytes / 1_048_576, 1)}
        )
    documents: list[dict[str, str]] = []
    for upload in uploads:
        name = getattr(upload, "name", "") or "document"
        try:
            if name.lower().endswith(".csv"):
                raw = b"".join(upload.chunks())
                try:
                    content = raw.decode("utf-8-sig")
                except UnicodeDecodeError:
                    content = raw.decode("cp1252", errors="replace")
                reader = csv.DictReader(io.StringIO(content, newline=""))
                columns = {(column or "").strip().lower(): column for column in reader.fieldnames or []}
                column = next((columns[c] for c in CSV_TEXT_COLUMNS if c in columns), None)
                if column is None:
                    raise UnreadableDocument(_("The CSV file has no column named text, description or content."))
                for number, row in enumerate(reader, start=2):
                    text = (row.get(column) or "").strip()
                    if text:
                        documents.append({"name": f"{name}:{number}", "text": text})
            else:
                text = text_of_upload(upload, max_bytes=max_bytes).strip()
                if text:
                    documents.append({"name": name, "text": text})
        except UnreadableDocument as exc:
            raise UnreadableDocument(f"{name}: {exc}") from None
        except csv.Error as exc:
            raise UnreadableDocument(f"{name}: {exc}") from None
    if not documents:
        raise UnreadableDocument(_("The files contain no text."))
    if len(documents) > CORPUS_MAX_DOCUMENTS:
        raise UnreadableDocument(
            _("Too many documents (%(count)s; at most %(limit)s).")
            % {"count": len(documents), "limit": CORPUS_MAX_DOCUMENTS}
        )
    return documents


def corpus_job_create(*, owner: Any, title: str, documents: list[dict[str, str]], role: Any = None) -> Any:
    from skills4cities.core.audit import audit
    from skills4cities.matching.models import CorpusJob

    job = CorpusJob.objects.create(owner=owner, title=title[:200], documents=documents, role=role)
    audit(actor=owner, action="matching.corpus_job_create", obj=job, data={"documents": len(documents)})
    return job


def corpus_job_run(*, job_id: str) -> Any:
    """Run a queued corpus job: rank every document, count competences, pairs, compare with the role profile.

    Progress is saved after every document (outside a transaction, so pages polling the job see it).
    """
    import itertools
    import logging
    from collections import Counter

    from django.utils import timezone

    from skills4cities.matching.enums import CorpusStatus
    from skills4cities.matching.models import CorpusJob

    job = CorpusJob.objects.filter(public_id=job_id, status=CorpusStatus.QUEUED).first()
    if job is None:
        return None
    job.status, job.started_at, job.progress = CorpusStatus.RUNNING, timezone.now(), 0
    job.save(update_fields=["status", "started_at", "progress", "updated_at"])
    try:
        framework_rank = framework_ranker()
        try:
            esco_rank: Ranker | None = esco_ranker()
        except MatchingUnavailable:
            esco_rank = None
        elements: Counter[tuple[str, str]] = Counter()
        skills: Counter[tuple[str, str]] = Counter()
        element_pairs: Counter[tuple[str, str]] = Counter()
        documents = job.documents
        for number, document in enumerate(documents, start=1):
            (found,) = framework_rank.rank([document["text"]], top=CORPUS_TOP, split=True)
            codes = sorted({(match.uri, match.label) for match in found})
            elements.update(codes)
            element_pairs.update(itertools.combinations(sorted(code for code, _label in codes), 2))
            if esco_rank is not None:
                (found_skills,) = esco_rank.rank([document["text"]], top=CORPUS_TOP, split=True)
                skills.update({(match.uri, match.label) for match in found_skills})
            job.progress = round(100 * number / len(documents))
            job.message = _("%(done)s of %(total)s documents read") % {"done": number, "total": len(documents)}
            job.save(update_fields=["progress", "message", "updated_at"])
        total = len(documents)
        element_titles = dict(elements.keys())
        result: dict[str, Any] = {
            "documents": total,
            "elements": [
                {"code": code, "label": label, "documents": count, "share": round(100 * count / total, 1)}
                for (code, label), count in sorted(elements.items(), key=lambda item: (-item[1], item[0][0]))
            ],
            "skills": [
                {"uri": uri, "label": label, "documents": count, "share": round(100 * count / total, 1)}
                for (uri, label), count in sorted(skills.items(), key=lambda item: (-item[1], item[0][1]))
            ],
            "pairs": [
                {
                    "a": a,
                    "b": b,
                    "a_label": element_titles.get(a, ""),
                    "b_label": element_titles.get(b, ""),
                    "documents": count,
                }
                for (a, b), count in sorted(element_pairs.items(), key=lambda item: (-item[1], item[0]))[:CORPUS_PAIRS]
            ],
            "role": _role_comparison(job.role, {code: count for (code, _label), count in elements.items()}, total),
        }
        job.result, job.status, job.progress = result, CorpusStatus.SUCCEEDED, 100
        job.message = _("Finished: %(total)s documents.") % {"total": total}
    except Exception as exc:  # the job records the failure; nothing else was changed
        logging.getLogger(__name__).exception("corpus job %s failed", job.public_id)
        job.status = CorpusStatus.FAILED
        job.message = (str(exc) if isinstance(exc, MatchingUnavailable) else _("The analysis failed."))[:300]
    job.finished_at = timezone.now()
    job.save(update_fields=["result", "status", "progress", "message", "finished_at", "updated_at"])
    return job


def _role_comparison(role: Any, found: dict[str, int], total: int) -> dict[str, Any] | None:
    if role is None:
        return None
    from skills4cities.frameworks.selectors import role_profile

    required = []
    for unit in role_profile(role):
        for requirement in unit["requirements"]:
            element = requirement.element
            count = found.get(element.code, 0)
            required.append(
                {
                    "code": element.code,
                    "label": element.title,
                    "target_level": requirement.target_level,
                    "essential": requirement.essential,
                    "documents": count,
                    "share": round(100 * count / total, 1) if total else 0.0,
                }
            )
    required_codes = {row["code"] for row in required}
    return {
        "title": role.title,
        "required": required,
        "missing": [row["code"] for row in required if row["documents"] == 0],
        "not_required": sorted((code for code in found if code not in required_codes), key=lambda c: (-found[c], c)),
    }


def corpus_csv_rows(job: Any) -> list[list[Any]]:
    """The result as CSV rows: kind, code or URI, label, documents, share %, required by the role."""
    result = job.result or {}
    role = result.get("role") or {}
    required = {row["code"] for row in role.get("required", [])}
    rows: list[list[Any]] = [["kind", "code_or_uri", "label", "documents", "share_percent", "required_by_role"]]
    for row in result.get("elements", []):
        rows.append(["element", row["code"], row["label"], row["documents"], row["share"], row["code"] in required])
    for row in role.get("required", []):
        if row["documents"] == 0:
            rows.append(["element", row["code"], row["label"], 0, 0.0, True])
    for row in result.get("skills", []):
        rows.append(["esco_skill", row["uri"], row["label"], row["documents"], row["share"], ""])
    for row in result.get("pairs", []):
        rows.append(["element_pair", f"{row['a']}+{row['b']}", "", row["documents"], "", ""])
    return rows
