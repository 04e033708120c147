from __future__ import annotations

from typing import Any

import pytest
from django.test import override_settings

from skills4cities.esco.suggest import Suggestion, suggest_esco_skills
from skills4cities.matching import services
from skills4cities.matching.engine import Ranker


@override_settings(ESCO_SKILL_SUGGESTER="skills4cities.matching.services.engine_suggester")
def test_the_esco_suggestions_come_from_the_engine(db: Any, fake_esco: Ranker) -> None:
    suggestions = suggest_esco_skills("Manage budgets of the transport department", limit=2)
    assert len(suggestions) == 2
    assert suggestions[0] == Suggestion(
        uri="http://data.europa.eu/esco/skill/budgets", label="manage budgets", score=suggestions[0].score
    )
    assert suggest_esco_skills("   ", limit=2) == []


@override_settings(ESCO_SKILL_SUGGESTER="skills4cities.matching.services.engine_suggester")
def test_no_index_means_no_suggestions(db: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    def unavailable(**_kwargs: Any) -> Ranker:
        raise services.MatchingUnavailable("No ESCO skills are loaded.")

    monkeypatch.setattr(services, "esco_ranker", unavailable)
    assert suggest_esco_skills("manage budgets") == []
