"""200 concurrent exam takers against PostgreSQL through the real HTTP API, with the app server killed
and restarted during the run (issue 5).

    python bench/exam_load.py [--takers 200] [--unit U05] [--workers 4] [--database bench_exams]

Sets up a fresh PostgreSQL database (dropped and created again: ``--database`` must be a scratch
name), migrates it, loads the reference content and the demo data, and creates ``--takers`` learners in
the demo training provider (accredited to run certification exams), each with an API token. It serves
the site with gunicorn (``--workers`` processes) and lets every learner, in its own thread, start the
certification exam of ``--unit`` for the Smart City Project Manager and answer every item — one POST
per answer, as the exam page does — then finish.

When a third of the expected answers are acknowledged, the whole server (master and workers) is killed
with SIGKILL, as a crash would, and started again; clients retry what failed (an answer replaces the
previous one, so a retry is safe). At the end the answers stored in the database are compared with
every answer the server acknowledged (HTTP 200): the same count and the same values, or the run fails.

Reported: answers, lost answers, the p50/p95/p99 latency of acknowledged answer POSTs, and as the floor
measured in the same run under the same load, the latency of ``GET /healthz`` (one database query)
sampled by a 201st client — the ratio says what saving an answer costs over the cheapest request.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

ROLE = "smart-city-project-manager"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _run(command: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=900)
    if done.returncode:
        sys.exit(f"{' '.join(command[3:])} failed:\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}")


def _recreate_database(name: str) -> str:
    base = "postgres://postgres@127.0.0.1:5432"
    for sql in (f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"'):
        subprocess.run(["psql", f"{base}/postgres", "-q", "-c", sql], check=True, capture_output=True)
    return f"{base}/{name}"


@dataclass
class Stats:
    acknowledged: dict[tuple[str, str], Any] = field(default_factory=dict)
    latencies: list[float] = field(default_factory=list)
    floor: list[float] = field(default_factory=list)
    retries: int = 0
    errors: list[str] = field(default_factory=list)
    finished: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


def _request(session: requests.Session, method: str, url: str, stats: Stats, **kwargs: Any) -> requests.Response:
    """Send, retrying while the server is down or answers 5xx (it is being restarted)."""
    for _attempt in range(600):
        try:
            response = session.request(method, url, timeout=30, **kwargs)
        except requests.RequestException:
            response = None
        if response is not None and response.status_code < 500:
            return response
        with stats.lock:
            stats.retries += 1
        time.sleep(0.2)
    raise RuntimeError(f"{method} {url}: the server did not come back")


def _answer_for(item: dict[str, Any], rng: random.Random) -> Any:
    options = [option["id"] for option in item["options"]]
    if item["type"] == "multiple":
        return rng.sample(options, rng.randint(1, len(options)))
    if item["type"] == "ordering":
        return rng.sample(options, len(options))
    return rng.choice(options)


def _taker(base: str, token: str, unit: str, stats: Stats, seed: int) -> None:
    rng = random.Random(seed)
    session = requests.Session()
    session.headers["Authorization"] = f"Token {token}"
    started = _request(
        session,
        "POST",
        f"{base}/api/v1/exams/attempts/",
        stats,
        json={"kind": "certification", "role": ROLE, "unit": unit},
    )
    if started.status_code == 409:  # a retried start whose first try had been committed
        attempt = started.json()["error"]["details"]["attempt"]
    elif started.status_code == 201:
        attempt = started.json()["id"]
    else:
        stats.errors.append(f"start: {started.status_code} {started.text[:200]}")
        return
    while True:
        following = _request(session, "GET", f"{base}/api/v1/exams/attempts/{attempt}/next/", stats)
        item = following.json().get("item")
        if item is None:
            break
        answer = _answer_for(item, rng)
        sent = time.perf_counter()
        response = _request(
            session,
            "POST",
            f"{base}/api/v1/exams/attempts/{attempt}/answers/",
            stats,
            json={"item": item["id"], "answer": answer},
        )
        elapsed = time.perf_counter() - sent
        if response.status_code != 200:
            stats.errors.append(f"answer: {response.status_code} {response.text[:200]}")
            return
        with stats.lock:  # the answer as the server acknowledged it (multiple choice comes back in the item's order)
            stats.acknowledged[(attempt, item["id"])] = response.json()["answer"]
            stats.latencies.append(elapsed)
    finished = _request(session, "POST", f"{base}/api/v1/exams/attempts/{attempt}/finish/", stats)
    if finished.status_code == 200:
        with stats.lock:
            stats.finished += 1


def _floor_sampler(base: str, stats: Stats, stop: threading.Event) -> None:
    session = requests.Session()
    while not stop.is_set():
        sent = time.perf_counter()
        try:
            response = session.get(f"{base}/healthz", timeout=30)
            if response.status_code == 200:
                stats.floor.append(time.perf_counter() - sent)
        except requests.RequestException:
            time.sleep(0.2)
        time.sleep(0.05)


def _start_server(env: dict[str, str], port: int, workers: int, log: Any) -> subprocess.Popen[bytes]:
    command = [
        str(Path(sys.executable).with_name("gunicorn")),
        "skills4cities.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--threads",
        "4",
        "--timeout",
        "60",
    ]
    process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if requests.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                return process
        except requests.RequestException:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not start")


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--takers", type=int, default=200)
    parser.add_argument("--unit", default="U05")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--database", default="bench_exams")
    args = parser.parse_args()

    var = Path(tempfile.mkdtemp(prefix="bench-exams-"))
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update({"DATABASE_URL": _recreate_database(args.database), "S4C_VAR_DIR": str(var), "DEBUG": "0"})
    env.setdefault("SECRET_KEY", "bench-only-secret-key-" + "x" * 40)
    manage = [sys.executable, "-m", "skills4cities.manage"]
    print(f"setting up {args.database} (migrate, load_reference, seed_demo) …", flush=True)
    for command in (["migrate", "--no-input"], ["load_reference"], ["seed_demo"]):
        _run([*manage, *command], env)
    setup = f"""
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token
from skills4cities.accounts.models import Membership
User = get_user_model()
templates = list(Membership.objects.filter(user__username="demo-learner"))
for n in range({args.takers}):
    user, _ = User.objects.get_or_create(username=f"taker{{n:03d}}")
    user.set_unusable_password()
    user.save()
    for template in templates:  # the same organisations as demo-learner, one of them an accredited provider
        Membership.objects.get_or_create(user=user, organisation=template.organisation, role=template.role)
    token, _ = Token.objects.get_or_create(user=user)
    print("token", token.key)
