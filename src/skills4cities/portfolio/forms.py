"""Forms of the portfolio pages. They check the input's shape; the services check the rest (files by content)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from skills4cities.portfolio import selectors, services
from skills4cities.portfolio.enums import EvidenceItemKind
from skills4cities.portfolio.models import EvidenceItem
from skills4cities.portfolio.validators import ALLOWED

#: the fields each kind of evidence shows (title, description, dates and elements are common to all)
KIND_FIELDS: dict[str, tuple[str, ...]] = {
    EvidenceItemKind.FILE: ("issuer", "files"),
    EvidenceItemKind.LINK: ("issuer", "url"),
    EvidenceItemKind.DESCRIPTION: ("issuer",),
    EvidenceItemKind.ATTESTATION: ("issuer", "referee_name", "referee_email", "referee_statement"),
}
COMMON = ("title", "description", "date_from", "date_to", "element_codes")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        # Every file goes to the service's content checks, including empty ones (which it names and refuses).
        files = (
            [file for file in data if file is not None] if isinstance(data, list | tuple) else [data] if data else []
        )
        if self.required and not files:
            raise ValidationError(self.error_messages["required"], code="required")
        return files


class EvidenceItemForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    issuer = forms.CharField(label=_("Issuing organisation"), required=False, max_length=200)
    url = forms.CharField(label=_("Web address (URL)"), required=False, max_length=500, widget=forms.URLInput())
    referee_name = forms.CharField(label=_("Referee name"), required=False, max_length=200)
    referee_email = forms.EmailField(label=_("Referee email"), required=False)
    referee_statement = forms.CharField(
        label=_("Referee statement"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    files = MultipleFileField(label=_("Files"), required=False)  # type: ignore[assignment]
    element_codes = forms.MultipleChoiceField(
        label=_("Elements this evidence supports"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    remove_files = forms.MultipleChoiceField(
        label=_("Remove files"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, kind: str, item: EvidenceItem | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind, self.item = kind, item
        keep = (
            set(COMMON)
            | set(KIND_FIELDS[kind])
            | ({"remove_files"} if item is not None and item.files.exists() else set())
        )
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        elements = self.fields["element_codes"]
        assert isinstance(elements, forms.MultipleChoiceField)
        groups: dict[str, list[tuple[str, str]]] = {}
        for element in selectors.taggable_elements():
            groups.setdefault(str(element.unit), []).append((element.code, f"{element.code} {element.title}"))
        elements.choices = list(groups.items())
        elements.help_text = _("Hold Ctrl (or ⌘) to choose several.")
        if "files" in self.fields:
            self.fields["files"].help_text = _("Accepted: %(types)s; at most %(limit)s each.") % {
                "types": ", ".join(f".{ext}" for ext in ALLOWED),
                "limit": filesizeformat(services.max_upload_bytes()),
            }
            self.fields["files"].required = item is None and kind == EvidenceItemKind.FILE
        if "remove_files" in self.fields and item is not None:
            removable = self.fields["remove_files"]
            assert isinstance(removable, forms.MultipleChoiceField)
            removable.choices = [(str(f.public_id), f.original_name) for f in item.files.all()]
        for name in ("url",):
            if name in self.fields:
                self.fields[name].required = kind == EvidenceItemKind.LINK
        if kind == EvidenceItemKind.DESCRIPTION:
            self.fields["description"].required = True
        if kind == EvidenceItemKind.ATTESTATION:
            self.fields["referee_name"].required = True
            self.fields["referee_statement"].required = True
        for name, field in self.fields.items():
            if name == "remove_files":
                continue
            css = "form-select" if name == "element_codes" else "form-control"
            field.widget.attrs.setdefault("class", css)
            field.widget.attrs["data-testid"] = f"evidence-{name.replace('_', '-')}"

    def _values(self) -> dict[str, Any]:
        data = self.cleaned_data
        values = {
            name: data.get(name) or ""
            for name in ("title", "description", "issuer", "url", "referee_name", "referee_email", "referee_statement")
        }
        values.update(
            date_from=data.get("date_from"), date_to=data.get("date_to"), element_codes=data.get("element_codes") or []
        )
        return values

    def _apply(self, error: ValidationError) -> None:
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                target = field if field in self.fields else None
                for message in errors:
                    self.add_error(target, message.messages)
        else:
            self.add_error(None, error)

    def save(self, *, user: Any) -> EvidenceItem | None:
        """Create or update the item through the services; None (with the errors on the form) when refused."""
        try:
            if self.item is None:
                return services.evidence_item_create(
                    owner=user, kind=self.kind, files=self.cleaned_data.get("files") or [], **self._values()
                )
            return services.evidence_item_update(
                actor=user,
                item=self.item,
                add_files=self.cleaned_data.get("files") or [],
                remove_files=self.cleaned_data.get("remove_files") or [],
                **self._values(),
            )
        except ValidationError as error:
            self._apply(error)
            return None
