"""The private storage of portfolio uploads: ``PORTFOLIO_STORAGE_ROOT`` (default ``MEDIA_ROOT/private/portfolio``).

Files there have no URL: ``url()`` refuses, so a template or serializer can never link to one. They are
read only by the download views, which check access first.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible


@deconstructible
class PrivateStorage(FileSystemStorage):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)

    @property
    def base_location(self) -> str:
        return str(storage_root())

    @property
    def location(self) -> str:
        return str(Path(self.base_location).resolve())

    def url(self, name: str | None) -> str:
        raise ValueError("Portfolio files have no public URL; use the download view.")


def storage_root() -> Path:
    configured = getattr(settings, "PORTFOLIO_STORAGE_ROOT", None)
    return Path(configured) if configured else Path(settings.MEDIA_ROOT) / "private" / "portfolio"


def private_storage() -> PrivateStorage:
    return PrivateStorage()
