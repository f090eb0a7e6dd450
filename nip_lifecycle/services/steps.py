"""The eight steps: planning, checklist, deliverables, the technical review, the steering
committee's approval and completion. Every transition writes an audit event."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from coordination import decisions
from coordination.models import Ballot, Body, Document, DocumentVersion, MinutesItem, User
from nip_lifecycle import permissions as perms
from nip_lifecycle.models import ChecklistItem, Cycle, Deliverable, Step, TechnicalReview
from nip_lifecycle.rules import step_blockers

from .events import record_event

S = Step.Status


def _locked(step: Step) -> Step:
    return (
        Step.objects.select_for_update(of=("self",))
        .select_related(
            "cycle__lead_body", "cycle__technical_committee", "cycle__steering_committee"
        )
        .get(pk=step.pk)
    )


def _transition(step: Step, to: str, *, actor: User, kind: str, reason: str = "", **data) -> Step:
    before = step.status
    step.status = to
    return record_event(
        step.cycle,
        kind,
        actor=actor,
        step=step,
        from_status=before,
        to_status=to,
        reason=reason,
        **data,
    )


def _not_completed(step: Step) -> None:
    if step.is_completed:
        raise ValidationError(
            _("The step is completed; nothing about it can change."), code="completed"
        )


@transaction.atomic
def step_update(
    *,
    actor: User,
    step: Step,
    responsible_body: Body | None,
    planned_start: datetime.date | None,
    planned_end: datetime.date | None,
) -> Step:
    perms.require(perms.can_manage_cycle(actor, step.cycle))
    step = _locked(step)
    if planned_start and planned_end and planned_end < planned_start:
        raise ValidationError(
            {"planned_end": _("The planned end cannot come before the start.")},
            code="end_before_start",
        )
    before = {
        "planned_start": str(step.planned_start or ""),
        "planned_end": str(step.planned_end or ""),
    }
    step.responsible_body = responsible_body
    step.planned_start, step.planned_end = planned_start, planned_end
    step.full_clean()
    step.save(update_fields=["responsible_body", "planned_start", "planned_end"])
    record_event(
        step.cycle,
        "step_planned",
        actor=actor,
        step=step,
        before=before,
        after={"planned_start": str(planned_start or ""), "planned_end": str(planned_end or "")},
    )
    return step


@transaction.atomic
def step_start(*, actor: User, step: Step, on: datetime.date | None = None) -> Step:
    perms.require(perms.can_manage_cycle(actor, step.cycle))
    step = _locked(step)
    if not step.can_start():
        raise ValidationError(_("The step has already started."), code="started")
    step.actual_start = on or timezone.localdate()
    _transition(step, S.IN_PROGRESS, actor=actor, kind="step_started")
    step.save(update_fields=["status", "actual_start"])
    return step


@transaction.atomic
def checklist_item_add(*, actor: User, step: Step, text: str, required: bool = True):
    perms.require(perms.can_manage_cycle(actor, step.cycle))
    step = _locked(step)
    _not_completed(step)
    order = (step.checklist.aggregate(m=Max("order"))["m"] or 0) + 1
    item = ChecklistItem(step=step, order=order, text=text, required=required)
    item.full_clean()
    item.save()
    record_event(step.cycle, "checklist_item_added", actor=actor, step=step, item=text)
    return item


@transaction.atomic
def checklist_item_mark(*, actor: User, item: ChecklistItem, done: bool) -> ChecklistItem:
    step = _locked(item.step)
    perms.require(perms.can_manage_cycle(actor, step.cycle))
    _not_completed(step)
    item = ChecklistItem.objects.select_for_update().get(pk=item.pk)
    if item.done == done:
        return item
    item.done_at, item.done_by = (timezone.now(), actor) if done else (None, None)
    item.save(update_fields=["done_at", "done_by"])
    record_event(
        step.cycle,
        "checklist_item_done" if done else "checklist_item_undone",
        actor=actor,
        step=step,
        item=item.text,
    )
    return item


@transaction.atomic
def deliverable_add(*, actor: User, step: Step, name: str, required: bool = True) -> Deliverable:
    perms.require(perms.can_manage_cycle(actor, step.cycle))
    step = _locked(step)
    _not_completed(step)
    if step.deliverables.filter(name=name).exists():
        raise ValidationError(
            {"name": _("The step already expects this deliverable.")}, code="duplicate"
        )
    order = (step.deliverables.aggregate(m=Max("order"))["m"] or 0) + 1
    deliverable = Deliverable(step=step, order=order, name=name, required=required)
    deliverable.full_clean()
    deliverable.save()
    record_event(step.cycle, "deliverable_added", actor=actor, step=step, deliverable=name)
    return deliverable


@transaction.atomic
def deliverable_attach(*, actor: User, deliverable: Deliverable, document: Document):
    """Attach the library document that delivers an expected deliverable. What the committees
    review and approve stays what is annexed: no change while under review or once cleared."""
    step = _locked(deliverable.step)
    perms.require(perms.can_manage_cycle(actor, step.cycle))
    _not_completed(step)
    if not step.deliverables_open():
        raise ValidationError(
            _(
                "The deliverables cannot change while the step is “%(status)s”: what was reviewed "
                "and approved is what is annexed."
            )
            % {"status": step.get_status_display()},
            code="frozen",
        )
    latest = DocumentVersion.objects.filter(document=document).order_by("-number").first()
    if latest is None:
        raise ValidationError(
            {"document": _("The document has no file yet: upload a version.")}, code="no_version"
        )
    deliverable = Deliverable.objects.select_for_update().get(pk=deliverable.pk)
    deliverable.document = document
    deliverable.attached_at, deliverable.attached_by = timezone.now(), actor
    deliverable.save(update_fields=["document", "attached_at", "attached_by"])
    record_event(
        step.cycle,
        "deliverable_attached",
        actor=actor,
        step=step,
        deliverable=deliverable.name,
        document=document.title,
        version=latest.number,
        sha256=latest.sha256,
    )
    return deliverable


@transaction.atomic
def step_submit_for_review(*, actor: User, step: Step, note: str = "") -> Step:
    perms.require(perms.can_manage_cycle(actor, step.cycle))
    step = _locked(step)
    if not step.needs_technical_review:
        raise ValidationError(
            _("This step is not reviewed by the technical committee."), code="no_review"
        )
    if not step.can_submit_for_review():
        raise ValidationError(
            _(
                "Only a step in progress or returned can go to the technical committee (it is "
                "“%(status)s”)."
            )
            % {"status": step.get_status_display()},
            code="wrong_status",
        )
    _transition(
        step, S.UNDER_TECHNICAL_REVIEW, actor=actor, kind="submitted_for_review", reason=note
    )
    step.save(update_fields=["status"])
    return step


@transaction.atomic
def step_review(*, actor: User, step: Step, outcome: str, text: str = "") -> TechnicalReview:
    """The technical committee comments on the step, returns it with reasons, or clears it."""
    perms.require(perms.can_review(actor, step.cycle))
    step = _locked(step)
    if not step.awaits_review():
        raise ValidationError(_("The step is not under technical review."), code="wrong_status")
    text = text.strip()
    if outcome in (TechnicalReview.Outcome.RETURNED, TechnicalReview.Outcome.COMMENTS) and not text:
        raise ValidationError(
            {"text": _("Give the comments or the reasons for returning it.")},
            code="reason_required",
        )
    review = TechnicalReview(
        step=step, outcome=outcome, text=text, reviewed_at=timezone.now(), reviewed_by=actor
    )
    review.full_clean()
    review.save()
    target = {
        TechnicalReview.Outcome.RETURNED: S.RETURNED,
        TechnicalReview.Outcome.CLEARED: S.CLEARED,
    }.get(outcome)
    if target:
        _transition(step, target, actor=actor, kind=f"review_{outcome}", reason=text)
        step.save(update_fields=["status"])
    else:
        record_event(
            step.cycle,
            "review_comments",
            actor=actor,
            step=step,
            reason=text,
            from_status=step.status,
            to_status=step.status,
        )
    return review


@transaction.atomic
def step_approve(
    *,
    actor: User,
    step: Step,
    minutes_item: MinutesItem | None = None,
    ballot: Ballot | None = None,
) -> Step:
    """The steering committee's approval, by a decision in approved minutes or an adopted
    ballot. A step reviewed by the technical committee must be cleared first."""
    perms.require(perms.can_manage_cycle(actor, step.cycle))
    step = _locked(step)
    if not step.needs_approval:
        raise ValidationError(_("This step needs no approval."), code="no_approval")
    if not step.can_approve():
        raise ValidationError(
            _("The step cannot be approved while it is “%(status)s”.")
            % {"status": step.get_status_display()}
            + (
                " " + _("The technical committee must clear it first.")
                if step.needs_technical_review
                else ""
            ),
            code="wrong_status",
        )
    if (minutes_item is None) == (ballot is None):
        raise ValidationError(
            _("Name either the decision in the minutes or the ballot."), code="one_source"
        )
    committee = step.cycle.steering_committee
    # Only a decision taken on this very step: a ballot that decided it, or a decision under an
    # agenda item whose subject it is.
    if minutes_item is not None:
        minutes_item = MinutesItem.objects.select_related(
            "minutes__meeting__body", "agenda_item"
        ).get(pk=minutes_item.pk)
        decisions.require_deciding_item(minutes_item, step, committee)
    else:
        ballot = Ballot.objects.select_related("body").get(pk=ballot.pk)
        decisions.require_adopting_ballot(ballot, step, committee)
    step.approval_minutes_item, step.approval_ballot = minutes_item, ballot
    step.approved_at, step.approved_by = timezone.now(), actor
    source = (
        f"minutes item {minutes_item.pk}"
        if minutes_item is not None
        else f"ballot {ballot.pk}: {ballot.result.get('words', '')}"
    )
    _transition(step, S.APPROVED, actor=actor, kind="approved", reason=source)
    step.full_clean()
    step.save(
        update_fields=[
            "status",
            "approval_minutes_item",
            "approval_ballot",
            "approved_at",
            "approved_by",
        ]
    )
    return step


def _with_blocker_data(step: Step) -> Step:
    return (
        Step.objects.select_related("cycle")
        .prefetch_related(
            "checklist",
            Prefetch("deliverables", queryset=Deliverable.objects.select_related("document")),
            "deliverables__document__versions",
        )
        .get(pk=step.pk)
    )


@transaction.atomic
def step_complete(*, actor: User, step: Step, on: datetime.date | None = None) -> Step:
    """Complete the step when nothing blocks it; otherwise refuse and say what blocks it."""
    perms.require(perms.can_manage_cycle(actor, step.cycle))
    step = _locked(step)
    _not_completed(step)
    # The cycle too: completing steps 7 and 8 depends on the others and on the transmission.
    Cycle.objects.select_for_update().get(pk=step.cycle_id)
    full = _with_blocker_data(step)
    blockers = step_blockers(full, cycle=full.cycle)
    if blockers:
        raise ValidationError([_("The step cannot be completed:")] + blockers, code="blocked")
    step.actual_end = on or timezone.localdate()
    _transition(step, S.COMPLETED, actor=actor, kind="completed")
    step.save(update_fields=["status", "actual_end"])
    return step
