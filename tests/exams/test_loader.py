from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from skills4cities.exams import services
from skills4cities.exams.enums import IrtSource, ItemStatus
from skills4cities.exams.models import Item, Option
from skills4cities.frameworks.interchange.document import DocumentErrors

OURS = r"^U02\.E[12]\.9[12]$"  # the test files' keys
LANGS = ("en", "bg", "ro", "el", "es", "de")


def tr(text: str) -> dict[str, str]:
    return {lang: f"{text} [{lang}]" for lang in LANGS}


def options(*correct: bool) -> list[dict[str, Any]]:
    return [{"text": tr(f"option {n}"), "correct": c, "feedback": tr(f"why {n}")} for n, c in enumerate(correct, 1)]


def items() -> list[dict[str, Any]]:
    return [
        {
            "key": "U02.E1.91",
            "element": "U02.E1",
            "level": 2,
            "type": "single",
            "stem": tr("single"),
            "options": options(False, True, False),
        },
        {
            "key": "U02.E1.92",
            "element": "U02.E1",
            "level": 4,
            "type": "multiple",
            "stem": tr("multiple"),
            "options": options(True, False, True, False),
            "irt": {"a": 1.4, "b": 0.5, "c": 0.1, "source": "expert"},
        },
        {
            "key": "U02.E2.91",
            "element": "U02.E2",
            "level": 3,
            "type": "true_false",
            "stem": tr("tf"),
            "answer": False,
            "explanation": tr("because"),
        },
        {
            "key": "U02.E2.92",
            "element": "U02.E2",
            "level": 1,
            "type": "ordering",
            "stem": tr("order"),
            "options": [{"text": tr(f"step {n}")} for n in range(1, 5)],
            "explanation": tr("first things first"),
        },
    ]


def write(folder: Path, entries: list[dict[str, Any]], name: str = "U02.yaml", unit: str = "U02") -> None:
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(yaml.safe_dump({"unit": unit, "items": entries}, allow_unicode=True), encoding="utf-8")


def load(folder: Path) -> services.ItemBankLoadResult:
    return services.item_bank_load_folder(folder=folder, framework_slug="skills4cities")


@pytest.fixture(autouse=True)
def _shipped_u02_items_left_alone(reference: Any) -> None:
    """The test files replace the shipped U02.yaml: its items are marked as not loaded from a file (so they are
    not retired) and their keys stay out of the way."""
    Item.objects.filter(element__unit__code="U02").update(source_hash="")


def test_items_load_reviewed_with_options_translations_and_default_irt(reference: Any, tmp_path: Path) -> None:
    write(tmp_path, items())
    result = load(tmp_path)
    assert (result.created, result.updated, result.unchanged, result.retired, result.files) == (4, 0, 0, 0, 1)
    assert result.summary() == (
        "Item bank skills4cities: loaded (4 items in 1 files: 4 new, 0 updated, 0 unchanged, 0 retired)"
    )
    loaded = {item.key: item for item in Item.objects.filter(key__regex=OURS)}
    assert set(loaded) == {"U02.E1.91", "U02.E1.92", "U02.E2.91", "U02.E2.92"}
    assert {item.status for item in loaded.values()} == {ItemStatus.REVIEWED}
    single = loaded["U02.E1.91"]
    assert single.element.code == "U02.E1" and single.element.framework == reference
    assert single.stem_bg == "single [bg]" and single.stem_en == "single [en]"
    assert [(o.position, o.correct, o.text_de) for o in single.options.all()] == [
        (1, False, "option 1 [de]"),
        (2, True, "option 2 [de]"),
        (3, False, "option 3 [de]"),
    ]
    assert (single.irt_a, single.irt_b, single.irt_c, single.irt_source) == (1.0, -1.0, 0.3333, IrtSource.EXPERT)
    multiple = loaded["U02.E1.92"]
    assert (multiple.irt_a, multiple.irt_b, multiple.irt_c) == (1.4, 0.5, 0.1)
    true_false = loaded["U02.E2.91"]
    assert [(o.text_en, o.correct) for o in true_false.options.all()] == [("True", False), ("False", True)]
    assert [(o.text_bg, o.text_de) for o in true_false.options.all()] == [("Вярно", "Richtig"), ("Невярно", "Falsch")]
    assert (true_false.irt_c, true_false.explanation_es) == (0.5, "because [es]")
    ordering = loaded["U02.E2.92"]
    assert [o.text_en for o in ordering.options.all()] == ["step 1 [en]", "step 2 [en]", "step 3 [en]", "step 4 [en]"]
    assert (ordering.irt_b, ordering.irt_c) == (-2.0, 0.0)
    assert not any(o.correct for o in ordering.options.all())


def test_a_second_load_changes_nothing(reference: Any, tmp_path: Path, unchanged_database: Any) -> None:
    write(tmp_path, items())
    load(tmp_path)
    before = {item.key: (item.updated_at, item.public_id) for item in Item.objects.filter(key__regex=OURS)}
    with unchanged_database():
        again = load(tmp_path)
    assert (again.created, again.updated, again.unchanged, again.retired) == (0, 0, 4, 0)
    assert again.summary() == "Item bank skills4cities: unchanged (4 items in 1 files)"
    after = {item.key: (item.updated_at, item.public_id) for item in Item.objects.filter(key__regex=OURS)}
    assert after == before


