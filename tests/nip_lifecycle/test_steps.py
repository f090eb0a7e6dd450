"""The steps: a step completes only with its deliverables, its checklist and both approvals of
its gate; a return keeps its reason; every transition is audited."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from nip_lifecycle import services
from nip_lifecycle.models import CycleEvent, Step, TechnicalReview

pytestmark = pytest.mark.django_db


def step_of(cycle, number) -> Step:
    return cycle.steps.get(number=number)


def refusal(excinfo) -> str:
    return " ".join(excinfo.value.messages)


def test_a_step_without_gate_completes_once_deliverables_and_checklist_are_done(mechanism, cycle):
    actor = mechanism.secretariat
    step = services.step_start(actor=actor, step=step_of(cycle, 1))
    with pytest.raises(ValidationError) as refused:
        services.step_complete(actor=actor, step=step)
    assert "Trigger assessment note" in refusal(refused)
    assert "Checklist items not done" in refusal(refused)
    step = mechanism.fulfil(step)
    step = services.step_complete(actor=actor, step=step)
    assert step.status == Step.Status.COMPLETED and step.actual_end is not None


def test_a_deliverable_needs_a_document_with_a_version(mechanism, cycle):
    from coordination.models import Document

    empty = Document.objects.create(title="Empty", category="report")
    deliverable = step_of(cycle, 1).deliverables.first()
    with pytest.raises(ValidationError):
        services.deliverable_attach(
            actor=mechanism.secretariat, deliverable=deliverable, document=empty
        )


def test_a_gated_step_cannot_complete_without_clearance_and_approval(mechanism, cycle):
    actor = mechanism.secretariat
    step = services.step_start(actor=actor, step=step_of(cycle, 4))
    step = mechanism.fulfil(step)
    with pytest.raises(ValidationError) as refused:
        services.step_complete(actor=actor, step=step)
    assert "submitted to the technical committee" in refusal(refused)
    assert "steering committee has not approved" in refusal(refused)
    # Approval before clearance is refused, with the reason.
    with pytest.raises(ValidationError) as refused:
        services.step_approve(actor=actor, step=step, ballot=mechanism.ballot(about=step))
    assert "technical committee must clear it first" in refusal(refused)

    step = services.step_submit_for_review(actor=actor, step=step)
    services.step_review(actor=mechanism.reviewer, step=step, outcome="cleared", text="Valid.")
    step.refresh_from_db()
    assert step.status == Step.Status.CLEARED
    with pytest.raises(ValidationError) as refused:
        services.step_complete(actor=actor, step=step)
    assert "steering committee has not approved" in refusal(refused)
    step = services.step_approve(actor=actor, step=step, ballot=mechanism.ballot(about=step))
    step = services.step_complete(actor=actor, step=step)
    assert step.status == Step.Status.COMPLETED


def test_returning_a_step_keeps_the_reason(mechanism, cycle):
    actor = mechanism.secretariat
    step = services.step_start(actor=actor, step=step_of(cycle, 4))
    step = services.step_submit_for_review(actor=actor, step=step)
    with pytest.raises(ValidationError):
        services.step_review(actor=mechanism.reviewer, step=step, outcome="returned", text=" ")
    reason = "PCB inventory: transformer counts do not match the utility's register."
    services.step_review(actor=mechanism.reviewer, step=step, outcome="returned", text=reason)
    step.refresh_from_db()
    assert step.status == Step.Status.RETURNED
    review = TechnicalReview.objects.get(step=step)
    assert review.outcome == "returned" and review.text == reason
    event = CycleEvent.objects.get(step=step, kind="review_returned")
    assert (event.from_status, event.to_status, event.reason) == (
        "under_technical_review",
        "returned",
        reason,
    )
    assert event.actor == mechanism.reviewer
    # Resubmitted and cleared: the return stays on record.
    step = services.step_submit_for_review(actor=actor, step=step, note="Counts reconciled.")
    services.step_review(actor=mechanism.reviewer, step=step, outcome="cleared", text="OK.")
    assert list(step.reviews.values_list("outcome", flat=True)) == ["returned", "cleared"]


def test_only_the_technical_committee_or_the_secretariat_reviews(mechanism, cycle, member):
    step = services.step_start(actor=mechanism.secretariat, step=step_of(cycle, 5))
    step = services.step_submit_for_review(actor=mechanism.secretariat, step=step)
    with pytest.raises(PermissionDenied):
        services.step_review(actor=member, step=step, outcome="cleared")


def test_approval_by_a_ballot_that_did_not_adopt_is_refused(mechanism, cycle):
    actor = mechanism.secretariat
    step = services.step_start(actor=actor, step=step_of(cycle, 7))
    rejected = mechanism.ballot("Endorse the NIP?", choices=("no", "no"), about=step)
    with pytest.raises(ValidationError) as refused:
        services.step_approve(actor=actor, step=step, ballot=rejected)
    assert "did not adopt" in refusal(refused)
    assert "Not adopted: 0 in favour, 2 against" in refusal(refused)


def test_approval_by_a_decision_in_minutes_needs_approved_minutes(mechanism, cycle):
    actor = mechanism.secretariat
    step = services.step_start(actor=actor, step=step_of(cycle, 7))
    draft = mechanism.minutes_item("The NIP is endorsed.", approve=False, about=step)
    with pytest.raises(ValidationError) as refused:
        services.step_approve(actor=actor, step=step, minutes_item=draft)
    assert "not approved" in refusal(refused)
    item = mechanism.minutes_item("The NIP is endorsed.", about=step)
    step = services.step_approve(actor=actor, step=step, minutes_item=item)
    assert step.status == Step.Status.APPROVED and step.approval_minutes_item == item


def test_a_ballot_of_another_body_does_not_approve(mechanism, cycle):
    from coordination.ballots import services as votes

    actor = mechanism.secretariat
    step = services.step_start(actor=actor, step=step_of(cycle, 7))
    other = votes.ballot_create(actor=actor, body=mechanism.tc, question="Endorse?")
    with pytest.raises(ValidationError) as refused:
        services.step_approve(actor=actor, step=step, ballot=other)
    assert "not by Steering Committee" in refusal(refused)


def test_endorsement_and_transmission_wait_for_earlier_steps(mechanism, cycle):
    actor = mechanism.secretariat
    step = services.step_start(actor=actor, step=step_of(cycle, 7))
    step = mechanism.fulfil(step)
    step = services.step_approve(actor=actor, step=step, ballot=mechanism.ballot(about=step))
    with pytest.raises(ValidationError) as refused:
        services.step_complete(actor=actor, step=step)
    assert "Earlier steps not completed: 1, 2, 3, 4, 5, 6" in refusal(refused)


def test_every_transition_writes_an_audit_event(mechanism, cycle):
    mechanism.carry(step_of(cycle, 4))
    kinds = list(
        CycleEvent.objects.filter(step__number=4, step__cycle=cycle)
        .exclude(to_status="")
        .values_list("kind", "from_status", "to_status")
    )
    assert kinds == [
        ("step_started", "not_started", "in_progress"),
        ("submitted_for_review", "in_progress", "under_technical_review"),
        ("review_cleared", "under_technical_review", "cleared"),
        ("approved", "cleared", "approved"),
        ("completed", "approved", "completed"),
    ]
    assert all(e.actor_email for e in CycleEvent.objects.filter(step__cycle=cycle))


def test_a_completed_step_cannot_change(mechanism, cycle):
    step = mechanism.carry(step_of(cycle, 1))
    with pytest.raises(ValidationError):
        services.checklist_item_add(actor=mechanism.secretariat, step=step, text="One more")


def test_deliverables_are_frozen_under_review_and_once_cleared(mechanism, cycle):
    actor = mechanism.secretariat
    step = mechanism.fulfil(services.step_start(actor=actor, step=step_of(cycle, 5)))
    step = services.step_submit_for_review(actor=actor, step=step)
    deliverable = step.deliverables.first()
    with pytest.raises(ValidationError) as refused:
        services.deliverable_attach(
            actor=actor, deliverable=deliverable, document=mechanism.document("Other")
        )
    assert "what was reviewed and approved is what is annexed" in refusal(refused)
    services.step_review(actor=mechanism.reviewer, step=step, outcome="returned", text="Redo.")
    services.deliverable_attach(
        actor=actor, deliverable=deliverable, document=mechanism.document("Revised")
    )
