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


@shared_task(acks_late=True)
def send_due_reminders() -> dict:
    """Beat runs this every few minutes; each reminder goes out once however often it runs."""
    return services.send_due_reminders()


@shared_task(acks_late=True)
def send_reminder_digests() -> int:
    return services.send_digests()


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def revision_circulated_notify(revision_id: int) -> int:
    return notifications.revision_circulated(revision_id)


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def meeting_notice_send(meeting_id: int) -> int:
    return notifications.meeting_notice(meeting_id)


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def document_circulated_notify(document_id: int) -> int:
    return notifications.document_circulated(document_id)
