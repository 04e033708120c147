from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class OrganisationKind(models.TextChoices):
    CITY = "city", _("City administration")
    VET_CENTRE = "vet_centre", _("VET centre")
    CERTIFICATION_BODY = "certification_body", _("Certification body")
    COMPANY = "company", _("Company or consultancy")
    OTHER = "other", _("Other organisation")


class MemberRole(models.TextChoices):
    LEARNER = "learner", pgettext_lazy("member role", "Learner")
    TRAINER = "trainer", pgettext_lazy("member role", "Trainer")
    ASSESSOR = "assessor", pgettext_lazy("member role", "Assessor")
    CERTIFICATION_OFFICER = "certification_officer", pgettext_lazy("member role", "Certification officer")
    ORG_ADMIN = "org_admin", pgettext_lazy("member role", "Organisation admin")
    FRAMEWORK_EDITOR = "framework_editor", pgettext_lazy("member role", "Framework editor")
