"""A second published version of the reference framework with known edits (for diff tests)."""

from __future__ import annotations

import copy
from typing import Any

from skills4cities.frameworks.interchange.native import read_framework
from skills4cities.frameworks.models import Framework
from skills4cities.frameworks.services import framework_import_document

NEW_TITLE = "Align every project with the city's strategy and plans"


def edited_reference_document(reference: Framework, version: str = "1.1.0") -> dict[str, Any]:
    """1.0.0 with three edits: U01.E1's English title, U01.E2 moved to the end of U08, and the project
    manager (R3) requiring U03 at level 3 instead of 2."""
    document = copy.deepcopy(read_framework(reference)) | {"version": version}
    units = {unit["code"]: unit for unit in document["units"]}
    units["U01"]["elements"][0]["title"]["en"] = NEW_TITLE
    moved = units["U01"]["elements"].pop(1)
    units["U08"]["elements"].append(moved)
    manager = next(role for role in document["roles"] if role["code"] == "R3")
    for requirement in manager["requirements"]:
        if requirement["unit"] == "U03":
            requirement["level"] = 3
    return document


def publish_edited_reference(reference: Framework, version: str = "1.1.0") -> Framework:
    return framework_import_document(document=edited_reference_document(reference, version)).framework
