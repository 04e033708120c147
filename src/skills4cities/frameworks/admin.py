"""Framework editing in the admin: drafts only. Published and retired versions are read-only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationStackedInline, TranslationTabularInline

from skills4cities.frameworks import selectors, services
from skills4cities.frameworks.interchange.document import DocumentErrors
from skills4cities.frameworks.models import (
    Alignment,
    EcfCompetence,
    Element,
    Framework,
    ImportJob,
    PerformanceCriterion,
    ProficiencyLevel,
    ProficiencyScale,
    Role,
    RoleRequirement,
    RoleTask,
    Statement,
    Unit,
)


def _framework_of(obj: Any) -> Framework | None:
    if obj is None:
        return None
    if isinstance(obj, Framework):
        return obj
    if isinstance(obj, ProficiencyScale):
        return obj.framework
    return getattr(obj, "framework", None)


class DraftOnlyMixin:
    """Only editors of the framework may change it, and only while it is a draft."""

    def _may_edit(self, request: HttpRequest, obj: Any) -> bool:
        framework = _framework_of(obj)
        if framework is None:
            return bool(request.user.is_superuser or request.user.memberships.filter(role="framework_editor").exists())  # type: ignore[union-attr]
        return framework.is_editable and selectors.can_edit_framework(request.user, framework)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_staff)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may_edit(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may_edit(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may_edit(request, obj)


class LevelInline(DraftOnlyMixin, TranslationTabularInline):
    model = ProficiencyLevel
    extra = 0


@admin.register(ProficiencyScale)
class ScaleAdmin(DraftOnlyMixin, TranslationAdmin):
    list_display = ("title", "framework")
    inlines = [LevelInline]


class RoleTaskInline(DraftOnlyMixin, TranslationTabularInline):
    model = RoleTask
    extra = 0


class RequirementInline(DraftOnlyMixin, admin.TabularInline):
    model = RoleRequirement
    extra = 0
    autocomplete_fields = ["element"]


class RoleAlignmentInline(DraftOnlyMixin, admin.TabularInline):
    model = Alignment
    fk_name = "role"
    extra = 0
    fields = ("target", "uri", "ecf_code", "ecf_level", "relation", "label", "framework")


@admin.register(Role)
class RoleAdmin(DraftOnlyMixin, TranslationAdmin):
    list_display = ("code", "title", "eqf_level", "framework")
    list_filter = ("framework",)
    search_fields = ("title", "code", "slug")
    inlines = [RoleTaskInline, RequirementInline, RoleAlignmentInline]


class ElementInline(DraftOnlyMixin, TranslationTabularInline):
    model = Element
    extra = 0
    fields = ("code", "title", "position", "framework")
    show_change_link = True


@admin.register(Unit)
class UnitAdmin(DraftOnlyMixin, TranslationAdmin):
    list_display = ("code", "title", "framework")
    list_filter = ("framework",)
    search_fields = ("code", "title")
    inlines = [ElementInline]


class StatementInline(DraftOnlyMixin, TranslationStackedInline):
    model = Statement
    extra = 0


class CriterionInline(DraftOnlyMixin, TranslationStackedInline):
    model = PerformanceCriterion
    extra = 0
    fields = ("code", "text", "position", "framework")


class ElementAlignmentInline(DraftOnlyMixin, admin.TabularInline):
    model = Alignment
    fk_name = "element"
    extra = 0
    fields = ("target", "uri", "ecf_code", "ecf_level", "relation", "label", "framework")


@admin.register(Element)
class ElementAdmin(DraftOnlyMixin, TranslationAdmin):
    list_display = ("code", "title", "unit", "framework")
    list_filter = ("framework",)
    search_fields = ("code", "title")
    inlines = [StatementInline, CriterionInline, ElementAlignmentInline]


@admin.register(Framework)
class FrameworkAdmin(DraftOnlyMixin, TranslationAdmin):
    list_display = ("slug", "version", "status", "title", "published_at")
    list_filter = ("status", "slug")
    readonly_fields = ("status", "published_at", "derived_from", "source_hash")
    actions = ["publish_selected"]

    @admin.action(description=_("Publish the selected drafts (the tree is validated first)"))
    def publish_selected(self, request: HttpRequest, queryset: QuerySet[Framework]) -> None:
        for framework in queryset:
            try:
                services.framework_publish(framework=framework, actor=request.user)
            except DocumentErrors as exc:
                self.message_user(request, f"{framework}: {exc}", level=messages.ERROR)
            else:
                self.message_user(request, _("%(framework)s is published.") % {"framework": framework})


@admin.register(EcfCompetence)
class EcfAdmin(admin.ModelAdmin[EcfCompetence]):
    list_display = ("code", "title", "area")
    search_fields = ("code", "title")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin[ImportJob]):
    """Framework imports from the import page, for site admins to follow (read-only; no file content)."""

    list_display = ["filename", "status", "progress", "created_by", "owner", "framework", "created_at"]
    list_filter = ["status"]
    search_fields = ["filename", "created_by__username"]
    exclude = ["data"]
    readonly_fields = [
        "public_id",
        "created_by",
        "owner",
        "filename",
        "format",
        "size",
        "sha256",
        "status",
        "progress",
        "message",
        "framework",
        "framework_created",
        "problems",
        "task_id",
        "started_at",
        "finished_at",
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[ImportJob]:
        return super().get_queryset(request).defer("data").select_related("created_by", "owner", "framework")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: ImportJob | None = None) -> bool:
        return False
