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


def _check_item_bank() -> Any:
    """``tools/check_item_bank.py`` as a module (tools/ is not a package)."""
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "tools" / "check_item_bank.py"
    spec = importlib.util.spec_from_file_location("check_item_bank", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_option_lengths_do_not_point_at_the_key_in_any_language() -> None:
    """A test-wise candidate who picks the longest (or second-longest …) option must not gain much: in every
    language the key's length rank is spread (≤ 40 % at any rank; 25 % is chance with four options), and few
    multiple-choice items have every key longer than every distractor."""
    tool = _check_item_bank()
    paths = sorted(tool.ITEMS.glob("*.yaml"))
    ranks, multiple, singles, multiples = tool.length_cues(paths)
    assert singles >= 200 and multiples >= 100
    too_often = {
        (lang, rank): round(count / singles, 2)
        for lang, counter in ranks.items()
        for rank, count in counter.items()
        if count / singles > tool.MAX_RANK_SHARE
    }
    assert too_often == {}, f"the key's length rank is too predictable: {too_often}"
    assert all(count / multiples <= tool.MAX_MULTIPLE_SHARE for count in multiple.values()), multiple
