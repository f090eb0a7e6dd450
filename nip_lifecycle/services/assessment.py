"""Step 5 (criteria, issues, scores, objectives, action plans that become workplan tasks) and
step 6 (the draft in sections with versions, the consultation and its comment log)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from coordination.models import Institution, User, Workplan
from coordination.workplans.services import activity_create, task_create
from nip_lifecycle import permissions as perms
from nip_lifecycle.models import (
    SCORE_MAX,
    ActionPlanItem,
    ConsultationComment,
    Cycle,
    DraftSection,
    DraftSectionVersion,
    Objective,
    PriorityIssue,
    PriorityScore,
)

from .events import record_event


def _manage(actor: User, cycle: Cycle) -> Cycle:
    perms.require(perms.can_manage_cycle(actor, cycle))
    cycle = Cycle.objects.select_for_update().select_related("lead_body").get(pk=cycle.pk)
    if not cycle.is_in_progress:
        raise ValidationError(
            _(
                "The cycle is %(status)s: its assessment, draft and consultation are kept as they "
                "are."
            )
            % {"status": cycle.get_status_display().lower()},
            code="cycle_closed",
        )
    return cycle


# --- Step 5: priority assessment -------------------------------------------------------------


@transaction.atomic
def criteria_set_weights(*, actor: User, cycle: Cycle, weights: dict[int, int]) -> None:
    cycle = _manage(actor, cycle)
    criteria = {c.pk: c for c in cycle.criteria.all()}
    changed = {}
    for pk, weight in weights.items():
        criterion = criteria.get(pk)
        if criterion is None:
            raise ValidationError(_("Unknown criterion."), code="unknown")
        if not 0 <= weight <= 10:
            raise ValidationError(_("A weight is between 0 and 10."), code="weight_range")
        if criterion.weight != weight:
            changed[criterion.name] = [criterion.weight, weight]
            criterion.weight = weight
            criterion.save(update_fields=["weight"])
    if changed:
        record_event(cycle, "weights_set", actor=actor, changes=changed)


@transaction.atomic
def issue_add(*, actor: User, cycle: Cycle, title: str, description: str = "") -> PriorityIssue:
    cycle = _manage(actor, cycle)
    if cycle.issues.filter(title=title).exists():
        raise ValidationError({"title": _("This issue is already listed.")}, code="duplicate")
    issue = PriorityIssue(cycle=cycle, title=title, description=description)
    issue.full_clean()
    issue.save()
    record_event(cycle, "issue_added", actor=actor, issue=title)
    return issue


@transaction.atomic
def issue_score(*, actor: User, issue: PriorityIssue, scores: dict[int, int]) -> PriorityIssue:
    """Score an issue against each criterion (0 to 5)."""
    cycle = _manage(actor, issue.cycle)
    criteria = set(cycle.criteria.values_list("pk", flat=True))
    for criterion_id, score in scores.items():
        if criterion_id not in criteria:
            raise ValidationError(_("Unknown criterion."), code="unknown")
        if not 0 <= score <= SCORE_MAX:
            raise ValidationError(
                _("A score is between 0 and %(max)s.") % {"max": SCORE_MAX}, code="score_range"
            )
        PriorityScore.objects.update_or_create(
            issue=issue, criterion_id=criterion_id, defaults={"score": score}
        )
    record_event(
        cycle,
        "issue_scored",
        actor=actor,
        issue=issue.title,
        scores={str(k): v for k, v in scores.items()},
    )
    return issue


@transaction.atomic
def objective_add(
    *, actor: User, cycle: Cycle, title: str, target: str = "", issue: PriorityIssue | None = None
) -> Objective:
    cycle = _manage(actor, cycle)
    if issue is not None and issue.cycle_id != cycle.pk:
        raise ValidationError({"issue": _("The issue belongs to another cycle.")})
    objective = Objective(cycle=cycle, title=title, target=target, issue=issue)
    objective.full_clean()
    objective.save()
    record_event(cycle, "objective_added", actor=actor, objective=title)
    return objective


@transaction.atomic
def cycle_set_workplan(*, actor: User, cycle: Cycle, workplan: Workplan) -> Cycle:
    cycle = _manage(actor, cycle)
    cycle.workplan = workplan
    cycle.save(update_fields=["workplan"])
    record_event(cycle, "workplan_set", actor=actor, workplan=workplan.title)
    return cycle


@transaction.atomic
def action_add(
    *,
    actor: User,
    objective: Objective,
    title: str,
    lead_institution: Institution,
    start_date: datetime.date,
    due_date: datetime.date,
    description: str = "",
) -> ActionPlanItem:
    """An activity of the objective's action plan, filed as a task of the cycle's workplan
    through the workplan services (under one workplan activity per objective)."""
    cycle = _manage(actor, objective.cycle)
    if cycle.workplan is None:
        raise ValidationError(
            _("Choose the workplan that carries the action plans first."), code="no_workplan"
        )
    objective = Objective.objects.select_for_update().get(pk=objective.pk)
    if objective.activity is None or objective.activity.workplan_id != cycle.workplan_id:
        objective.activity = activity_create(
            actor=actor,
            workplan=cycle.workplan,
            title=f"NIP: {objective.title}"[:255],
            description=objective.target,
        )
        objective.save(update_fields=["activity"])
    task = task_create(
        actor=actor,
        activity=objective.activity,
        title=title,
        description=description,
        lead_institution=lead_institution,
        start_date=start_date,
        due_date=due_date,
    )
    item = ActionPlanItem.objects.create(objective=objective, title=title, task=task)
    record_event(
        cycle, "action_added", actor=actor, objective=objective.title, action=title, task=task.pk
    )
    return item


# --- Step 6: the draft and the consultation --------------------------------------------------


@transaction.atomic
def section_add(*, actor: User, cycle: Cycle, title: str, text: str) -> DraftSection:
    cycle = _manage(actor, cycle)
    if cycle.sections.filter(title=title).exists():
        raise ValidationError({"title": _("The draft already has this section.")})
    order = (cycle.sections.aggregate(m=Max("order"))["m"] or 0) + 1
    section = DraftSection.objects.create(cycle=cycle, order=order, title=title)
    DraftSectionVersion.objects.create(section=section, number=1, text=text, created_by=actor)
    record_event(cycle, "section_added", actor=actor, section=title)
    return section


@transaction.atomic
def section_revise(
    *, actor: User, section: DraftSection, text: str, note: str = ""
) -> DraftSectionVersion:
    cycle = _manage(actor, section.cycle)
    section = DraftSection.objects.select_for_update().get(pk=section.pk)
    number = (section.versions.aggregate(m=Max("number"))["m"] or 0) + 1
    version = DraftSectionVersion.objects.create(
        section=section, number=number, text=text, note=note, created_by=actor
    )
    record_event(
        cycle, "section_revised", actor=actor, section=section.title, version=number, reason=note
    )
    return version


@transaction.atomic
def consultation_set_open(*, actor: User, cycle: Cycle, open: bool) -> Cycle:
    cycle = _manage(actor, cycle)
    if open and not cycle.sections.exists():
        raise ValidationError(
            _("Add the draft's sections before opening the consultation."), code="no_sections"
        )
    if cycle.consultation_open != open:
        cycle.consultation_open = open
        cycle.save(update_fields=["consultation_open"])
        record_event(cycle, "consultation_opened" if open else "consultation_closed", actor=actor)
    return cycle


@transaction.atomic
def comment_add(*, actor: User, section: DraftSection, text: str) -> ConsultationComment:
    """A member institution's comment on the latest version of a section."""
    cycle = Cycle.objects.select_related("lead_body").get(pk=section.cycle_id)
    perms.require(perms.can_comment(actor, cycle))
    if not cycle.consultation_open:
        raise ValidationError(_("The consultation is not open."), code="closed")
    if not text.strip():
        raise ValidationError({"text": _("Write the comment.")}, code="empty")
    version = section.versions.order_by("-number").first()
    comment = ConsultationComment.objects.create(
        section=section,
        version=version,
        institution=actor.person.institution,
        author=actor,
        text=text.strip(),
    )
    record_event(
        cycle,
        "comment_added",
        actor=actor,
        section=section.title,
        institution=str(comment.institution),
    )
    return comment


@transaction.atomic
def comment_resolve(
    *, actor: User, comment: ConsultationComment, resolution: str, reason: str = ""
) -> ConsultationComment:
    cycle = _manage(actor, comment.section.cycle)
    comment = ConsultationComment.objects.select_for_update().get(pk=comment.pk)
    R = ConsultationComment.Resolution
    if resolution not in (R.ACCEPTED, R.PARTLY, R.NOT_ACCEPTED):
        raise ValidationError({"resolution": _("Choose a resolution.")}, code="resolution")
    if resolution != R.ACCEPTED and not reason.strip():
        raise ValidationError(
            {"reason": _("Say why the comment is not (fully) accepted.")}, code="reason_required"
        )
    before = comment.resolution
    comment.resolution, comment.resolution_reason = resolution, reason.strip()
    comment.resolved_at, comment.resolved_by = timezone.now(), actor
    comment.full_clean()
    comment.save(update_fields=["resolution", "resolution_reason", "resolved_at", "resolved_by"])
    record_event(
        cycle,
        "comment_resolved",
        actor=actor,
        from_status=before,
        to_status=resolution,
        reason=comment.resolution_reason,
        comment=comment.pk,
    )
    return comment
