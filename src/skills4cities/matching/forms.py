from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from skills4cities.matching import services

MAX_TEXT_CHARS = 50_000


class AnalyseForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Text of your CV or project description"),
        widget=forms.Textarea(attrs={"rows": 10, "data-testid": "cv-text"}),
        required=False,
        max_length=MAX_TEXT_CHARS,
    )
    document = forms.FileField(
        label=gettext_lazy("… or upload a file (.txt or .pdf)"),
        required=False,
        widget=forms.ClearableFileInput(
            attrs={"accept": ".txt,.pdf,text/plain,application/pdf", "data-testid": "cv-file"}
        ),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        text = (data.get("text") or "").strip()
        upload = data.get("document")
        if upload is not None:
            try:
                text = (
                    text + "\n" + services.text_of_upload(upload, max_bytes=settings.MATCHING_UPLOAD_MAX_BYTES)
                ).strip()
            except services.UnreadableDocument as exc:
                raise ValidationError({"document": str(exc)}) from None
        if not text:
            raise ValidationError(_("Paste a text or upload a .txt or .pdf file."))
        data["text"] = text[:MAX_TEXT_CHARS]
        return data


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"data-testid": "corpus-files"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class CorpusForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    uploads = MultipleFileField(
        label=gettext_lazy("Documents: .txt or .pdf files, or a .csv file with a text column"), required=True
    )
    role: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=gettext_lazy("Compare with the role profile"),
        queryset=None,  # set in __init__
        required=False,
        empty_label=gettext_lazy("(no comparison)"),
    )

    def __init__(self, *args: Any, roles: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].queryset = roles  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        uploads = data.get("uploads") or []
        if uploads:
            try:
                data["documents"] = services.corpus_documents(uploads, max_bytes=settings.MATCHING_UPLOAD_MAX_BYTES)
            except services.UnreadableDocument as exc:
                raise ValidationError({"uploads": str(exc)}) from None
        return data