def test_a_changed_item_is_updated_in_place_and_a_removed_one_retired(reference: Any, tmp_path: Path) -> None:
    write(tmp_path, items())
    load(tmp_path)
    option_ids = list(Option.objects.filter(item__key="U02.E1.91").values_list("public_id", flat=True))
    Item.objects.filter(key="U02.E1.91").update(status=ItemStatus.DRAFT)
    changed = items()[:3]
    changed[0]["stem"] = tr("single, reworded")
    write(tmp_path, changed)
    result = load(tmp_path)
    assert (result.created, result.updated, result.unchanged, result.retired) == (0, 1, 2, 1)
    item = Item.objects.get(key="U02.E1.91")
    assert (item.stem_en, item.status) == ("single, reworded [en]", ItemStatus.REVIEWED)
    assert list(Option.objects.filter(item=item).values_list("public_id", flat=True)) == option_ids
    assert Item.objects.get(key="U02.E2.92").status == ItemStatus.RETIRED


def test_calibrated_parameters_survive_a_reload_with_expert_ones(reference: Any, tmp_path: Path) -> None:
    write(tmp_path, items())
    load(tmp_path)
    Item.objects.filter(key="U02.E1.92").update(irt_a=2.1, irt_b=-0.3, irt_c=0.05, irt_source=IrtSource.CALIBRATED)
    changed = items()
    changed[1]["stem"] = tr("multiple, reworded")
    write(tmp_path, changed)
    load(tmp_path)
    item = Item.objects.get(key="U02.E1.92")
    assert (item.irt_a, item.irt_b, item.irt_c, item.irt_source) == (2.1, -0.3, 0.05, IrtSource.CALIBRATED)


@pytest.mark.parametrize(
    ("change", "where", "message"),
    [
        (
            lambda e: e[0]["options"][1]["text"].pop("en"),
            "U02.yaml: U02.E1.91: options[2].text.en",
            "the English text is required",
        ),
        (
            lambda e: e[0].update(element="U09.E1"),
            "U02.yaml: U02.E1.91: element",
            "'U09.E1' is not an element of this unit in the framework",
        ),
        (
            lambda e: e[0]["options"][0].update(correct=True),
            "U02.yaml: U02.E1.91: options",
            "a single choice item needs exactly one correct option",
        ),
        (lambda e: e[1].update(level=7), "U02.yaml: U02.E1.92: level", "must be a whole number from 1 to 5"),
        (
            lambda e: e[2].pop("answer"),
            "U02.yaml: U02.E2.91: answer",
            "a true_false item needs answer: true or answer: false",
        ),
        (
            lambda e: e[3]["options"][0].update(correct=True),
            "U02.yaml: U02.E2.92: options[1].correct",
            "ordering steps are listed in the right order, without it",
        ),
        (
            lambda e: e[3].update(type="essay"),
            "U02.yaml: U02.E2.92: type",
            "must be one of single, multiple, true_false, ordering",
        ),
        (
            lambda e: e[1].update(irt={"a": 1, "b": 0, "c": 1.5}),
            "U02.yaml: U02.E1.92: irt.c",
            "must be a number from 0, below 1",
        ),
        (lambda e: e[1].update(key="U02.E1.91"), "U02.yaml: U02.E1.91: key", "is used twice (also in U02.yaml)"),
    ],
)
def test_a_file_error_names_file_key_and_field_and_loads_nothing(
    reference: Any, tmp_path: Path, unchanged_database: Any, change: Any, where: str, message: str
) -> None:
    entries = items()
    change(entries)
    write(tmp_path, entries)
    with unchanged_database(), pytest.raises(DocumentErrors) as error:
        load(tmp_path)
    assert (where, message) in [(p.where, p.message) for p in error.value.problems]


def test_invalid_yaml_and_unknown_unit_are_named(reference: Any, tmp_path: Path, unchanged_database: Any) -> None:
    tmp_path.joinpath("U02.yaml").write_text("unit: U02\nitems: [\n", encoding="utf-8")
    write(tmp_path, [], name="U99.yaml", unit="U99")
    with unchanged_database(), pytest.raises(DocumentErrors) as error:
        load(tmp_path)
    problems = [str(p) for p in error.value.problems]
    assert problems[0].startswith("U02.yaml: is not valid YAML")
    assert "U99.yaml: unit: 'U99' is not a unit of the framework" in problems


def test_the_command_reports_the_item_bank_unchanged_on_a_second_run(reference: Any) -> None:
    from io import StringIO

    from django.core.management import call_command

    call_command("load_reference", stdout=StringIO())  # the item files may have changed since the session began
    out = StringIO()
    call_command("load_reference", stdout=out)
    assert next(
        line for line in out.getvalue().splitlines() if line.startswith("Item bank skills4cities: ")
    ).startswith("Item bank skills4cities: unchanged (")
