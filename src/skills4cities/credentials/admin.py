"""Read-only admin: credentials change only through services (issue, revoke); private keys are never shown."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from skills4cities.credentials.models import Credential, SigningKey, StatusList


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Credential)
class CredentialAdmin(ReadOnlyAdmin):
    list_display = ["title", "holder", "kind", "issued_at", "valid_until", "revoked_at"]
    list_filter = ["kind", "revoked_at"]
    search_fields = ["title", "holder__username", "public_id"]
    list_select_related = ["holder"]
    exclude = ["document", "jwt"]


@admin.register(SigningKey)
class SigningKeyAdmin(ReadOnlyAdmin):
    list_display = ["number", "public_key_multibase", "active", "created_at", "retired_at"]
    fields = ["number", "public_key_multibase", "active", "created_at", "retired_at"]  # never the private key


@admin.register(StatusList)
class StatusListAdmin(ReadOnlyAdmin):
    list_display = ["number", "size", "allocated", "signed_at"]
    exclude = ["document"]