"""
    output = subprocess.run([*manage, "shell", "-c", setup], env=env, check=True, capture_output=True, text=True)
    tokens = [line.split()[1] for line in output.stdout.splitlines() if line.startswith("token ")]
    assert len(tokens) == args.takers, tokens[-3:]

    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    log = (var / "gunicorn.log").open("a")
    server = _start_server(env, port, args.workers, log)
    stats = Stats()
    stop = threading.Event()
    sampler = threading.Thread(target=_floor_sampler, args=(base, stats, stop), daemon=True)
    sampler.start()
    threads = [
        threading.Thread(target=_taker, args=(base, token, args.unit, stats, n), daemon=True)
        for n, token in enumerate(tokens)
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()

    # Kill the server (master and workers: the whole process group) once a third of the answers are in.
    expected_items = 40
    while len(stats.acknowledged) < args.takers * expected_items // 3 and any(t.is_alive() for t in threads):
        time.sleep(0.1)
    before_kill = len(stats.acknowledged)
    os.killpg(server.pid, signal.SIGKILL)
    server.wait()
    killed_at = time.perf_counter()
    server = _start_server(env, port, args.workers, log)
    downtime = time.perf_counter() - killed_at
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    stop.set()
    sampler.join()
    os.killpg(server.pid, signal.SIGTERM)
    server.wait()

    check = """
import json
from skills4cities.exams.models import AttemptItem
rows = AttemptItem.objects.filter(attempt__learner__username__startswith="taker", answered_at__isnull=False)
rows = rows.select_related("attempt", "item")
print("ROWS", json.dumps([[str(r.attempt.public_id), str(r.item.public_id), r.answer] for r in rows]))
"""
    output = subprocess.run([*manage, "shell", "-c", check], env=env, check=True, capture_output=True, text=True)
    line = next(line for line in output.stdout.splitlines() if line.startswith("ROWS "))
    stored_rows = json.loads(line.removeprefix("ROWS "))
    stored = {(attempt, item): answer for attempt, item, answer in stored_rows}
    lost = [key for key, answer in stats.acknowledged.items() if stored.get(key) != answer]

    p50, p95, p99 = (_percentile(stats.latencies, share) * 1000 for share in (0.5, 0.95, 0.99))
    floor95 = _percentile(stats.floor, 0.95) * 1000 if stats.floor else float("nan")
    print(
        f"takers={args.takers} unit={args.unit} gunicorn workers={args.workers}x4 threads, PostgreSQL; "
        f"run {elapsed:.1f} s; server killed after {before_kill} answers, back after {downtime:.1f} s; "
        f"client retries {stats.retries}; attempts finished {stats.finished}/{args.takers}; errors {len(stats.errors)}"
    )
    for error in stats.errors[:5]:
        print("  error:", error)
    print(
        f"answer latency p50 {p50:.0f} ms, p95 {p95:.0f} ms, p99 {p99:.0f} ms "
        f"({len(stats.latencies) / elapsed:.0f} answers/s); floor GET /healthz p95 {floor95:.0f} ms "
        f"(median {statistics.median(stats.floor) * 1000:.0f} ms, {len(stats.floor)} samples); "
        f"ratio p95 answer / p95 floor = {p95 / floor95:.1f}"
    )
    print(f"acknowledged_answers={len(stats.acknowledged)} stored_answers={len(stored)} lost_answers={len(lost)}")
    if lost or stats.errors or len(stored) != len(stats.acknowledged):
        sys.exit(1)


if __name__ == "__main__":
    main()
