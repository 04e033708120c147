"""GET /api/v1/frameworks/{slug}/diff/?from=…&to=…: the version diff as JSON, errors with stable codes."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from skills4cities.accounts.enums import MemberRole
from skills4cities.frameworks.models import Framework
from skills4cities.frameworks.services import framework_import_document
from tests import factories
from tests.conftest import client_for
from tests.framework_versions import NEW_TITLE, publish_edited_reference
from tests.frameworks.conftest import MINI

pytestmark = pytest.mark.django_db

URL = "/api/v1/frameworks/skills4cities/diff/"


@pytest.fixture
def edited(reference: Framework) -> Framework:
    return publish_edited_reference(reference)


def test_anonymous_clients_get_the_diff_of_published_versions(
    client: Client, reference: Framework, edited: Framework
) -> None:
    u03 = list(reference.units.get(code="U03").elements.values_list("code", flat=True))
    old_title = reference.elements.get(code="U01.E1").title_en
    u08_size = reference.units.get(code="U08").elements.count()

    response = client.get(URL, {"from": "1.0.0", "to": "1.1.0"})

    assert response.status_code == 200
    body = response.json()
    assert (body["framework"], body["from_version"], body["to_version"]) == ("skills4cities", "1.0.0", "1.1.0")
    assert body["summary"] == {"added": 0, "removed": 0, "moved": 1, "changed": 1, "requirements": len(u03) + 3}
    assert body["added"] == body["removed"] == []
    (moved,) = body["moved"]
    assert {k: v for k, v in moved.items() if k != "title"} == {
        "kind": "element",
        "code": "U01.E2",
        "reordered": False,
        "from_parent": "U01",
        "to_parent": "U08",
        "from_unit": "U01",
        "to_unit": "U08",
        "from_position": 2,
        "to_position": u08_size + 1,
    }
    (changed,) = body["changed"]
    assert (changed["kind"], changed["code"], changed["unit"], changed["parent"]) == ("element", "U01.E1", "U01", "U01")
    assert changed["changes"] == [{"field": "title", "language": "en", "before": old_title, "after": NEW_TITLE}]
    requirements = {(r["role"], r["element"]): (r["change"], r["before"], r["after"]) for r in body["requirements"]}
    assert requirements == {
        ("R1", "U01.E2"): ("removed", {"level": 3, "essential": True}, None),
        ("R2", "U01.E2"): ("removed", {"level": 4, "essential": True}, None),
        ("R3", "U01.E2"): ("added", None, {"level": 4, "essential": True}),
        **{
            ("R3", code): ("changed", {"level": 2, "essential": False}, {"level": 3, "essential": False})
            for code in u03
        },
    }


@pytest.mark.parametrize(
    ("query", "missing"),
    [({}, ["from", "to"]), ({"from": "1.0.0"}, ["to"]), ({"to": "1.0.0", "from": " "}, ["from"])],
)
def test_a_missing_version_is_a_400_version_required(
    client: Client, reference: Framework, query: dict[str, str], missing: list[str]
) -> None:
    response = client.get(URL, query)

    assert response.status_code == 400
    assert response.json() == {
        "error": {
            "code": "version_required",
            "message": "Give both versions to compare: ?from=…&to=….",
            "details": {"missing": missing},
        }
    }


def test_an_unknown_version_is_a_400_version_not_found(client: Client, reference: Framework) -> None:
    response = client.get(URL, {"from": "0.9", "to": "1.0.0"})

    assert response.status_code == 400
    assert response.json() == {
        "error": {
            "code": "version_not_found",
            "message": "No such version of this framework.",
            "details": {"unknown": {"from": "0.9"}},
        }
    }


def test_an_unknown_framework_is_a_404(client: Client, reference: Framework) -> None:
    response = client.get("/api/v1/frameworks/nope/diff/", {"from": "1", "to": "2"})

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


class TestDrafts:
    @pytest.fixture
    def drafts(self, city: Any) -> None:
        mini = copy.deepcopy(MINI)
        framework_import_document(document=mini | {"status": "published"}, owner=city)
        changed = mini | {"version": "1.1.0", "licence": "CC0"}
        framework_import_document(document=changed, owner=city)

    def test_the_editors_of_the_owner_get_the_diff_of_their_draft(self, drafts: None, city: Any) -> None:
        editor = factories.UserFactory(username="editor")
        factories.MembershipFactory(user=editor, organisation=city, role=MemberRole.FRAMEWORK_EDITOR)

        body = client_for(editor).get("/api/v1/frameworks/mini/diff/", {"from": "1.0.0", "to": "1.1.0"}).json()

        assert body["changed"] == [
            {
                "kind": "framework",
                "code": "mini",
                "title": {"en": "Mini framework", "de": "Mini-Rahmen"},
                "unit": None,
                "parent": None,
                "position": 1,
                "changes": [{"field": "licence", "language": None, "before": "CC BY 4.0", "after": "CC0"}],
            }
        ]

    @pytest.mark.parametrize("who", ["anonymous", "alice", "charlie"])
    def test_a_draft_is_an_unknown_version_for_everyone_else(
        self, drafts: None, who: str, client: Client, alice: Any, charlie: Any
    ) -> None:
        caller = {"anonymous": client, "alice": client_for(alice), "charlie": client_for(charlie)}[who]

        response = caller.get("/api/v1/frameworks/mini/diff/", {"from": "1.0.0", "to": "1.1.0"})

        assert response.status_code == 400
        assert response.json()["error"]["code"] == "version_not_found"
        assert response.json()["error"]["details"] == {"unknown": {"to": "1.1.0"}}


def test_the_diff_endpoint_runs_a_bounded_number_of_queries(
    client: Client, reference: Framework, edited: Framework
) -> None:
    """Measured 31: the visible versions, then two full reads of the framework (15 each), whatever its size."""
    url = f"{URL}?from=1.0.0&to=1.1.0"
    client.get(url)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)

    assert response.status_code == 200
    assert len(queries) <= 32, [q["sql"][:120] for q in queries.captured_queries]
