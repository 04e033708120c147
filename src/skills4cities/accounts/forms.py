from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from skills4cities.accounts.enums import MemberRole
from skills4cities.accounts.models import User


class BootstrapMixin:
    """Give every widget Bootstrap's form classes."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():  # type: ignore[attr-defined]
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)


class ProfileForm(BootstrapMixin, forms.ModelForm[User]):
    class Meta:
        model = User
        fields = ["first_name", "last_name", "preferred_language"]


class AddMemberForm(BootstrapMixin, forms.Form):
    username = forms.CharField(label=_("Username or e-mail"), max_length=254)
    role = forms.ChoiceField(label=_("Role"), choices=MemberRole.choices)

    def clean_username(self) -> User:
        value = self.cleaned_data["username"].strip()
        user = User.objects.filter(username__iexact=value).first() or User.objects.filter(email__iexact=value).first()
        if user is None:
            raise forms.ValidationError(
                _("No account has the username or e-mail “%(value)s”."), params={"value": value}
            )
        return user
