"""Thin Celery tasks over the reporting services: ids in, idempotent."""

from celery import shared_task

from reporting.services.outputs import output_fail, output_render


@shared_task(bind=True, acks_late=True, max_retries=3)
def article15_output_render(self, output_id: int) -> str:
    try:
        return output_render(output_id=output_id).status
    except OSError as error:  # transient: the service put the output back in the queue
        if self.request.retries >= self.max_retries:
            output_fail(output_id=output_id, error=error)
            raise
        raise self.retry(exc=error, countdown=2 ** (self.request.retries + 1)) from error


@shared_task(acks_late=True)
def plan_obligations() -> int:
    """Plan the coming obligations under the conventions (daily): idempotent, as the register's
    instances are created once."""
    from reporting.obligations.services import obligations_plan

    return len(obligations_plan())
