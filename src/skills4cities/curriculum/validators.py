from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from skills4cities.curriculum.enums import DeliveryMode


def validate_delivery(value: Any) -> None:
    """Delivery modes are a non-empty list of distinct :class:`DeliveryMode` values."""
    if not isinstance(value, list) or not value:
        raise ValidationError(_("Choose at least one delivery mode."), code="delivery_empty")
    unknown = [mode for mode in value if mode not in DeliveryMode.values]
    if unknown:
        raise ValidationError(
            _("Unknown delivery mode: %(modes)s."),
            code="delivery_unknown",
            params={"modes": ", ".join(map(str, unknown))},
        )
    if len(set(value)) != len(value):
        raise ValidationError(_("A delivery mode is listed twice."), code="delivery_duplicate")
