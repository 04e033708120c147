from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from skills4cities.curriculum.models import Curriculum, Module
from skills4cities.frameworks.models import Framework
from tests.conftest import client_for
from tests.curriculum.conftest import SourceFolder, module_doc


def test_curriculum_page_lists_courses_with_modules_hours_and_ecvet(loaded: Any) -> None:
    response = Client().get("/curriculum/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Fixture curriculum (en)" in html
    assert html.index('data-module="M01"') < html.index('data-module="M02"') < html.index('data-module="M03"')
    assert '<a href="/curriculum/modules/M02/"><span class="code">M02</span> Module M02 (en)</a>' in html
    assert '<td class="text-end">48</td>' in html  # C1: 2 × 24 hours
    assert '<td class="text-end">2.0</td>' in html  # C1: 2 × 1.0 ECVET


def test_curriculum_page_is_translated(loaded: Any) -> None:
    response = Client().get("/curriculum/", headers={"accept-language": "de"})

    assert "Module M02 (de)" in response.content.decode()


def test_curriculum_page_without_a_curriculum_says_so(reference: Framework) -> None:
    Curriculum.objects.all().delete()

    response = Client().get("/curriculum/")

    assert response.status_code == 200
    assert "No curriculum has been loaded yet." in response.content.decode()


def test_curriculum_page_query_count_does_not_grow_with_modules(
    loaded: Any, source: SourceFolder, reference: Framework
) -> None:
    client = Client()
    with CaptureQueriesContext(connection) as small:
        client.get("/curriculum/")
    first = source.modules["M01"]["outcomes"][0]
    for code in ("M04", "M05", "M06"):
        source.modules[code] = module_doc(code, [(first["element"], first["level"])], ["M01"])
    source.curriculum["courses"].append(
        {"code": "C3", "title": source.curriculum["title"], "description": source.curriculum["title"],
         "modules": ["M04", "M05", "M06"]}
    )  # fmt: skip
    from skills4cities.curriculum.services import curriculum_load_folder

    curriculum_load_folder(folder=source.write())
    with CaptureQueriesContext(connection) as large:
        response = client.get("/curriculum/")

    assert response.content.decode().count("data-module=") == 6
    assert len(large) == len(small)
    assert len(small) <= 3


def test_module_page_shows_metadata_outcomes_prerequisites_and_study(loaded: Any, reference: Framework) -> None:
    element = Module.objects.get(code="M03").outcomes.get().element

    response = Client().get("/curriculum/modules/M03/")

    assert response.status_code == 200
    html = response.content.decode()
    assert f'href="/frameworks/skills4cities/elements/{element.code}/?version=1.0.0"' in html
    assert '<a href="/curriculum/modules/M01/"><span class="code">M01</span> Module M01 (en)</a>' in html
    assert "<dt>Delivery</dt><dd>Online, Classroom</dd>" in html
    assert "<dt>Assessment</dt><dd>Assignment for M03</dd>" in html
    assert "<h2>Key concepts</h2>" in html
    assert '<a href="https://example.org/m03" rel="noopener noreferrer">Reading for M03</a>' in html


def test_a_study_page_only_in_english_is_shown_in_english_and_marked_so(loaded: Any) -> None:
    html = Client().get("/curriculum/modules/M02/", headers={"accept-language": "bg"}).content.decode()

    assert '<html lang="bg">' in html
    assert "Module M02 (bg)" in html
    assert 'data-testid="study" lang="en"' in html
    assert "<h2>Why it matters</h2>" in html


def test_a_translated_study_page_is_shown_in_the_language(loaded: Any) -> None:
    Module.objects.filter(curriculum=loaded, code="M02").update(study_de="## Warum es wichtig ist")

    html = Client().get("/curriculum/modules/M02/", headers={"accept-language": "de"}).content.decode()

    assert 'data-testid="study" lang="de"' in html
    assert "<h2>Warum es wichtig ist</h2>" in html


def test_module_page_of_an_unknown_code_is_404(loaded: Any) -> None:
    assert Client().get("/curriculum/modules/M99/").status_code == 404


@pytest.mark.parametrize("who", ["anonymous", "alice", "charlie"])
def test_curriculum_pages_are_public(loaded: Any, who: str, request: pytest.FixtureRequest) -> None:
    client = Client() if who == "anonymous" else client_for(request.getfixturevalue(who))

    assert client.get("/curriculum/").status_code == 200
    assert client.get("/curriculum/modules/M01/").status_code == 200


def test_module_page_query_count_is_bounded(loaded: Any) -> None:
    client = Client()
    with CaptureQueriesContext(connection) as queries:
        client.get("/curriculum/modules/M01/")

    assert len(queries) <= 8


def test_element_page_lists_the_modules_that_teach_it(loaded: Any, reference: Framework) -> None:
    element = Module.objects.get(code="M03").outcomes.get().element

    html = Client().get(f"/frameworks/skills4cities/elements/{element.code}/").content.decode()

    assert '<a href="/curriculum/modules/M01/"><span class="code">M01</span> Module M01 (en)</a>' in html
    assert '<a href="/curriculum/modules/M03/"><span class="code">M03</span> Module M03 (en)</a>' in html
    assert "/curriculum/modules/M02/" not in html


def test_element_page_without_modules_says_so(reference: Framework) -> None:
    Curriculum.objects.all().delete()

    html = Client().get("/frameworks/skills4cities/elements/U01.E1/").content.decode()

    assert "No module of the curriculum teaches this element yet." in html


def test_main_navigation_links_to_the_curriculum(reference: Framework) -> None:
    html = Client().get("/curriculum/").content.decode()

    assert '<a class="nav-link" href="/curriculum/">Curriculum</a>' in html
