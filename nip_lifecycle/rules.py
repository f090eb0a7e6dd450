"""What stops a step from completing, in words a user can act on. Pure reading: works on
prefetched steps (checklist, deliverables with their documents' versions) without queries."""

from django.utils.translation import gettext as _

from nip_lifecycle.models import Cycle, Step

S = Step.Status
CLEARED_OR_LATER = {S.CLEARED, S.APPROVED, S.COMPLETED}
APPROVED_OR_LATER = {S.APPROVED, S.COMPLETED}
NEEDS_EARLIER_STEPS = {7, 8}  # endorsement and transmission follow everything else


def step_blockers(step: Step, *, cycle: Cycle, steps: list[Step] | None = None) -> list[str]:
    """Every reason the step cannot complete now (an empty list when it can)."""
    if step.status == S.COMPLETED:
        return []
    reasons = []
    if step.status == S.NOT_STARTED:
        reasons.append(_("The step has not started."))
    missing = [
        d.name
        for d in step.deliverables.all()
        if d.required and (d.document is None or not d.document.versions.all())
    ]
    if missing:
        reasons.append(
            _("Deliverables without a document: %(names)s.") % {"names": ", ".join(missing)}
        )
    undone = [c.text for c in step.checklist.all() if c.required and c.done_at is None]
    if undone:
        reasons.append(_("Checklist items not done: %(items)s.") % {"items": "; ".join(undone)})
    if step.needs_technical_review and step.status not in CLEARED_OR_LATER:
        if step.status == S.RETURNED:
            reasons.append(_("The technical committee returned the step: revise and resubmit."))
        elif step.status == S.UNDER_TECHNICAL_REVIEW:
            reasons.append(_("The technical committee has not cleared the step yet."))
        else:
            reasons.append(_("The step must be submitted to the technical committee."))
    if step.needs_approval and step.status not in APPROVED_OR_LATER:
        reasons.append(_("The steering committee has not approved the step."))
    if step.number in NEEDS_EARLIER_STEPS:
        steps = steps if steps is not None else list(cycle.steps.all())
        open_numbers = [
            str(s.number) for s in steps if s.number < step.number and not s.is_completed
        ]
        if open_numbers:
            reasons.append(
                _("Earlier steps not completed: %(numbers)s.")
                % {"numbers": ", ".join(open_numbers)}
            )
    if step.number == 8 and cycle.status != Cycle.Status.TRANSMITTED:
        reasons.append(_("The transmission to the Secretariat is not recorded."))
    return reasons
