"""Forms of the framework pages: the import upload."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from skills4cities.accounts.models import Organisation
from skills4cities.frameworks import selectors
from skills4cities.frameworks.interchange.formats import FORMATS


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Framework file"),
        allow_empty_file=True,  # the importer explains what is wrong with an empty file
        help_text=_(
            "Skills4Cities YAML or JSON, a 1EdTech CASE package (JSON) or a Moodle competency framework (CSV)."
        ),
    )
    format = forms.ChoiceField(label=_("Format"), required=False)
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=Organisation.objects.none(), required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        formats = self.fields["format"]
        assert isinstance(formats, forms.ChoiceField)
        formats.choices = [
            ("", _("Recognise it from the file")),
            *((n, f.label) for n, f in FORMATS.items()),
        ]
        owners = self.fields["owner"]
        assert isinstance(owners, forms.ModelChoiceField)
        owners.queryset = selectors.import_owner_choices(user).order_by("name")
        if user.is_superuser:
            owners.empty_label = _("No organisation (platform content)")
            owners.help_text = _("The organisation whose framework editors will maintain the framework.")
        else:
            owners.required = True
            owners.empty_label = None
            owners.help_text = _("The framework will belong to this organisation; its framework editors maintain it.")
        for name, field in self.fields.items():
            field.widget.attrs["class"] = "form-select" if name in {"format", "owner"} else "form-control"

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        limit = settings.FRAMEWORK_IMPORT_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("%(file)s has %(size)s; an import accepts at most %(limit)s."),
                params={"file": upload.name, "size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            )
        return upload

    def file_data(self) -> bytes:
        return b"".join(self.cleaned_data["file"].chunks())
