"""The Rotterdam import response as a workflow: opened with its obligation when the secretariat
records the dispatch of a decision guidance document; the technical committee's draft decision
(recorded by the secretariat or the designated national authority); the steering committee's
approval, cited as a closed ballot that adopted it or a decision in approved minutes (as NIP
steps are approved); the transmission, recorded by the designated national authority, which
meets the obligation; and the export notifications received for the chemical."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coordination import decisions
from coordination.models import Ballot, Body, MinutesItem
from reporting.models import ExportNotification, ImportResponse, ObligationEvent
from reporting.obligations import permissions as perms
from reporting.obligations.services import obligation_complete

S = ImportResponse.Status


def committee(kind: str) -> Body | None:
    """The active body of ``kind`` covering the Rotterdam Convention (else any of that kind)."""
    bodies = Body.objects.filter(active=True, kind=kind).order_by("pk")
    return bodies.filter(conventions__code="rotterdam").first() or bodies.first()


def import_response_create(*, instance, chemical: str, hs_codes: str, dispatched_on):
    """The response to prepare, beside its obligation (called when the obligation opens)."""
    return ImportResponse.objects.create(
        obligation=instance,
        chemical=chemical,
        hs_codes=hs_codes.strip(),
        dgd_dispatched_on=dispatched_on,
        technical_committee=committee(Body.Kind.TECHNICAL),
        steering_committee=committee(Body.Kind.STEERING),
    )


def may_act(user, response: ImportResponse) -> bool:
    """The secretariat, or the designated national authority (or the convention's official
    contact point): those who answer for the obligation."""
    return perms.may_complete(user, response.obligation)


def _locked(response: ImportResponse) -> ImportResponse:
    return (
        ImportResponse.objects.select_for_update(of=("self",))
        .select_related("obligation__convention", "steering_committee")
        .get(pk=response.pk)
    )


def _event(response, actor, action, before, note=""):
    ObligationEvent.objects.create(
        instance=response.obligation,
        actor=actor,
        action=action,
        from_state=before,
        to_state=response.status,
        note=note,
    )


@transaction.atomic
def import_response_draft(*, response, decision: str, conditions: str, actor) -> ImportResponse:
    response = _locked(response)
    if not may_act(actor, response):
        raise PermissionDenied
    if not response.can_draft():
        raise ValidationError(
            _("The decision is approved: it can no longer be redrafted."), code="wrong_status"
        )
    if decision not in ImportResponse.Decision.values:
        raise ValidationError(
            {"decision": ValidationError(_("Choose a decision."), code="invalid")}
        )
    needs_text = (ImportResponse.Decision.CONSENT_CONDITIONS, ImportResponse.Decision.INTERIM)
    if decision in needs_text and not conditions.strip():
        raise ValidationError(
            {
                "conditions": ValidationError(
                    _("State the conditions, or the interim measures."), code="empty"
                )
            }
        )
    before = response.status
    response.decision, response.conditions = decision, conditions.strip()
    response.status = S.PROPOSED
    response.drafted_at, response.drafted_by = timezone.now(), actor
    response.full_clean(exclude=["obligation", "technical_committee", "steering_committee"])
    response.save(update_fields=["decision", "conditions", "status", "drafted_at", "drafted_by"])
    _event(response, actor, ObligationEvent.Action.DRAFTED, before, response.get_decision_display())
    return response


def approval_candidates(response: ImportResponse) -> dict:
    """The decisions that may be cited: closed ballots of the steering committee that adopted
    this response, and decisions on it in approved minutes of its meetings."""
    body = response.steering_committee
    if body is None:
        return {"ballots": [], "minutes_items": []}
    return {
        "ballots": list(decisions.adopting_ballots(response, body)),
        "minutes_items": list(decisions.deciding_minutes_items(response, body)),
    }


@transaction.atomic
def import_response_approve(
    *, response, actor, ballot: Ballot | None = None, minutes_item: MinutesItem | None = None
) -> ImportResponse:
    response = _locked(response)
    if not perms.can_manage(actor):
        raise PermissionDenied
    if not response.can_approve():
        raise ValidationError(_("Only a drafted decision can be approved."), code="wrong_status")
    if (minutes_item is None) == (ballot is None):
        raise ValidationError(
            _("Name either the decision in the minutes or the ballot."), code="one_source"
        )
    body = response.steering_committee
    if body is None:
        raise ValidationError(
            _("No steering committee covers the Rotterdam Convention."), code="no_committee"
        )
    if minutes_item is not None:
        minutes_item = MinutesItem.objects.select_related(
            "minutes__meeting__body", "agenda_item"
        ).get(pk=minutes_item.pk)
        decisions.require_deciding_item(minutes_item, response, body)
    else:
        ballot = Ballot.objects.select_related("body").get(pk=ballot.pk)
        decisions.require_adopting_ballot(ballot, response, body)
    before = response.status
    response.approval_ballot, response.approval_minutes_item = ballot, minutes_item
    response.approved_at, response.approved_by = timezone.now(), actor
    response.status = S.APPROVED
    response.full_clean(exclude=["obligation", "technical_committee", "steering_committee"])
    response.save(
        update_fields=[
            "approval_ballot",
            "approval_minutes_item",
            "approved_at",
            "approved_by",
            "status",
        ]
    )
    source = (
        f"minutes item {minutes_item.pk}"
        if minutes_item is not None
        else f"ballot {ballot.pk}: {ballot.result.get('words', '')}"
    )
    _event(response, actor, ObligationEvent.Action.APPROVED, before, source)
    return response


@transaction.atomic
def import_response_transmit(
    *, response, transmitted_on: datetime.date, reference: str, actor
) -> ImportResponse:
    """Record the transmission to the Secretariat: it meets the obligation."""
    response = _locked(response)
    if not may_act(actor, response):
        raise PermissionDenied
    if not response.can_transmit():
        raise ValidationError(
            _("Only an approved decision can be transmitted."), code="wrong_status"
        )
    obligation_complete(
        instance=response.obligation,
        completed_on=transmitted_on,
        reference=reference,
        actor=actor,
        workflow=True,
        note=response.get_decision_display(),
    )
    response.status = S.TRANSMITTED
    response.save(update_fields=["status"])
    return response


@transaction.atomic
def export_notification_record(
    *,
    response,
    received_on: datetime.date,
    exporting_party: str,
    reference: str = "",
    note: str = "",
    actor,
) -> ExportNotification:
    response = _locked(response)
    if not may_act(actor, response):
        raise PermissionDenied
    if received_on > timezone.localdate():
        raise ValidationError(
            {"received_on": ValidationError(_("The date cannot be in the future."), code="future")}
        )
    notification = ExportNotification(
        import_response=response,
        received_on=received_on,
        exporting_party=exporting_party.strip(),
        reference=reference.strip(),
        note=note,
        recorded_by=actor,
    )
    notification.full_clean(exclude=["import_response"])
    notification.save()
    _event(
        response,
        actor,
        ObligationEvent.Action.EXPORT_NOTIFICATION,
        response.status,
        f"{notification.exporting_party} {notification.reference}".strip(),
    )
    return notification
