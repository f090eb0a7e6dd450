"""Every write of the NIP cycle goes through these services; each writes its audit event in the
same transaction as the change."""

from .assessment import (
    action_add,
    comment_add,
    comment_resolve,
    consultation_set_open,
    criteria_set_weights,
    cycle_set_workplan,
    issue_add,
    issue_score,
    objective_add,
    section_add,
    section_revise,
)
from .cycles import (
    amendment_add,
    cycle_create,
    cycle_set_deadline,
    transmission_record,
)
from .package import package_render, package_request
from .steps import (
    checklist_item_add,
    checklist_item_mark,
    deliverable_add,
    deliverable_attach,
    step_approve,
    step_complete,
    step_review,
    step_start,
    step_submit_for_review,
    step_update,
)

__all__ = [
    "action_add",
    "amendment_add",
    "checklist_item_add",
    "checklist_item_mark",
    "comment_add",
    "comment_resolve",
    "consultation_set_open",
    "criteria_set_weights",
    "cycle_create",
    "cycle_set_deadline",
    "cycle_set_workplan",
    "deliverable_add",
    "deliverable_attach",
    "issue_add",
    "issue_score",
    "objective_add",
    "package_render",
    "package_request",
    "section_add",
    "section_revise",
    "step_approve",
    "step_complete",
    "step_review",
    "step_start",
    "step_submit_for_review",
    "step_update",
    "transmission_record",
]
