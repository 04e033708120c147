"""ESCO skills, skill groups and occupations, identified by their concept URIs.

Concepts are upserted by URI; a concept missing from a newer release is marked obsolete, never
deleted, so that alignments made against it keep resolving.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from skills4cities.core.models import TimeStampedModel
from skills4cities.esco.enums import COLLECTION_TITLES, ConceptStatus, SkillRelation


class EscoRelease(TimeStampedModel):
    """One load of ESCO data (the shipped bundle or an official download)."""

    version = models.CharField(_("version"), max_length=40)
    source = models.CharField(_("source"), max_length=300)
    checksum = models.CharField(_("checksum"), max_length=64, db_index=True)
    skills = models.PositiveIntegerField(_("skills"), default=0)
    occupations = models.PositiveIntegerField(_("occupations"), default=0)
    obsoleted = models.PositiveIntegerField(_("marked obsolete"), default=0)
    summary = models.JSONField(
        _("summary"), default=dict, blank=True, help_text=_("What the load created, changed and marked obsolete.")
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("ESCO release")
        verbose_name_plural = _("ESCO releases")

    def __str__(self) -> str:
        return f"ESCO {self.version} ({self.created_at:%Y-%m-%d})"


class EscoConcept(TimeStampedModel):
    uri = models.URLField(_("URI"), max_length=300, unique=True)
    preferred_label = models.CharField(_("preferred label"), max_length=400)
    alt_labels = models.TextField(_("alternative labels"), blank=True, help_text=_("One label per line."))
    hidden_labels = models.TextField(_("hidden labels"), blank=True, help_text=_("One label per line."))
    description = models.TextField(_("description"), blank=True)
    definition = models.TextField(_("definition"), blank=True)
    scope_note = models.TextField(_("scope note"), blank=True)
    modified = models.CharField(_("modified in ESCO"), max_length=40, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=ConceptStatus.choices, default=ConceptStatus.RELEASED)
    release = models.CharField(
        _("ESCO version"), max_length=40, blank=True, help_text=_("The ESCO version that last created or changed it.")
    )

    class Meta:
        abstract = True
        ordering = ["preferred_label"]

    def __str__(self) -> str:
        return self.preferred_label

    @property
    def alt_label_list(self) -> list[str]:
        return [label for label in self.alt_labels.splitlines() if label.strip()]


class EscoCollection(TimeStampedModel):
    """A curated ESCO collection (digital, green, language, research, transversal … skills)."""

    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    source = models.CharField(_("source file"), max_length=120)

    class Meta:
        ordering = ["slug"]
        verbose_name = _("ESCO collection")
        verbose_name_plural = _("ESCO collections")

    def __str__(self) -> str:
        return str(self.title)

    @property
    def title(self) -> str:
        return str(COLLECTION_TITLES.get(self.slug, self.slug))


class EscoSkillGroup(EscoConcept):
    code = models.CharField(_("code"), max_length=40, blank=True, db_index=True)
    broader = models.ManyToManyField(
        "self", symmetrical=False, related_name="narrower", blank=True, verbose_name=_("broader groups")
    )

    class Meta(EscoConcept.Meta):
        verbose_name = _("ESCO skill group")
        verbose_name_plural = _("ESCO skill groups")


class EscoSkill(EscoConcept):
    skill_type = models.CharField(_("skill type"), max_length=40, blank=True)
    reuse_level = models.CharField(_("reuse level"), max_length=40, blank=True)
    groups = models.ManyToManyField(EscoSkillGroup, related_name="skills", blank=True, verbose_name=_("skill groups"))
    broader = models.ManyToManyField(
        "self", symmetrical=False, related_name="narrower", blank=True, verbose_name=_("broader skills")
    )
    collections = models.ManyToManyField(
        EscoCollection, related_name="skills", blank=True, verbose_name=_("collections")
    )

    class Meta(EscoConcept.Meta):
        verbose_name = _("ESCO skill")
        verbose_name_plural = _("ESCO skills")


class EscoIscoGroup(EscoConcept):
    """An ISCO-08 group (major, sub-major, minor or unit group) that ESCO occupations hang under."""

    code = models.CharField(_("ISCO-08 code"), max_length=8, db_index=True)

    class Meta(EscoConcept.Meta):
        ordering = ["code"]
        verbose_name = _("ISCO-08 group")
        verbose_name_plural = _("ISCO-08 groups")


class EscoOccupation(EscoConcept):
    isco_code = models.CharField(_("ISCO-08 code"), max_length=8, blank=True, db_index=True)
    code = models.CharField(_("ESCO code"), max_length=40, blank=True)
    skills = models.ManyToManyField(EscoSkill, through="EscoOccupationSkill", related_name="occupations", blank=True)
    collections = models.ManyToManyField(
        EscoCollection, related_name="occupations", blank=True, verbose_name=_("collections")
    )

    class Meta(EscoConcept.Meta):
        verbose_name = _("ESCO occupation")
        verbose_name_plural = _("ESCO occupations")


class EscoOccupationSkill(models.Model):
    occupation = models.ForeignKey(EscoOccupation, on_delete=models.CASCADE, related_name="skill_links")
    skill = models.ForeignKey(EscoSkill, on_delete=models.CASCADE, related_name="occupation_links")
    relation = models.CharField(_("relation"), max_length=16, choices=SkillRelation.choices)

    class Meta:
        ordering = ["occupation", "relation", "skill__preferred_label"]
        constraints = [
            models.UniqueConstraint(fields=["occupation", "skill"], name="esco_occupation_skill_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.occupation} → {self.skill} ({self.relation})"
