"""Translated content fields (django-modeltranslation adds one column per language)."""

from __future__ import annotations

from modeltranslation.translator import TranslationOptions, register

from skills4cities.curriculum import models


@register(models.Curriculum)
class CurriculumTranslation(TranslationOptions):
    fields = ("title", "description")


@register(models.Course)
class CourseTranslation(TranslationOptions):
    fields = ("title", "description")


@register(models.Module)
class ModuleTranslation(TranslationOptions):
    fields = ("title", "description", "assessment_method", "study")
    required_languages = {"en": ("title", "study")}


@register(models.LearningOutcome)
class OutcomeTranslation(TranslationOptions):
    fields = ("text",)
