"""Admin for the certification body's decisions; every change goes through a service (and its audit entry)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from skills4cities.certification import services
from skills4cities.certification.models import Accreditation, AttendanceRecord, CertificationRule, ExperienceRecord


@admin.register(CertificationRule)
class CertificationRuleAdmin(admin.ModelAdmin):
    list_display = [
        "role_slug",
        "accept_exam",
        "accept_assessor",
        "include_optional_units",
        "min_experience_months",
        "min_training_hours",
        "validity_months",
        "renewal_cpd_hours",
    ]
    fields = ["role_slug", *services.RULE_FIELDS, "updated_by"]
    readonly_fields = ["updated_by"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return ["role_slug", "updated_by"] if obj is not None else ["updated_by"]

    def save_model(self, request: HttpRequest, obj: CertificationRule, form: Any, change: bool) -> None:
        values = {name: getattr(obj, name) for name in services.RULE_FIELDS}
        saved = services.rule_save(actor=request.user, role_slug=obj.role_slug, **values)
        obj.pk, obj.public_id = saved.pk, saved.public_id

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class _ServiceCreatedAdmin(admin.ModelAdmin):
    """Records are verified statements: they are added (through a service), never edited or deleted here."""

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ExperienceRecord)
class ExperienceRecordAdmin(_ServiceCreatedAdmin):
    list_display = ["user", "description", "months", "verified_by", "verified_at"]
    list_select_related = ["user", "verified_by"]
    search_fields = ["user__username", "description", "employer"]
    fields = ["user", "description", "employer", "months"]
    raw_id_fields = ["user"]

    def save_model(self, request: HttpRequest, obj: ExperienceRecord, form: Any, change: bool) -> None:
        saved = services.experience_record(
            actor=request.user, user=obj.user, months=obj.months, description=obj.description, employer=obj.employer
        )
        obj.pk = saved.pk


@admin.register(AttendanceRecord)
class AttendanceRecordAdmin(_ServiceCreatedAdmin):
    list_display = ["user", "module", "title", "hours", "attended_on", "recorded_by"]
    list_select_related = ["user", "module", "recorded_by"]
    search_fields = ["user__username", "title", "module__code"]
    fields = ["user", "course", "module", "title", "hours", "attended_on"]
    raw_id_fields = ["user"]

    def save_model(self, request: HttpRequest, obj: AttendanceRecord, form: Any, change: bool) -> None:
        saved = services.attendance_record(
            actor=request.user,
            user=obj.user,
            hours=obj.hours,
            attended_on=obj.attended_on,
            module=obj.module,
            course=obj.course,
            title=obj.title,
        )
        obj.pk = saved.pk


@admin.register(Accreditation)
class AccreditationAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "status", "granted_at", "expires_at"]
    list_filter = ["kind", "status"]
    list_select_related = ["organisation", "trainer"]
    search_fields = ["organisation__name", "trainer__username"]
    readonly_fields = [
        "kind",
        "organisation",
        "trainer",
        "courses",
        "trainer_exam_passed",
        "train_the_trainer_attended",
        "experience_years",
        "status",
        "criteria",
        "granted_at",
        "expires_at",
        "granted_by",
        "reason",
    ]
    actions = ["grant", "renew"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # applications are recorded on the officer's registry page

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def _run(self, request: HttpRequest, queryset: QuerySet[Accreditation], service: Any) -> None:
        for accreditation in queryset:
            try:
                service(actor=request.user, accreditation=accreditation)
            except (ValidationError, PermissionDenied) as error:
                reasons = " ".join(getattr(error, "messages", [str(error)]))
                self.message_user(request, f"{accreditation}: {reasons}", messages.ERROR)
            else:
                self.message_user(request, f"{accreditation}: {_('done')}", messages.SUCCESS)

    @admin.action(description=_("Grant for one year"))
    def grant(self, request: HttpRequest, queryset: QuerySet[Accreditation]) -> None:
        self._run(request, queryset, services.accreditation_grant)

    @admin.action(description=_("Renew for one year"))
    def renew(self, request: HttpRequest, queryset: QuerySet[Accreditation]) -> None:
        self._run(request, queryset, services.accreditation_renew)
