"""Read-only admin: self-assessments are the learner's own evidence and change only through the services."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from skills4cities.assessments.models import SelfAssessment, SelfRating


class SelfRatingInline(admin.TabularInline[SelfRating, SelfAssessment]):
    model = SelfRating
    fields = ("element", "level", "note")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(SelfAssessment)
class SelfAssessmentAdmin(admin.ModelAdmin[SelfAssessment]):
    list_display = ("learner", "role", "status", "started_at", "submitted_at")
    list_filter = ("status", "role__slug")
    search_fields = ("learner__username", "public_id")
    list_select_related = ("learner", "role")
    readonly_fields = ("public_id", "learner", "role", "status", "started_at", "submitted_at")
    inlines = [SelfRatingInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: SelfAssessment | None = None) -> bool:
        return False
