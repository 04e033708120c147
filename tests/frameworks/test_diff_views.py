"""The version diff page: content grouped by unit and role, pickers, drafts hidden, errors, query guard."""

from __future__ import annotations

import re
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

pytestmark = pytest.mark.django_db

URL = "/frameworks/skills4cities/diff/"


@pytest.fixture
def edited(reference: Framework) -> Framework:
    return publish_edited_reference(reference)


def _testids(html: str) -> list[str]:
    return re.findall(r'data-testid="(diff-[a-z-]+(?:-[A-Z0-9.]+)?)"', html)


def test_anonymous_visitors_compare_published_versions_grouped_by_unit_and_role(
    client: Client, reference: Framework, edited: Framework
) -> None:
    u03 = list(reference.units.get(code="U03").elements.values_list("code", flat=True))

    response = client.get(URL, {"from": "1.0.0", "to": "1.1.0"})

    html = response.content.decode()
    assert response.status_code == 200
    groups = [t for t in _testids(html) if t.startswith("diff-group-")]
    assert groups == [
        "diff-group-unit-U01",
        "diff-group-unit-U08",
        "diff-group-role-R1",
        "diff-group-role-R2",
        "diff-group-role-R3",
    ]
    assert "Changes from version 1.0.0 to version 1.1.0" in html
    assert "Align <del>projects</del><ins>every project</ins> with the city" in html
    assert "moved from U01 to U08" in html
    assert html.count('data-testid="diff-requirement"') == 2 + len(u03) + 1  # R1, R2 lose U01.E2; R3: U03 + U01.E2
    assert html.count('data-testid="diff-changed"') == 1
    assert html.count('data-testid="diff-moved"') == 1


def test_the_page_opens_on_the_newest_version_and_its_predecessor(
    client: Client, reference: Framework, edited: Framework
) -> None:
    html = client.get(URL).content.decode()

    assert '<option value="1.0.0" selected>' in html.replace("\n", "")
    assert "Changes from version 1.0.0 to version 1.1.0" in html


def test_texts_can_be_limited_to_one_language(client: Client, reference: Framework) -> None:
    document = publish_edited_reference(reference)
    assert document.version == "1.1.0"

    english = client.get(URL, {"from": "1.0.0", "to": "1.1.0", "language": "en"}).content.decode()
    german = client.get(URL, {"from": "1.0.0", "to": "1.1.0", "language": "de"}).content.decode()

    assert NEW_TITLE.split()[1] in english
    assert "<dt>Title" in english
    assert "<dt>Title" not in german


def test_an_unknown_version_is_a_400_with_a_message(client: Client, reference: Framework) -> None:
    response = client.get(URL, {"from": "1.0.0", "to": "9.9"})

    assert response.status_code == 400
    assert "There is no version 9.9 of this framework." in response.content.decode()


def test_one_missing_version_is_a_400(client: Client, reference: Framework, edited: Framework) -> None:
    response = client.get(URL, {"from": "1.0.0"})

    assert response.status_code == 400
    assert "Choose two versions to compare." in response.content.decode()


def test_a_framework_with_one_version_says_there_is_nothing_to_compare(client: Client, reference: Framework) -> None:
    response = client.get(URL)

    assert response.status_code == 200
    assert "nothing to compare yet" in response.content.decode()


def test_an_unknown_framework_is_a_404(client: Client, reference: Framework) -> None:
    assert client.get("/frameworks/nope/diff/").status_code == 404


def test_comparing_a_version_with_itself_shows_no_changes(client: Client, reference: Framework) -> None:
    html = client.get(URL, {"from": "1.0.0", "to": "1.0.0"}).content.decode()

    assert 'data-testid="diff-empty"' in html
    assert [t for t in _testids(html) if t.startswith("diff-group-")] == []


class TestDrafts:
    @pytest.fixture
    def drafts(self, mini: dict[str, Any], city: Any) -> None:
        published = framework_import_document(document=mini | {"status": "published"}, owner=city).framework
        assert published.status == "published"
        changed = mini | {"version": "1.1.0", "title": {"en": "Mini framework, second edition"}}
        framework_import_document(document=changed, owner=city)

    @pytest.fixture
    def editor(self, city: Any) -> Any:
        user = factories.UserFactory(username="editor")
        factories.MembershipFactory(user=user, organisation=city, role=MemberRole.FRAMEWORK_EDITOR)
        return user

    def test_editors_compare_their_draft_with_the_published_version(self, drafts: None, editor: Any) -> None:
        response = client_for(editor).get("/frameworks/mini/diff/", {"from": "1.0.0", "to": "1.1.0"})

        html = response.content.decode()
        assert response.status_code == 200
        assert "second edition" in html
        assert 'data-testid="diff-group-framework"' in html

    @pytest.mark.parametrize("who", ["anonymous", "alice", "charlie"])
    def test_drafts_look_like_unknown_versions_to_everyone_else(
        self, drafts: None, who: str, client: Client, alice: Any, charlie: Any
    ) -> None:
        browser = {"anonymous": client, "alice": client_for(alice), "charlie": client_for(charlie)}[who]

        response = browser.get("/frameworks/mini/diff/", {"from": "1.0.0", "to": "1.1.0"})

        html = response.content.decode()
        assert response.status_code == 400
        assert "There is no version 1.1.0 of this framework." in html
        assert "second edition" not in html
        assert '<option value="1.1.0"' not in html


def test_the_framework_page_links_versions_to_the_diff_and_offers_every_export(
    client: Client, reference: Framework, edited: Framework
) -> None:
    html = client.get("/frameworks/skills4cities/?version=1.0.0").content.decode()

    assert "/frameworks/skills4cities/diff/?from=1.0.0&amp;to=1.1.0" in html
    for name in ("yaml", "json", "case", "moodle-csv"):
        assert f"/frameworks/skills4cities/export/{name}/?version=1.0.0" in html


def test_the_diff_page_runs_a_bounded_number_of_queries(
    client: Client, reference: Framework, edited: Framework
) -> None:
    """Measured 31: the visible versions, then two full reads of the framework (15 each), whatever its size."""
    url = f"{URL}?from=1.0.0&to=1.1.0"
    client.get(url)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)

    assert response.status_code == 200
    assert len(queries) <= 32, [q["sql"][:120] for q in queries.captured_queries]
