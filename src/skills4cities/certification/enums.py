from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class EvidenceStream(models.TextChoices):
    EXAM = "exam", _("Exam")
    ASSESSOR = "assessor", _("Assessor decision")


class EligibilityKind(models.TextChoices):
    UNIT = "unit", pgettext_lazy("certificate kind", "Unit micro-credential")
    ROLE = "role", pgettext_lazy("certificate kind", "Role certificate")
    ATTENDANCE = "attendance", pgettext_lazy("certificate kind", "Attendance certificate")


class AccreditationKind(models.TextChoices):
    PROVIDER = "provider", _("Training provider")
    TRAINER = "trainer", _("Trainer")


class AccreditationStatus(models.TextChoices):
    APPLIED = "applied", pgettext_lazy("accreditation status", "Applied")
    ACCREDITED = "accredited", pgettext_lazy("accreditation status", "Accredited")
    SUSPENDED = "suspended", pgettext_lazy("accreditation status", "Suspended")
    EXPIRED = "expired", pgettext_lazy("accreditation status", "Expired")
