"""Output serializers. Translated fields are given in the request's language, falling back to English."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from skills4cities.frameworks.models import (
    Alignment,
    Element,
    Framework,
    PerformanceCriterion,
    ProficiencyLevel,
    Role,
    RoleRequirement,
    Statement,
    Unit,
)


class LevelSerializer(serializers.ModelSerializer[ProficiencyLevel]):
    class Meta:
        model = ProficiencyLevel
        fields = ["value", "name", "description", "eqf_level", "ecf_level"]


class FrameworkSummarySerializer(serializers.ModelSerializer[Framework]):
    id = serializers.UUIDField(source="public_id", read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Framework
        fields = [
            "id",
            "slug",
            "version",
            "status",
            "title",
            "description",
            "languages",
            "published_at",
            "url",
        ]

    def get_url(self, obj: Framework) -> str:
        request = self.context["request"]
        return str(request.build_absolute_uri(f"/api/v1/frameworks/{obj.slug}/?version={obj.version}"))


class FrameworkDetailSerializer(FrameworkSummarySerializer):
    licence = serializers.CharField(read_only=True)
    attribution = serializers.CharField(read_only=True)
    scale = serializers.SerializerMethodField()
    counts = serializers.SerializerMethodField()

    class Meta(FrameworkSummarySerializer.Meta):
        fields = [*FrameworkSummarySerializer.Meta.fields, "licence", "attribution", "scale", "counts"]

    def get_scale(self, obj: Framework) -> dict[str, Any]:
        return {
            "slug": obj.scale.slug,
            "title": obj.scale.title,
            "levels": LevelSerializer(obj.scale.levels.all(), many=True).data,
        }

    def get_counts(self, obj: Framework) -> dict[str, int]:
        return {
            "roles": obj.roles.count(),
            "units": obj.units.count(),
            "elements": obj.elements.count(),
            "criteria": obj.criteria.count(),
        }


class AlignmentSerializer(serializers.ModelSerializer[Alignment]):
    class Meta:
        model = Alignment
        fields = ["target", "uri", "ecf_code", "ecf_level", "relation", "label"]


class RoleSummarySerializer(serializers.ModelSerializer[Role]):
    id = serializers.UUIDField(source="public_id", read_only=True)

    class Meta:
        model = Role
        fields = ["id", "slug", "code", "title", "summary", "eqf_level"]


class RequirementSerializer(serializers.ModelSerializer[RoleRequirement]):
    element = serializers.CharField(source="element.code", read_only=True)
    unit = serializers.CharField(source="element.unit.code", read_only=True)

    class Meta:
        model = RoleRequirement
        fields = ["element", "unit", "target_level", "essential"]


class RoleDetailSerializer(RoleSummarySerializer):
    main_tasks = serializers.SerializerMethodField()
    alignments = AlignmentSerializer(many=True, read_only=True)
    requirements = RequirementSerializer(many=True, read_only=True)

    class Meta(RoleSummarySerializer.Meta):
        fields = [*RoleSummarySerializer.Meta.fields, "mission", "main_tasks", "alignments", "requirements"]

    def get_main_tasks(self, obj: Role) -> list[str]:
        return [task.text for task in obj.tasks.all()]


class UnitSummarySerializer(serializers.ModelSerializer[Unit]):
    id = serializers.UUIDField(source="public_id", read_only=True)
    elements: Any = serializers.SlugRelatedField(many=True, read_only=True, slug_field="code")

    class Meta:
        model = Unit
        fields = ["id", "code", "title", "description", "elements"]


class StatementSerializer(serializers.ModelSerializer[Statement]):
    class Meta:
        model = Statement
        fields = ["kind", "text"]


class CriterionSerializer(serializers.ModelSerializer[PerformanceCriterion]):
    class Meta:
        model = PerformanceCriterion
        fields = ["code", "text"]


class ElementSummarySerializer(serializers.ModelSerializer[Element]):
    id = serializers.UUIDField(source="public_id", read_only=True)
    unit = serializers.CharField(source="unit.code", read_only=True)

    class Meta:
        model = Element
        fields = ["id", "code", "unit", "title", "description"]


class ElementDetailSerializer(ElementSummarySerializer):
    statements = StatementSerializer(many=True, read_only=True)
    criteria = CriterionSerializer(many=True, read_only=True)
    alignments = AlignmentSerializer(many=True, read_only=True)

    class Meta(ElementSummarySerializer.Meta):
        fields = [*ElementSummarySerializer.Meta.fields, "statements", "criteria", "alignments"]


class UnitDetailSerializer(UnitSummarySerializer):
    elements: Any = ElementSummarySerializer(many=True, read_only=True)


class ErrorBodySerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    message = serializers.CharField()
    details = serializers.JSONField(required=False)


class ErrorSerializer(serializers.Serializer[Any]):
    error = ErrorBodySerializer()
