"""The shipped item bank (docs/formats/item-bank.md): ≥ 10 reviewed items for every element of every role's
units, each text in all six languages. Fails, naming what is missing, until the content is complete."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from skills4cities.exams.enums import ItemStatus, ItemType
from skills4cities.exams.models import Item
from skills4cities.frameworks.models import RoleRequirement

MINIMUM = 10


def test_every_element_of_every_role_has_at_least_ten_reviewed_items(reference: Any) -> None:
    codes = set(RoleRequirement.objects.filter(role__framework=reference).values_list("element__code", flat=True))
    counts = dict.fromkeys(sorted(codes), 0)
    for code in Item.objects.filter(
        status=ItemStatus.REVIEWED, element__framework=reference, element__code__in=codes
    ).values_list("element__code", flat=True):
        counts[code] += 1
    short = {code: n for code, n in counts.items() if n < MINIMUM}
    assert short == {}, f"{len(short)} of {len(counts)} elements have fewer than {MINIMUM} reviewed items: {short}"


def test_every_item_text_is_present_in_all_six_languages(reference: Any) -> None:
    missing: list[str] = []
    items = Item.objects.filter(status=ItemStatus.REVIEWED, element__framework=reference).prefetch_related("options")
    for item in items:
        for lang in settings.LANGUAGE_CODES:
            if not (getattr(item, f"stem_{lang}") or "").strip():
                missing.append(f"{item.key} stem {lang}")
            if (
                item.type in (ItemType.TRUE_FALSE, ItemType.ORDERING)
                and not (getattr(item, f"explanation_{lang}") or "").strip()
            ):
                missing.append(f"{item.key} explanation {lang}")
            for option in item.options.all():
                if not (getattr(option, f"text_{lang}") or "").strip():
                    missing.append(f"{item.key} option {option.position} text {lang}")
                if (
                    item.type in (ItemType.SINGLE, ItemType.MULTIPLE)
                    and not (getattr(option, f"feedback_{lang}") or "").strip()
                ):
                    missing.append(f"{item.key} option {option.position} feedback {lang}")
    assert missing == [], f"{len(missing)} texts missing, first: {missing[:20]}"
    assert items.exists()
