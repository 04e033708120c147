"""Output serializers of the caller's own records under ``/api/v1/me/``."""

from __future__ import annotations

from rest_framework import serializers

from skills4cities.assessments.selectors import GapAnalysis, GapRow


class GapRowSerializer(serializers.Serializer[GapRow]):
    code = serializers.CharField(help_text="Element code")
    title = serializers.CharField()
    unit = serializers.CharField(source="unit_code", help_text="Unit code")
    target_level = serializers.IntegerField(help_text="The role's target level")
    current_level = serializers.IntegerField(help_text="The current level by the configured rule (0: no evidence)")
    gap = serializers.IntegerField(help_text="target_level − current_level, never below 0")
    essential = serializers.BooleanField()
    evidence = serializers.CharField(
        source="source", allow_null=True, help_text="Evidence kind that set the current level (null: none)"
    )
    previous_level = serializers.IntegerField(
        allow_null=True, help_text="Level in the previous submitted self-assessment (null: none)"
    )


class GapAnalysisSerializer(serializers.Serializer[GapAnalysis]):
    role = serializers.SlugField(source="role.slug")
    framework = serializers.SlugField(source="role.framework.slug")
    version = serializers.CharField(source="role.framework.version")
    assessment = serializers.UUIDField(
        source="assessment.public_id", help_text="The submitted self-assessment the self-ratings come from"
    )
    submitted_at = serializers.DateTimeField(source="assessment.submitted_at")
    total_gap = serializers.IntegerField()
    elements = GapRowSerializer(source="rows", many=True, help_text="Largest gap first, then essential first")
