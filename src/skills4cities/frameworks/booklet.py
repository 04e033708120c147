"""The printable framework booklet of a role, as PDF (WeasyPrint), in the language of the request."""

from __future__ import annotations

from django.contrib.staticfiles import finders
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone

from skills4cities.frameworks import selectors
from skills4cities.frameworks.models import Framework, Role


def _booklet_css() -> str:
    from pathlib import Path

    path = finders.find("s4c/booklet.css")
    return Path(str(path)).read_text(encoding="utf-8") if path else ""


def render_role_booklet(request: HttpRequest, framework: Framework, role: Role) -> bytes:
    from weasyprint import CSS, HTML

    html = render_to_string(
        "frameworks/booklet.html",
        {
            "framework": framework,
            "role": role,
            "units": selectors.role_profile(role),
            "levels": selectors.scale_levels(framework),
            "level_map": {level.value: level for level in selectors.scale_levels(framework)},
            "ecf_titles": selectors.ecf_titles(),
            "generated": timezone.now(),
        },
        request=request,
    )
    document = HTML(string=html, base_url=request.build_absolute_uri("/"))
    return bytes(document.write_pdf(stylesheets=[CSS(string=_booklet_css())]))
