"""A NUL character in an address is refused with 400 everywhere (PostgreSQL text cannot hold it)."""

from __future__ import annotations

import pytest
from django.test import Client

from skills4cities.frameworks.models import Framework

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/frameworks/skills4cities/?version=%00",
        "/frameworks/skills4cities/export/yaml/?version=1%000",
        "/esco/?q=budget%00",
    ],
)
def test_pages_refuse_a_null_character_with_400(client: Client, reference: Framework, url: str) -> None:
    response = client.get(url)

    assert response.status_code == 400
    assert response.content.decode() == "The address contains a null character."


@pytest.mark.parametrize(
    "url", ["/api/v1/frameworks/skills4cities/?version=%00", "/api/v1/frameworks/skills4cities/elements/%00/"]
)
def test_the_api_refuses_a_null_character_with_its_error_format(client: Client, reference: Framework, url: str) -> None:
    response = client.get(url)

    assert response.status_code == 400
    assert response.json() == {"error": {"code": "invalid", "message": "The address contains a null character."}}


def test_ordinary_addresses_pass(client: Client, reference: Framework) -> None:
    assert client.get("/frameworks/skills4cities/?version=1.0.0").status_code == 200
