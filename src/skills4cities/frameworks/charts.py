"""Data for the competencies-map charts (rendered in the browser by ECharts, embedded with json_script)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from skills4cities.frameworks.models import Framework, ProficiencyLevel, Unit


def map_chart_data(
    framework: Framework, heatmap: dict[str, Any], levels: list[ProficiencyLevel], units: Any
) -> dict[str, Any]:
    roles = heatmap["roles"]
    unit_rows = heatmap["rows"]
    cells = []
    for y, row in enumerate(unit_rows):
        for x, cell in enumerate(row["cells"]):
            if cell:
                cells.append([x, y, cell["level"], 1 if cell["essential"] else 0])
    tree = []
    unit: Unit
    for unit in units:
        tree.append(
            {
                "name": unit.code,
                "title": unit.title,
                "url": reverse("frameworks:unit", args=[framework.slug, unit.code]),
                "children": [
                    {
                        "name": element.code,
                        "title": element.title,
                        "value": 1,
                        "url": reverse("frameworks:element", args=[framework.slug, element.code]),
                    }
                    for element in unit.elements.all()
                ],
            }
        )
    return {
        "roles": [
            {
                "code": role.code,
                "title": role.title,
                "url": reverse("frameworks:role", args=[framework.slug, role.slug]),
            }
            for role in roles
        ],
        "units": [{"code": row["unit"].code, "title": row["unit"].title} for row in unit_rows],
        "cells": cells,
        "levels": [{"value": level.value, "name": level.name} for level in levels],
        "tree": {"name": framework.title, "children": tree},
    }
