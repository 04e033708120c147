"""Forms of the exam pages: the certification officer's exam configuration; reading an answer from a form."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from skills4cities.exams import services
from skills4cities.exams.enums import ItemType
from skills4cities.exams.models import ExamConfig


class ExamConfigForm(forms.ModelForm[ExamConfig]):
    class Meta:
        model = ExamConfig
        fields = ["items_per_element", "pass_threshold", "time_limit_minutes", "adaptive_allowed", "enabled"]
        help_texts = {
            "pass_threshold": _("A fraction from 0.001 to 1: 0.660 means an element passes at 66 %."),
            "items_per_element": _("Items drawn per element (fewer when the bank has fewer)."),
        }

    def __init__(self, *args: Any, actor: Any, role: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.role = role

    def save(self, commit: bool = True) -> ExamConfig:
        data = self.cleaned_data
        return services.exam_config_save(
            actor=self.actor,
            role=self.role,
            items_per_element=data["items_per_element"],
            pass_threshold=Decimal(data["pass_threshold"]),
            time_limit_minutes=data["time_limit_minutes"],
            adaptive_allowed=data["adaptive_allowed"],
            enabled=data["enabled"],
        )


def answer_from_post(item_type: str, post: Any) -> Any:
    """The answer a learner gave in the exam form: ``answer`` (one id, or several for multiple choice);
    for ordering, ``rank-<option id>`` gives each step's place (1 = first). ``None``: nothing chosen."""
    if item_type == ItemType.MULTIPLE:
        values = [value for value in post.getlist("answer") if value]
        return values or None
    if item_type == ItemType.ORDERING:
        ranks: list[tuple[int, str]] = []
        for name, value in post.items():
            if name.startswith("rank-"):
                try:
                    ranks.append((int(value), name.removeprefix("rank-")))
                except (TypeError, ValueError):
                    return []
        if not ranks:
            return None
        if len({rank for rank, _option in ranks}) != len(ranks):
            return []  # two steps in the same place: refused as an invalid answer
        return [option for _rank, option in sorted(ranks)]
    return post.get("answer") or None
