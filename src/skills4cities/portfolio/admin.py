"""Read-only admin: evidence belongs to its owner and changes only through the services (files are never
linked from here: they are served only by the download views)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from skills4cities.portfolio.models import EvidenceFile, EvidenceItem


class EvidenceFileInline(admin.TabularInline[EvidenceFile, EvidenceItem]):
    model = EvidenceFile
    fields = ("public_id", "original_name", "content_type", "size", "sha256", "created_at")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(EvidenceItem)
class EvidenceItemAdmin(admin.ModelAdmin[EvidenceItem]):
    list_display = ("title", "owner", "kind", "created_at")
    list_filter = ("kind",)
    search_fields = ("title", "owner__username", "public_id")
    list_select_related = ("owner",)
    fields = (
        "public_id",
        "owner",
        "kind",
        "title",
        "description",
        "date_from",
        "date_to",
        "issuer",
        "url",
        "referee_name",
        "referee_email",
        "referee_statement",
        "created_at",
        "updated_at",
    )
    readonly_fields = fields
    inlines = [EvidenceFileInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: EvidenceItem | None = None) -> bool:
        return False
