"""Translated content fields of the item bank (django-modeltranslation adds one column per language)."""

from __future__ import annotations

from modeltranslation.translator import TranslationOptions, register

from skills4cities.exams import models


@register(models.Item)
class ItemTranslation(TranslationOptions):
    fields = ("stem", "explanation")


@register(models.Option)
class OptionTranslation(TranslationOptions):
    fields = ("text", "feedback")
