"""Every page honours Accept-Language, names its language in <html lang>, and shows translated role names."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from skills4cities.frameworks.models import Framework

pytestmark = pytest.mark.django_db

LANGUAGES = ["en", "bg", "ro", "el", "es", "de"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_home_page_is_served_in_the_accept_language(client: Client, reference: Framework, language: str) -> None:
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=language)

    html = response.content.decode()
    assert response.status_code == 200
    assert re.search(rf'<html lang="{language}">', html)
    for role in reference.roles.all():
        assert getattr(role, f"title_{language}") in html


@pytest.mark.parametrize("language", ["bg", "el", "de"])
def test_ui_strings_are_translated(client: Client, reference: Framework, language: str) -> None:
    english = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    translated = client.get("/", HTTP_ACCEPT_LANGUAGE=language).content.decode()

    assert "Explore the competencies map" in english
    assert "Explore the competencies map" not in translated
    assert "Three job roles" not in translated


def test_the_language_switcher_sets_the_language_for_later_pages(client: Client, reference: Framework) -> None:
    response = client.post("/i18n/setlang/", {"language": "ro", "next": "/frameworks/skills4cities/map/"})

    assert response.status_code == 302
    page = client.get("/frameworks/skills4cities/map/", HTTP_ACCEPT_LANGUAGE="en")
    assert '<html lang="ro">' in page.content.decode()


def test_a_signed_in_users_preferred_language_wins_over_the_browser(client: Client, reference: Framework) -> None:
    from tests.factories import UserFactory

    client.force_login(UserFactory.create(username="greek", preferred_language="el"))

    page = client.get("/", HTTP_ACCEPT_LANGUAGE="de")

    assert '<html lang="el">' in page.content.decode()


def test_unknown_languages_fall_back_to_english(client: Client, reference: Framework) -> None:
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="fr")

    assert '<html lang="en">' in page.content.decode()
