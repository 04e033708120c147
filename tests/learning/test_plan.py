from __future__ import annotations

import subprocess
from typing import Any

import pytest
from django.urls import reverse

from skills4cities.learning import plan, services
from tests.conftest import client_for
from tests.learning.conftest import Setting


def _text(pdf: bytes) -> str:
    return subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()


def test_the_plan_pdf_names_the_role_the_largest_gap_and_the_path(setting: Setting, alice: Any) -> None:
    path = services.learning_path_propose(learner=alice, role=setting.role)
    response = client_for(alice).get(reverse("learning:plan-pdf", args=[path.public_id]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="development-plan-{setting.role.slug}-en.pdf"'
    text = _text(response.content)
    assert "Personal development plan" in text
    assert "Smart City Project Manager" in text
    assert setting.e1 in text.split("Your gaps")[1]
    assert "M01" in text
    assert "Foundations" in text


def test_the_plan_pdf_follows_the_learners_language(setting: Setting, alice: Any) -> None:
    alice.preferred_language = "de"
    alice.save()
    path = services.learning_path_propose(learner=alice, role=setting.role)
    response = client_for(alice).get(reverse("learning:plan-pdf", args=[path.public_id]))
    assert response["Content-Disposition"].endswith('-de.pdf"')
    assert setting.role.title_de in _text(response.content)


@pytest.mark.parametrize("who", ["bob", "charlie"])
def test_no_one_else_gets_the_plan(setting: Setting, alice: Any, who: str, request: pytest.FixtureRequest) -> None:
    path = services.learning_path_propose(learner=alice, role=setting.role)
    response = client_for(request.getfixturevalue(who)).get(reverse("learning:plan-pdf", args=[path.public_id]))
    assert response.status_code == 404


def test_the_radar_has_one_axis_per_unit_and_a_polygon_per_series() -> None:
    svg = plan.radar_svg(
        ["U01", "U02", "U<3>"],
        [plan.Series("target", [3, 3, 4], "target"), plan.Series("you", [1, 2, 4], "current")],
        4,
    )
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"')
    assert svg.count('class="ring"') == 4
    assert svg.count("<line ") == 3
    assert "U&lt;3&gt;" in svg
    assert svg.count("<title>") == 2
