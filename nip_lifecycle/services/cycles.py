"""Cycles: creation with their eight steps, the amendments answered, the deadline, and the
transmission to the Secretariat."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from coordination.models import Body, Designation, Document, Person, User
from ncm_portal.services import assign_fields
from nip_lifecycle import permissions as perms
from nip_lifecycle.models import (
    ChecklistItem,
    Cycle,
    CycleAmendment,
    Deliverable,
    PriorityCriterion,
    ReferenceAmendment,
    Step,
    StepTemplate,
)
from nip_lifecycle.reference import CRITERIA

from .events import record_event

OFFICIAL_CONTACT_POINT = ("stockholm", "official-contact-point")


def _locked(cycle: Cycle) -> Cycle:
    return Cycle.objects.select_for_update().select_related("lead_body").get(pk=cycle.pk)


@transaction.atomic
def cycle_create(
    *,
    actor: User,
    title: str,
    trigger: str,
    lead_body: Body,
    technical_committee: Body,
    steering_committee: Body,
    article_25_4: bool = False,
    description: str = "",
) -> Cycle:
    """A cycle with its eight steps, each from its template, and the default criteria of the
    priority assessment."""
    perms.require(perms.can_add_cycle(actor, lead_body))
    cycle = Cycle(
        title=title,
        trigger=trigger,
        lead_body=lead_body,
        technical_committee=technical_committee,
        steering_committee=steering_committee,
        article_25_4=article_25_4,
        description=description,
        created_by=actor,
    )
    cycle.full_clean()
    cycle.save()
    templates = list(StepTemplate.objects.order_by("number"))
    if len(templates) != 8:
        raise ValidationError(_("The eight step templates are missing: run the migrations."))
    for template in templates:
        step = Step.objects.create(
            cycle=cycle,
            number=template.number,
            name=template.name,
            description=template.description,
            needs_technical_review=template.needs_technical_review,
            needs_approval=template.needs_approval,
            responsible_body=lead_body,
        )
        ChecklistItem.objects.bulk_create(
            ChecklistItem(step=step, order=i, text=text)
            for i, text in enumerate(template.checklist, start=1)
        )
        Deliverable.objects.bulk_create(
            Deliverable(step=step, order=i, name=name)
            for i, name in enumerate(template.deliverables, start=1)
        )
    PriorityCriterion.objects.bulk_create(
        PriorityCriterion(cycle=cycle, order=i, name=name, weight=weight)
        for i, (name, weight) in enumerate(CRITERIA, start=1)
    )
    record_event(cycle, "cycle_created", actor=actor, to_status=cycle.status, title=title)
    return cycle


@transaction.atomic
def amendment_add(
    *,
    actor: User,
    cycle: Cycle,
    reference: ReferenceAmendment | None = None,
    decision: str = "",
    chemicals: str = "",
    entry_into_force: datetime.date | None = None,
    party_entry_into_force: datetime.date | None = None,
    party_date_note: str = "",
) -> CycleAmendment:
    """Record an amendment the cycle answers. A Party bound by the general rule takes the
    general date; an Article 25(4) Party enters its own date by hand."""
    perms.require(perms.can_manage_cycle(actor, cycle))
    cycle = _locked(cycle)
    if reference is not None:
        decision = decision or f"{reference.decisions} ({reference.meeting}, {reference.year})"
        chemicals = chemicals or reference.chemicals
        entry_into_force = entry_into_force or reference.entry_into_force
    if cycle.article_25_4:
        if party_entry_into_force is None:
            raise ValidationError(
                {
                    "party_entry_into_force": _(
                        "This Party made an Article 25(4) declaration: enter the date the "
                        "amendment entered into force for it (its ratification plus 90 days)."
                    )
                },
                code="party_date_required",
            )
    else:
        party_entry_into_force = party_entry_into_force or entry_into_force
        if party_entry_into_force is None:
            raise ValidationError(
                {
                    "party_entry_into_force": _(
                        "The general entry-into-force date is not known yet: enter the date for "
                        "this Party."
                    )
                },
                code="party_date_required",
            )
    amendment = CycleAmendment(
        cycle=cycle,
        reference=reference,
        decision=decision,
        chemicals=chemicals,
        entry_into_force=entry_into_force,
        party_entry_into_force=party_entry_into_force,
        party_date_note=party_date_note,
    )
    amendment.full_clean()
    amendment.save()
    record_event(
        cycle,
        "amendment_added",
        actor=actor,
        decision=decision,
        party_entry_into_force=party_entry_into_force.isoformat(),
        deadline=str(cycle.deadline() or ""),
    )
    return amendment


@transaction.atomic
def cycle_set_deadline(
    *, actor: User, cycle: Cycle, deadline: datetime.date | None, reason: str = ""
) -> Cycle:
    """Override the computed transmission deadline, with a reason; None returns to the rule."""
    perms.require(perms.can_manage_cycle(actor, cycle))
    cycle = _locked(cycle)
    if deadline is not None and not reason.strip():
        raise ValidationError(
            {"reason": _("Say why the deadline differs from the rule.")}, code="reason_required"
        )
    before = cycle.deadline()
    cycle.deadline_override = deadline
    cycle.deadline_override_reason = reason.strip() if deadline else ""
    cycle.full_clean()
    cycle.save(update_fields=["deadline_override", "deadline_override_reason"])
    record_event(
        cycle,
        "deadline_set",
        actor=actor,
        reason=cycle.deadline_override_reason,
        before=str(before or ""),
        after=str(cycle.deadline() or ""),
    )
    return cycle


def is_official_contact_point(person: Person, on: datetime.date) -> bool:
    convention, role = OFFICIAL_CONTACT_POINT
    return (
        Designation.objects.current(on)
        .filter(
            person=person,
            kind=Designation.Kind.CONVENTION,
            convention_role__convention__code=convention,
            convention_role__code=role,
        )
        .exists()
    )


@transaction.atomic
def transmission_record(
    *,
    actor: User,
    cycle: Cycle,
    transmitted_on: datetime.date,
    reference: str,
    transmitted_by: Person,
    acknowledgment: Document | None = None,
) -> Cycle:
    """Step 8: the official contact point transmitted the endorsed NIP to the Secretariat."""
    perms.require(perms.can_manage_cycle(actor, cycle))
    cycle = _locked(cycle)
    if not cycle.can_record_transmission():
        raise ValidationError(
            _("The transmission of this cycle is already recorded."), code="already_transmitted"
        )
    endorsement = cycle.steps.get(number=7)
    if not endorsement.is_completed:
        raise ValidationError(
            _("Step 7 (endorsement) must be completed before transmission."), code="not_endorsed"
        )
    if not is_official_contact_point(transmitted_by, transmitted_on):
        raise ValidationError(
            {
                "transmitted_by": _(
                    "%(person)s was not the official contact point for the Stockholm Convention "
                    "on %(day)s."
                )
                % {"person": transmitted_by, "day": transmitted_on}
            },
            code="not_contact_point",
        )
    if acknowledgment is not None and not acknowledgment.versions.exists():
        raise ValidationError({"acknowledgment": _("The acknowledgment has no file yet.")})
    before = cycle.status
    assign_fields(
        cycle,
        {
            "transmitted_on": transmitted_on,
            "transmission_reference": reference,
            "transmitted_by": transmitted_by,
            "acknowledgment": acknowledgment,
            "status": Cycle.Status.TRANSMITTED,
        },
        {"transmitted_on", "transmission_reference", "transmitted_by", "acknowledgment", "status"},
    )
    cycle.full_clean()
    cycle.save(
        update_fields=[
            "transmitted_on",
            "transmission_reference",
            "transmitted_by",
            "acknowledgment",
            "status",
        ]
    )
    record_event(
        cycle,
        "transmitted",
        actor=actor,
        from_status=before,
        to_status=cycle.status,
        reference=reference,
        transmitted_on=transmitted_on.isoformat(),
        transmitted_by=str(transmitted_by),
    )
    return cycle
