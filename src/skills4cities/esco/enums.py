from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ConceptStatus(models.TextChoices):
    RELEASED = "released", _("Released")
    OBSOLETE = "obsolete", _("Obsolete")


class SkillRelation(models.TextChoices):
    ESSENTIAL = "essential", _("Essential")
    OPTIONAL = "optional", _("Optional")


# ESCO's curated collections, by the slug taken from their file name (``greenSkillsCollection_en.csv`` → ``green``).
COLLECTION_TITLES = {
    "digital": _("Digital skills"),
    "digcomp": _("Digital competences (DigComp)"),
    "green": _("Green skills"),
    "ict": _("ICT skills"),
    "language": _("Language skills and knowledge"),
    "research": _("Research skills"),
    "researchoccupations": _("Research occupations"),
    "transversal": _("Transversal skills and competences"),
}
