from __future__ import annotations

import json
from typing import Any

from django.test import Client

from tests.conftest import client_for
from tests.credentials.conftest import credential, issue, officer, role, unit  # noqa: F401 - fixtures


def test_my_credentials_lists_only_mine(
    issue: Any,  # noqa: F811
    alice: Any,
    bob: Any,
    charlie: Any,
    django_assert_max_num_queries: Any,
) -> None:
    mine = {str(issue(alice).public_id), str(issue(alice).public_id)}
    issue(bob)
    client = client_for(alice)
    client.get("/api/v1/credentials/")  # the session's first request writes it
    with django_assert_max_num_queries(5):
        body = client.get("/api/v1/credentials/").json()
    assert body["count"] == 2
    assert {item["id"] for item in body["results"]} == mine
    assert set(body["results"][0]) == {
        "id", "title", "kind", "role", "unit", "framework", "framework_version", "language", "issued_at",
        "valid_until", "revoked_at", "revocation_reason", "verify_url",
    }  # fmt: skip
    assert client_for(charlie).get("/api/v1/credentials/").json()["count"] == 0
    anonymous = Client().get("/api/v1/credentials/")
    assert anonymous.json()["error"]["code"] == "not_authenticated"


def test_detail_has_the_signed_json_and_the_jwt_for_holder_and_staff(
    credential: Any,  # noqa: F811
    alice: Any,
    bob: Any,
    officer: Any,  # noqa: F811
) -> None:
    url = f"/api/v1/credentials/{credential.public_id}/"
    body = client_for(alice).get(url).json()
    assert body["credential"] == json.loads(credential.document)
    assert body["jwt"] == credential.jwt
    assert client_for(officer).get(url).status_code == 200
    other = client_for(bob).get(url)
    assert (other.status_code, other.json()["error"]["code"]) == (404, "not_found")


def test_verify_endpoint_is_public(credential: Any, officer: Any) -> None:  # noqa: F811
    client = Client()
    ok = client.post("/api/v1/verify/", credential.document, content_type="application/json").json()
    assert (ok["valid"], ok["state"], ok["credential_id"], ok["reasons"]) == (
        True,
        "valid",
        str(credential.public_id),
        [],
    )
    tampered = json.loads(credential.document)
    tampered["name"] = "Other"
    bad = client.post("/api/v1/verify/", json.dumps(tampered), content_type="application/json").json()
    assert (bad["valid"], bad["state"]) == (False, "invalid")
    garbage = client.post("/api/v1/verify/", "nope", content_type="application/json")
    assert (garbage.status_code, garbage.json()["error"]["code"]) == (400, "invalid_json")
    big = client.post("/api/v1/verify/", "{" + " " * 300_000 + "}", content_type="application/json")
    assert (big.status_code, big.json()["error"]["code"]) == (413, "too_large")
    # A signed-in browser session needs no CSRF token either: the endpoint ignores sessions.
    signed_in = client_for(officer)
    signed_in.handler.enforce_csrf_checks = True
    assert signed_in.post("/api/v1/verify/", credential.document, content_type="application/json").status_code == 200
