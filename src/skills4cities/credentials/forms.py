"""The public "verify a credential" form: paste the JSON or upload the file (size-limited)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from skills4cities.credentials import services


class VerifyForm(forms.Form):
    document = forms.CharField(
        label=_("Credential (JSON)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "class": "form-control font-monospace", "spellcheck": "false"}),
        max_length=services.MAX_DOCUMENT_BYTES,
    )
    file = forms.FileField(
        label=_("…or upload the credential file"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": ".json,application/json"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload = data.get("file")
        text = (data.get("document") or "").strip()
        if upload is not None:
            if upload.size > services.MAX_DOCUMENT_BYTES:
                raise forms.ValidationError(
                    _("The file is larger than %(size)s KB.") % {"size": services.MAX_DOCUMENT_BYTES // 1024}
                )
            raw = upload.read(services.MAX_DOCUMENT_BYTES + 1)
            try:
                text = raw.decode("utf-8-sig").strip()
            except UnicodeDecodeError:
                raise forms.ValidationError(_("The file is not UTF-8 text.")) from None
        if not text:
            raise forms.ValidationError(_("Paste a credential or choose a file."))
        data["text"] = text
        return data

    def verify(self) -> services.VerificationResult:
        return services.credential_verify(self.cleaned_data["text"])
