"""The state predicates of NIP steps, cycles and packages: each one is true where its service acts
and false where the service refuses, by the same rule."""

import pytest
from django.core.exceptions import ValidationError

from nip_lifecycle import services
from nip_lifecycle.models import Cycle, EndorsementPackage, Step
from tests.factories import PersonFactory, days_from_today

pytestmark = pytest.mark.django_db


def step_of(cycle, number) -> Step:
    return cycle.steps.get(number=number)


def _refused(call, code=None, **kwargs):
    with pytest.raises(ValidationError) as refusal:
        call(**kwargs)
    if code is not None:
        assert refusal.value.code == code
    return refusal.value


def test_can_start_a_step_not_started(mechanism, cycle):
    actor = mechanism.secretariat
    step = step_of(cycle, 1)
    assert step.can_start()
    step = services.step_start(actor=actor, step=step)
    assert not step.can_start()
    _refused(services.step_start, "started", actor=actor, step=step)


def test_can_submit_for_review_a_reviewed_step_in_progress_or_returned(mechanism, cycle):
    actor = mechanism.secretariat
    unreviewed = services.step_start(actor=actor, step=step_of(cycle, 1))
    assert not unreviewed.needs_technical_review and not unreviewed.can_submit_for_review()
    _refused(services.step_submit_for_review, "no_review", actor=actor, step=unreviewed)

    step = step_of(cycle, 4)
    assert not step.can_submit_for_review()  # not started
    _refused(services.step_submit_for_review, "wrong_status", actor=actor, step=step)
    step = mechanism.fulfil(services.step_start(actor=actor, step=step))
    assert step.can_submit_for_review()
    step = services.step_submit_for_review(actor=actor, step=step)
    assert not step.can_submit_for_review() and step.awaits_review()
    _refused(services.step_submit_for_review, "wrong_status", actor=actor, step=step)

    services.step_review(actor=mechanism.reviewer, step=step, outcome="returned", text="Redo.")
    step.refresh_from_db()
    assert not step.awaits_review() and step.can_submit_for_review()
    _refused(
        services.step_review, "wrong_status", actor=mechanism.reviewer, step=step, outcome="cleared"
    )
    assert services.step_submit_for_review(actor=actor, step=step).awaits_review()


def test_can_approve_once_cleared_or_in_progress_without_review(mechanism, cycle):
    actor = mechanism.secretariat
    step = mechanism.fulfil(services.step_start(actor=actor, step=step_of(cycle, 4)))
    assert step.needs_approval and not step.can_approve()
    _refused(
        services.step_approve,
        "wrong_status",
        actor=actor,
        step=step,
        ballot=mechanism.ballot(about=step),
    )
    step = services.step_submit_for_review(actor=actor, step=step)
    services.step_review(actor=mechanism.reviewer, step=step, outcome="cleared", text="Valid.")
    step.refresh_from_db()
    assert step.can_approve()
    step = services.step_approve(actor=actor, step=step, ballot=mechanism.ballot(about=step))
    assert not step.can_approve()

    ungated = step_of(cycle, 1)
    assert not ungated.needs_approval
    ungated = services.step_start(actor=actor, step=ungated)
    assert not ungated.can_approve()
    _refused(
        services.step_approve,
        "no_approval",
        actor=actor,
        step=ungated,
        ballot=mechanism.ballot(about=ungated),
    )


def test_an_approval_without_review_is_possible_while_in_progress(cycle):
    # The rule, on a step that the steering committee approves without a technical review.
    step = Step(
        cycle=cycle,
        number=9,
        name="Approval only",
        needs_technical_review=False,
        needs_approval=True,
        status=Step.Status.IN_PROGRESS,
    )
    assert step.can_approve()
    step.status = Step.Status.CLEARED
    assert not step.can_approve()


def test_deliverables_are_open_until_review_and_again_once_returned(mechanism, cycle):
    actor = mechanism.secretariat
    step = mechanism.fulfil(services.step_start(actor=actor, step=step_of(cycle, 5)))
    assert step.deliverables_open()
    step = services.step_submit_for_review(actor=actor, step=step)
    assert not step.deliverables_open()
    deliverable = step.deliverables.first()
    _refused(
        services.deliverable_attach,
        "frozen",
        actor=actor,
        deliverable=deliverable,
        document=mechanism.document("Other"),
    )
    services.step_review(actor=mechanism.reviewer, step=step, outcome="returned", text="Redo.")
    step.refresh_from_db()
    assert step.deliverables_open()
    services.deliverable_attach(
        actor=actor, deliverable=deliverable, document=mechanism.document("Revised")
    )


def test_can_complete_a_started_step_that_is_not_completed(mechanism, cycle):
    actor = mechanism.secretariat
    step = step_of(cycle, 1)
    assert not step.can_complete()
    refusal = _refused(services.step_complete, actor=actor, step=step)
    assert "The step has not started." in refusal.messages
    step = mechanism.fulfil(services.step_start(actor=actor, step=step))
    assert step.can_complete()
    step = services.step_complete(actor=actor, step=step)
    assert not step.can_complete() and step.is_completed
    _refused(services.step_complete, "completed", actor=actor, step=step)


def test_a_cycle_in_progress_takes_its_transmission_and_changes_once(mechanism, cycle):
    actor = mechanism.secretariat
    contact = PersonFactory()
    transmission = {
        "transmitted_on": days_from_today(-1),
        "reference": "REF",
        "transmitted_by": contact,
    }
    assert cycle.is_in_progress and cycle.can_record_transmission()
    # The guard lets it through; the next rule (step 7 first) refuses.
    _refused(services.transmission_record, "not_endorsed", actor=actor, cycle=cycle, **transmission)
    services.issue_add(actor=actor, cycle=cycle, title="Obsolete pesticides")

    Cycle.objects.filter(pk=cycle.pk).update(
        status=Cycle.Status.TRANSMITTED, transmitted_on=days_from_today(-1), transmitted_by=contact
    )
    cycle.refresh_from_db()
    assert not cycle.is_in_progress and not cycle.can_record_transmission()
    _refused(
        services.transmission_record,
        "already_transmitted",
        actor=actor,
        cycle=cycle,
        **transmission,
    )
    _refused(services.issue_add, "cycle_closed", actor=actor, cycle=cycle, title="Another")


def test_a_package_is_pending_until_ready_or_failed():
    package = EndorsementPackage()
    assert package.is_pending and not package.is_ready and not package.has_failed
    package.status = EndorsementPackage.Status.RENDERING
    assert package.is_pending
    package.status = EndorsementPackage.Status.READY
    assert package.is_ready and not package.is_pending
    package.status = EndorsementPackage.Status.FAILED
    assert package.has_failed and not package.is_pending
