"""Framework pages: content, drafts hidden from the public, query-count guards."""

from __future__ import annotations

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

pytestmark = pytest.mark.django_db

MANAGER = "smart-city-project-manager"


def test_home_says_what_the_platform_is_and_links_the_three_roles(client: Client, reference: Framework) -> None:
    html = client.get("/").content.decode()

    assert "Skills4Cities describes what smart-city project developers" in html
    for role in reference.roles.all():
        assert f"/frameworks/skills4cities/roles/{role.slug}/" in html


def test_framework_page_lists_units_elements_scale_and_versions(client: Client, reference: Framework) -> None:
    html = client.get("/frameworks/skills4cities/").content.decode()

    for element in reference.elements.all():
        assert f"/frameworks/skills4cities/elements/{element.code}/" in html
    for level in reference.scale.levels.all():
        assert level.name_en in html
    assert "1.0.0" in html


def test_competencies_map_has_the_heatmap_data_and_a_table_fallback(client: Client, reference: Framework) -> None:
    response = client.get("/frameworks/skills4cities/map/")

    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="map-data"' in html
    assert 'data-testid="heatmap-table"' in html
    assert html.count('<tr><th scope="row">') == reference.units.count()
    assert "/static/vendor/echarts/echarts.min.js" in html


def test_role_profile_shows_mission_units_target_levels_ksa_and_esco_links(
    client: Client, reference: Framework
) -> None:
    role = reference.roles.get(slug=MANAGER)

    html = client.get(f"/frameworks/skills4cities/roles/{MANAGER}/").content.decode()

    assert role.mission_en[:60] in html
    for requirement in role.requirements.select_related("element"):
        assert requirement.element.code in html
    assert "http://data.europa.eu/esco/skill/" in html
    assert "Knowledge" in html and "Attitudes" in html


def test_element_page_shows_criteria_and_the_roles_requiring_it(client: Client, reference: Framework) -> None:
    element = reference.elements.filter(requirements__isnull=False).first()
    assert element is not None

    html = client.get(f"/frameworks/skills4cities/elements/{element.code}/").content.decode()

    for criterion in element.criteria.all():
        assert criterion.code in html
    for requirement in element.requirements.select_related("role"):
        assert requirement.role.title_en in html


def test_unknown_role_element_and_framework_answer_404(client: Client, reference: Framework) -> None:
    assert client.get("/frameworks/skills4cities/roles/astronaut/").status_code == 404
    assert client.get("/frameworks/skills4cities/elements/X99/").status_code == 404
    assert client.get("/frameworks/nope/").status_code == 404


def test_search_finds_elements_by_words_in_their_statements(client: Client, reference: Framework) -> None:
    html = client.get("/frameworks/skills4cities/search/", {"q": "procurement"}).content.decode()

    assert 'data-testid="search-elements"' in html


def test_search_in_bulgarian_matches_bulgarian_titles(client: Client, reference: Framework) -> None:
    unit = reference.units.first()
    assert unit is not None
    word = max(unit.title_bg.split(), key=len)

    html = client.get("/frameworks/skills4cities/search/", {"q": word}, HTTP_ACCEPT_LANGUAGE="bg").content.decode()

    assert unit.title_bg in html


def test_search_partial_is_returned_to_htmx(client: Client, reference: Framework) -> None:
    response = client.get("/frameworks/skills4cities/search/", {"q": "risk"}, HTTP_HX_REQUEST="true")

    assert "<html" not in response.content.decode()


def test_booklet_is_a_pdf_in_the_requested_language(client: Client, reference: Framework) -> None:
    response = client.get(f"/frameworks/skills4cities/roles/{MANAGER}/booklet.pdf", HTTP_ACCEPT_LANGUAGE="de")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert f"{MANAGER}-de.pdf" in response["Content-Disposition"]


@pytest.mark.parametrize(
    ("url", "limit"),
    [
        ("/", 3),
        ("/frameworks/", 2),
        ("/frameworks/skills4cities/", 7),
        ("/frameworks/skills4cities/map/", 8),
        (f"/frameworks/skills4cities/roles/{MANAGER}/", 11),
        ("/frameworks/skills4cities/units/U01/", 4),
        ("/frameworks/skills4cities/elements/U01.E1/", 9),
        ("/frameworks/skills4cities/search/?q=data", 5),
        (f"/frameworks/skills4cities/roles/{MANAGER}/booklet.pdf", 11),
    ],
)
def test_pages_run_a_bounded_number_of_queries(client: Client, reference: Framework, url: str, limit: int) -> None:
    """Measured counts plus one: the number does not grow with the 52 elements and 3 roles on the page."""
    client.get(url)  # warm caches (sites, content types)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)

    assert response.status_code == 200
    assert len(queries) <= limit, [q["sql"][:120] for q in queries.captured_queries]


class TestDraftVisibility:
    @pytest.fixture
    def draft(self, mini: dict[str, Any], city: Any) -> Framework:
        return framework_import_document(document=mini, owner=city).framework

    @pytest.fixture
    def editor(self, city: Any) -> Any:
        user = factories.UserFactory(username="editor")
        factories.MembershipFactory(user=user, organisation=city, role=MemberRole.FRAMEWORK_EDITOR)
        return user

    def test_anonymous_visitors_do_not_see_drafts(self, client: Client, draft: Framework) -> None:
        assert client.get("/frameworks/mini/?version=1.0.0").status_code == 404
        assert client.get("/api/v1/frameworks/mini/?version=1.0.0").status_code == 404

    def test_members_who_are_not_editors_do_not_see_drafts(self, draft: Framework, alice: Any) -> None:
        assert client_for(alice).get("/frameworks/mini/?version=1.0.0").status_code == 404

    def test_outsiders_do_not_see_drafts(self, draft: Framework, charlie: Any) -> None:
        assert client_for(charlie).get("/frameworks/mini/?version=1.0.0").status_code == 404

    def test_editors_of_the_owner_see_and_publish_drafts(self, draft: Framework, editor: Any) -> None:
        client = client_for(editor)
        assert client.get("/frameworks/mini/?version=1.0.0").status_code == 200

        response = client.post("/frameworks/mini/versions/1.0.0/publish/")

        assert response.status_code == 302
        draft.refresh_from_db()
        assert draft.status == "published"

    def test_outsiders_cannot_publish(self, draft: Framework, charlie: Any) -> None:
        response = client_for(charlie).post("/frameworks/mini/versions/1.0.0/publish/")

        assert response.status_code == 404
        draft.refresh_from_db()
        assert draft.status == "draft"

    def test_editors_start_a_new_draft_from_a_published_version(self, draft: Framework, editor: Any) -> None:
        client = client_for(editor)
        client.post("/frameworks/mini/versions/1.0.0/publish/")

        response = client.post("/frameworks/mini/versions/1.0.0/new-draft/", {"new_version": "1.1.0"})

        assert response.status_code == 302
        assert set(Framework.objects.filter(slug="mini").values_list("version", "status")) == {
            ("1.0.0", "published"),
            ("1.1.0", "draft"),
        }

    def test_the_reference_framework_cannot_be_edited_by_city_editors(self, reference: Framework, editor: Any) -> None:
        response = client_for(editor).post("/frameworks/skills4cities/versions/1.0.0/new-draft/", {"new_version": "9"})

        assert response.status_code == 404
        assert not Framework.objects.filter(slug="skills4cities", version="9").exists()
