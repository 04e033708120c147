"""``{% load curriculum %}{% modules_for_element element %}``: the modules that teach an element.

A template tag keeps the frameworks app free of imports from the curriculum app.
"""

from __future__ import annotations

from typing import Any

from django import template

from skills4cities.curriculum.selectors import outcomes_for_element

register = template.Library()


@register.inclusion_tag("curriculum/_modules_for_element.html")
def modules_for_element(element: Any) -> dict[str, Any]:
    return {"outcomes": outcomes_for_element(element)}
