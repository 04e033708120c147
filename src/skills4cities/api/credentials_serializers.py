from __future__ import annotations

from typing import Any

from rest_framework import serializers

from skills4cities.credentials import selectors
from skills4cities.credentials.enums import CredentialKind, VerificationState
from skills4cities.credentials.models import Credential


class CredentialSummarySerializer(serializers.ModelSerializer[Credential]):
    id = serializers.UUIDField(source="public_id", read_only=True)
    kind = serializers.ChoiceField(choices=CredentialKind.choices)
    role = serializers.SlugField(source="role.slug")
    unit = serializers.CharField(source="unit.code", allow_null=True, default=None)
    framework = serializers.CharField(source="framework.slug")
    framework_version = serializers.CharField(source="framework.version")
    verify_url = serializers.SerializerMethodField()

    class Meta:
        model = Credential
        fields = [
            "id", "title", "kind", "role", "unit", "framework", "framework_version", "language", "issued_at",
            "valid_until", "revoked_at", "revocation_reason", "verify_url",
        ]  # fmt: skip

    def get_verify_url(self, credential: Credential) -> str:
        return selectors.verify_url(credential)


class CredentialDetailSerializer(CredentialSummarySerializer):
    credential = serializers.SerializerMethodField(help_text="The signed OpenBadgeCredential (Data Integrity proof)")
    jwt = serializers.CharField(help_text="The same credential as a VC-JWT (EdDSA)")

    class Meta(CredentialSummarySerializer.Meta):
        fields = [*CredentialSummarySerializer.Meta.fields, "credential", "jwt"]

    def get_credential(self, credential: Credential) -> dict[str, Any]:
        return credential.document_dict


class VerificationSerializer(serializers.Serializer[Any]):
    valid = serializers.BooleanField()
    revoked = serializers.BooleanField()
    state = serializers.ChoiceField(choices=VerificationState.choices)
    reasons = serializers.ListField(child=serializers.CharField())
    credential_id = serializers.UUIDField(source="credential.public_id", allow_null=True, default=None)
    revoked_at = serializers.DateTimeField(source="credential.revoked_at", allow_null=True, default=None)
