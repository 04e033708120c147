"""Write audit entries; services call :func:`audit` inside their transaction."""

from __future__ import annotations

from typing import Any

from django.db import models

from skills4cities.core.models import AuditEntry


def audit(*, actor: Any, action: str, obj: models.Model, data: dict[str, Any] | None = None) -> AuditEntry:
    object_id = getattr(obj, "public_id", None) or obj.pk
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(object_id),
        data=data or {},
    )
