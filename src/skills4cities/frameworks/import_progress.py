"""Live progress of a running framework import, published outside the database.

An import runs in one database transaction, so whatever it wrote to its own job row would stay
invisible until the end (and on SQLite no other connection may write meanwhile). The progress is
therefore written as a small JSON file in the default file storage (``var/media/imports/progress/``
by default; shared storage such as S3 when app servers and workers run on different machines) and
read by the job page until the job row says the import has finished.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

PROGRESS_DIR = "imports/progress"
FIRST = 5  # once a worker has started the job
LAST = 95  # until the import's transaction has committed

_PERCENT = re.compile(r"(\d{1,3}(?:\.\d+)?)\s*%")
_FRACTION = re.compile(r"(\d+)\s*(?:/|of)\s*(\d+)")


@dataclass(frozen=True)
class Progress:
    percent: int
    message: str
    at: datetime


def estimate(previous: int, message: str) -> int:
    """The next percentage for a progress message: a percentage or an ``n/m`` count in the message is
    taken at its word (scaled into FIRST…LAST); any other message closes a quarter of the remaining gap.
    Never goes backwards and never reaches 100 (that is for the committed result)."""
    if match := _PERCENT.search(message):
        value = FIRST + (LAST - FIRST) * min(float(match.group(1)), 100.0) / 100
    elif (match := _FRACTION.search(message)) and int(match.group(2)) > 0:
        value = FIRST + (LAST - FIRST) * min(int(match.group(1)) / int(match.group(2)), 1.0)
    else:
        value = previous + max(1, (LAST - previous) // 4)
    return int(max(previous, min(LAST, value)))


def _name(job_id: Any) -> str:
    return f"{PROGRESS_DIR}/{job_id}.json"


def publish(job_id: Any, percent: int, message: str) -> None:
    """Replace the job's progress file (best effort: a reader may briefly see none)."""
    name = _name(job_id)
    body = json.dumps({"percent": percent, "message": message[:300], "at": timezone.now().isoformat()})
    default_storage.delete(name)
    default_storage.save(name, ContentFile(body.encode()))


def read(job_id: Any) -> Progress | None:
    try:
        with default_storage.open(_name(job_id)) as handle:
            data = json.loads(handle.read())
        return Progress(int(data["percent"]), str(data["message"]), datetime.fromisoformat(data["at"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def clear(job_id: Any) -> None:
    default_storage.delete(_name(job_id))
