"""The NIP cycle's deadlines for the reminder engine and the calendar: the transmission of the
updated plan (entry into force for the Party plus two years, or the deadline set by hand) and
the planned ends of steps not yet completed."""

import datetime

from django.db.models import Exists, Max, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ncm_portal.deadlines import Deadline, DeadlineKind, rows
from nip_lifecycle import permissions as nip_perms
from nip_lifecycle.models import ConsultationComment, Cycle, Step
from nip_lifecycle.models.cycles import TRANSMISSION_YEARS, add_years

TRANSMISSION_LEADS = (180, 90, 30, 7, 0)
STEP_LEADS = (14, 7, 0)
CONSULTATION_STEP = 6  # the draft in sections and its consultation


def _secretariat_ids(body, cache: dict) -> tuple[int, ...]:
    from coordination.registry.services import body_secretariat

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


def transmission_rows(me, on: datetime.date):
    """The cycles led by a body this person serves as its secretariat."""
    if not me.served_body_ids:
        return None
    cycles = Cycle.objects.filter(
        status=Cycle.Status.IN_PROGRESS, lead_body_id__in=me.served_body_ids
    ).annotate(latest_force=Max("amendments__party_entry_into_force"))
    return rows(
        cycles,
        "nip_transmission_due",
        id1="pk",
        id2="lead_body_id",
        day="deadline_override",
        day2="latest_force",
        text1="title",
        text2="lead_body__name",
    )


def transmissions_from_rows(me, on: datetime.date, found):
    horizon = on + datetime.timedelta(days=max(TRANSMISSION_LEADS))
    for row in found:
        due = row["day"] or (add_years(row["day2"], TRANSMISSION_YEARS) if row["day2"] else None)
        if due is None or due > horizon:
            continue
        yield Deadline(
            kind="nip_transmission_due",
            key=f"nip-cycle:{row['id1']}:transmission",
            due=due,
            title=row["text1"],
            url=reverse("nip_lifecycle:cycle-detail", args=[row["id1"]]),
            recipient_ids=(me.user_id,),
            context={"body": row["text2"], "body_id": row["id2"]},
        )


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


def step_rows(me, on: datetime.date):
    """The steps of cycles led by, or steps owned by, a body this person serves."""
    if not me.served_body_ids:
        return None
    steps = _open_steps(None, on + datetime.timedelta(days=max(STEP_LEADS))).filter(
        Q(cycle__lead_body_id__in=me.served_body_ids)
        | Q(responsible_body_id__in=me.served_body_ids)
    )
    return rows(
        steps,
        "nip_step_due",
        id1="pk",
        id2=Coalesce("responsible_body_id", "cycle__lead_body_id"),
        id3="number",
        day="planned_end",
        text1="cycle__title",
        text2="name",
        text3=Coalesce("responsible_body__name", "cycle__lead_body__name"),
    )


def steps_from_rows(me, on: datetime.date, found):
    for row in found:
        yield Deadline(
            kind="nip_step_due",
            key=f"nip-step:{row['id1']}",
            due=row["day"],
            title=f"{row['text1']}: {row['id3']}. {row['text2']}",
            url=reverse("nip_lifecycle:step-detail", args=[row["id1"]]),
            recipient_ids=(me.user_id,),
            context={"body": row["text3"], "body_id": row["id2"]},
        )


# --- The consultation on the draft -----------------------------------------------------------


def _consultation_rows(on: datetime.date, institution_ids=None):
    """For each member institution of the lead body of a cycle whose consultation is open and
    that has not commented yet: the cycle, the institution, and the planned end of step 6 (the
    draft and its consultation), the consultation's due date."""
    from coordination.models import Membership

    members = Membership.objects.current(on)  # observers may comment too
    if institution_ids is not None:
        members = members.filter(institution_id__in=institution_ids)
    cycle = "body__nip_cycles_led"
    due = Subquery(
        Step.objects.filter(cycle_id=OuterRef(cycle), number=CONSULTATION_STEP).values(
            "planned_end"
        )[:1]
    )
    commented = ConsultationComment.objects.filter(
        section__cycle_id=OuterRef(cycle), institution_id=OuterRef("institution_id")
    )
    found = (
        members.filter(
            **{f"{cycle}__status": Cycle.Status.IN_PROGRESS, f"{cycle}__consultation_open": True}
        )
        .annotate(consultation_due=due)
        .filter(consultation_due__isnull=False)
        .exclude(Exists(commented))
    )
    return rows(
        found,
        "nip_consultation",
        id1=cycle,
        id2="institution_id",
        day="consultation_due",
        text1=f"{cycle}__title",
        text2="institution__name",
    )


def _consultation_deadline(row: dict, recipients=()):
    return Deadline(
        kind="nip_consultation",
        key=f"nip-consultation:{row['id1']}:institution:{row['id2']}",
        due=row["day"],
        title=row["text1"],
        url=reverse("nip_lifecycle:consultation-detail", args=[row["id1"]]),
        recipient_ids=recipients,
        context={"institution": row["text2"]},
    )


def consultations_open(on: datetime.date):
    """Open consultations on a draft NIP: the focal points of each member institution of the
    lead body that has not commented, until the consultation step's planned end."""
    from coordination.registry.selectors import focal_point_user_ids

    found = [{k.removeprefix("row_"): v for k, v in row.items()} for row in _consultation_rows(on)]
    focal = focal_point_user_ids({row["id2"] for row in found}, on)
    for row in found:
        if focal[row["id2"]]:
            yield _consultation_deadline(row, tuple(sorted(focal[row["id2"]])))


def consultation_rows(me, on: datetime.date):
    if not me.focal_institution_ids:
        return None
    return _consultation_rows(on, me.focal_institution_ids)


def consultations_from_rows(me, on: datetime.date, found):
    for row in found:
        yield _consultation_deadline(row, (me.user_id,))


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
        person_rows=transmission_rows,
        from_rows=transmissions_from_rows,
        visible_to=nip_perms.can_view_cycle,
    ),
    DeadlineKind(
        "nip_step_due",
        _("NIP steps falling due"),
        steps_due,
        lead_days=STEP_LEADS,
        calendar=steps_in_range,
        person_rows=step_rows,
        from_rows=steps_from_rows,
        visible_to=nip_perms.can_view_cycle,
    ),
    DeadlineKind(
        "nip_consultation",
        _("Consultations on the draft NIP awaiting your institution's comments"),
        consultations_open,
        lead_days=(14, 3, 0),
        overdue_every_days=None,
        person_rows=consultation_rows,
        from_rows=consultations_from_rows,
    ),
]
