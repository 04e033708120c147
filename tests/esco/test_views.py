"""ESCO pages: search, skill and occupation pages, links from framework pages, suggestions for editors."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from skills4cities.accounts.enums import MemberRole
from skills4cities.core.models import AuditEntry
from skills4cities.esco.selectors import search_concepts
from skills4cities.frameworks.models import Alignment, Framework
from skills4cities.frameworks.services import framework_import_document
from tests import factories
from tests.conftest import client_for
from tests.esco.official import ANALYST, BUDGETS, FINANCE, FOLDER, MANAGER, write_download, write_optional
from tests.frameworks.conftest import MINI

pytestmark = pytest.mark.django_db

SKILL = "http://data.europa.eu/esco/skill/"
MANAGE_BUDGETS = f"{SKILL}21c5790c-0930-4d74-b3b0-84caf5af12ea"
STAKEHOLDERS = f"{SKILL}1af2db15-2af9-44dd-9639-bf1fc69d4c34"


def _page(uri: str) -> str:
    kind = "skills" if "/skill/" in uri else "occupations"
    return f"/esco/{kind}/{uri.rsplit('/', 1)[1]}/"


@pytest.fixture
def imported(tmp_path: Path) -> None:
    from django.core.management import call_command

    folder = write_download(tmp_path / FOLDER)
    write_optional(folder)
    call_command("import_esco", str(folder), verbosity=0)


@pytest.fixture
def editor(city: Any) -> Any:
    user = factories.UserFactory(username="editor")
    factories.MembershipFactory(user=user, organisation=city, role=MemberRole.FRAMEWORK_EDITOR)
    return user


@pytest.fixture
def draft(city: Any) -> Framework:
    return framework_import_document(document=copy.deepcopy(MINI), owner=city).framework


# --- search ---------------------------------------------------------------------------------------


def test_manage_budgets_is_the_top_hit_for_its_own_label(db: Any) -> None:
    hits = search_concepts("manage budgets")["skills"]

    assert (hits[0].concept.uri, hits[0].rank) == (MANAGE_BUDGETS, 0)
    assert [hit.rank for hit in hits] == sorted(hit.rank for hit in hits)


def test_manage_budgets_is_found_for_budget(db: Any) -> None:
    uris = [hit.concept.uri for hit in search_concepts("budget")["skills"]]

    assert MANAGE_BUDGETS in uris


def test_search_ranks_exact_then_alternative_exact_then_prefix_then_contained_matches(tmp_path: Path) -> None:
    from django.core.management import call_command

    labels = [
        ("manage budget", ""),  # 4: contains the query
        ("control costs", "control the budget"),  # 5: an alternative label contains it
        ("budget control", ""),  # 2: starts with it
        ("cost work", "budget planning"),  # 3: an alternative label starts with it
        ("plan the work", "budget"),  # 1: an alternative label equals it
        ("budget", ""),  # 0: equals it
        ("budgetary control of municipal budgets over the years", ""),  # 2, but longer
    ]
    rows = [
        ["KnowledgeSkillCompetence", f"{SKILL}rank-{index}", "", "", label, alt, "", "", "", "", "", "", ""]
        for index, (label, alt) in enumerate(labels)
    ]
    call_command(
        "import_esco", str(write_download(tmp_path / FOLDER, skills=rows, relations=[], broader=[])), verbosity=0
    )

    assert [(hit.concept.preferred_label, hit.rank) for hit in search_concepts("Budget")["skills"]] == [
        ("budget", 0),
        ("plan the work", 1),
        ("budget control", 2),
        ("budgetary control of municipal budgets over the years", 2),
        ("cost work", 3),
        ("manage budget", 4),
        ("control costs", 5),
    ]
    assert [(hit.concept.preferred_label, hit.rank) for hit in search_concepts("control budget")["skills"]] == [
        ("control costs", 6),  # both words, apart ("control the budget"); shorter labels first
        ("budget control", 6),
        ("budgetary control of municipal budgets over the years", 6),
    ]


def test_search_reports_the_alternative_label_that_matched(imported: None) -> None:
    hit = search_concepts("control budgets")["skills"][0]

    assert (hit.concept.uri, hit.rank, hit.matched_label) == (BUDGETS, 1, "control budgets")


def test_search_needs_every_word(imported: None) -> None:
    assert [hit.concept.uri for hit in search_concepts("budget analyst")["occupations"]] == [ANALYST]
    assert search_concepts("budget astronaut") == {"skills": [], "occupations": []}


def test_hidden_labels_are_searched_and_rank_last(tmp_path: Path) -> None:
    from django.core.management import call_command

    from tests.esco.official import SKILLS

    skills = [[*SKILLS[0][:6], "budgetting", *SKILLS[0][7:]], *SKILLS[1:]]
    call_command("import_esco", str(write_download(tmp_path / FOLDER, skills=skills)), verbosity=0)

    assert [(hit.concept.uri, hit.rank) for hit in search_concepts("budgetting")["skills"]] == [(BUDGETS, 6)]


def test_search_page_lists_skills_and_occupations_for_anonymous_visitors(client: Client, imported: None) -> None:
    response = client.get("/esco/", {"q": "budget"})

    html = response.content.decode()
    assert response.status_code == 200
    assert f'href="{_page(BUDGETS)}"' in html
    assert f'href="{_page(ANALYST)}"' in html
    assert 'data-testid="esco-skills"' in html and 'data-testid="esco-occupations"' in html


def test_search_page_says_when_nothing_matches(client: Client) -> None:
    html = client.get("/esco/", {"q": "zzyzx"}).content.decode()

    assert "Nothing matches “zzyzx”." in html


def test_search_partial_is_returned_to_htmx(client: Client) -> None:
    response = client.get("/esco/", {"q": "budget"}, HTTP_HX_REQUEST="true")

    assert "<html" not in response.content.decode()
    assert 'data-testid="esco-skills"' in response.content.decode()


def test_searching_an_esco_uri_opens_its_page(client: Client) -> None:
    response = client.get("/esco/", {"q": MANAGE_BUDGETS})

    assert (response.status_code, response["Location"]) == (302, _page(MANAGE_BUDGETS))


@pytest.mark.parametrize(("query", "limit"), [("", 3), ("budget", 3), ("manage budgets", 3), ("a b", 3)])
def test_search_runs_a_bounded_number_of_queries(client: Client, query: str, limit: int) -> None:
    """One query for the release, one for skills, one for occupations — however many hits."""
    client.get("/esco/", {"q": query})

    with CaptureQueriesContext(connection) as queries:
        response = client.get("/esco/", {"q": query})

    assert response.status_code == 200
    assert len(queries) <= limit, [q["sql"][:120] for q in queries.captured_queries]


# --- skill and occupation pages ---------------------------------------------------------------------


def test_skill_page_shows_labels_groups_broader_concepts_and_occupations(client: Client, imported: None) -> None:
    html = client.get(_page(FINANCE)).content.decode()

    assert "financial analysis" in html
    assert "analysis of finances" in html
    assert "business, administration and law" in html
    assert f'href="{_page(BUDGETS)}"' in html  # its broader skill
    assert f'href="{_page(ANALYST)}"' in html  # optional for the budget analyst
    assert "Optional for 1 occupation" in html and "Essential for 0 occupations" in html
    assert f'href="{FINANCE}"' in html  # the external URI stays


def test_skill_page_lists_essential_occupations_narrower_skills_and_collections(client: Client, imported: None) -> None:
    html = client.get(_page(BUDGETS)).content.decode()

    assert "Essential for 2 occupations" in html
    assert f'href="{_page(MANAGER)}"' in html
    assert 'data-testid="narrower-skills"' in html
    assert "Green skills" in html


def test_occupation_page_shows_essential_and_optional_skills_and_the_isco_group(client: Client, imported: None) -> None:
    html = client.get(_page(ANALYST)).content.decode()

    assert "1 essential skill" in html and "1 optional skill" in html
    assert f'href="{_page(BUDGETS)}"' in html and f'href="{_page(FINANCE)}"' in html
    assert "ISCO-08 2411 · Accountants" in html
    assert "budget officer" in html


def test_obsolete_concepts_keep_their_page_with_a_notice(client: Client, imported: None) -> None:
    html = client.get(_page(MANAGE_BUDGETS)).content.decode()  # the bundle's concept, absent from the import

    assert "This concept is not part of the latest ESCO release loaded here" in html


def test_unknown_skills_and_occupations_answer_404(client: Client) -> None:
    assert client.get("/esco/skills/00000000-0000-0000-0000-000000000000/").status_code == 404
    assert client.get("/esco/occupations/nope/").status_code == 404


def test_skill_page_lists_the_framework_items_aligned_to_it(client: Client, reference: Framework) -> None:
    alignment = Alignment.objects.filter(framework=reference, target="esco-skill", element__isnull=False).first()
    assert alignment is not None and alignment.element is not None

    html = client.get(_page(alignment.uri)).content.decode()

    assert f"/frameworks/skills4cities/elements/{alignment.element.code}/?version=1.0.0" in html


def test_occupation_page_lists_the_roles_aligned_to_it(client: Client, reference: Framework) -> None:
    alignment = Alignment.objects.filter(framework=reference, target="esco-occupation", role__isnull=False).first()
    assert alignment is not None and alignment.role is not None

    html = client.get(_page(alignment.uri)).content.decode()

    assert f"/frameworks/skills4cities/roles/{alignment.role.slug}/?version=1.0.0" in html


def test_items_of_drafts_are_listed_only_for_their_editors(
    client: Client, draft: Framework, editor: Any, charlie: Any
) -> None:
    draft_link = "/frameworks/mini/elements/M1.E1/?version=1.0.0"

    assert draft_link not in client.get(_page(STAKEHOLDERS)).content.decode()
    assert draft_link not in client_for(charlie).get(_page(STAKEHOLDERS)).content.decode()
    assert draft_link in client_for(editor).get(_page(STAKEHOLDERS)).content.decode()


@pytest.mark.parametrize(("page", "limit"), [(MANAGE_BUDGETS, 8), (STAKEHOLDERS, 8), (ANALYST, 6)])
def test_concept_pages_run_a_bounded_number_of_queries(client: Client, imported: None, page: str, limit: int) -> None:
    client.get(_page(page))

    with CaptureQueriesContext(connection) as queries:
        response = client.get(_page(page))

    assert response.status_code == 200
    assert len(queries) <= limit, [q["sql"][:120] for q in queries.captured_queries]


# --- links from framework pages and the navigation ---------------------------------------------------


def test_esco_alignments_on_framework_pages_link_to_our_page_and_to_esco(client: Client, reference: Framework) -> None:
    alignment = Alignment.objects.filter(framework=reference, target="esco-skill", element__isnull=False).first()
    assert alignment is not None and alignment.element is not None

    html = client.get(f"/frameworks/skills4cities/elements/{alignment.element.code}/").content.decode()

    assert f'<a href="{_page(alignment.uri)}">' in html
    assert f'<a href="{alignment.uri}" rel="noopener external"' in html


def test_the_main_navigation_links_esco(client: Client) -> None:
    assert 'href="/esco/"' in client.get("/").content.decode()


# --- suggestions and one-click alignment -------------------------------------------------------------

ELEMENT = {"framework": "mini", "version": "1.0.0", "element": "M1.E2"}


def test_suggestions_are_public_and_rank_the_exact_label_first(client: Client) -> None:
    response = client.get("/esco/suggest/", {"text": "manage budgets"}, HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert response.status_code == 200
    assert html.index(_page(MANAGE_BUDGETS)) < html.index("</li>")
    assert "Align" not in html


def test_suggestions_page_works_without_javascript(client: Client) -> None:
    html = client.get("/esco/suggest/", {"text": "manage budgets"}).content.decode()

    assert "<html" in html and _page(MANAGE_BUDGETS) in html


def test_editors_of_a_draft_see_the_suggestion_panel_on_the_element_page(
    client: Client, draft: Framework, editor: Any, reference: Framework
) -> None:
    assert (
        'data-testid="esco-suggest-panel"'
        in client_for(editor).get("/frameworks/mini/elements/M1.E2/?version=1.0.0").content.decode()
    )
    assert (
        'data-testid="esco-suggest-panel"'
        not in client.get("/frameworks/skills4cities/elements/U01.E1/").content.decode()
    )


def test_editors_of_a_draft_get_align_buttons(draft: Framework, editor: Any, charlie: Any) -> None:
    query = {"text": "manage budgets", **ELEMENT}

    assert "Align</button>" in client_for(editor).get("/esco/suggest/", query).content.decode()
    assert "Align</button>" not in client_for(charlie).get("/esco/suggest/", query).content.decode()


def test_an_editor_aligns_a_draft_element_in_one_click(draft: Framework, editor: Any) -> None:
    response = client_for(editor).post("/esco/suggest/align/", {**ELEMENT, "uri": MANAGE_BUDGETS})

    assert (response.status_code, response["Location"]) == (302, "/frameworks/mini/elements/M1.E2/?version=1.0.0")
    assert set(draft.alignments.filter(element__code="M1.E2").values_list("target", "uri", "label", "relation")) == {
        ("esco-skill", MANAGE_BUDGETS, "manage budgets", "related")
    }
    assert AuditEntry.objects.filter(action="framework.align_esco").count() == 1


def test_aligning_twice_keeps_one_alignment(draft: Framework, editor: Any) -> None:
    client = client_for(editor)
    client.post("/esco/suggest/align/", {**ELEMENT, "uri": MANAGE_BUDGETS})

    client.post("/esco/suggest/align/", {**ELEMENT, "uri": MANAGE_BUDGETS})

    assert draft.alignments.filter(element__code="M1.E2", uri=MANAGE_BUDGETS).count() == 1


def test_aligning_an_unknown_concept_changes_nothing(draft: Framework, editor: Any, unchanged_database: Any) -> None:
    with unchanged_database():
        response = client_for(editor).post("/esco/suggest/align/", {**ELEMENT, "uri": f"{SKILL}nope"}, follow=True)

    assert f"ESCO concept not found: {SKILL}nope" in response.content.decode()


def test_outsiders_and_members_cannot_align(
    draft: Framework, alice: Any, charlie: Any, unchanged_database: Any
) -> None:
    with unchanged_database():
        for user in (alice, charlie):
            response = client_for(user).post("/esco/suggest/align/", {**ELEMENT, "uri": MANAGE_BUDGETS})
            assert response.status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client: Client, draft: Framework, unchanged_database: Any) -> None:
    with unchanged_database():
        response = client.post("/esco/suggest/align/", {**ELEMENT, "uri": MANAGE_BUDGETS})

    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_published_versions_cannot_be_aligned(reference: Framework, unchanged_database: Any) -> None:
    admin = factories.UserFactory(username="root", is_superuser=True, is_staff=True)
    data = {"framework": "skills4cities", "version": "1.0.0", "element": "U01.E1", "uri": MANAGE_BUDGETS}

    with unchanged_database():
        assert client_for(admin).post("/esco/suggest/align/", data).status_code == 404


def test_suggestions_run_a_bounded_number_of_queries(draft: Framework, editor: Any) -> None:
    client = client_for(editor)
    query = {"text": "manage budgets and stakeholders", **ELEMENT}
    client.get("/esco/suggest/", query)  # builds the index once

    with CaptureQueriesContext(connection) as queries:
        response = client.get("/esco/suggest/", query, HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert len(queries) <= 11, [q["sql"][:120] for q in queries.captured_queries]
