"""The audit trail of a cycle."""

from django.utils import timezone

from nip_lifecycle.models import Cycle, CycleEvent, Step


def record_event(
    cycle: Cycle,
    kind: str,
    *,
    actor=None,
    step: Step | None = None,
    from_status: str = "",
    to_status: str = "",
    reason: str = "",
    **data,
) -> CycleEvent:
    """Write one audit row. Call inside the transaction that made the change."""
    return CycleEvent.objects.create(
        cycle=cycle,
        step=step,
        kind=kind,
        from_status=from_status,
        to_status=to_status,
        reason=reason,
        data=data,
        at=timezone.now(),
        actor=actor,
        actor_email=actor.email if actor is not None else "",
    )
