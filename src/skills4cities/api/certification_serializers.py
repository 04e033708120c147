"""Output serializers of the certification endpoints (read-only)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers


class EligibilitySerializer(serializers.Serializer[Any]):
    met = serializers.BooleanField()
    kind = serializers.ChoiceField(choices=["unit", "role"])
    role = serializers.CharField(source="role_slug")
    role_title = serializers.CharField()
    unit = serializers.CharField(source="unit_code", allow_blank=True)
    unit_title = serializers.CharField(allow_blank=True)
    missing = serializers.ListField(child=serializers.CharField(), help_text="One sentence per unmet requirement.")
    evidence = serializers.DictField(
        child=serializers.ChoiceField(choices=["exam", "assessor"]),
        help_text="Element code → the evidence stream that met it.",
    )
    elements_total = serializers.IntegerField()
    elements_met = serializers.IntegerField()
    validity_months = serializers.IntegerField(help_text="How long a certificate issued now would be valid.")


class AccreditedSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField(source="public_id")
    kind = serializers.ChoiceField(choices=["provider", "trainer"])
    name = serializers.SerializerMethodField()
    country = serializers.SerializerMethodField()
    website = serializers.SerializerMethodField()
    granted_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField()

    def get_name(self, obj: Any) -> str:
        if obj.organisation is not None:
            return str(obj.organisation.name)
        return str(obj.trainer.get_full_name() or obj.trainer.username)

    def get_country(self, obj: Any) -> str:
        return str(obj.organisation.country) if obj.organisation is not None else ""

    def get_website(self, obj: Any) -> str:
        return str(obj.organisation.website) if obj.organisation is not None else ""
