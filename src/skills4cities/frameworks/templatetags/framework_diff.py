"""Template filters of the version diff and the import pages."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import template
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from skills4cities.frameworks import diff

register = template.Library()

FIELD_LABELS = {
    "title": _("Title"),
    "name": _("Name"),
    "description": _("Description"),
    "text": _("Text"),
    "summary": _("Summary"),
    "mission": _("Mission"),
    "main_tasks": _("Main tasks"),
    "knowledge": _("Knowledge"),
    "skills": _("Skills"),
    "attitudes": _("Attitudes"),
    "alignments": _("Alignments"),
    "extra": _("Format data"),
    "eqf_level": _("EQF level"),
    "ecf_level": _("e-CF level"),
    "licence": _("Licence"),
    "attribution": _("Attribution"),
    "languages": _("Languages"),
    "scale_title": _("Scale title"),
    "scale_slug": _("Scale slug"),
    "slug": _("Slug"),
}
KIND_LABELS = {
    "framework": _("Framework"),
    "level": pgettext_lazy("proficiency", "Level"),
    "role": _("Job role"),
    "unit": pgettext_lazy("framework", "Unit"),
    "element": pgettext_lazy("framework", "Element"),
    "criterion": _("Performance criterion"),
}


CHANGE_LABELS = {
    "added": _("Added"),
    "removed": _("Removed"),
    "moved": _("Moved"),
    "reordered": _("Reordered"),
    "changed": _("Changed"),
    "requirement": _("Requirement"),
}


@register.filter
def change_label(change: str) -> str:
    return str(CHANGE_LABELS.get(change, change))


@register.simple_tag
def compare_query(current: Any, other: Any) -> str:
    """``from=<older>&to=<newer>`` for comparing two versions of a framework."""
    older, newer = sorted([current, other], key=lambda f: (f.published_at or f.created_at, f.pk))
    return urlencode({"from": older.version, "to": newer.version})


@register.filter
def in_language(texts: Any) -> str:
    """A translated text (language → text) in the language shown, else English, else any."""
    if not isinstance(texts, dict) or not texts:
        return ""
    language = (get_language() or "en").split("-")[0]
    return str(texts.get(language) or texts.get("en") or next(iter(texts.values())))


@register.filter
def field_label(name: str) -> str:
    return str(FIELD_LABELS.get(name, name))


@register.filter
def kind_label(kind: str) -> str:
    return str(KIND_LABELS.get(kind, kind))


@register.filter
def word_diff(before: str | None, after: str | None) -> list[tuple[str, str]]:
    """``{% for op, text in change.before|word_diff:change.after %}``: runs of kept, deleted, inserted words."""
    return list(diff.word_diff(before, after))


@register.filter
def level_label(value: int | None, levels: dict[int, dict[str, str]]) -> str:
    """``3 · Proficient``: a level's value and its name (in the language shown) from ``{value: {language: name}}``."""
    if value is None:
        return ""
    name = in_language(levels.get(value))
    return f"{value} · {name}" if name else str(value)


@register.filter
def alignment_label(alignment: dict[str, Any]) -> str:
    """``e-CF E.4 (level 3, related)`` or ``ESCO label <uri> (exact)``."""
    relation = alignment.get("relation", "related")
    if alignment.get("target") == "ecf":
        level = f", e-{alignment['level']}" if alignment.get("level") else ""
        return f"e-CF {alignment.get('code', '')} ({relation}{level})"
    label = alignment.get("label") or ""
    return f"ESCO {label} <{alignment.get('uri', '')}> ({relation})".replace("  ", " ")


@register.filter
def plain_value(value: Any) -> str:
    """A scalar or a list for display ('–' when empty)."""
    if value in (None, "", [], {}):
        return "–"
    if isinstance(value, list):
        return ", ".join(str(entry) for entry in value)
    return str(value)
