from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.http import HttpRequest


class AccountAdapter(DefaultAccountAdapter):
    """Self sign-up is a deployment choice (``SIGNUP_OPEN``)."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return bool(settings.SIGNUP_OPEN)

    def save_user(self, request: HttpRequest, user: Any, form: Any, commit: bool = True) -> Any:
        """New accounts start in the language the person signed up in."""
        from django.utils.translation import get_language

        language = (get_language() or "en").split("-")[0]
        if language in settings.LANGUAGE_CODES:
            user.preferred_language = language
        return super().save_user(request, user, form, commit=commit)
