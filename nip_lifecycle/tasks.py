"""Thin Celery tasks over the NIP services: ids in, idempotent."""

from celery import shared_task

from nip_lifecycle.services import package_render


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=3)
def endorsement_package_render(package_id: int) -> str:
    return package_render(package_id=package_id).status
