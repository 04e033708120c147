"""The import_framework and export_framework commands."""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from skills4cities.core.models import AuditEntry
from skills4cities.frameworks.models import Framework
from skills4cities.frameworks.services import framework_export

pytestmark = pytest.mark.django_db

HERE = Path(__file__).parent


def _import(*args: str) -> tuple[list[str], str]:
    out, err = StringIO(), StringIO()
    call_command("import_framework", *args, stdout=out, stderr=err)
    return out.getvalue().splitlines(), err.getvalue()


def test_import_prints_progress_and_the_slug_as_the_last_line(db: Any) -> None:
    audited = AuditEntry.objects.filter(action="framework.import").count()

    lines, errors = _import(str(HERE / "mini.yaml"))

    assert lines == [
        f"Reading mini.yaml as Skills4Cities YAML ({(HERE / 'mini.yaml').stat().st_size} bytes)",
        "Checking and storing mini 1.0.0: roles: 1, units: 1, elements: 2",
        "Imported mini 1.0.0 (Draft)",
        "mini",
    ]
    assert errors == ""
    framework = Framework.objects.get(slug="mini")
    assert (framework.version, framework.units.count(), framework.elements.count()) == ("1.0.0", 1, 2)
    assert AuditEntry.objects.filter(action="framework.import").count() == audited + 1


def test_importing_the_same_file_again_says_so_and_still_ends_with_the_slug(db: Any) -> None:
    _import(str(HERE / "mini.yaml"))

    lines, _errors = _import(str(HERE / "mini.yaml"), "--format", "yaml")

    assert lines[-2:] == ["mini 1.0.0 is already stored with exactly this content; nothing changed", "mini"]
    assert Framework.objects.filter(slug="mini").count() == 1


def test_import_of_a_bad_file_prints_every_problem_and_fails_without_changes(unchanged_database: Any) -> None:
    out, err = StringIO(), StringIO()

    with unchanged_database(), pytest.raises(CommandError) as caught:
        call_command(
            "import_framework", str(HERE / "malformed" / "wrong-types.yaml"), stdout=out, stderr=err, verbosity=0
        )

    assert str(caught.value) == "wrong-types.yaml: 3 problems; nothing was imported."
    assert err.getvalue().splitlines() == [
        "wrong-types.yaml: line 14, scale.levels[1].value: must be a whole number, not '2'",
        "wrong-types.yaml: line 19, roles[0].eqf_level: must be a whole number, not 'six'",
        "wrong-types.yaml: line 41, units[0].elements[1].criteria: must be a list, not a mapping",
    ]
    assert out.getvalue() == ""


def test_import_with_a_format_that_does_not_match_the_file_fails(unchanged_database: Any) -> None:
    err = StringIO()

    with unchanged_database(), pytest.raises(CommandError) as caught:
        call_command("import_framework", str(HERE / "mini.yaml"), "--format", "json", stdout=StringIO(), stderr=err)

    assert str(caught.value) == "mini.yaml: 1 problem; nothing was imported."
    assert err.getvalue() == "mini.yaml: line 1, column 1: invalid JSON: Expecting value\n"


def test_import_of_a_missing_file_fails(db: Any, tmp_path: Path) -> None:
    with pytest.raises(CommandError) as caught:
        call_command("import_framework", str(tmp_path / "absent.yaml"), stdout=StringIO(), stderr=StringIO())

    assert str(caught.value) == f"Cannot read {tmp_path / 'absent.yaml'}: No such file or directory"


def test_export_writes_the_newest_published_version_to_a_file(reference: Framework, tmp_path: Path) -> None:
    target = tmp_path / "skills4cities.yaml"
    out = StringIO()

    call_command("export_framework", "skills4cities", "--format", "yaml", "--output", str(target), stdout=out)

    data = target.read_bytes()
    assert data == framework_export(framework=reference, format="yaml")
    assert out.getvalue() == f"Wrote skills4cities 1.0.0 as yaml to {target} ({len(data)} bytes).\n"
    assert list(tmp_path.iterdir()) == [target]


def test_export_of_a_named_version_to_standard_output(reference: Framework) -> None:
    out = StringIO()

    call_command(
        "export_framework", "skills4cities", "--version", "1.0.0", "--format", "json", "--output", "-", stdout=out
    )

    assert out.getvalue().encode("utf-8") == framework_export(framework=reference, format="json")


def test_export_then_import_through_the_commands_is_byte_identical(reference: Framework, tmp_path: Path) -> None:
    exported = tmp_path / "out.json"
    call_command("export_framework", "skills4cities", "--format", "json", "--output", str(exported), stdout=StringIO())
    copy = tmp_path / "copy.json"
    copy.write_bytes(exported.read_bytes().replace(b'"slug": "skills4cities"', b'"slug": "s4c-copy"', 1))

    lines, _errors = _import(str(copy))
    call_command(
        "export_framework", "s4c-copy", "--format", "json", "--output", str(tmp_path / "again.json"), stdout=StringIO()
    )

    assert lines[-1] == "s4c-copy"
    assert (tmp_path / "again.json").read_bytes() == copy.read_bytes()


def test_export_of_an_unknown_framework_or_version_fails(reference: Framework, tmp_path: Path) -> None:
    with pytest.raises(CommandError) as unknown_slug:
        call_command("export_framework", "nothing", "--format", "yaml", "--output", str(tmp_path / "x.yaml"))
    with pytest.raises(CommandError) as unknown_version:
        call_command(
            "export_framework", "skills4cities", "--version", "9.9", "--format", "yaml", "--output", str(tmp_path / "x")
        )

    assert str(unknown_slug.value) == "No framework nothing is stored."
    assert str(unknown_version.value) == "No framework skills4cities 9.9 is stored."
    assert list(tmp_path.iterdir()) == []
