from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from skills4cities.core.models import AuditEntry
from skills4cities.portfolio.models import EvidenceItem
from skills4cities.portfolio.services import evidence_item_create, evidence_item_delete, evidence_item_update
from tests.portfolio.conftest import stored_files
from tests.portfolio.helpers import HTML, PDF, PNG, RawUpload, upload

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "name", ["../../etc/passwd.pdf", "/etc/report.pdf", "..\\..\\boot.pdf", "report\x00.pdf", "C:\\report.pdf"]
)
def test_traversal_names_are_refused_and_nothing_is_written(
    alice: Any, private_storage: Path, unchanged_database: Any, name: str
) -> None:
    with unchanged_database(), pytest.raises(ValidationError) as refused:
        evidence_item_create(owner=alice, title="Report", kind="file", files=[RawUpload(name, PDF)])
    assert refused.value.message_dict["files"][0].endswith(
        "the file name must not contain a folder or drive (/, \\, .., C:)."
    )
    assert stored_files(private_storage) == []


def test_one_bad_file_among_good_ones_stores_nothing(
    alice: Any, private_storage: Path, unchanged_database: Any
) -> None:
    with unchanged_database(), pytest.raises(ValidationError) as refused:
        evidence_item_create(
            owner=alice, title="Report", kind="file", files=[upload("a.pdf", PDF), upload("b.pdf", HTML)]
        )
    assert refused.value.message_dict == {"files": ["“b.pdf”: HTML, SVG and XML files are not accepted."]}
    assert stored_files(private_storage) == []


def test_create_for_other_apps_tags_elements_by_code(alice: Any, reference: Any) -> None:
    item = evidence_item_create(
        owner=alice, title="Matched text", description="I led the procurement.", element_codes=["U01.E2", "U01.E1"]
    )
    assert sorted(item.elements.values_list("code", flat=True)) == ["U01.E1", "U01.E2"]
    assert {e.framework_id for e in item.elements.all()} == {reference.pk}
    entry = AuditEntry.objects.get(action="evidence_item.create")
    assert entry.data == {"kind": "description", "files": [], "elements": ["U01.E1", "U01.E2"]}


def test_unknown_element_codes_are_refused(alice: Any, unchanged_database: Any) -> None:
    with unchanged_database(), pytest.raises(ValidationError) as refused:
        evidence_item_create(owner=alice, title="x", description="y", element_codes=["NOPE", "U01.E1"])
    assert refused.value.message_dict == {"element_codes": ["Unknown element codes: NOPE."]}


def test_dates_must_be_ordered(alice: Any) -> None:
    import datetime

    with pytest.raises(ValidationError) as refused:
        evidence_item_create(
            owner=alice,
            title="x",
            description="y",
            date_from=datetime.date(2025, 5, 1),
            date_to=datetime.date(2025, 4, 1),
        )
    assert refused.value.message_dict == {"date_to": ["The end date cannot be before the start date."]}


def test_only_the_owner_changes_or_deletes(alice: Any, charlie: Any) -> None:
    item = evidence_item_create(owner=alice, title="Mine", description="x")
    with pytest.raises(PermissionDenied):
        evidence_item_update(actor=charlie, item=item, title="Stolen", description="x")
    with pytest.raises(PermissionDenied):
        evidence_item_delete(actor=charlie, item=item)
    item.refresh_from_db()
    assert item.title == "Mine"


def test_last_file_of_a_file_item_cannot_be_removed(alice: Any) -> None:
    item = evidence_item_create(owner=alice, title="Scan", kind="file", files=[upload("scan.png", PNG)])
    with pytest.raises(ValidationError) as refused:
        evidence_item_update(actor=alice, item=item, title="Scan", remove_files=[item.files.get().public_id])
    assert refused.value.message_dict == {"files": ["A file item needs at least one file."]}
    assert EvidenceItem.objects.get(pk=item.pk).files.count() == 1
