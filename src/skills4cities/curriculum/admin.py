"""Admin for the curriculum; trainers upload module attachments here for now."""

from __future__ import annotations

import mimetypes
from typing import Any

from django import forms
from django.contrib import admin
from django.db import models
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from skills4cities.curriculum.models import (
    Cohort,
    Course,
    CourseModule,
    Curriculum,
    LearningOutcome,
    Module,
    ModuleAttachment,
    ModuleLink,
)


class AttachmentForm(forms.ModelForm):
    class Meta:
        model = ModuleAttachment
        fields = ["title", "file"]

    def save(self, commit: bool = True) -> Any:
        attachment = super().save(commit=False)
        uploaded = self.cleaned_data.get("file")
        if uploaded is not None and hasattr(uploaded, "name"):
            attachment.content_type = (
                getattr(uploaded, "content_type", "") or mimetypes.guess_type(uploaded.name)[0] or ""
            )[:120]
        if commit:
            attachment.save()
        return attachment


class AttachmentInline(admin.TabularInline):
    model = ModuleAttachment
    form = AttachmentForm
    extra = 0


class LinkInline(admin.TabularInline):
    model = ModuleLink
    extra = 0
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


class OutcomeInline(TranslationTabularInline):
    model = LearningOutcome
    extra = 0
    raw_id_fields = ["element"]


@admin.register(Curriculum)
class CurriculumAdmin(TranslationAdmin):
    list_display = ["slug", "version", "framework", "title"]


class CourseModuleInline(admin.TabularInline):
    model = CourseModule
    extra = 0


@admin.register(Course)
class CourseAdmin(TranslationAdmin):
    list_display = ["code", "title", "curriculum", "position"]
    list_select_related = ["curriculum"]
    inlines = [CourseModuleInline]


@admin.register(Module)
class ModuleAdmin(TranslationAdmin):
    list_display = ["code", "title", "hours", "ecvet", "curriculum"]
    list_select_related = ["curriculum"]
    list_filter = ["curriculum"]
    search_fields = ["code", "title"]
    filter_horizontal = ["prerequisites"]
    inlines = [OutcomeInline, LinkInline, AttachmentInline]


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    list_display = ["name", "course", "organisation", "trainer", "start_date"]
    list_select_related = ["course", "organisation", "trainer"]
    filter_horizontal = ["learners"]
    raw_id_fields = ["trainer"]
