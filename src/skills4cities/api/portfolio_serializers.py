"""Input and output of the portfolio endpoints (``/api/v1/portfolio/…``)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from rest_framework import serializers

from skills4cities.portfolio.enums import EvidenceItemKind


class EvidenceFileSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField(source="public_id", read_only=True)
    name = serializers.CharField(source="original_name", read_only=True)
    content_type = serializers.CharField(read_only=True)
    size = serializers.IntegerField(read_only=True)
    sha256 = serializers.CharField(read_only=True)
    download = serializers.SerializerMethodField()

    def get_download(self, obj: Any) -> str:
        return reverse("api:portfolio-file", args=[obj.public_id])


class EvidenceItemSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField(source="public_id", read_only=True)
    kind = serializers.ChoiceField(choices=EvidenceItemKind.choices, read_only=True)
    title = serializers.CharField(read_only=True)
    description = serializers.CharField(read_only=True)
    date_from = serializers.DateField(read_only=True, allow_null=True)
    date_to = serializers.DateField(read_only=True, allow_null=True)
    issuer = serializers.CharField(read_only=True)
    url = serializers.CharField(read_only=True)
    referee_name = serializers.CharField(read_only=True)
    referee_email = serializers.CharField(read_only=True)
    referee_statement = serializers.CharField(read_only=True)
    element_codes = serializers.SerializerMethodField()
    files = EvidenceFileSerializer(many=True, read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)

    def get_element_codes(self, obj: Any) -> list[str]:
        return sorted(element.code for element in obj.elements.all())


class EvidenceItemCreateSerializer(serializers.Serializer[Any]):
    """Multipart (with ``files``) or JSON. The service checks the rest; files are checked by content."""

    kind = serializers.ChoiceField(choices=EvidenceItemKind.choices)
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    date_from = serializers.DateField(required=False, allow_null=True, default=None)
    date_to = serializers.DateField(required=False, allow_null=True, default=None)
    issuer = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    url = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    referee_name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    referee_email = serializers.CharField(max_length=254, required=False, allow_blank=True, default="")
    referee_statement = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    element_codes = serializers.ListField(child=serializers.CharField(max_length=32), required=False, default=list)
    files = serializers.ListField(
        child=serializers.FileField(allow_empty_file=True, use_url=False), required=False, default=list
    )
