"""Input and output of the validation endpoints (``/api/v1/validation/requests/…``)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from skills4cities.validation.enums import JudgementStage, Outcome, RequestState


class JudgementSerializer(serializers.Serializer[Any]):
    element = serializers.CharField(source="element.code", read_only=True)
    stage = serializers.ChoiceField(choices=JudgementStage.choices, read_only=True)
    assessor = serializers.CharField(source="assessor.username", read_only=True)
    outcome = serializers.ChoiceField(choices=Outcome.choices, read_only=True)
    level = serializers.IntegerField(read_only=True, allow_null=True)
    comment = serializers.CharField(read_only=True)
    decisive = serializers.BooleanField(read_only=True)
    criteria = serializers.SerializerMethodField()

    def get_criteria(self, obj: Any) -> dict[str, str]:
        return {cj.criterion.code: cj.outcome for cj in obj.criteria.all()}


class ValidationRequestSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField(source="public_id", read_only=True)
    state = serializers.ChoiceField(choices=RequestState.choices, read_only=True)
    learner = serializers.CharField(source="learner.username", read_only=True)
    organisation = serializers.CharField(source="organisation.slug", read_only=True)
    framework = serializers.CharField(source="framework.slug", read_only=True)
    framework_version = serializers.CharField(source="framework.version", read_only=True)
    role = serializers.CharField(source="role.slug", read_only=True, allow_null=True, default=None)
    unit = serializers.CharField(source="unit.code", read_only=True, allow_null=True, default=None)
    assessor = serializers.CharField(source="assessor.username", read_only=True, allow_null=True, default=None)
    second_assessor = serializers.CharField(
        source="second_assessor.username", read_only=True, allow_null=True, default=None
    )
    appeal_assessor = serializers.CharField(
        source="appeal_assessor.username", read_only=True, allow_null=True, default=None
    )
    statement = serializers.CharField(read_only=True)
    more_evidence_message = serializers.CharField(read_only=True)
    appeal_reason = serializers.CharField(read_only=True)
    submitted_at = serializers.DateTimeField(read_only=True, allow_null=True)
    decided_at = serializers.DateTimeField(read_only=True, allow_null=True)
    appealed_at = serializers.DateTimeField(read_only=True, allow_null=True)
    finalised_at = serializers.DateTimeField(read_only=True, allow_null=True)
    created_at = serializers.DateTimeField(read_only=True)


class ValidationRequestDetailSerializer(ValidationRequestSerializer):
    evidence = serializers.SerializerMethodField()
    elements = serializers.SerializerMethodField()
    decisions = serializers.SerializerMethodField()

    def get_evidence(self, obj: Any) -> list[str]:
        return [str(item.public_id) for item in self.context["evidence"]]

    def get_elements(self, obj: Any) -> list[str]:
        return [entry.element.code for entry in self.context["scope"]]

    @extend_schema_field(JudgementSerializer(many=True))
    def get_decisions(self, obj: Any) -> list[dict[str, Any]]:
        """The decisive judgement per element, once decided."""
        return JudgementSerializer([j for j in self.context["judgements"] if j.decisive], many=True).data  # type: ignore[return-value]


class ValidationRequestCreateSerializer(serializers.Serializer[Any]):
    role = serializers.SlugField(required=False, help_text="Slug of a role of the reference framework")
    unit = serializers.CharField(required=False, max_length=32, help_text="Code of a unit of the reference framework")
    evidence = serializers.ListField(child=serializers.UUIDField(), required=False, default=list)
    statement = serializers.CharField(required=False, allow_blank=True, max_length=5000, default="")
    submit = serializers.BooleanField(required=False, default=False, help_text="Submit at once (else a draft)")


class TransitionSerializer(serializers.Serializer[Any]):
    comment = serializers.CharField(required=False, allow_blank=True, max_length=5000, default="")


class AppealSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(allow_blank=True, max_length=5000)


class AssignSerializer(serializers.Serializer[Any]):
    assessor = serializers.CharField(max_length=150, help_text="Username of an assessor of the organisation")
    second_assessor = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")


class AddEvidenceSerializer(serializers.Serializer[Any]):
    evidence = serializers.ListField(child=serializers.UUIDField(), allow_empty=False)


class JudgementInputSerializer(serializers.Serializer[Any]):
    element = serializers.CharField(max_length=32)
    criteria = serializers.DictField(
        child=serializers.ChoiceField(choices=Outcome.choices), required=False, default=dict
    )
    outcome = serializers.ChoiceField(choices=Outcome.choices, required=False, allow_null=True, default=None)
    level = serializers.IntegerField(required=False, allow_null=True, default=None)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=5000, default="")
