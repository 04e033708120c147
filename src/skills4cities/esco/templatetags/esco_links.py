"""``{{ uri|esco_page }}``: our page for an ESCO skill or occupation URI (empty for anything else)."""

from __future__ import annotations

from django import template
from django.urls import reverse

from skills4cities.esco.selectors import page_key

register = template.Library()


@register.filter
def esco_page(uri: str) -> str:
    found = page_key(str(uri or ""))
    if found is None:
        return ""
    kind, key = found
    return reverse(f"esco:{kind}", args=[key])
