"""Forms of the certification officer's pages; each validates input, then calls one service."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from skills4cities.accounts.models import Organisation
from skills4cities.certification import selectors, services
from skills4cities.certification.enums import AccreditationKind
from skills4cities.certification.models import Accreditation, AttendanceRecord, CertificationRule, ExperienceRecord


def _apply_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    for message in error.messages:
        form.add_error(None, message)


class RuleForm(forms.ModelForm):
    class Meta:
        model = CertificationRule
        fields = list(services.RULE_FIELDS)

    def __init__(self, *args: Any, actor: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actor = actor
        for name, field in self.fields.items():
            css = "form-check-input" if isinstance(field, forms.BooleanField) else "form-control"
            field.widget.attrs["class"] = css
            if not isinstance(field, forms.BooleanField):
                field.widget.attrs["min"] = 1 if name == "validity_months" else 0

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("accept_exam") and not data.get("accept_assessor"):
            raise ValidationError(_("At least one kind of evidence (exam or assessor decision) must count."))
        return data

    def save(self, commit: bool = True) -> CertificationRule:
        values = {name: self.cleaned_data[name] for name in services.RULE_FIELDS}
        try:
            return services.rule_save(actor=self.actor, role_slug=self.instance.role_slug, **values)
        except ValidationError as error:
            _apply_service_errors(self, error)
            raise


class CertificateIssueForm(forms.Form):
    role = forms.SlugField(max_length=80, widget=forms.HiddenInput)
    unit = forms.CharField(max_length=32, required=False, widget=forms.HiddenInput)


class AttendanceCertificateIssueForm(forms.Form):
    course = forms.CharField(max_length=32, widget=forms.HiddenInput)


class ExperienceForm(forms.ModelForm):
    class Meta:
        model = ExperienceRecord
        fields = ["description", "employer", "months"]
        widgets = {
            "description": forms.TextInput(attrs={"class": "form-control"}),
            "employer": forms.TextInput(attrs={"class": "form-control"}),
            "months": forms.NumberInput(attrs={"class": "form-control", "min": 1, "max": 600}),
        }

    def __init__(self, *args: Any, actor: Any, person: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actor, self.person = actor, person

    def save(self, commit: bool = True) -> ExperienceRecord:
        data = self.cleaned_data
        return services.experience_record(
            actor=self.actor,
            user=self.person,
            months=data["months"],
            description=data["description"],
            employer=data.get("employer") or "",
        )


class AttendanceForm(forms.ModelForm):
    class Meta:
        model = AttendanceRecord
        fields = ["module", "title", "hours", "attended_on"]
        widgets = {
            "module": forms.Select(attrs={"class": "form-select"}),
            "title": forms.TextInput(attrs={"class": "form-control"}),
            "hours": forms.NumberInput(attrs={"class": "form-control", "min": 1, "max": 2000}),
            "attended_on": forms.DateInput(attrs={"class": "form-control", "type": "date"}),
        }

    def __init__(self, *args: Any, actor: Any, person: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actor, self.person = actor, person
        self.fields["module"].queryset = selectors.offered_modules()  # type: ignore[attr-defined]
        self.fields["module"].required = False

    def clean_attended_on(self) -> Any:
        value = self.cleaned_data["attended_on"]
        if value > timezone.localdate():
            raise ValidationError(_("The date cannot be in the future."))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("module") and not (data.get("title") or "").strip():
            raise ValidationError(_("Name the module or the training that was attended."))
        return data

    def save(self, commit: bool = True) -> AttendanceRecord:
        data = self.cleaned_data
        return services.attendance_record(
            actor=self.actor,
            user=self.person,
            hours=data["hours"],
            attended_on=data["attended_on"],
            module=data.get("module"),
            title=data.get("title") or "",
        )


class AccreditationApplyForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=AccreditationKind.choices, widget=forms.Select(attrs={"class": "form-select"})
    )
    organisation: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=Organisation.objects.order_by("name"),
        label=_("Training provider"),
        required=False,
        to_field_name="public_id",
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    trainer = forms.CharField(
        label=_("Trainer (user name)"),
        required=False,
        max_length=150,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    courses: forms.ModelMultipleChoiceField[Any] = forms.ModelMultipleChoiceField(
        queryset=None,
        label=_("Courses offered"),
        required=False,
        to_field_name="public_id",
        widget=forms.CheckboxSelectMultiple,
    )
    trainer_exam_passed = forms.BooleanField(label=_("Trainer exam passed"), required=False)
    train_the_trainer_attended = forms.BooleanField(label=_("Train-the-trainer course attended"), required=False)
    experience_years = forms.IntegerField(
        label=_("Years of experience"),
        min_value=0,
        max_value=60,
        initial=0,
        widget=forms.NumberInput(attrs={"class": "form-control"}),
    )

    def __init__(self, *args: Any, actor: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.fields["courses"].queryset = selectors.offered_courses()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == AccreditationKind.PROVIDER:
            if not data.get("organisation"):
                self.add_error("organisation", _("Choose the training provider."))
            data["trainer"] = None
        elif data.get("kind") == AccreditationKind.TRAINER:
            username = (data.get("trainer") or "").strip()
            user = get_user_model().objects.filter(username=username).first() if username else None
            if user is None:
                self.add_error("trainer", _("There is no user with this user name."))
            data["trainer"], data["organisation"] = user, None
        return data

    def save(self) -> Accreditation:
        data = self.cleaned_data
        return services.accreditation_apply(
            actor=self.actor,
            kind=data["kind"],
            organisation=data.get("organisation"),
            trainer=data.get("trainer"),
            courses=data.get("courses") or [],
            trainer_exam_passed=data.get("trainer_exam_passed", False),
            train_the_trainer_attended=data.get("train_the_trainer_attended", False),
            experience_years=data.get("experience_years") or 0,
        )


class SuspendForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300, widget=forms.TextInput(attrs={"class": "form-control"}))


class RevokeForm(forms.Form):
    """Revoke a credential: a reason (shown on the public verification page) and an explicit confirmation."""

    reason = forms.CharField(
        label=_("Reason for the revocation"),
        max_length=2000,
        help_text=_("Shown to anyone who verifies the credential."),
        error_messages={"required": _("Give a reason for the revocation.")},
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 3, "data-testid": "revoke-reason"}),
    )
    confirm = forms.BooleanField(
        label=_("I understand that the revocation is final and is shown at once on the verification page."),
        error_messages={"required": _("Confirm that you want to revoke this credential.")},
        widget=forms.CheckboxInput(attrs={"class": "form-check-input", "data-testid": "revoke-confirm"}),
    )

    def __init__(self, *args: Any, actor: Any, credential: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actor, self.credential = actor, credential

    def clean_reason(self) -> str:
        reason = str(self.cleaned_data.get("reason") or "").strip()
        if not reason:
            raise ValidationError(_("Give a reason for the revocation."))
        return reason

    def save(self) -> Any:
        return services.certificate_revoke(
            actor=self.actor, credential=self.credential, reason=self.cleaned_data["reason"]
        )
