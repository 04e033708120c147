from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.datastructures import MultiValueDict

from skills4cities.curriculum.admin import AttachmentForm
from skills4cities.curriculum.models import Module
from tests import factories
from tests.conftest import client_for


@pytest.fixture
def admin_client(db: Any) -> Any:
    user: Any = factories.UserFactory(username="root", is_staff=True, is_superuser=True)
    return client_for(user)


@pytest.mark.parametrize("model", ["curriculum", "course", "module", "cohort"])
def test_admin_lists_and_change_pages_open(loaded: Any, admin_client: Any, model: str) -> None:
    assert admin_client.get(f"/admin/curriculum/{model}/").status_code == 200
    assert admin_client.get(f"/admin/curriculum/{model}/add/").status_code == 200


def test_admin_module_page_opens(loaded: Any, admin_client: Any) -> None:
    module = Module.objects.get(curriculum=loaded, code="M01")

    assert admin_client.get(f"/admin/curriculum/module/{module.pk}/change/").status_code == 200


def test_an_uploaded_attachment_gets_a_generated_name_and_its_content_type(
    loaded: Any, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    module = Module.objects.get(curriculum=loaded, code="M01")
    upload = SimpleUploadedFile("Slides M01.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    form = AttachmentForm(data={"title": "Slides"}, files=MultiValueDict({"file": [upload]}))
    form.instance.module = module

    assert form.is_valid(), form.errors
    attachment = form.save()

    assert attachment.content_type == "application/pdf"
    assert attachment.file.name.startswith("modules/")
    assert attachment.file.name.endswith(".pdf")
    assert (tmp_path / attachment.file.name).read_bytes() == b"%PDF-1.4 test"
