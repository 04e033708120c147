"""Serializers of the exam API (``/api/v1/exams/…``). Item output never contains keys: no ``correct`` flag,
option order as shown to the learner; feedback is given only for practice quizzes, after an answer."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from skills4cities.exams.enums import AttemptState, ExamKind, ItemType, StartableKind

ANSWER_SCHEMA = {
    "oneOf": [
        {"type": "string", "format": "uuid", "description": "single choice, true/false: the chosen option's id"},
        {
            "type": "array",
            "items": {"type": "string", "format": "uuid"},
            "description": "multiple choice: the selected options' ids; ordering: every step's id in order",
        },
    ]
}


@extend_schema_field(ANSWER_SCHEMA)
class AnswerField(serializers.JSONField):
    def to_internal_value(self, data: Any) -> Any:
        ok = isinstance(data, str) or (isinstance(data, list) and all(isinstance(value, str) for value in data))
        if not ok:
            raise serializers.ValidationError("Give an option id or a list of option ids.")
        return data


@extend_schema_field({**ANSWER_SCHEMA, "nullable": True})
class GivenAnswerField(serializers.JSONField):
    pass


class ExamSessionSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField(source="public_id")
    organisation = serializers.CharField(source="organisation.name", help_text="The training provider")
    trainer = serializers.CharField(
        source="trainer_name", help_text="The trainer who opened it (full name or username)"
    )
    role = serializers.SlugField(source="role.slug")
    unit = serializers.CharField(source="unit.code", allow_null=True, default=None, help_text="null: every unit")
    opens_at = serializers.DateTimeField()
    closes_at = serializers.DateTimeField(help_text="No attempt starts after this time")
    location = serializers.CharField(help_text="Room or remote note")


class RefusalSerializer(serializers.Serializer[Any]):
    code = serializers.CharField(help_text="provider_not_accredited, no_open_session or trainer_not_accredited")
    message = serializers.CharField()


class ExamSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=StartableKind.choices)
    role = serializers.SlugField(allow_null=True, help_text="Role slug (certification exams)")
    role_title = serializers.CharField(allow_null=True)
    unit = serializers.CharField(help_text="Unit code")
    unit_title = serializers.CharField()
    elements = serializers.ListField(child=serializers.CharField(), help_text="Element codes the exam covers")
    items_in_bank = serializers.IntegerField(help_text="Reviewed items available for these elements")
    passed_elements = serializers.ListField(
        child=serializers.CharField(), help_text="Elements passed in certification exams (stay valid)"
    )
    open_attempt = serializers.UUIDField(allow_null=True)
    latest_attempt = serializers.UUIDField(allow_null=True, help_text="The latest finished attempt")
    resit_elements = serializers.ListField(
        child=serializers.CharField(), help_text="Elements failed in the latest attempt (a resit asks only these)"
    )
    enabled = serializers.BooleanField()
    items_per_element = serializers.IntegerField()
    pass_threshold = serializers.DecimalField(max_digits=4, decimal_places=3, allow_null=True)
    time_limit_minutes = serializers.IntegerField(allow_null=True)
    session = ExamSessionSerializer(
        allow_null=True, help_text="Certification: the open exam session a new attempt would start in"
    )
    start_refused = RefusalSerializer(
        allow_null=True, help_text="Certification: why no attempt can start now (null when a session allows it)"
    )


class StartSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(
        choices=ExamKind.choices,
        help_text="adaptive: a self-check without role, an adaptive certification test with role (where allowed)",
    )
    unit = serializers.CharField(max_length=32, help_text="Unit code, e.g. U03")
    role = serializers.SlugField(
        required=False, help_text="Role slug; required for a certification exam, makes an adaptive test certifying"
    )
    resit_of = serializers.UUIDField(
        required=False, help_text="Resit the failed elements of this (your latest finished) attempt"
    )


class AttemptSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField(source="public_id")
    kind = serializers.ChoiceField(choices=ExamKind.choices)
    state = serializers.ChoiceField(choices=AttemptState.choices)
    role = serializers.SlugField(source="role.slug", allow_null=True, default=None)
    unit = serializers.CharField(source="unit.code", allow_null=True, default=None)
    started_at = serializers.DateTimeField()
    deadline = serializers.DateTimeField(allow_null=True, help_text="Server-side; answers after it are refused")
    seconds_left = serializers.IntegerField(allow_null=True)
    finished_at = serializers.DateTimeField(allow_null=True)
    resit_of = serializers.UUIDField(source="resit_of.public_id", allow_null=True, default=None)
    session = serializers.UUIDField(
        source="session.public_id",
        allow_null=True,
        default=None,
        help_text="The exam session a certification attempt started in (null for practice and self-checks)",
    )
    pass_threshold = serializers.DecimalField(max_digits=4, decimal_places=3)
    answered = serializers.IntegerField()
    total = serializers.IntegerField()
    certifying = serializers.BooleanField(help_text="Passed elements count as test evidence")
    max_items = serializers.IntegerField(allow_null=True, help_text="Adaptive tests: the most items asked")


class OptionSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    text = serializers.CharField()


class ItemSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField(help_text="The item's id (send it with the answer)")
    position = serializers.IntegerField()
    element = serializers.CharField(help_text="Element code")
    type = serializers.ChoiceField(choices=ItemType.choices)
    stem = serializers.CharField()
    options = OptionSerializer(many=True, help_text="In the order shown (ordering: shuffled steps)")
    answer = GivenAnswerField(allow_null=True, help_text="The answer given so far (null: not answered)")
    answered_at = serializers.DateTimeField(allow_null=True)


class NextItemSerializer(serializers.Serializer[Any]):
    answered = serializers.IntegerField()
    total = serializers.IntegerField()
    item = ItemSerializer(
        allow_null=True,
        help_text="The first unanswered item (adaptive: the item chosen by the answers so far); null when all are "
        "answered (adaptive: when the test has measured enough; then finish it)",
    )
    max_items = serializers.IntegerField(allow_null=True, help_text="Adaptive tests: the most items asked")


class AnswerInSerializer(serializers.Serializer[Any]):
    item = serializers.UUIDField(help_text="The item's id")
    answer = AnswerField()


class OptionFeedbackSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    correct = serializers.BooleanField()
    feedback = serializers.CharField()


class FeedbackSerializer(serializers.Serializer[Any]):
    score = serializers.DecimalField(max_digits=6, decimal_places=4)
    options = OptionFeedbackSerializer(many=True, help_text="Ordering: the steps in the right order")
    explanation = serializers.CharField()


class AnswerOutSerializer(serializers.Serializer[Any]):
    item = serializers.UUIDField()
    position = serializers.IntegerField()
    answer = GivenAnswerField(allow_null=True)
    answered_at = serializers.DateTimeField()
    answered = serializers.IntegerField()
    total = serializers.IntegerField()
    feedback = FeedbackSerializer(allow_null=True, help_text="Practice quizzes only; null in exams")


class ElementResultSerializer(serializers.Serializer[Any]):
    element = serializers.CharField(source="element_code")
    title = serializers.CharField(source="element.title")
    items = serializers.IntegerField()
    score = serializers.DecimalField(max_digits=8, decimal_places=4)
    fraction = serializers.DecimalField(max_digits=5, decimal_places=4)
    threshold = serializers.DecimalField(max_digits=4, decimal_places=3)
    passed = serializers.BooleanField()


class ResultSerializer(serializers.Serializer[Any]):
    attempt = AttemptSerializer()
    elements = ElementResultSerializer(many=True)
    resit_available = serializers.BooleanField()
    resit_elements = serializers.ListField(child=serializers.CharField())
    theta = serializers.FloatField(allow_null=True, help_text="Adaptive tests: the ability estimate (EAP)")
    se = serializers.FloatField(allow_null=True, help_text="Adaptive tests: its standard error")
    level = serializers.IntegerField(allow_null=True, help_text="Adaptive tests: the proficiency level (1–5) shown")
    items_used = serializers.IntegerField(allow_null=True, help_text="Adaptive tests: the items answered")
    unit_passed = serializers.BooleanField(
        allow_null=True, help_text="Adaptive certification: the decision for the unit (null for a self-check)"
    )
