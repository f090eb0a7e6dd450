"""An ingest's progress, kept in the cache outside the ingest transaction so that the page can
show it while rows are read; it also serves as the running ingest's heartbeat."""

from __future__ import annotations

from django.core.cache import cache
from django.utils import timezone

from inventories.models import DatasetVersion

HEARTBEAT_SECONDS = 120


def progress_key(version_id: int) -> str:
    return f"inventories:progress:{version_id}"


def progress_get(version: DatasetVersion) -> dict:
    """Rows read and rows estimated: from the running ingest when there is one, else the version."""
    live = (
        cache.get(progress_key(version.pk))
        if version.status == DatasetVersion.Status.VALIDATING
        else None
    )
    if live:
        return live
    return {"read": version.rows_read, "estimated": version.rows_estimated}


def progress_set(version_id: int, read: int, estimated: int) -> None:
    cache.set(
        progress_key(version_id),
        {"read": read, "estimated": max(estimated, read), "at": timezone.now().timestamp()},
        HEARTBEAT_SECONDS,
    )
