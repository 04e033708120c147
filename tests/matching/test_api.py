from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from skills4cities.matching import services
from skills4cities.matching.engine import Ranker

URL = "/api/v1/matching/match/"


def api_for(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_match_returns_ranked_matches_with_sentences(
    alice: Any, fake_esco: Ranker, django_assert_max_num_queries: Any
) -> None:
    text = "I planned the city's spending. I also manage budgets for two districts."
    with django_assert_max_num_queries(3):
        response = api_for(alice).post(URL, {"text": text, "target": "esco", "top": 2}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert body["target"] == "esco"
    assert body["framework"] is None
    assert len(body["matches"]) == 2
    first = body["matches"][0]
    assert first["uri"] == "http://data.europa.eu/esco/skill/budgets"
    assert first["label"] == "manage budgets"
    assert first["sentence"] == "I also manage budgets for two districts."
    assert body["matches"][0]["score"] >= body["matches"][1]["score"]


def test_framework_target_names_the_framework(alice: Any, reference: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        services,
        "framework_ranker",
        lambda framework=None: __import__("tests.matching.conftest", fromlist=["small_ranker"]).small_ranker(),
    )
    response = api_for(alice).post(URL, {"text": "first aid", "target": "framework", "top": 1}, format="json")
    assert response.status_code == 200
    assert response.json()["framework"] == f"skills4cities@{reference.version}"
    assert response.json()["matches"][0]["label"] == "provide first aid"


@pytest.mark.parametrize(
    "payload",
    [{"text": "   "}, {"text": "x", "target": "occupations"}, {"text": "x", "top": 0}, {"text": "x", "top": 101}, {}],
)
def test_invalid_requests_get_the_error_format(alice: Any, fake_esco: Ranker, payload: dict[str, Any]) -> None:
    response = api_for(alice).post(URL, payload, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"


def test_anonymous_callers_are_refused(db: Any) -> None:
    response = APIClient().post(URL, {"text": "manage budgets"}, format="json")
    assert response.status_code in (401, 403)
    assert response.json()["error"]["code"] in ("not_authenticated", "authentication_failed")


def test_unavailable_matching_answers_503(alice: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    def unavailable(**_kwargs: Any) -> Ranker:
        raise services.MatchingUnavailable("No ESCO skills are loaded.")

    monkeypatch.setattr(services, "esco_ranker", unavailable)
    response = api_for(alice).post(URL, {"text": "manage budgets"}, format="json")
    assert response.status_code == 503
    assert response.json()["error"] == {"code": "matching_unavailable", "message": "No ESCO skills are loaded."}
