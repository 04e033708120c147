from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from skills4cities.matching import services
from skills4cities.matching.enums import IndexBuildStatus
from skills4cities.matching.tasks import ensure_index_build

WAIT_POLL_SECONDS = 2.0


class Command(BaseCommand):
    help = (
        "Build the matching indexes (embeddings and BM25 of the ESCO skills and of the reference framework's "
        "elements) here and now, with progress on stderr, so that no web request has to wait for them. "
        "Idempotent: an index that is ready is left as it is. --enqueue leaves the build to the task worker."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--target", default="all", help="esco, framework or all (default).")
        parser.add_argument(
            "--enqueue", action="store_true", help="Enqueue a background build for the worker instead of building."
        )
        parser.add_argument(
            "--fail-running",
            action="store_true",
            help="With --enqueue: first mark running builds failed, as their worker is gone (when no worker runs yet, "
            "as in `make demo`), so that they are enqueued again.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        target = options["target"]
        if target not in (*services.TARGETS, "all"):
            raise CommandError(f"Unknown target {target!r}: use esco, framework or all.", returncode=2)
        targets = services.TARGETS if target == "all" else (target,)
        for name in targets:
            try:
                if options["enqueue"]:
                    if options["fail_running"] and services.index_builds_fail_running(target=name):
                        self._say(f"{name}: a build its worker left unfinished was marked failed.")
                    self._enqueue(name)
                else:
                    self._build(name)
            except services.MatchingUnavailable as exc:
                raise CommandError(f"{name}: {exc}", returncode=2) from None

    def _say(self, message: str) -> None:
        self.stderr.write(message)
        self.stderr.flush()

    def _enqueue(self, target: str) -> None:
        status = ensure_index_build(target, in_request=False)
        if status.ready:
            self._say(f"{target}: the index is ready.")
        elif status.state == services.INDEX_BUILDING:
            self._say(f"{target}: a background build is queued or running ({status.percent} %).")
        else:
            self._say(f"{target}: {status.state}. {status.error}".strip())

    def _build(self, target: str) -> None:
        status = services.index_status(target)
        if status.ready:
            self._say(f"{target}: the index is ready ({status.total} texts).")
            return
        started = time.monotonic()
        while True:
            build, created = services.index_build_request(target=target, run_here=True)
            if created:
                break
            if build.status == IndexBuildStatus.QUEUED:  # no worker has started it: build it here instead
                claimed = services.index_build_claim(build_id=build.public_id)
                if claimed is not None:
                    build = claimed
                    break
            self._wait_for_other(target)  # another process builds this index: follow it instead of encoding twice
            status = services.index_status(target)
            if status.ready:
                self._say(f"{target}: the index is ready (built by another process).")
                return
            if status.state == services.INDEX_FAILED and not services.index_build_due(status):
                raise CommandError(f"{target}: the build failed: {status.error}", returncode=1)
        self._say(f"{target}: building the index of {build.total} texts …")
        shown = [-1]

        def progress(done: int, total: int) -> None:
            percent = int(100 * done / total) if total else 100
            if percent >= shown[0] + 5 or done >= total:
                shown[0] = percent
                self._say(f"{target}: {done}/{total} texts encoded ({percent} %)")

        try:
            services.index_build_execute(build, progress=progress)
        except Exception as exc:
            raise CommandError(f"{target}: the build failed: {exc}", returncode=1) from None
        self._say(f"{target}: the index is ready ({time.monotonic() - started:.0f} s).")

    def _wait_for_other(self, target: str) -> None:
        last = -1
        while True:
            status = services.index_status(target)
            if status.state != services.INDEX_BUILDING:
                return
            if status.percent != last:
                last = status.percent
                self._say(f"{target}: another process is building the index ({status.percent} %); waiting …")
            time.sleep(WAIT_POLL_SECONDS)
