"""Data for the results page's radar charts (rendered in the browser by ECharts, embedded with json_script)."""

from __future__ import annotations

from typing import Any

from skills4cities.assessments.selectors import GapAnalysis
from skills4cities.frameworks.models import ProficiencyLevel


def radar_data(analysis: GapAnalysis, levels: list[ProficiencyLevel]) -> dict[str, Any]:
    """One radar per unit: an axis per element, the role's target and the learner's current level."""
    units: dict[str, dict[str, Any]] = {}
    order = sorted(analysis.rows, key=lambda row: (row.unit_code, row.code))
    for row in order:
        unit = units.setdefault(
            row.unit_code, {"code": row.unit_code, "title": row.unit_title, "elements": [], "target": [], "current": []}
        )
        unit["elements"].append({"code": row.code, "title": row.title})
        unit["target"].append(row.target_level)
        unit["current"].append(row.current_level)
    return {
        "max": max((level.value for level in levels), default=5),
        "levels": [{"value": level.value, "name": level.name} for level in levels],
        "units": list(units.values()),
    }
