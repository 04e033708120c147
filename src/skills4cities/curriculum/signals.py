"""Remember at sign-in whether the user is a trainer, so that every page can offer "Cohorts" in the user menu
without a query of its own. The cohort pages check the trainer role on every request; only the menu entry
follows a role granted or revoked since sign-in after the next sign-in."""

from __future__ import annotations

from typing import Any

from skills4cities.curriculum.selectors import is_trainer

SESSION_KEY = "s4c_trainer"


def remember_trainer(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    session = getattr(request, "session", None)
    if session is not None:
        session[SESSION_KEY] = is_trainer(user)
