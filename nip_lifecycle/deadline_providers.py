"""The NIP cycle's deadlines for the reminder engine and the calendar: the transmission of the
updated plan (entry into force for the Party plus two years, or the deadline set by hand) and
the planned ends of steps not yet completed."""

import datetime

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ncm_portal.deadlines import Deadline, DeadlineKind
from nip_lifecycle.models import Cycle, Step

TRANSMISSION_LEADS = (180, 90, 30, 7, 0)
STEP_LEADS = (14, 7, 0)


def _secretariat_ids(body, cache: dict) -> tuple[int, ...]:
    from coordination.services.registry import body_secretariat

    if body.pk not in cache:
        cache[body.pk] = tuple(sorted(u.pk for u in body_secretariat(body) if u.is_active))
    return cache[body.pk]


def _open_cycles():
    return (
        Cycle.objects.filter(status=Cycle.Status.IN_PROGRESS)
        .select_related("lead_body")
        .prefetch_related("amendments")
    )


def _transmission(cycle: Cycle, recipients=()) -> Deadline | None:
    due = cycle.deadline()
    if due is None:
        return None
    return Deadline(
        kind="nip_transmission_due",
        key=f"nip-cycle:{cycle.pk}:transmission",
        due=due,
        title=cycle.title,
        url=reverse("nip_lifecycle:cycle-detail", args=[cycle.pk]),
        recipient_ids=recipients,
        context={"body": cycle.lead_body.name, "body_id": cycle.lead_body_id},
    )


def transmissions_due(on: datetime.date):
    horizon = on + datetime.timedelta(days=max(TRANSMISSION_LEADS))
    cache: dict = {}
    for cycle in _open_cycles():
        deadline = _transmission(cycle)
        if deadline is None or deadline.due > horizon:
            continue
        recipients = _secretariat_ids(cycle.lead_body, cache)
        if recipients:
            yield _transmission(cycle, recipients)


def transmissions_in_range(start: datetime.date, end: datetime.date, body=None):
    for cycle in _open_cycles():
        deadline = _transmission(cycle)
        if deadline is None or not start <= deadline.due <= end:
            continue
        if body is None or body.pk == cycle.lead_body_id:
            yield deadline


def _open_steps(first: datetime.date | None, last: datetime.date):
    steps = Step.objects.exclude(status=Step.Status.COMPLETED).filter(
        cycle__status=Cycle.Status.IN_PROGRESS, planned_end__lte=last
    )
    if first is not None:
        steps = steps.filter(planned_end__gte=first)
    return steps.select_related("cycle__lead_body", "responsible_body")


def _step_deadline(step: Step, recipients=()) -> Deadline:
    body = step.responsible_body or step.cycle.lead_body
    return Deadline(
        kind="nip_step_due",
        key=f"nip-step:{step.pk}",
        due=step.planned_end,
        title=f"{step.cycle.title}: {step.number}. {step.name}",
        url=reverse("nip_lifecycle:step-detail", args=[step.pk]),
        recipient_ids=recipients,
        context={"body": body.name, "body_id": body.pk, "status": step.get_status_display()},
    )


def steps_due(on: datetime.date):
    cache: dict = {}
    for step in _open_steps(None, on + datetime.timedelta(days=max(STEP_LEADS))):
        recipients = set(_secretariat_ids(step.cycle.lead_body, cache))
        if step.responsible_body_id:
            recipients |= set(_secretariat_ids(step.responsible_body, cache))
        if recipients:
            yield _step_deadline(step, tuple(sorted(recipients)))


def steps_in_range(start: datetime.date, end: datetime.date, body=None):
    for step in _open_steps(start, end):
        deadline = _step_deadline(step)
        if body is None or body.pk in (step.cycle.lead_body_id, step.responsible_body_id):
            yield deadline


KINDS = [
    DeadlineKind(
        "nip_transmission_due",
        _("Transmission of the updated NIP"),
        transmissions_due,
        lead_days=TRANSMISSION_LEADS,
        overdue_every_days=30,
        calendar=transmissions_in_range,
    ),
    DeadlineKind(
        "nip_step_due",
        _("NIP steps falling due"),
        steps_due,
        lead_days=STEP_LEADS,
        calendar=steps_in_range,
    ),
]
