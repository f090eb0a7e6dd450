"""Every write on obligations: planning the coming instances from the register, opening one
from an event the secretariat records (a Rotterdam decision guidance document, a final
regulatory action), and recording that one was met. Each writes its audit event in the same
transaction."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from coordination.models import Body, Convention, Designation
from reporting.models import ObligationEvent, ObligationInstance
from reporting.obligations import permissions as perms
from reporting.obligations import register, reports
from reporting.obligations.register import ANNUAL, DATED, EVENT

# The body that answers for an obligation: the first kind found among the bodies covering its
# convention.
BODY_PREFERENCE = (Body.Kind.STEERING, Body.Kind.NCM, Body.Kind.TECHNICAL)


def responsible(convention: str, role: str, on: datetime.date) -> tuple[Body | None, object]:
    """The body covering the convention that answers for it, and the institution of the
    person currently designated (principal first) to the role."""
    bodies = {
        b.kind: b
        for b in Body.objects.filter(active=True, conventions__code=convention).order_by("-pk")
    }
    body = next((bodies[k] for k in BODY_PREFERENCE if k in bodies), None)
    designation = (
        Designation.objects.current(on)
        .filter(
            kind=Designation.Kind.CONVENTION,
            convention_role__convention__code=convention,
            convention_role__code=role,
        )
        .select_related("institution")
        .order_by("-capacity", "-start_date")  # the principal before the alternate
        .first()
    )
    return body, designation.institution if designation else None


def _event(instance, actor, action, from_state="", to_state="", note="") -> None:
    ObligationEvent.objects.create(
        instance=instance,
        actor=actor,
        action=action,
        from_state=from_state,
        to_state=to_state,
        note=note,
    )


def _planned(obligation: register.Obligation, on: datetime.date):
    """(key, label, period start, period end, due, confirmed) of each instance of a scheduled
    obligation due within the planning window."""
    first, last = register.plan_window(on)
    if obligation.schedule == ANNUAL:
        for reported in obligation.annual_years(first, last):
            start, end, due = obligation.annual_period(reported)
            yield (
                str(reported),
                f"{obligation.title}: {reported}",
                start,
                end,
                due,
                obligation.confirmed,
            )
    elif obligation.schedule == DATED:
        for dated in obligation.instances:
            if first <= dated.due <= last:
                yield (
                    dated.due.isoformat(),
                    f"{dated.label} ({obligation.article})",
                    dated.period_start,
                    dated.period_end,
                    dated.due,
                    dated.confirmed,
                )


@transaction.atomic
def obligations_plan(*, actor=None, on: datetime.date | None = None) -> list[ObligationInstance]:
    """Create the instances of the register's scheduled obligations due from a year ago to two
    years ahead that do not exist yet, for the conventions the mechanism covers; those that
    exist stay as they are. Returns those created. The national report rounds generated from
    the register's annual rules (the Basel annual reports) are made for the same years first.
    ``actor`` None: the system (a management command, the demo)."""
    if actor is not None and not perms.can_manage(actor):
        raise PermissionDenied
    on = on or timezone.localdate()
    from reporting.reference import ensure_annual_rounds

    ensure_annual_rounds(on=on)
    conventions = {c.code: c for c in Convention.objects.filter(covered=True)}
    created = []
    for obligation in register.obligations().values():
        if obligation.schedule not in (ANNUAL, DATED) or obligation.convention not in conventions:
            continue
        existing = set(
            ObligationInstance.objects.filter(obligation=obligation.code).values_list(
                "key", flat=True
            )
        )
        for key, label, start, end, due, confirmed in _planned(obligation, on):
            if key in existing:
                continue
            body, institution = responsible(obligation.convention, obligation.responsible_role, on)
            instance = ObligationInstance.objects.create(
                obligation=obligation.code,
                convention=conventions[obligation.convention],
                kind=obligation.kind,
                key=key,
                label=label,
                period_start=start,
                period_end=end,
                due_on=due,
                due_confirmed=confirmed,
                responsible_role=obligation.responsible_role,
                responsible_body=body,
                responsible_institution=institution,
                created_by=actor,
            )
            _event(
                instance,
                actor,
                ObligationEvent.Action.OPENED,
                to_state="due",
                note=obligation.source,
            )
            created.append(instance)
    return created


@transaction.atomic
def obligation_open(
    *,
    obligation: str,
    subject: str,
    trigger_date: datetime.date,
    actor,
    note: str = "",
    hs_codes: str = "",
) -> ObligationInstance:
    """Open an obligation that an event starts (Rotterdam): an import response from the
    dispatch of a decision guidance document, a notification from the date a final regulatory
    action took effect. The due date is the Convention's, counted from that date. An import
    response opens with the response to prepare (``hs_codes``: the chemical's HS codes)."""
    if not perms.can_manage(actor):
        raise PermissionDenied
    entry = register.obligations().get(obligation)
    if entry is None or entry.schedule != EVENT:
        raise ValidationError(
            {
                "obligation": ValidationError(
                    _("This obligation is not opened by an event."), code="not_event"
                )
            }
        )
    subject = subject.strip()
    if not subject:
        raise ValidationError({"subject": ValidationError(_("Name the chemical."), code="empty")})
    today = timezone.localdate()
    if trigger_date > today:
        raise ValidationError(
            {"trigger_date": ValidationError(_("The date cannot be in the future."), code="future")}
        )
    body, institution = responsible(entry.convention, entry.responsible_role, today)
    key = f"{trigger_date.isoformat()}-{slugify(subject)[:60]}"
    label = f"{entry.title}: {subject}"
    instance = ObligationInstance(
        obligation=entry.code,
        convention=Convention.objects.get(code=entry.convention),
        kind=entry.kind,
        key=key,
        label=label[:255],
        subject=subject[:255],
        trigger_date=trigger_date,
        due_on=entry.due_after(trigger_date),
        due_confirmed=entry.confirmed,
        responsible_role=entry.responsible_role,
        responsible_body=body,
        responsible_institution=institution,
        created_by=actor,
    )
    instance.full_clean(exclude=["convention", "responsible_body", "responsible_institution"])
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError:
        raise ValidationError(
            _("This obligation is already open for that chemical and date."), code="exists"
        ) from None
    _event(instance, actor, ObligationEvent.Action.OPENED, to_state="due", note=note)
    if entry.kind == ObligationInstance.Kind.IMPORT_RESPONSE:
        from reporting.obligations.rotterdam import import_response_create

        import_response_create(
            instance=instance, chemical=subject, hs_codes=hs_codes, dispatched_on=trigger_date
        )
    return instance


@transaction.atomic
def obligation_complete(
    *,
    instance: ObligationInstance,
    completed_on: datetime.date,
    reference: str,
    actor,
    note: str = "",
    workflow: bool = False,
) -> ObligationInstance:
    """Record that the obligation was met on ``completed_on`` (the date of the submission or
    transmission), with the reference of what was sent. An import response is met only at the
    end of its workflow, and a national report the portal holds by recording its submission
    (``workflow``: called by the transmission, or by the report's submission)."""
    instance = (
        ObligationInstance.objects.select_for_update(of=("self",))
        .select_related("convention")
        .get(pk=instance.pk)
    )
    if not perms.may_complete(actor, instance):
        raise PermissionDenied
    if instance.completed_on is not None:
        raise ValidationError(_("This obligation is already recorded as met."), code="done")
    if not workflow and not instance.can_complete():
        raise ValidationError(
            _(
                "An import response is met by recording its transmission, once "
                "the steering committee has approved it."
            ),
            code="workflow",
        )
    if not workflow and reports.report_for(instance) is not None:
        raise ValidationError(
            _(
                "The portal holds this national report: it is met by recording the "
                "report's submission."
            ),
            code="report",
        )
    reference = reference.strip()
    if not reference:
        raise ValidationError(
            {"reference": ValidationError(_("Give the reference of the submission."), code="empty")}
        )
    if completed_on > timezone.localdate():
        raise ValidationError(
            {"completed_on": ValidationError(_("The date cannot be in the future."), code="future")}
        )
    before = instance.status()
    instance.completed_on = completed_on
    instance.completion_reference = reference[:120]
    instance.completion_note = note
    instance.completed_by = actor
    instance.full_clean(exclude=["convention", "responsible_body", "responsible_institution"])
    instance.save(
        update_fields=["completed_on", "completion_reference", "completion_note", "completed_by"]
    )
    _event(
        instance,
        actor,
        ObligationEvent.Action.COMPLETED,
        from_state=before,
        to_state=instance.status(),
        note=reference,
    )
    return instance
