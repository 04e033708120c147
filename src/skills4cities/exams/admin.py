"""Admin: the item bank with inline options (trainers, editors); exam rules per role (certification officers);
attempts read-only (they change only through the services)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from skills4cities.exams import services
from skills4cities.exams.models import AttemptItem, ElementResult, ExamAttempt, ExamConfig, ExamSession, Item, Option


class OptionInline(TranslationTabularInline):
    model = Option
    fields = ("position", "text", "correct", "feedback")
    extra = 0
    ordering = ("position",)


@admin.register(Item)
class ItemAdmin(TranslationAdmin):
    list_display = ("key", "element", "level", "type", "status", "irt_source")
    list_filter = ("status", "type", "level", "irt_source", "element__unit__code")
    search_fields = ("key", "stem", "element__code")
    list_select_related = ("element",)
    readonly_fields = ("public_id", "source_hash", "calibrated_at")
    raw_id_fields = ("element",)
    inlines = [OptionInline]
    fieldsets = (
        (None, {"fields": ("key", "element", "level", "type", "status", "stem", "explanation")}),
        ("IRT", {"fields": ("irt_a", "irt_b", "irt_c", "irt_source", "calibrated_at")}),
        (None, {"fields": ("public_id", "source_hash")}),
    )


@admin.register(ExamConfig)
class ExamConfigAdmin(admin.ModelAdmin):
    list_display = ("role", "items_per_element", "pass_threshold", "time_limit_minutes", "adaptive_allowed", "enabled")
    list_select_related = ("role__framework",)
    readonly_fields = ("updated_by",)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return services.can_configure_exams(request.user) and super().has_module_permission(request)

    def save_model(self, request: HttpRequest, obj: ExamConfig, form: Any, change: bool) -> None:
        services.exam_config_save(
            actor=request.user,
            role=obj.role,
            items_per_element=obj.items_per_element,
            pass_threshold=obj.pass_threshold,
            time_limit_minutes=obj.time_limit_minutes,
            adaptive_allowed=obj.adaptive_allowed,
            enabled=obj.enabled,
        )


class AttemptItemInline(admin.TabularInline):
    model = AttemptItem
    fields = ("position", "item", "element_code", "answer", "answered_at", "score")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ElementResultInline(admin.TabularInline):
    model = ElementResult
    fields = ("element_code", "items", "score", "fraction", "threshold", "passed", "level")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ExamAttempt)
class ExamAttemptAdmin(admin.ModelAdmin):
    list_display = ("learner", "scope", "kind", "state", "started_at", "finished_at")
    list_filter = ("kind", "state", "certifying")
    search_fields = ("learner__username", "scope", "public_id")
    list_select_related = ("learner",)
    inlines = [ElementResultInline, AttemptItemInline]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [field.name for field in ExamAttempt._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ExamSession)
class ExamSessionAdmin(admin.ModelAdmin):
    """Read-only: sessions open and close through the trainers' pages (services, audited)."""

    list_display = ("role", "unit", "organisation", "trainer", "opens_at", "closes_at", "closed_at")
    list_filter = ("organisation",)
    search_fields = ("trainer__username", "organisation__name", "public_id")
    list_select_related = ("role", "unit", "organisation", "trainer")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [field.name for field in ExamSession._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
