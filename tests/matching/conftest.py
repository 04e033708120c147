from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from skills4cities.matching import services
from skills4cities.matching.engine import Candidate, Ranker
from tests.matching.fakes import FAKE_MODEL, fake_encode

SMALL_ESCO = [
    ("http://data.europa.eu/esco/skill/budgets", "manage budgets", ["control budgets"]),
    ("http://data.europa.eu/esco/skill/python", "Python (computer programming)", ["Python"]),
    ("http://data.europa.eu/esco/skill/aid", "provide first aid", ["give first aid"]),
    ("http://data.europa.eu/esco/skill/traffic", "analyse road traffic patterns", ["study traffic flow"]),
]


def small_ranker(items: list[tuple[str, str, list[str]]] = SMALL_ESCO) -> Ranker:
    candidates = [Candidate.build(uri=uri, label=label, alternatives=alts) for uri, label, alts in items]
    return Ranker(candidates, passage_encoder=fake_encode, query_encoder=fake_encode, model_id=FAKE_MODEL)


@pytest.fixture
def fake_esco(monkeypatch: pytest.MonkeyPatch) -> Ranker:
    """``services.esco_ranker`` answers from four skills with the fake encoder (no model, no full index)."""
    ranker = small_ranker()
    monkeypatch.setattr(services, "esco_ranker", lambda **_kwargs: ranker)
    return ranker


@pytest.fixture
def isolated_rankers(tmp_path: Path, settings: object) -> Iterator[Path]:
    """A fresh ranker memo and an empty embedding cache for the test."""
    settings.MATCHING_CACHE_DIR = tmp_path / "cache"
    services.reset_rankers()
    yield tmp_path / "cache"
    services.reset_rankers()
