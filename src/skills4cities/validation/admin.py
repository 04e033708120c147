"""Read-only admin: a validation request changes state only through its transition services (each audited)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from skills4cities.validation.models import ElementJudgement, ValidationRequest


class ElementJudgementInline(admin.TabularInline[ElementJudgement, ValidationRequest]):
    model = ElementJudgement
    fields = ("element", "stage", "assessor", "outcome", "level", "decisive", "decided_at", "comment")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ValidationRequest)
class ValidationRequestAdmin(admin.ModelAdmin[ValidationRequest]):
    list_display = ("learner", "role", "unit", "state", "assessor", "submitted_at", "decided_at")
    list_filter = ("state", "organisation")
    search_fields = ("learner__username", "public_id")
    list_select_related = ("learner", "role", "unit", "assessor")
    fields = (
        "public_id",
        "learner",
        "organisation",
        "framework",
        "role",
        "unit",
        "state",
        "statement",
        "assessor",
        "second_assessor",
        "appeal_assessor",
        "more_evidence_message",
        "appeal_reason",
        "submitted_at",
        "decided_at",
        "appealed_at",
        "finalised_at",
    )
    readonly_fields = fields
    inlines = [ElementJudgementInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: ValidationRequest | None = None) -> bool:
        return False
