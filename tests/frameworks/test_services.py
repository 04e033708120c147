"""Publishing, drafts and immutability."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from skills4cities.accounts.enums import MemberRole
from skills4cities.core.models import AuditEntry
from skills4cities.frameworks.enums import FrameworkStatus
from skills4cities.frameworks.interchange.document import DocumentErrors
from skills4cities.frameworks.interchange.native import read_framework
from skills4cities.frameworks.models import Framework
from skills4cities.frameworks.services import (
    framework_import_document,
    framework_publish,
    framework_start_draft,
    framework_tree_problems,
)
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(city: Any) -> Any:
    user = factories.UserFactory(username="editor")
    factories.MembershipFactory(user=user, organisation=city, role=MemberRole.FRAMEWORK_EDITOR)
    return user


@pytest.fixture
def draft(mini: dict[str, Any], city: Any) -> Framework:
    return framework_import_document(document=mini, owner=city).framework


def test_an_editor_of_the_owner_publishes_a_valid_draft_and_the_act_is_audited(draft: Framework, editor: Any) -> None:
    framework = framework_publish(framework=draft, actor=editor)

    assert framework.status == FrameworkStatus.PUBLISHED
    assert framework.published_at is not None
    assert AuditEntry.objects.filter(action="framework.publish", object_id=str(draft.public_id)).count() == 1


def test_an_outsider_cannot_publish(draft: Framework, charlie: Any) -> None:
    with pytest.raises(PermissionDenied):
        framework_publish(framework=draft, actor=charlie)

    draft.refresh_from_db()
    assert draft.status == FrameworkStatus.DRAFT


def test_publishing_validates_the_tree(draft: Framework, editor: Any) -> None:
    draft.elements.get(code="M1.E2").criteria.all().delete()

    with pytest.raises(DocumentErrors) as caught:
        framework_publish(framework=draft, actor=editor)

    assert [p.message for p in caught.value.problems] == ["element M1.E2 has no performance criteria"]
    draft.refresh_from_db()
    assert draft.status == FrameworkStatus.DRAFT


def test_tree_problems_name_empty_units_and_roles_without_requirements(draft: Framework) -> None:
    draft.units.get().elements.all().delete()

    assert framework_tree_problems(draft) == [
        "unit M1 has no elements",
        "role mini-role requires no elements",
    ]


def test_a_new_draft_copies_the_published_version_and_leaves_it_untouched(draft: Framework, editor: Any) -> None:
    published = framework_publish(framework=draft, actor=editor)
    before = read_framework(published)

    new = framework_start_draft(framework=published, actor=editor, version="1.1.0")

    assert new.status == FrameworkStatus.DRAFT
    assert new.derived_from == published
    assert read_framework(new) | {"version": "1.0.0", "status": "published"} == before
    assert read_framework(published) == before


def test_only_one_draft_per_framework(draft: Framework, editor: Any) -> None:
    published = framework_publish(framework=draft, actor=editor)
    framework_start_draft(framework=published, actor=editor, version="1.1.0")

    with pytest.raises(DocumentErrors):
        framework_start_draft(framework=published, actor=editor, version="1.2.0")

    assert Framework.objects.filter(slug="mini").count() == 2
