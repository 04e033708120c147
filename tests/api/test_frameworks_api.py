from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from skills4cities.frameworks.models import Framework

pytestmark = pytest.mark.django_db

ROLE_SLUGS = [
    "smart-city-project-developer",
    "smart-city-project-management-consultant",
    "smart-city-project-manager",
]


def test_framework_list_has_the_reference_framework(client: Client, reference: Framework) -> None:
    response = client.get("/api/v1/frameworks/")

    assert response.status_code == 200
    assert [(f["slug"], f["version"], f["status"]) for f in response.json()] == [
        ("skills4cities", "1.0.0", "published")
    ]


def test_roles_are_reachable_by_slug(client: Client, reference: Framework) -> None:
    roles = client.get("/api/v1/frameworks/skills4cities/roles/").json()

    assert [role["slug"] for role in roles] == ROLE_SLUGS
    for slug in ROLE_SLUGS:
        role = client.get(f"/api/v1/frameworks/skills4cities/roles/{slug}/").json()
        assert role["slug"] == slug
        assert role["eqf_level"] == reference.roles.get(slug=slug).eqf_level
        assert len(role["requirements"]) == reference.roles.get(slug=slug).requirements.count()


def test_role_titles_follow_accept_language(client: Client, reference: Framework) -> None:
    role = reference.roles.get(slug=ROLE_SLUGS[2])

    body = client.get(f"/api/v1/frameworks/skills4cities/roles/{role.slug}/", HTTP_ACCEPT_LANGUAGE="el").json()

    assert body["title"] == role.title_el


def test_element_detail_has_ksa_criteria_and_alignments(client: Client, reference: Framework) -> None:
    element = reference.elements.get(code="U01.E1")

    body = client.get("/api/v1/frameworks/skills4cities/elements/U01.E1/").json()

    assert body["code"] == "U01.E1"
    assert [c["code"] for c in body["criteria"]] == list(element.criteria.values_list("code", flat=True))
    assert {s["kind"] for s in body["statements"]} == {"knowledge", "skill", "attitude"}
    assert body["alignments"]


def test_unit_list_and_detail(client: Client, reference: Framework) -> None:
    units = client.get("/api/v1/frameworks/skills4cities/units/").json()
    detail = client.get("/api/v1/frameworks/skills4cities/units/U01/").json()

    assert [u["code"] for u in units] == list(reference.units.values_list("code", flat=True))
    assert [e["code"] for e in detail["elements"]] == list(
        reference.units.get(code="U01").elements.values_list("code", flat=True)
    )


def test_element_list_is_paginated(client: Client, reference: Framework) -> None:
    body = client.get("/api/v1/frameworks/skills4cities/elements/?limit=5").json()

    assert body["count"] == reference.elements.count()
    assert len(body["results"]) == 5


def test_not_found_uses_the_error_format(client: Client, reference: Framework) -> None:
    response = client.get("/api/v1/frameworks/skills4cities/roles/astronaut/")

    assert response.status_code == 404
    assert response.json() == {"error": {"code": "not_found", "message": "Not found."}}


def test_bad_token_is_refused_with_a_stable_code(client: Client, reference: Framework) -> None:
    response = client.get("/api/v1/frameworks/", HTTP_AUTHORIZATION="Token not-a-token")

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "authentication_failed"


def test_drf_create_token_prints_a_token_that_authenticates(alice: Any, reference: Framework, capsys: Any) -> None:
    call_command("drf_create_token", "alice")
    token = capsys.readouterr().out.strip().split()[2]

    response = Client().get("/api/v1/frameworks/", HTTP_AUTHORIZATION=f"Token {token}")

    assert response.status_code == 200


@pytest.mark.parametrize(
    ("url", "limit"),
    [
        ("/api/v1/frameworks/", 3),
        ("/api/v1/frameworks/skills4cities/", 8),
        ("/api/v1/frameworks/skills4cities/roles/", 3),
        ("/api/v1/frameworks/skills4cities/roles/smart-city-project-manager/", 7),
        ("/api/v1/frameworks/skills4cities/units/", 4),
        ("/api/v1/frameworks/skills4cities/elements/", 4),
        ("/api/v1/frameworks/skills4cities/elements/U01.E1/", 7),
    ],
)
def test_endpoints_run_a_constant_number_of_queries(client: Client, reference: Framework, url: str, limit: int) -> None:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)

    assert response.status_code == 200
    assert len(queries) <= limit, [q["sql"][:100] for q in queries.captured_queries]


@pytest.mark.parametrize(
    "path", ["/api/v1/nothing-here/", "/api/v1/frameworks/%5E%C2%9B/", "/api/v1/frameworks/x/y/z/"]
)
def test_unknown_api_paths_answer_json_not_the_html_page(client: Client, path: str) -> None:
    response = client.get(path)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]["code"] == "not_found"
