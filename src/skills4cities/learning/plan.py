"""The personal development plan of a learning path as PDF (WeasyPrint), in the language of the request
(the learner's preferred language unless they switched): profile, radar (SVG drawn here), gaps, the path."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.contrib.staticfiles import finders
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from skills4cities.learning import selectors, sources
from skills4cities.learning.models import LearningPath


@dataclass(frozen=True)
class Series:
    label: str
    values: list[float]
    css: str  # a class name; colours live in the stylesheet


def radar_svg(axes: list[str], series: list[Series], maximum: int, *, size: int = 320) -> str:
    """A radar chart as an SVG string: one axis per label, rings at every level, one polygon per series."""
    centre, radius = size / 2, size / 2 - 36
    count = max(len(axes), 3)

    def point(index: int, value: float) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * index / count
        r = radius * value / maximum if maximum else 0
        return centre + r * math.cos(angle), centre + r * math.sin(angle)

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" viewBox="0 0 {size} {size}">']
    for level in range(1, maximum + 1):
        ring = " ".join(f"{x:.1f},{y:.1f}" for x, y in (point(i, level) for i in range(count)))
        parts.append(f'<polygon class="ring" points="{ring}" fill="none" stroke="#dee2e6" stroke-width="0.8"/>')
    for i, label in enumerate(axes):
        x, y = point(i, maximum)
        lx, ly = point(i, maximum * 1.16)
        parts.append(f'<line x1="{centre:.1f}" y1="{centre:.1f}" x2="{x:.1f}" y2="{y:.1f}" stroke="#ced4da"/>')
        parts.append(
            f'<text x="{lx:.1f}" y="{ly + 3:.1f}" text-anchor="middle" font-size="9" fill="#495057">'
            f"{escape(label)}</text>"
        )
    colours = {"target": "#f4b942", "current": "#0b5c6b"}
    for s in series:
        shape = " ".join(f"{x:.1f},{y:.1f}" for x, y in (point(i, v) for i, v in enumerate(s.values)))
        colour = colours.get(s.css, "#6c757d")
        parts.append(
            f'<polygon points="{shape}" fill="{colour}" fill-opacity="0.25" stroke="{colour}" stroke-width="1.5">'
            f"<title>{escape(s.label)}</title></polygon>"
        )
    parts.append("</svg>")
    return "".join(parts)


def _unit_means(gaps: sources.LearnerGaps) -> tuple[list[str], list[float], list[float]]:
    units: dict[str, list[tuple[int, int]]] = {}
    for gap in gaps.gaps:
        units.setdefault(gaps.units.get(gap.element, gap.element.split(".")[0]), []).append((gap.target, gap.current))
    axes = sorted(units)
    target = [sum(t for t, _ in units[u]) / len(units[u]) for u in axes]
    current = [sum(c for _, c in units[u]) / len(units[u]) for u in axes]
    return axes, target, current


def plan_context(path: LearningPath) -> dict[str, Any]:
    modules = selectors.modules_of(path)
    gaps = sources.learner_gaps(path.learner, path.role)
    axes, target, current = _unit_means(gaps)
    maximum = max([4, *(g.target for g in gaps.gaps), *(g.current for g in gaps.gaps)])
    radar = radar_svg(
        axes,
        [Series(_("Role target"), target, "target"), Series(_("You"), current, "current")],
        maximum,
    )
    open_gaps = sorted(
        (g for g in gaps.gaps if g.open),
        key=lambda g: (g.current - g.target, g.element not in gaps.essential, g.element),
    )
    return {
        "path": path,
        "learner": path.learner,
        "role": path.role,
        "modules": selectors.active(modules),
        "uncovered": selectors.uncovered(path, modules),
        "progress": selectors.progress(modules),
        "radar": mark_safe(radar),  # noqa: S308 - built above from numbers and escaped labels
        "gaps": [
            {
                "element": g.element,
                "title": gaps.titles.get(g.element, ""),
                "target": g.target,
                "current": g.current,
                "gap": g.target - g.current,
                "essential": g.element in gaps.essential,
            }
            for g in open_gaps
        ],
        "submitted_at": gaps.submitted_at,
        "generated": timezone.now(),
    }


def _css() -> str:
    found = finders.find("s4c/booklet.css")
    return Path(str(found)).read_text(encoding="utf-8") if found else ""


def render_plan_pdf(request: HttpRequest, path: LearningPath) -> bytes:
    from weasyprint import CSS, HTML

    html = render_to_string("learning/plan.html", plan_context(path), request=request)
    document = HTML(string=html, base_url=request.build_absolute_uri("/"))
    return bytes(document.write_pdf(stylesheets=[CSS(string=_css())]))
