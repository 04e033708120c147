"""Translated content fields (django-modeltranslation adds one column per language)."""

from __future__ import annotations

from modeltranslation.translator import TranslationOptions, register

from skills4cities.frameworks import models


@register(models.Framework)
class FrameworkTranslation(TranslationOptions):
    fields = ("title", "description", "attribution")


@register(models.ProficiencyScale)
class ScaleTranslation(TranslationOptions):
    fields = ("title",)


@register(models.ProficiencyLevel)
class LevelTranslation(TranslationOptions):
    fields = ("name", "description")


@register(models.Role)
class RoleTranslation(TranslationOptions):
    fields = ("title", "summary", "mission")


@register(models.RoleTask)
class RoleTaskTranslation(TranslationOptions):
    fields = ("text",)


@register(models.Unit)
class UnitTranslation(TranslationOptions):
    fields = ("title", "description")


@register(models.Element)
class ElementTranslation(TranslationOptions):
    fields = ("title", "description")


@register(models.Statement)
class StatementTranslation(TranslationOptions):
    fields = ("text",)


@register(models.PerformanceCriterion)
class CriterionTranslation(TranslationOptions):
    fields = ("text",)
