"""Forms of the exam pages: the certification officer's exam configuration, a trainer's exam session; reading an
answer from a form."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from skills4cities.exams import selectors, services
from skills4cities.exams.enums import ItemType
from skills4cities.exams.models import ExamConfig, ExamSession


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


DATETIME_INPUT = "%Y-%m-%dT%H:%M"


def _datetime_widget() -> forms.DateTimeInput:
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_INPUT)


class ExamSessionForm(forms.Form):
    """A trainer opens an exam session: provider, role, one unit or all, the window, a room or remote note."""

    organisation: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=None, label=_("Training provider"), empty_label=None
    )
    role: forms.ModelChoiceField[Any] = forms.ModelChoiceField(queryset=None, label=_("Job role"), empty_label=None)
    unit: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=None,
        label=pgettext_lazy("framework", "Unit"),
        required=False,
        empty_label=_("All units of the role"),
        help_text=_("A unit must be one the role requires."),
    )
    opens_at = forms.DateTimeField(label=pgettext_lazy("exam session window", "Opens"), widget=_datetime_widget())
    closes_at = forms.DateTimeField(
        label=pgettext_lazy("exam session window", "Closes"),
        widget=_datetime_widget(),
        help_text=_("No attempt starts after this time."),
    )
    location = forms.CharField(
        label=_("Room or remote note"),
        max_length=200,
        required=False,
        help_text=_("For example: room 2.14, or remote with a webcam proctor."),
    )

    def __init__(self, *args: Any, actor: Any, framework: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.fields["organisation"].queryset = selectors.trainer_organisations(actor).order_by("name")  # type: ignore[attr-defined]
        self.fields["role"].queryset = framework.roles.order_by("position", "code")  # type: ignore[attr-defined]
        self.fields["unit"].queryset = selectors.session_units(framework)  # type: ignore[attr-defined]
        self.fields["role"].label_from_instance = lambda role: role.title  # type: ignore[attr-defined]
        self.fields["unit"].label_from_instance = lambda unit: f"{unit.code} {unit.title}"  # type: ignore[attr-defined]
        self.fields["organisation"].label_from_instance = lambda organisation: organisation.name  # type: ignore[attr-defined]
        for name, field in self.fields.items():
            css = "form-select" if name in {"organisation", "role", "unit"} else "form-control"
            field.widget.attrs["class"] = css
        if not self.is_bound:
            start = timezone.localtime().replace(second=0, microsecond=0)
            self.initial.setdefault("opens_at", start)
            self.initial.setdefault("closes_at", start + datetime.timedelta(hours=3))

    def save(self) -> ExamSession | None:
        """Open the session; a refusal becomes an error on its field (the form re-displays), and None is returned."""
        data = self.cleaned_data
        try:
            return services.exam_session_open(
                actor=self.actor,
                organisation=data["organisation"],
                role=data["role"],
                unit=data.get("unit"),
                opens_at=data["opens_at"],
                closes_at=data["closes_at"],
                location=data.get("location") or "",
            )
        except services.ExamError as error:
            field = {"invalid_window": "closes_at", "invalid_unit": "unit"}.get(error.code)
            self.add_error(field, error.message)
            return None


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
