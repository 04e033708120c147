from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError

from skills4cities.curriculum.models import attachment_path
from skills4cities.curriculum.validators import validate_delivery


def test_attachment_names_are_generated_under_modules() -> None:
    name = attachment_path(None, "../../etc/Evil Name.PDF")

    assert re.fullmatch(r"modules/[0-9a-f]{32}\.pdf", name)
    assert attachment_path(None, "a.pdf") != attachment_path(None, "a.pdf")


@pytest.mark.parametrize(
    ("value", "code"),
    [([], "delivery_empty"), ("online", "delivery_empty"), (["online", "radio"], "delivery_unknown"),
     (["online", "online"], "delivery_duplicate")],
)  # fmt: skip
def test_delivery_must_be_a_list_of_known_distinct_modes(value: object, code: str) -> None:
    with pytest.raises(ValidationError) as caught:
        validate_delivery(value)

    assert caught.value.code == code


def test_a_valid_delivery_passes() -> None:
    validate_delivery(["online", "classroom", "work-based"])
