from __future__ import annotations

from typing import Any

from rest_framework import serializers

from skills4cities.matching.services import MAX_TOP, TARGETS

MAX_TEXT_CHARS = 100_000


class MatchRequestSerializer(serializers.Serializer[Any]):
    text = serializers.CharField(max_length=MAX_TEXT_CHARS, trim_whitespace=True, help_text="Text in any language.")
    target = serializers.ChoiceField(choices=list(TARGETS), default="esco", help_text="esco or framework.")
    top = serializers.IntegerField(min_value=1, max_value=MAX_TOP, default=10)


class MatchSerializer(serializers.Serializer[Any]):
    uri = serializers.CharField(help_text="ESCO skill URI, or the element code for target=framework.")
    label = serializers.CharField()  # type: ignore[assignment]  # a declared field, not Field.label
    score = serializers.FloatField(help_text="Fused score; compare within one response only.")
    sentence = serializers.CharField(help_text="The sentence of the text that supports the match best.")


class MatchResponseSerializer(serializers.Serializer[Any]):
    target = serializers.CharField()
    framework = serializers.CharField(allow_null=True, help_text="slug@version for target=framework.")
    matches = MatchSerializer(many=True)
