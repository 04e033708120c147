from __future__ import annotations

import copy
from typing import Any

import pytest

MINI: dict[str, Any] = {
    "slug": "mini",
    "version": "1.0.0",
    "status": "draft",
    "languages": ["en", "de"],
    "licence": "CC BY 4.0",
    "title": {"en": "Mini framework", "de": "Mini-Rahmen"},
    "scale": {
        "slug": "mini-scale",
        "title": {"en": "Scale"},
        "levels": [
            {"value": 1, "name": {"en": "Basic"}, "eqf_level": 3},
            {"value": 2, "name": {"en": "Advanced"}, "eqf_level": 6},
        ],
    },
    "roles": [
        {
            "slug": "mini-role",
            "code": "R1",
            "title": {"en": "Mini role", "de": "Mini-Rolle"},
            "eqf_level": 6,
            "main_tasks": [{"en": "Plan the pilot"}],
            "alignments": [
                {
                    "target": "esco-occupation",
                    "uri": "http://data.europa.eu/esco/occupation/bea99fea-0383-4c63-b944-70d4799de2c5",
                    "relation": "related",
                }
            ],
            "requirements": [{"unit": "M1", "level": 2, "essential": True, "elements": {"M1.E2": {"level": 1}}}],
        }
    ],
    "units": [
        {
            "code": "M1",
            "title": {"en": "Engagement"},
            "elements": [
                {
                    "code": "M1.E1",
                    "title": {"en": "Map stakeholders"},
                    "knowledge": [{"en": "Power-interest grids"}],
                    "skills": [{"en": "Keep a stakeholder register"}],
                    "attitudes": [{"en": "Listens to residents"}],
                    "criteria": [{"code": "M1.E1.PC1", "text": {"en": "Names every affected group."}}],
                    "alignments": [
                        {
                            "target": "esco-skill",
                            "uri": "http://data.europa.eu/esco/skill/1af2db15-2af9-44dd-9639-bf1fc69d4c34",
                            "label": "manage relationships with stakeholders",
                            "relation": "related",
                        },
                        {"target": "ecf", "code": "E.4", "level": 3, "relation": "related"},
                    ],
                },
                {
                    "code": "M1.E2",
                    "title": {"en": "Run a co-creation workshop"},
                    "criteria": [{"code": "M1.E2.PC1", "text": {"en": "Documents what residents proposed."}}],
                },
            ],
        }
    ],
}


@pytest.fixture
def mini() -> dict[str, Any]:
    return copy.deepcopy(MINI)
