"""Output serializers of the version diff (``frameworks.diff``): documented by drf-spectacular."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from skills4cities.frameworks.diff import KINDS

TEXTS = serializers.DictField(child=serializers.CharField(), help_text="Text per language code.")


class FieldChangeSerializer(serializers.Serializer[Any]):
    field = serializers.CharField(help_text="title, description, text, knowledge, alignments, eqf_level …")
    language = serializers.CharField(allow_null=True, help_text="Language of a translated field; null otherwise.")
    before = serializers.JSONField(allow_null=True)
    after = serializers.JSONField(allow_null=True)


class DiffItemSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=KINDS)
    code = serializers.CharField(help_text="Code of the item (a scale level's value; the framework's slug).")
    title = serializers.DictField(child=serializers.CharField(), help_text="Title per language code.")
    unit = serializers.CharField(allow_null=True, help_text="The unit the item belongs to.")
    # DRF takes declared fields off the class, so a field may be called "parent" like Field.parent.
    parent = serializers.CharField(  # type: ignore[assignment]
        allow_null=True, help_text="The unit of an element, the element of a criterion."
    )
    position = serializers.IntegerField(help_text="Place among its siblings, from 1.")


class ChangedItemSerializer(DiffItemSerializer):
    changes = FieldChangeSerializer(source="fields", many=True)


class MoveSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=KINDS)
    code = serializers.CharField()
    title = serializers.DictField(child=serializers.CharField())
    reordered = serializers.BooleanField(help_text="True when the item kept its parent and only its place changed.")
    from_parent = serializers.CharField(allow_null=True)
    to_parent = serializers.CharField(allow_null=True)
    from_unit = serializers.CharField(allow_null=True)
    to_unit = serializers.CharField(allow_null=True)
    from_position = serializers.IntegerField()
    to_position = serializers.IntegerField()


class RequirementStateSerializer(serializers.Serializer[Any]):
    level = serializers.IntegerField(help_text="Target level on the framework's proficiency scale.")
    essential = serializers.BooleanField()


class RequirementChangeSerializer(serializers.Serializer[Any]):
    role = serializers.CharField(help_text="Code of the job role.")
    role_slug = serializers.CharField()
    role_title = serializers.DictField(child=serializers.CharField())
    element = serializers.CharField(help_text="Code of the element.")
    element_title = serializers.DictField(child=serializers.CharField())
    unit = serializers.CharField()
    change = serializers.ChoiceField(choices=["added", "removed", "changed"])
    before = RequirementStateSerializer(allow_null=True)
    after = RequirementStateSerializer(allow_null=True)


class DiffSummarySerializer(serializers.Serializer[Any]):
    added = serializers.IntegerField()
    removed = serializers.IntegerField()
    moved = serializers.IntegerField()
    changed = serializers.IntegerField()
    requirements = serializers.IntegerField()


class FrameworkDiffSerializer(serializers.Serializer[Any]):
    framework = serializers.CharField(source="slug")
    from_version = serializers.CharField()
    to_version = serializers.CharField()
    summary = DiffSummarySerializer()
    added = DiffItemSerializer(many=True)
    removed = DiffItemSerializer(many=True)
    moved = MoveSerializer(many=True)
    changed = ChangedItemSerializer(many=True)
    requirements = RequirementChangeSerializer(many=True)
