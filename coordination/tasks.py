"""Thin Celery wrappers over services: ids in, fetch, call. Safe to run twice."""

from celery import shared_task

from coordination import services
from coordination.ballots.notifications import ballot_message
from coordination.documents.notifications import document_circulated
from coordination.meetings.notifications import meeting_notice
from coordination.registry.notifications import designation_created, designation_ended
from coordination.workplans.notifications import revision_circulated


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def designation_created_notify(designation_id: int) -> int:
    return designation_created(designation_id)


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def designation_ended_notify(designation_id: int) -> int:
    return designation_ended(designation_id)


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
    return revision_circulated(revision_id)


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def meeting_notice_send(meeting_id: int) -> int:
    return meeting_notice(meeting_id)


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def document_circulated_notify(document_id: int) -> int:
    return document_circulated(document_id)


@shared_task(acks_late=True)
def ballot_open(ballot_id: int) -> str:
    from coordination.ballots.services import ballot_open as open_ballot
    from coordination.models import Ballot

    return open_ballot(ballot=Ballot.objects.get(pk=ballot_id)).status


@shared_task(acks_late=True)
def ballot_close(ballot_id: int) -> str:
    from coordination.ballots.services import ballot_close as close_ballot
    from coordination.models import Ballot

    return close_ballot(ballot=Ballot.objects.get(pk=ballot_id)).status


@shared_task(acks_late=True)
def ballot_secret_vacuum() -> bool:
    """After a secret ballot closes: drop the counters' old row versions from the table files."""
    from coordination.ballots.services import vacuum_secret_tallies

    return vacuum_secret_tallies()


@shared_task(acks_late=True)
def sweep_ballots() -> dict:
    """Every minute: open and close ballots whose scheduled task was lost."""
    from coordination.ballots.services import sweep

    return sweep()


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def ballot_opened_notify(ballot_id: int) -> int:
    return ballot_message(ballot_id, "ballot_opened")


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def ballot_result_notify(ballot_id: int) -> int:
    return ballot_message(ballot_id, "ballot_result")
