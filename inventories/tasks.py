"""Thin Celery wrappers over the inventories services: ids in, idempotent."""

from celery import shared_task

from inventories import services


@shared_task(acks_late=True, soft_time_limit=3300, time_limit=3600)
def process_version(version_id: int) -> str:
    """Read, validate and load one uploaded version. A second delivery finds it claimed or done."""
    return services.version_process(version_id)


@shared_task
def resume_stalled_ingests() -> list[int]:
    """Queue again the versions whose worker died mid-ingest (their rows were rolled back)."""
    queued = services.resume_stalled()
    for version_id in queued:
        process_version.delay(version_id)
    return queued


@shared_task(acks_late=True)
def rebuild_customs_totals() -> int:
    """Compute again the customs totals of every loaded version with the codes as they are now."""
    from inventories.services.customs import totals_rebuild

    return totals_rebuild()
