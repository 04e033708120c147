"""Issuing and verifying credentials, against digitalbazaar's JavaScript reference verifier (DESIGN.md target:
our verification at least as fast as the JavaScript reference verifier, measured in the same run).

    python bench/credentials_bench.py [--count 1000] [--pdf 1000] [--rounds 3] [--slice 50] [--write-docs]

In a fresh SQLite database (a temporary file: migrated, reference content loaded) it

1. issues ``--count`` unit micro-credentials (compose + Data Integrity eddsa-rdfc-2022 proof + VC-JWT + the
   database rows and audit entry, one ``credential_issue`` call each) to as many users;
2. renders ``--pdf`` of them as PDF certificates with their QR codes (WeasyPrint);
3. verifies the same credentials — the same JSON text, one line of ``credentials.jsonl`` each — with ours
   (``credential_verify``: proof against our DID document resolved locally, JSON-LD form, issuer, dates,
   revocation bit from the database; in this process, one after the other) and with
   ``interop/verify-vc/verify.mjs --serve`` (``@digitalbazaar/vc`` with the eddsa-rdfc-2022 cryptosuite, an
   offline document loader and the signed status list, verified once at its start) in ONE node process that
   stays up for the whole comparison. Each side parses the JSON text and verifies it, nothing more.

The comparison is ``--rounds`` rounds over all the credentials. Within a round the two verifiers take turns on
slices of ``--slice`` credentials (which one goes first alternates), so a burst of load from other processes on
the machine hits both about equally; each side's time is the sum of its slices, measured inside its own process
around its verification loop (node's start-up and the pipe between the processes are not counted). Round 1
includes both warm-ups (our context memo, node's JIT); the result is the median round of each side, and the
last line printed is the ratio ours / JS (below 1: ours is faster).

Needs ``npm ci --prefix interop/verify-vc``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs" / "benchmarks.md"
VERIFIER = ROOT / "interop" / "verify-vc"
START, END = "<!-- credentials:start -->", "<!-- credentials:end -->"


def _setup(database: Path) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "skills4cities.settings.base")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    call_command("load_reference", verbosity=0)


def measure(count: int, pdfs: int, work: Path, *, rounds: int, size: int) -> dict[str, Any]:
    from django.contrib.auth import get_user_model

    from skills4cities.credentials import selectors, services
    from skills4cities.credentials.enums import CredentialKind
    from skills4cities.credentials.pdf import render_certificate_pdf
    from skills4cities.frameworks.models import Framework

    role = Framework.objects.get(slug="skills4cities", status="published").roles.get(slug=services.DEMO_ROLE)
    units = [entry["unit"] for entry in services.framework_selectors.role_profile(role)]
    users = get_user_model().objects.bulk_create(
        get_user_model()(username=f"bench{i}", first_name="Bench", last_name=f"Holder {i}", email=f"b{i}@example.org")
        for i in range(count)
    )
    services.signing_key_current()
    started = time.perf_counter()
    credentials = [
        services.credential_issue(
            holder=user, kind=CredentialKind.UNIT, role=role, unit=units[i % len(units)], issued_by=None
        )
        for i, user in enumerate(users)
    ]
    issue_s = time.perf_counter() - started

    started = time.perf_counter()
    sizes = [len(render_certificate_pdf(credential)) for credential in credentials[:pdfs]]
    pdf_s = time.perf_counter() - started

    # The same text for both sides: compact JSON, one credential a line.
    texts = [json.dumps(json.loads(credential.document), separators=(",", ":")) for credential in credentials]
    batch = work / "credentials.jsonl"
    batch.write_text("\n".join(texts) + "\n")
    did = work / "did.json"
    did.write_text(json.dumps(services.did_document()))
    status_args: list[str] = []
    for number in sorted({c.status_list.number for c in credentials}):
        path = work / f"status-{number}.json"
        path.write_text(services.status_list_document(status_list=selectors.status_list_by_number(number)))
        status_args += ["--status", str(path)]
    node = shutil.which("node")
    if node is None or not (VERIFIER / "node_modules").is_dir():
        sys.exit("node and interop/verify-vc/node_modules are needed: npm ci --prefix interop/verify-vc")
    command = [node, str(VERIFIER / "verify.mjs"), "--jsonl", str(batch), "--did", str(did), *status_args, "--serve"]
    return {
        "count": count,
        "pdfs": pdfs,
        "issue_s": issue_s,
        "pdf_s": pdf_s,
        "pdf_kb": sum(sizes) / max(len(sizes), 1) / 1024,
        "json_kb": sum(len(c.document.encode()) for c in credentials) / count / 1024,
        **compare(texts, command, rounds=rounds, size=size),
    }


def compare(texts: list[str], command: list[str], *, rounds: int, size: int) -> dict[str, Any]:
    """Rounds over all ``texts``, ours and the JS verifier taking turns slice by slice (see the module docstring)."""
    from skills4cities.credentials import services

    js = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)
    assert js.stdin is not None and js.stdout is not None
    ready = js.stdout.readline()
    if not ready.startswith('{"ready"'):
        js.kill()
        sys.exit(f"the JS verifier did not start: {ready.strip() or js.wait()}")

    def ours(start: int, end: int) -> tuple[float, float, int]:
        cpu = time.process_time()
        started = time.perf_counter()
        results = [services.credential_verify(text) for text in texts[start:end]]
        elapsed = time.perf_counter() - started
        return elapsed, time.process_time() - cpu, sum(result.valid for result in results)

    def theirs(start: int, end: int) -> tuple[float, float, int]:
        assert js.stdin is not None and js.stdout is not None
        js.stdin.write(f"{start} {end}\n")
        answer = json.loads(js.stdout.readline())
        if "error" in answer:
            sys.exit(f"the JS verifier refused a slice: {answer['error']}")
        return answer["ms"] / 1000, answer["cpu_ms"] / 1000, int(answer["verified"])

    # Per side and round: [wall seconds, CPU seconds, valid credentials].
    totals: dict[str, list[list[float]]] = {"ours": [], "js": []}
    try:
        for number in range(rounds):
            for side in totals.values():
                side.append([0.0, 0.0, 0])
            for turn, start in enumerate(range(0, len(texts), size)):
                end = min(start + size, len(texts))
                sides = [("ours", ours), ("js", theirs)]
                for name, verify in sides if (number + turn) % 2 == 0 else reversed(sides):
                    for index, amount in enumerate(verify(start, end)):
                        totals[name][-1][index] += amount
    finally:
        js.stdin.close()
        js.wait(timeout=60)
    result: dict[str, Any] = {"rounds": rounds, "slice": size}
    for name, side in totals.items():
        result[f"{name}_rounds"] = [wall for wall, _cpu, _valid in side]
        result[f"{name}_cpu_rounds"] = [cpu for _wall, cpu, _valid in side]
        result[f"{name}_s"] = statistics.median(result[f"{name}_rounds"])
        result[f"{name}_cpu_s"] = statistics.median(result[f"{name}_cpu_rounds"])
        result[f"{name}_valid"] = int(min(valid for _wall, _cpu, valid in side))
    return result


def table(r: dict[str, Any]) -> str:
    def row(what: str, seconds: float, n: int, note: str = "") -> str:
        return f"| {what} | {n} | {seconds:.2f} s | {1000 * seconds / n:.1f} ms | {n / seconds:.0f}/s | {note} |"

    def per_credential(rounds: list[float]) -> str:
        return ", ".join(f"{1000 * seconds / r['count']:.1f}" for seconds in rounds)

    ratios = [mine / theirs for mine, theirs in zip(r["ours_rounds"], r["js_rounds"], strict=True)]
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    pdf_note = "" if r["pdfs"] == r["count"] else f"{r['pdfs']} of the {r['count']} (time)"
    node = subprocess.run(["node", "--version"], capture_output=True, text=True, check=False).stdout.strip()
    rows = [row("Issue (JSON + VC-JWT, stored, audited)", r["issue_s"], r["count"])]
    if r["pdfs"]:
        rows.append(
            row("PDF certificate with QR code", r["pdf_s"], r["pdfs"], pdf_note + f" ~{r['pdf_kb']:.0f} KB each")
        )
    rows += [
        row("Verify — ours (median round)", r["ours_s"], r["count"], f"{r['ours_valid']} valid in every round"),
        row("Verify — JS reference (median round)", r["js_s"], r["count"], f"{r['js_valid']} verified in every round"),
    ]
    lines = [
        START,
        "## Credentials: issue, PDF, verify — ours against the JavaScript reference verifier",
        "",
        "Unit micro-credentials of the reference framework (Open Badges 3.0, Data Integrity `eddsa-rdfc-2022`, "
        f"about {r['json_kb']:.1f} KB each), one holder each, in a fresh SQLite database. *Ours*: "
        "`credentials.services.credential_verify`, the path of `/verify/`, the API and `verify_credential` "
        "(`credentials.dataintegrity`: openbadgeslib 4.6.3's checks — structure screen, JSON-LD form check, "
        "RDFC-1.0 canonicalisation of the document and of the proof options, Ed25519 — on pyld 3.3 with processed "
        "contexts memoised; issuer binding through our DID document and its key history, dates, the register "
        "entry and its revocation bit from the database), one Python process, one thread. *JS*: "
        "`interop/verify-vc/verify.mjs --serve` (`@digitalbazaar/vc` 7.3.0, eddsa-rdfc-2022-cryptosuite 1.3.0, "
        "offline document loader, the signed status list), one node process. Both parse the same JSON text of "
        f"the same {r['count']} credentials. {r['rounds']} rounds; in each the two verifiers take turns on slices of "
        f"{r['slice']} credentials (the first to go alternates), and each side's time is the sum of its slices, "
        "measured inside its own process around its verification loop. Round 1 includes both warm-ups; the "
        "table gives each side's median round.",
        "",
        "| Step | Credentials | Total | Per credential | Throughput | Note |",
        "|---|---|---|---|---|---|",
        *rows,
        "",
        f"Per credential by round (ms): ours {per_credential(r['ours_rounds'])}; JS {per_credential(r['js_rounds'])}; "
        f"ratio by round {', '.join(f'{ratio:.2f}' for ratio in ratios)}. CPU time per credential (median round; "
        "each process, all its threads): ours "
        f"{1000 * r['ours_cpu_s'] / r['count']:.1f} ms, JS {1000 * r['js_cpu_s'] / r['count']:.1f} ms "
        f"(ratio {r['ours_cpu_s'] / r['js_cpu_s']:.2f}).",
        "",
        f"Ratio ours / JS (wall time, median rounds): **{r['ours_s'] / r['js_s']:.2f}×** — target ≤ 1.0: "
        f"{'met' if r['ours_s'] <= r['js_s'] else 'NOT met'}.",
        "",
        f"Machine: {os.cpu_count()} CPUs, Python {platform.python_version()}, node {node}; load average {load}. "
        f"Command: `.venv/bin/python bench/credentials_bench.py --count {r['count']} --pdf {r['pdfs']} "
        f"--rounds {r['rounds']} --slice {r['slice']} --write-docs`.",
        END,
    ]
    return "\n".join(lines)


def write_docs(section: str) -> None:
    text = DOCS.read_text(encoding="utf-8")
    if START in text:
        text = re.sub(re.escape(START) + r".*?" + re.escape(END), lambda _: section, text, flags=re.DOTALL)
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    DOCS.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--pdf", type=int, default=None, help="How many PDFs to render (default: --count).")
    parser.add_argument("--rounds", type=int, default=3, help="Verification rounds over all the credentials.")
    parser.add_argument("--slice", type=int, default=50, help="Credentials per turn of each verifier.")
    parser.add_argument("--write-docs", action="store_true")
    args = parser.parse_args()
    if args.count < 1 or args.rounds < 1 or args.slice < 1 or (args.pdf is not None and args.pdf < 0):
        parser.error("--count, --rounds and --slice must be at least 1, --pdf at least 0")
    with tempfile.TemporaryDirectory(prefix="s4c-cred-bench-") as tmp:
        work = Path(tmp)
        _setup(work / "bench.sqlite3")
        pdfs = args.count if args.pdf is None else min(args.pdf, args.count)
        result = measure(args.count, pdfs, work, rounds=args.rounds, size=args.slice)
    section = table(result)
    print(section)
    if args.write_docs:
        write_docs(section)
    ratios = [mine / theirs for mine, theirs in zip(result["ours_rounds"], result["js_rounds"], strict=True)]
    print(
        f"ratio ours/JS: {result['ours_s'] / result['js_s']:.2f} "
        f"(wall time, median rounds; by round {min(ratios):.2f}–{max(ratios):.2f}; "
        f"CPU time {result['ours_cpu_s'] / result['js_cpu_s']:.2f})"
    )


if __name__ == "__main__":
    main()
