"""Forms of the trainer pages: create a cohort, enrol a learner."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from skills4cities.curriculum import selectors, services
from skills4cities.curriculum.models import Cohort

REFERENCE_FRAMEWORK = "skills4cities"


class CohortCreateForm(forms.Form):
    organisation: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=None, label=_("Organisation"), empty_label=None
    )
    course: forms.ModelChoiceField[Any] = forms.ModelChoiceField(queryset=None, label=_("Course"), empty_label=None)
    name = forms.CharField(label=_("Name"), max_length=200)
    start_date = forms.DateField(label=_("Start date"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["organisation"].queryset = selectors.trainer_organisations(user)  # type: ignore[attr-defined]
        self.fields["course"].queryset = selectors.offered_courses(REFERENCE_FRAMEWORK)  # type: ignore[attr-defined]

    def save(self) -> Cohort:
        data = self.cleaned_data
        return services.cohort_create(
            actor=self.user,
            organisation=data["organisation"],
            course=data["course"],
            name=data["name"],
            start_date=data["start_date"],
        )


class EnrolForm(forms.Form):
    learner: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=None,
        label=_("Learner"),
        to_field_name="public_id",
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args: Any, cohort: Cohort, actor: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.cohort = cohort
        self.actor = actor
        self.fields["learner"].queryset = selectors.enrollable_learners(cohort)  # type: ignore[attr-defined]

    def save(self) -> bool:
        return services.cohort_enrol(cohort=self.cohort, learner=self.cleaned_data["learner"], actor=self.actor)
