"""Credentials we issue, verified by an independent implementation: digitalbazaar's @digitalbazaar/vc with the
eddsa-rdfc-2022 cryptosuite (interop/verify-vc/verify.mjs, an offline document loader).

Runs where ``node`` and ``interop/verify-vc/node_modules`` exist (``npm ci --prefix interop/verify-vc``); CI
installs them, so there a missing install is a failure, not a skip.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from skills4cities.credentials import services

VERIFIER = Path(__file__).resolve().parents[2] / "interop" / "verify-vc"

pytestmark = pytest.mark.interop


@pytest.fixture
def node() -> str:
    node = shutil.which("node")
    if node is None or not (VERIFIER / "node_modules" / "@digitalbazaar" / "vc").is_dir():
        if os.environ.get("CI"):
            pytest.fail("CI must run the interop test: install node and run 'npm ci --prefix interop/verify-vc'")
        pytest.skip("node or interop/verify-vc/node_modules is missing (npm ci --prefix interop/verify-vc)")
    return node


def _run(node: str, *args: str) -> tuple[int, list[dict[str, Any]]]:
    done = subprocess.run(
        [node, str(VERIFIER / "verify.mjs"), *args], capture_output=True, text=True, timeout=120, check=False
    )
    return done.returncode, [json.loads(line) for line in done.stdout.splitlines()]


def test_digitalbazaar_accepts_ours_and_rejects_a_tampered_copy(
    node: str, credential: Any, officer: Any, issue: Any, bob: Any, tmp_path: Path
) -> None:
    did = tmp_path / "did.json"
    did.write_text(json.dumps(services.did_document()))
    good = tmp_path / "good.json"
    good.write_text(credential.document)
    document = json.loads(credential.document)
    document["credentialSubject"]["achievement"]["name"] = "Something else"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(document))

    code, lines = _run(node, str(good), "--did", str(did))
    assert (code, [line["verified"] for line in lines]) == (0, [True])

    code, lines = _run(node, str(bad), "--did", str(did))
    assert (code, [line["verified"] for line in lines]) == (1, [False])
    assert "signature" in lines[0]["error"].lower()

    # Revocation through the status list the platform serves (its own proof is verified by the JS side too).
    other = issue(bob)
    services.credential_revoke(credential=credential, by=officer, reason="Withdrawn")
    credential.status_list.refresh_from_db()
    status = tmp_path / "status.json"
    status.write_text(services.status_list_document(status_list=credential.status_list))
    second = tmp_path / "other.json"
    second.write_text(other.document)
    code, lines = _run(node, str(good), str(second), "--did", str(did), "--status", str(status))
    assert code == 1
    assert [line["verified"] for line in lines] == [False, True]
    assert "revoked" in lines[0]["error"]


def test_rotated_keys_still_verify_in_the_reference_verifier(node: str, credential: Any, tmp_path: Path) -> None:
    services.signing_key_rotate(actor=None)
    did = tmp_path / "did.json"
    did.write_text(json.dumps(services.did_document()))
    old = tmp_path / "old.json"
    old.write_text(credential.document)
    code, lines = _run(node, str(old), "--did", str(did))
    assert (code, lines[0]["verified"]) == (0, True)
