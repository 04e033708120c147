"""Forms of the validation pages: they check the input's shape, then the views call one service each."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from skills4cities.portfolio import selectors as portfolio_selectors
from skills4cities.validation import selectors
from skills4cities.validation.enums import Outcome
from skills4cities.validation.models import ValidationRequest


def _style(form: forms.Form, prefix: str) -> None:
    for name, field in form.fields.items():
        widget = field.widget
        if isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select")
        else:
            widget.attrs.setdefault("class", "form-control")
        widget.attrs["data-testid"] = f"{prefix}-{name.replace('_', '-')}"


class NewRequestForm(forms.Form):
    scope = forms.ChoiceField(label=_("What should be validated?"))
    evidence = forms.MultipleChoiceField(
        label=_("Evidence from your portfolio"), required=False, widget=forms.CheckboxSelectMultiple
    )
    statement = forms.CharField(
        label=_("Your statement"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Explain how your evidence shows the competences, in your own words."),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.roles, self.units = selectors.scope_choices(user)
        scope = self.fields["scope"]
        assert isinstance(scope, forms.ChoiceField)
        scope.choices = [
            ("", _("Choose a job role or a unit")),
            (_("Job roles"), [(f"role:{role.slug}", role.title) for role in self.roles]),
            (
                pgettext_lazy("framework", "Units"),
                [(f"unit:{unit.code}", f"{unit.code} {unit.title}") for unit in self.units],
            ),
        ]
        evidence = self.fields["evidence"]
        assert isinstance(evidence, forms.MultipleChoiceField)
        evidence.choices = [(str(item.public_id), item.title) for item in portfolio_selectors.items_of(user)]
        _style(self, "request")

    def scope_object(self) -> tuple[Any, Any]:
        """(role, unit) chosen — exactly one is set."""
        kind, _sep, key = self.cleaned_data["scope"].partition(":")
        if kind == "role":
            return next(role for role in self.roles if role.slug == key), None
        return None, next(unit for unit in self.units if unit.code == key)


class AddEvidenceForm(forms.Form):
    evidence = forms.MultipleChoiceField(label=_("Evidence to add"), widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, user: Any, request_obj: ValidationRequest, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        included = set(request_obj.evidence_items.values_list("pk", flat=True))
        evidence = self.fields["evidence"]
        assert isinstance(evidence, forms.MultipleChoiceField)
        evidence.choices = [
            (str(item.public_id), item.title) for item in portfolio_selectors.items_of(user) if item.pk not in included
        ]
        _style(self, "add-evidence")


class CommentForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(
        self, *args: Any, label: Any = None, required: bool = False, prefix_id: str = "comment", **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if label is not None:
            self.fields["comment"].label = label
        self.fields["comment"].required = required
        _style(self, prefix_id)


class AssignForm(forms.Form):
    assessor = forms.ChoiceField(label=_("Assessor"))
    second_assessor = forms.ChoiceField(label=_("Second assessor (optional)"), required=False)

    def __init__(self, *args: Any, request_obj: ValidationRequest, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.people = {str(user.pk): user for user in selectors.assessors_of(request_obj.organisation_id)}
        self.people.pop(str(request_obj.learner_id), None)
        choices = [(key, f"{user} ({user.username})") for key, user in self.people.items()]
        assessor = self.fields["assessor"]
        second = self.fields["second_assessor"]
        assert isinstance(assessor, forms.ChoiceField) and isinstance(second, forms.ChoiceField)
        assessor.choices = [("", "—"), *choices]
        second.choices = [("", _("None")), *choices]
        if request_obj.state == "appealed":
            assessor.label = _("Appeal assessor")
            del self.fields["second_assessor"]
        _style(self, "assign")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, second = data.get("assessor"), data.get("second_assessor")
        if first and second and first == second:
            self.add_error("second_assessor", _("The second assessor must be someone other than the first assessor."))
        return data

    def chosen(self, name: str) -> Any:
        return self.people.get(self.cleaned_data.get(name) or "")


class JudgementForm(forms.Form):
    """One element's judgement: a rubric outcome per performance criterion, the level shown, a comment."""

    level = forms.TypedChoiceField(
        label=pgettext_lazy("proficiency", "Level shown"), coerce=int, required=False, empty_value=None
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, entry: Any, levels: list[Any], **kwargs: Any) -> None:
        kwargs.setdefault("prefix", entry.element.code)
        super().__init__(*args, **kwargs)
        self.entry = entry
        for criterion in entry.criteria:
            self.fields[f"c-{criterion.code}"] = forms.ChoiceField(
                label=f"{criterion.code} {criterion.text}", choices=Outcome.choices, widget=forms.RadioSelect
            )
        if not entry.criteria:
            self.fields["outcome"] = forms.ChoiceField(
                label=_("Outcome"), choices=Outcome.choices, widget=forms.RadioSelect
            )
        level = self.fields["level"]
        assert isinstance(level, forms.TypedChoiceField)
        level.choices = [("", "—"), *((value.value, f"{value.value} {value.name}") for value in levels)]
        _style(self, f"judge-{entry.element.code}")

    @property
    def criterion_fields(self) -> list[Any]:
        return [self[name] for name in self.fields if name.startswith("c-") or name == "outcome"]

    def criteria(self) -> dict[str, str]:
        return {name[2:]: value for name, value in self.cleaned_data.items() if name.startswith("c-")}
