from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def private_storage(settings: Any, tmp_path: Path) -> Path:
    """Every test stores uploads in its own folder (and the tests can list what was written)."""
    root = tmp_path / "private" / "portfolio"
    settings.PORTFOLIO_STORAGE_ROOT = root
    return root


def stored_files(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


@pytest.fixture
def people(alice: Any, bob: Any, charlie: Any, city: Any) -> Any:
    from tests.validation.helpers import People, assessor

    return People(alice, bob, charlie, assessor("dave", city), assessor("erin", city), assessor("frank", city))
