"""The read-only CASE 1.1 REST endpoints under /ims/case/v1p1/: published versions for everyone, drafts for
their editors only, answers valid against the CASE schema, CASE's error body, and bounded queries."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from skills4cities.accounts.enums import MemberRole
from skills4cities.frameworks.interchange import case
from skills4cities.frameworks.interchange.native import read_framework
from skills4cities.frameworks.models import Framework
from skills4cities.frameworks.services import framework_import_document, framework_import_file
from tests import factories
from tests.conftest import client_for
from tests.frameworks.conftest import MINI

pytestmark = pytest.mark.django_db

BASE = "/ims/case/v1p1"
OPENSALT = Path(__file__).resolve().parents[1] / "frameworks" / "interchange" / "case" / "opensalt-framework.json"
UNKNOWN = "00000000-0000-4000-8000-000000000000"


def case_error(description: str, minor: str = "unknownobject", field: str = "sourcedId") -> dict[str, Any]:
    return {
        "imsx_codeMajor": "failure",
        "imsx_severity": "error",
        "imsx_description": description,
        "imsx_codeMinor": {
            "imsx_codeMinorField": [{"imsx_codeMinorFieldName": field, "imsx_codeMinorFieldValue": minor}]
        },
    }


UNKNOWN_OBJECT = case_error("No CASE object with this identifier is available.")


@pytest.fixture
def draft(city: Any) -> Framework:
    """The mini framework as a draft of the city (visible to the city's framework editors only)."""
    return framework_import_document(document=copy.deepcopy(MINI), owner=city).framework


@pytest.fixture
def editor(city: Any) -> Any:
    user = factories.UserFactory(username="editor")
    factories.MembershipFactory(user=user, organisation=city, role=MemberRole.FRAMEWORK_EDITOR)
    return user


def package_of(framework: Framework) -> dict[str, Any]:
    return case.package(read_framework(framework), changed=framework.published_at or framework.updated_at)


def titles(response: Any) -> list[tuple[str, str, str]]:
    return [(d["title"], d["version"], d["adoptionStatus"]) for d in response.json()["CFDocuments"]]


REFERENCE_TITLE = "Skills4Cities reference competencies framework for smart-city project roles"


class TestDocuments:
    def test_anonymous_visitors_get_the_published_frameworks(
        self, client: Client, reference: Framework, draft: Any
    ) -> None:
        response = client.get(f"{BASE}/CFDocuments")

        assert response.status_code == 200
        assert titles(response) == [(REFERENCE_TITLE, "1.0.0", "Adopted")]
        [document] = response.json()["CFDocuments"]
        assert case.export_problems(document, definition="CFDocument") == []
        assert document == case.standalone_document(package_of(reference)["CFDocument"])

    def test_editors_also_get_their_drafts(self, reference: Framework, draft: Framework, editor: Any) -> None:
        response = client_for(editor).get(f"{BASE}/CFDocuments")

        assert titles(response) == [("Mini framework", "1.0.0", "Draft"), (REFERENCE_TITLE, "1.0.0", "Adopted")]

    @pytest.mark.parametrize("who", ["alice", "bob", "charlie"])
    def test_members_who_are_not_editors_and_outsiders_do_not_get_drafts(
        self, reference: Framework, draft: Framework, who: str, request: pytest.FixtureRequest
    ) -> None:
        response = client_for(request.getfixturevalue(who)).get(f"{BASE}/CFDocuments")

        assert titles(response) == [(REFERENCE_TITLE, "1.0.0", "Adopted")]

    def test_limit_and_offset_page_the_list(self, client: Client, reference: Framework) -> None:
        framework_import_file(data=OPENSALT.read_bytes(), filename=OPENSALT.name)  # a second published framework

        everything = titles(client.get(f"{BASE}/CFDocuments"))
        second = titles(client.get(f"{BASE}/CFDocuments?limit=1&offset=1"))

        assert everything == [
            ("Digital Project Skills for Municipalities", "2.0", "Adopted"),
            (REFERENCE_TITLE, "1.0.0", "Adopted"),
        ]
        assert second == everything[1:]

    @pytest.mark.parametrize(
        ("query", "field"), [("limit=0", "limit"), ("offset=-1", "offset"), ("limit=ten", "limit")]
    )
    def test_a_bad_limit_or_offset_answers_400_in_the_case_shape(
        self, client: Client, reference: Framework, query: str, field: str
    ) -> None:
        response = client.get(f"{BASE}/CFDocuments?{query}")

        minimum = 1 if field == "limit" else 0
        assert response.status_code == 400
        assert response.json() == case_error(
            f"{field} must be a whole number of at least {minimum}.", "invalid_selection_field", field
        )

    @pytest.mark.parametrize("who", [None, "editor"])
    def test_the_list_runs_one_query_however_many_frameworks(
        self, reference: Framework, draft: Framework, who: str | None, request: pytest.FixtureRequest
    ) -> None:
        framework_import_file(data=OPENSALT.read_bytes(), filename=OPENSALT.name)
        client = client_for(request.getfixturevalue(who)) if who else Client()
        client.get(f"{BASE}/CFDocuments")

        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"{BASE}/CFDocuments")

        assert response.status_code == 200
        # the frameworks, in one query; a signed-in caller adds the session and the user
        assert len(queries) == (1 if who is None else 3), [q["sql"][:120] for q in queries.captured_queries]


