from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from skills4cities.esco.models import (
    EscoCollection,
    EscoIscoGroup,
    EscoOccupation,
    EscoRelease,
    EscoSkill,
    EscoSkillGroup,
)


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    """ESCO data changes only through imports."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(EscoSkill)
class EscoSkillAdmin(ReadOnlyAdmin):
    list_display = ("preferred_label", "skill_type", "status", "release", "uri")
    list_filter = ("status", "skill_type", "reuse_level", "collections")
    search_fields = ("preferred_label", "alt_labels", "uri")


@admin.register(EscoOccupation)
class EscoOccupationAdmin(ReadOnlyAdmin):
    list_display = ("preferred_label", "isco_code", "status", "uri")
    list_filter = ("status",)
    search_fields = ("preferred_label", "alt_labels", "uri", "isco_code")


@admin.register(EscoSkillGroup)
class EscoSkillGroupAdmin(ReadOnlyAdmin):
    list_display = ("preferred_label", "code", "uri")
    search_fields = ("preferred_label", "code")


@admin.register(EscoRelease)
class EscoReleaseAdmin(ReadOnlyAdmin):
    list_display = ("version", "created_at", "skills", "occupations", "obsoleted", "source")


@admin.register(EscoIscoGroup)
class EscoIscoGroupAdmin(ReadOnlyAdmin):
    list_display = ("code", "preferred_label", "status", "uri")
    search_fields = ("code", "preferred_label")


@admin.register(EscoCollection)
class EscoCollectionAdmin(ReadOnlyAdmin):
    list_display = ("slug", "title", "source")
