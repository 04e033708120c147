"""Issuing and verifying credentials, against digitalbazaar's JavaScript reference verifier (DESIGN.md target:
our verification at least as fast as the JavaScript reference verifier, measured in the same run).

    python bench/credentials_bench.py [--count 1000] [--pdf 1000] [--write-docs]

In a fresh SQLite database (a temporary file: migrated, reference content loaded) it

1. issues ``--count`` unit micro-credentials (compose + Data Integrity eddsa-rdfc-2022 proof + VC-JWT + the
   database rows and audit entry, one ``credential_issue`` call each) to as many users;
2. renders ``--pdf`` of them as PDF certificates with their QR codes (WeasyPrint);
3. verifies all of them with ``credential_verify`` (proof against our DID document resolved locally, JSON-LD
   form, issuer, dates, revocation bit from the database), in this process, one after the other;
4. verifies the same credentials with ``interop/verify-vc/verify.mjs`` — ``@digitalbazaar/vc`` with the
   eddsa-rdfc-2022 cryptosuite, an offline document loader, and the signed status list — in ONE node process;
   its time is what the script measures around the verification loop (without node's start-up), and the wall
   time including start-up is printed as well.

Needs ``npm ci --prefix interop/verify-vc``. Prints per-credential milliseconds, credentials per second and the
ratio ours/JS (below 1: ours is faster).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
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


def measure(count: int, pdfs: int, work: Path) -> dict[str, Any]:
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

    documents = [credential.document for credential in credentials]
    started = time.perf_counter()
    results = [services.credential_verify(document) for document in documents]
    ours_s = time.perf_counter() - started
    ours_valid = sum(result.valid for result in results)

    batch = work / "credentials.jsonl"
    batch.write_text("\n".join(json.dumps(json.loads(d), separators=(",", ":")) for d in documents) + "\n")
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
    started = time.perf_counter()
    done = subprocess.run(
        [node, str(VERIFIER / "verify.mjs"), "--jsonl", str(batch), "--did", str(did), *status_args],
        capture_output=True,
        text=True,
        check=False,
    )
    js_wall_s = time.perf_counter() - started
    summary = json.loads(done.stderr.strip().splitlines()[-1])
    return {
        "count": count,
        "pdfs": pdfs,
        "issue_s": issue_s,
        "pdf_s": pdf_s,
        "pdf_kb": sum(sizes) / max(len(sizes), 1) / 1024,
        "ours_s": ours_s,
        "ours_valid": ours_valid,
        "js_s": summary["ms"] / 1000,
        "js_wall_s": js_wall_s,
        "js_valid": summary["verified"],
        "json_kb": sum(len(d.encode()) for d in documents) / count / 1024,
    }


def table(r: dict[str, Any]) -> str:
    def row(what: str, seconds: float, n: int, note: str = "") -> str:
        return f"| {what} | {n} | {seconds:.2f} s | {1000 * seconds / n:.1f} ms | {n / seconds:.0f}/s | {note} |"

    ratio = r["ours_s"] / r["js_s"]
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    pdf_note = "" if r["pdfs"] == r["count"] else f"{r['pdfs']} of the {r['count']} (time)"
    lines = [
        START,
        "## Credentials: issue, PDF, verify — ours against the JavaScript reference verifier",
        "",
        "Unit micro-credentials of the reference framework (Open Badges 3.0, Data Integrity `eddsa-rdfc-2022`, "
        f"about {r['json_kb']:.1f} KB each), one holder each, in a fresh SQLite database. *Ours*: "
        "`credentials.services.credential_verify`, the path of `/verify/`, the API and `verify_credential` "
        "(`credentials.dataintegrity`: openbadgeslib 4.6.3's checks — structure screen, JSON-LD form check, "
        "RDFC-1.0 canonicalisation of the document and of the proof options, Ed25519 — on pyld 3.3 with processed "
        "contexts memoised; issuer binding, dates, revocation bit from the database), one Python process, one "
        "thread. *JS*: "
        "`interop/verify-vc/verify.mjs` (`@digitalbazaar/vc` 7.3.0, eddsa-rdfc-2022-cryptosuite 1.3.0, offline "
        "document loader, the signed status list), all credentials in one node process; its time is measured "
        f"around its verification loop (wall time with node's start-up: {r['js_wall_s']:.2f} s).",
        "",
        "| Step | Credentials | Total | Per credential | Throughput | Note |",
        "|---|---|---|---|---|---|",
        row("Issue (JSON + VC-JWT, stored, audited)", r["issue_s"], r["count"]),
        row("PDF certificate with QR code", r["pdf_s"], r["pdfs"], pdf_note + f" ~{r['pdf_kb']:.0f} KB each"),
        row("Verify — ours", r["ours_s"], r["count"], f"{r['ours_valid']} valid"),
        row("Verify — JS reference", r["js_s"], r["count"], f"{r['js_valid']} verified"),
        "",
        f"Ratio ours / JS (time per credential): **{ratio:.2f}×** — target ≤ 1.0: "
        f"{'met' if ratio <= 1 else 'NOT met'}.",
        "",
        f"Machine: {os.cpu_count()} CPUs, Python {platform.python_version()}, node "
        f"{subprocess.run(['node', '--version'], capture_output=True, text=True, check=False).stdout.strip()}; "
        f"load average {load}. Command: `.venv/bin/python bench/credentials_bench.py --count {r['count']} "
        f"--pdf {r['pdfs']} --write-docs`.",
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
    parser.add_argument("--write-docs", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="s4c-cred-bench-") as tmp:
        work = Path(tmp)
        _setup(work / "bench.sqlite3")
        result = measure(args.count, args.count if args.pdf is None else min(args.pdf, args.count), work)
    section = table(result)
    print(section)
    if args.write_docs:
        write_docs(section)


if __name__ == "__main__":
    main()