class TestObjects:
    def test_a_document_links_its_package(self, client: Client, reference: Framework) -> None:
        package = package_of(reference)
        identifier = package["CFDocument"]["identifier"]

        document = client.get(f"{BASE}/CFDocuments/{identifier}").json()

        assert document == case.standalone_document(package["CFDocument"])
        assert document["CFPackageURI"]["uri"] == f"http://127.0.0.1:8000{BASE}/CFPackages/{identifier}"

    def test_the_package_is_the_case_export_of_the_version(self, client: Client, reference: Framework) -> None:
        package = package_of(reference)

        response = client.get(f"{BASE}/CFPackages/{package['CFDocument']['identifier']}")

        assert response.status_code == 200
        assert response.json() == package
        assert case.export_problems(response.json()) == []

    def test_items_associations_and_rubrics_are_found_by_identifier(self, client: Client, reference: Framework) -> None:
        package = package_of(reference)
        element = next(item for item in package["CFItems"] if item.get("humanCodingScheme") == "U01.E1")
        association = next(a for a in package["CFAssociations"] if a["associationType"] == "isRelatedTo")
        [rubric] = package["CFRubrics"]
        document_link = {
            "title": package["CFDocument"]["title"],
            "identifier": package["CFDocument"]["identifier"],
            "uri": package["CFDocument"]["uri"],
        }

        item = client.get(f"{BASE}/CFItems/{element['identifier']}").json()
        linked = client.get(f"{BASE}/CFAssociations/{association['identifier']}").json()
        around = client.get(f"{BASE}/CFItemAssociations/{element['identifier']}").json()
        scale = client.get(f"{BASE}/CFRubrics/{rubric['identifier']}").json()

        assert item == element | {"CFDocumentURI": document_link}
        assert case.export_problems(item, definition="CFItem") == []
        assert linked == association | {"CFDocumentURI": document_link}
        assert case.export_problems(linked, definition="CFAssociation") == []
        assert case.export_problems(around, definition="CFItemAssociationSet") == []
        assert around["CFItem"] == item
        assert {a["identifier"] for a in around["CFAssociations"]} == {
            a["identifier"]
            for a in package["CFAssociations"]
            if element["identifier"] in {a["originNodeURI"]["identifier"], a["destinationNodeURI"]["identifier"]}
        }
        assert scale == rubric

    def test_imported_identifiers_are_served_as_they_were(self, client: Client) -> None:
        framework_import_file(data=OPENSALT.read_bytes(), filename=OPENSALT.name)

        item = client.get(f"{BASE}/CFItems/a1000000-1c2d-4e3f-8a4b-5c6d7e8f9002").json()

        assert (item["humanCodingScheme"], item["CFItemType"], item["uri"]) == (
            "D1.1",
            "Competency",
            "https://opensalt.example.org/uri/a1000000-1c2d-4e3f-8a4b-5c6d7e8f9002",
        )
        assert item["CFDocumentURI"]["identifier"] == "c5a1d7e2-8f3b-4c1a-9e2d-6b7f8a9c0d1e"

    def test_detail_answers_run_a_bounded_number_of_queries(self, client: Client, reference: Framework) -> None:
        package = package_of(reference)
        element = next(item for item in package["CFItems"] if item.get("humanCodingScheme") == "U01.E1")
        client.get(f"{BASE}/CFItems/{element['identifier']}")  # builds and caches the package once

        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"{BASE}/CFItems/{element['identifier']}")

        assert response.status_code == 200
        assert len(queries) <= 1, [q["sql"][:120] for q in queries.captured_queries]


