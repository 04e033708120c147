from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class CredentialKind(models.TextChoices):
    """What a credential certifies. Attendance is not an exam result and says so everywhere."""

    UNIT = "unit", _("Unit micro-credential")
    ROLE = "role", _("Job role certificate")
    ATTENDANCE = "attendance", _("Certificate of attendance")


class VerificationState(models.TextChoices):
    VALID = "valid", _("Valid")
    REVOKED = "revoked", _("Revoked")
    EXPIRED = "expired", _("Expired")
    INVALID = "invalid", _("Invalid")
    UNKNOWN = "unknown", _("Unknown")
