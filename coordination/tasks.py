"""Thin Celery wrappers over services: ids in, fetch, call. Safe to run twice."""

from celery import shared_task

from coordination import notifications, services


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def designation_created_notify(designation_id: int) -> int:
    return notifications.designation_created(designation_id)


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def designation_ended_notify(designation_id: int) -> int:
    return notifications.designation_ended(designation_id)


@shared_task(acks_late=True)
def sync_focal_point_permissions() -> dict:
    return services.focal_point_permissions_sync()
