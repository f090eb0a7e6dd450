"""Workplans: activities and tasks, frozen revisions (draft, circulated, adopted, superseded),
and progress reporting rounds."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from coordination import permissions as perms
from coordination.models import (
    Activity,
    Body,
    Institution,
    Membership,
    ProgressReport,
    ReportingRound,
    Task,
    User,
    Workplan,
    WorkplanRevision,
)
from ncm_portal.services import assign_fields, check_period, save_with_history

TASK_FIELDS = {
    "activity",
    "title",
    "description",
    "lead_institution",
    "assignee",
    "start_date",
    "due_date",
    "status",
    "percent_complete",
    "budget_amount",
    "budget_currency",
    "funding_source",
    "donor_name",
}


@transaction.atomic
def workplan_create(
    *,
    actor: User,
    body: Body,
    title: str,
    period_start: datetime.date,
    period_end: datetime.date,
) -> Workplan:
    perms.require(perms.can_manage_body(actor, body))
    check_period(period_start, period_end)
    workplan = Workplan(
        body=body,
        title=title,
        period_start=period_start,
        period_end=period_end,
        created_by=actor,
    )
    save_with_history(workplan, actor)
    return workplan


@transaction.atomic
def activity_create(
    *, actor: User, workplan: Workplan, title: str, description: str = "", order: int | None = None
) -> Activity:
    perms.require(perms.can_manage_workplan(actor, workplan))
    if order is None:
        order = (workplan.activities.aggregate(m=Max("order"))["m"] or 0) + 1
    activity = Activity(workplan=workplan, title=title, description=description, order=order)
    save_with_history(activity, actor)
    return activity


def _check_task_dates(task: Task) -> None:
    workplan = task.activity.workplan
    if task.due_date < task.start_date:
        raise ValidationError(
            {"due_date": _("The due date cannot come before the start.")}, code="due_before_start"
        )
    if task.start_date > workplan.period_end or task.due_date < workplan.period_start:
        raise ValidationError(
            _("The task falls outside the workplan's period (%(start)s to %(end)s).")
            % {"start": workplan.period_start, "end": workplan.period_end},
            code="outside_period",
        )


@transaction.atomic
def task_create(
    *, actor: User, activity: Activity, supporting_institutions=(), conventions=(), **fields
) -> Task:
    perms.require(perms.can_manage_workplan(actor, activity.workplan))
    task = Task(activity=activity)
    assign_fields(task, fields, TASK_FIELDS - {"activity"})
    _check_task_dates(task)
    save_with_history(task, actor)
    task.supporting_institutions.set(supporting_institutions)
    task.conventions.set(conventions)
    return task


@transaction.atomic
def task_update(
    *, actor: User, task: Task, supporting_institutions=None, conventions=None, **fields
) -> Task:
    perms.require(perms.can_manage_workplan(actor, task.activity.workplan))
    task = Task.objects.select_for_update().select_related("activity__workplan").get(pk=task.pk)
    workplan_id = task.activity.workplan_id
    assign_fields(task, fields, TASK_FIELDS)
    if task.activity.workplan_id != workplan_id:
        raise ValidationError(_("A task stays in its own workplan."), code="other_workplan")
    _check_task_dates(task)
    save_with_history(task, actor)
    if supporting_institutions is not None:
        task.supporting_institutions.set(supporting_institutions)
    if conventions is not None:
        task.conventions.set(conventions)
    return task


# --- Revisions --------------------------------------------------------------------------------


def workplan_snapshot(workplan: Workplan) -> dict:
    """The plan as it stands, in a form that can be kept, shown and compared later."""
    tasks = (
        Task.objects.filter(activity__workplan=workplan)
        .select_related("activity", "lead_institution", "assignee")
        .prefetch_related("supporting_institutions", "conventions")
        .order_by("activity__order", "activity_id", "due_date", "pk")
    )
    activities = {a.pk: a for a in workplan.activities.all()}
    return {
        "title": workplan.title,
        "period": [workplan.period_start.isoformat(), workplan.period_end.isoformat()],
        "activities": [{"id": a.pk, "title": a.title} for a in activities.values()],
        "tasks": [
            {
                "id": t.pk,
                "activity": t.activity_id,
                "title": t.title,
                "lead": t.lead_institution.name,
                "lead_id": t.lead_institution_id,
                "supporting": sorted(i.name for i in t.supporting_institutions.all()),
                "assignee": t.assignee.name if t.assignee else "",
                "start": t.start_date.isoformat(),
                "due": t.due_date.isoformat(),
                "conventions": sorted(c.short_name for c in t.conventions.all()),
                "status": t.status,
                "percent": t.percent_complete,
                "budget": str(t.budget_amount) if t.budget_amount is not None else "",
                "currency": t.budget_currency,
                "funding": t.funding_source,
                "donor": t.donor_name,
            }
            for t in tasks
        ],
    }


@transaction.atomic
def revision_draft(*, actor: User, workplan: Workplan, note: str = "") -> WorkplanRevision:
    """Freeze the plan as a draft revision; an existing draft is refreshed instead."""
    perms.require(perms.can_manage_workplan(actor, workplan))
    Workplan.objects.select_for_update().get(pk=workplan.pk)
    draft = workplan.revisions.filter(status=WorkplanRevision.Status.DRAFT).first()
    if draft is None:
        number = (workplan.revisions.aggregate(m=Max("number"))["m"] or 0) + 1
        draft = WorkplanRevision(workplan=workplan, number=number, created_by=actor)
    draft.snapshot = workplan_snapshot(workplan)
    if note:
        draft.note = note
    draft.full_clean()
    draft.save()
    return draft


@transaction.atomic
def revision_circulate(
    *, actor: User, revision: WorkplanRevision, institutions=None
) -> WorkplanRevision:
    """Send the draft to the member institutions (by default every current member of the
    body): their principal and alternate representatives get it by e-mail."""
    from coordination import tasks

    perms.require(perms.can_manage_workplan(actor, revision.workplan))
    revision = WorkplanRevision.objects.select_for_update().get(pk=revision.pk)
    if not revision.can_circulate():
        raise ValidationError(
            _("Only a draft can be circulated; this revision is %(status)s.")
            % {"status": revision.get_status_display()},
            code="not_draft",
        )
    if institutions is None:
        institutions = Institution.objects.filter(
            pk__in=Membership.objects.current()
            .filter(body=revision.workplan.body)
            .values("institution_id")
        )
    revision.status = WorkplanRevision.Status.CIRCULATED
    revision.circulated_at = timezone.now()
    revision.save(update_fields=["status", "circulated_at"])
    revision.circulated_to.set(institutions)
    transaction.on_commit(lambda: tasks.revision_circulated_notify.delay(revision.pk))
    return revision


@transaction.atomic
def revision_adopt(*, actor: User, revision: WorkplanRevision, ballot=None) -> WorkplanRevision:
    """Adopt a circulated revision; the one adopted before it is superseded. Adopted by
    ``ballot``: a closed ballot of the body that adopted this very revision."""
    from coordination import decisions

    perms.require(perms.can_manage_workplan(actor, revision.workplan))
    Workplan.objects.select_for_update().get(pk=revision.workplan_id)
    revision = WorkplanRevision.objects.select_for_update().get(pk=revision.pk)
    if not revision.can_adopt():
        raise ValidationError(
            _("Circulate the revision to the members before adopting it."),
            code="not_circulated",
        )
    if ballot is not None:
        decisions.require_adopting_ballot(ballot, revision, revision.workplan.body)
    now = timezone.now()
    revision.workplan.revisions.filter(status=WorkplanRevision.Status.ADOPTED).update(
        status=WorkplanRevision.Status.SUPERSEDED, superseded_at=now
    )
    revision.status = WorkplanRevision.Status.ADOPTED
    revision.adopted_at = now
    revision.adopted_by = actor
    revision.adoption_ballot = ballot
    revision.save(update_fields=["status", "adopted_at", "adopted_by", "adoption_ballot"])
    return revision


# --- Progress reporting ---------------------------------------------------------------------


@transaction.atomic
def round_open(
    *, actor: User, workplan: Workplan, title: str, due_date: datetime.date
) -> ReportingRound:
    """Ask every lead institution to report on its open tasks by ``due_date``."""
    perms.require(perms.can_manage_workplan(actor, workplan))
    open_tasks = Task.objects.filter(activity__workplan=workplan).open()
    if not open_tasks.exists():
        raise ValidationError(_("The workplan has no open task to report on."), code="no_tasks")
    reporting_round = ReportingRound(
        workplan=workplan, title=title, due_date=due_date, opened_by=actor
    )
    reporting_round.full_clean()
    reporting_round.save()
    reporting_round.tasks.set(open_tasks)
    return reporting_round


@transaction.atomic
def round_close(*, actor: User, reporting_round: ReportingRound) -> ReportingRound:
    perms.require(perms.can_manage_workplan(actor, reporting_round.workplan))
    ReportingRound.objects.filter(pk=reporting_round.pk, closed_at__isnull=True).update(
        closed_at=timezone.now()
    )
    reporting_round.refresh_from_db()
    return reporting_round


@transaction.atomic
def progress_report_submit(
    *,
    actor: User,
    reporting_round: ReportingRound,
    task: Task,
    status: str,
    percent_complete: int,
    narrative: str,
    problems: str = "",
    money_spent: Decimal | None = None,
    currency: str = "",
) -> ProgressReport:
    """Record a lead institution's report and carry its figures into the task."""
    perms.require(perms.can_report_progress(actor, task))
    reporting_round = ReportingRound.objects.select_for_update().get(pk=reporting_round.pk)
    if not reporting_round.is_open:
        raise ValidationError(_("This reporting round is closed."), code="round_closed")
    if not reporting_round.tasks.filter(pk=task.pk).exists():
        raise ValidationError(_("This task is not part of the round."), code="not_in_round")
    if ProgressReport.objects.filter(round=reporting_round, task=task).exists():
        raise ValidationError(
            _("Progress on this task has already been reported in this round."),
            code="already_reported",
        )
    if status == Task.Status.DONE and percent_complete != 100:
        raise ValidationError(
            {"percent_complete": _("A task marked done must be 100 percent complete.")},
            code="done_not_100",
        )
    if money_spent is not None and not currency:
        raise ValidationError({"currency": _("Give the currency of the money spent.")})
    report = ProgressReport(
        round=reporting_round,
        task=task,
        institution=task.lead_institution,
        status=status,
        percent_complete=percent_complete,
        narrative=narrative,
        problems=problems,
        money_spent=money_spent,
        currency=currency.upper(),
        submitted_by=actor,
    )
    report.full_clean()
    report.save()
    task = Task.objects.select_for_update().get(pk=task.pk)
    task.status = status
    task.percent_complete = percent_complete
    task._history_user = actor
    task._change_reason = f"progress report {report.pk}"
    task.save(update_fields=["status", "percent_complete", "updated_at"])
    return report