class TestDraftsAndErrors:
    @pytest.fixture
    def draft_urls(self, draft: Framework) -> list[str]:
        package = package_of(draft)
        document = package["CFDocument"]["identifier"]
        item = package["CFItems"][0]["identifier"]
        association = package["CFAssociations"][0]["identifier"]
        return [
            f"{BASE}/CFDocuments/{document}",
            f"{BASE}/CFPackages/{document}",
            f"{BASE}/CFItems/{item}",
            f"{BASE}/CFItemAssociations/{item}",
            f"{BASE}/CFAssociations/{association}",
            f"{BASE}/CFRubrics/{package['CFRubrics'][0]['identifier']}",
        ]

    @pytest.mark.parametrize("who", [None, "alice", "charlie"])
    def test_drafts_answer_404_to_everyone_but_their_editors(
        self, draft_urls: list[str], who: str | None, request: pytest.FixtureRequest
    ) -> None:
        client = client_for(request.getfixturevalue(who)) if who else Client()

        for url in draft_urls:
            response = client.get(url)
            assert (url, response.status_code, response.json()) == (url, 404, UNKNOWN_OBJECT)

    def test_editors_get_their_drafts(self, draft_urls: list[str], editor: Any) -> None:
        client = client_for(editor)

        assert [client.get(url).status_code for url in draft_urls] == [200] * len(draft_urls)

    @pytest.mark.parametrize(
        "section", ["CFDocuments", "CFPackages", "CFItems", "CFItemAssociations", "CFAssociations", "CFRubrics"]
    )
    def test_an_unknown_identifier_answers_the_case_404(
        self, client: Client, reference: Framework, section: str
    ) -> None:
        response = client.get(f"{BASE}/{section}/{UNKNOWN}")

        assert response.status_code == 404
        assert response.json() == UNKNOWN_OBJECT

    def test_an_identifier_that_is_not_a_uuid_answers_invalid_uuid(self, client: Client, reference: Framework) -> None:
        response = client.get(f"{BASE}/CFItems/U01.E1")

        assert response.status_code == 404
        assert response.json() == case_error("'U01.E1' is not a UUID.", "invalid_uuid")

    @pytest.mark.parametrize("path", ["CFThings", "CFItems", "CFItems/a/b", "cfdocuments"])
    def test_unknown_case_paths_answer_the_case_404(self, client: Client, path: str) -> None:
        response = client.get(f"{BASE}/{path}")

        assert response.status_code == 404
        assert response["Content-Type"] == "application/json"
        assert response.json() == case_error("No CASE endpoint at this address.", field="path")

    def test_a_bad_token_answers_401_in_the_case_shape(self, client: Client, reference: Framework) -> None:
        response = client.get(f"{BASE}/CFDocuments", HTTP_AUTHORIZATION="Token not-a-token")

        assert response.status_code == 401
        assert response["WWW-Authenticate"] == "Token"
        assert response.json() == case_error("Invalid token.", "unauthorised_request")

    def test_the_endpoints_only_read(self, client: Client, reference: Framework) -> None:
        response = client.post(f"{BASE}/CFDocuments", {})

        assert response.status_code == 405
        assert response.json() == case_error('Method "POST" not allowed.', "forbidden") | {
            "imsx_codeMajor": "unsupported"
        }
