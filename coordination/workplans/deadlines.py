"""Workplans' deadlines: tasks falling due and progress reports awaited."""

import datetime
from collections import defaultdict

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from coordination.models import ProgressReport, ReportingRound, Task
from coordination.registry.selectors import focal_point_user_ids
from coordination.workplans.selectors import open_rounds_missing
from ncm_portal.deadlines import Deadline, DeadlineKind, rows

HORIZON_DAYS = 30  # the longest lead time: nothing further away is looked at


def tasks_due(on: datetime.date):
    tasks = list(
        Task.objects.open()
        .filter(due_date__lte=on + datetime.timedelta(days=HORIZON_DAYS))
        .select_related("assignee", "lead_institution")
        .only(
            "pk",
            "title",
            "due_date",
            "assignee__user_id",
            "lead_institution__name",
            "lead_institution_id",
        )
    )
    focal = focal_point_user_ids({t.lead_institution_id for t in tasks}, on)
    for task in tasks:
        recipients = set(focal[task.lead_institution_id])
        if task.assignee and task.assignee.user_id:
            recipients.add(task.assignee.user_id)
        if recipients:
            yield _task_deadline(task, tuple(sorted(recipients)))


def _task_deadline(task: Task, recipients: tuple[int, ...]) -> Deadline:
    return Deadline(
        kind="task_due",
        key=f"task:{task.pk}",
        due=task.due_date,
        title=task.title,
        url=reverse("coordination:task-detail", args=[task.pk]),
        recipient_ids=recipients,
        context={"institution": task.lead_institution.name},
    )


def task_rows(me, on: datetime.date):
    """The tasks this person is assigned, or that an institution they are focal point of leads."""
    mine = Q(lead_institution_id__in=me.focal_institution_ids)
    if me.person_id:
        mine |= Q(assignee_id=me.person_id)
    elif not me.focal_institution_ids:
        return None
    tasks = Task.objects.open().filter(
        mine, due_date__lte=on + datetime.timedelta(days=HORIZON_DAYS)
    )
    return rows(
        tasks, "task_due", id1="pk", day="due_date", text1="title", text2="lead_institution__name"
    )


def tasks_from_rows(me, on: datetime.date, found):
    for row in found:
        yield Deadline(
            kind="task_due",
            key=f"task:{row['id1']}",
            due=row["day"],
            title=row["text1"],
            url=reverse("coordination:task-detail", args=[row["id1"]]),
            recipient_ids=(me.user_id,),
            context={"institution": row["text2"]},
        )


def progress_reports_due(on: datetime.date):
    horizon = on + datetime.timedelta(days=HORIZON_DAYS)
    awaited = [item for item in open_rounds_missing() if item["round"].due_date <= horizon]
    focal = focal_point_user_ids(
        {row["id"] for item in awaited for row in item["institutions"]}, on
    )
    for item in awaited:
        reporting_round = item["round"]
        for row in item["institutions"]:
            if focal[row["id"]]:
                yield Deadline(
                    kind="progress_report_due",
                    key=f"round:{reporting_round.pk}:institution:{row['id']}",
                    due=reporting_round.due_date,
                    title=reporting_round.title,
                    url=reverse("coordination:round-detail", args=[reporting_round.pk]),
                    recipient_ids=tuple(sorted(focal[row["id"]])),
                    context={
                        "institution": row["name"],
                        "missing": row["missing"],
                        "workplan": reporting_round.workplan.title,
                    },
                )


def progress_report_rows(me, on: datetime.date):
    """The tasks of open rounds, not yet reported on, that an institution this person is focal
    point of leads."""
    if not me.focal_institution_ids:
        return None
    through = ReportingRound.tasks.through.objects.filter(
        reportinground__closed_at__isnull=True,
        reportinground__due_date__lte=on + datetime.timedelta(days=HORIZON_DAYS),
        task__lead_institution_id__in=me.focal_institution_ids,
    ).exclude(
        Exists(
            ProgressReport.objects.filter(
                round_id=OuterRef("reportinground_id"), task_id=OuterRef("task_id")
            )
        )
    )
    return rows(
        through,
        "progress_report_due",
        id1="reportinground_id",
        id2="task__lead_institution_id",
        day="reportinground__due_date",
        text1="reportinground__title",
        text2="task__lead_institution__name",
        text3="reportinground__workplan__title",
    )


def progress_reports_from_rows(me, on: datetime.date, found):
    missing: dict[tuple, int] = defaultdict(int)
    for row in found:
        missing[(row["id1"], row["id2"], row["day"], row["text1"], row["text2"], row["text3"])] += 1
    for (round_id, institution_id, due, title, name, workplan), count in missing.items():
        yield Deadline(
            kind="progress_report_due",
            key=f"round:{round_id}:institution:{institution_id}",
            due=due,
            title=title,
            url=reverse("coordination:round-detail", args=[round_id]),
            recipient_ids=(me.user_id,),
            context={"institution": name, "missing": count, "workplan": workplan},
        )


def tasks_in_range(start: datetime.date, end: datetime.date, body=None):
    tasks = Task.objects.open().filter(due_date__range=(start, end))
    if body is not None:
        tasks = tasks.filter(activity__workplan__body=body)
    # A month of a national mechanism holds hundreds of tasks: four columns, no model instances.
    rows = tasks.values_list("pk", "title", "due_date", "activity__workplan__body_id")
    for pk, title, due, body_id in rows:
        yield Deadline(
            kind="task_due",
            key=f"task:{pk}",
            due=due,
            title=title,
            url=reverse("coordination:task-detail", args=[pk]),
            recipient_ids=(),
            context={"body_id": body_id},
        )


def rounds_in_range(start: datetime.date, end: datetime.date, body=None):
    rounds = ReportingRound.objects.filter(closed_at__isnull=True, due_date__range=(start, end))
    if body is not None:
        rounds = rounds.filter(workplan__body=body)
    for reporting_round in rounds.select_related("workplan"):
        yield Deadline(
            kind="progress_report_due",
            key=f"round:{reporting_round.pk}",
            due=reporting_round.due_date,
            title=reporting_round.title,
            url=reverse("coordination:round-detail", args=[reporting_round.pk]),
            recipient_ids=(),
            context={"body_id": reporting_round.workplan.body_id},
        )


TASK_DUE = DeadlineKind(
    "task_due",
    _("Tasks falling due"),
    tasks_due,
    calendar=tasks_in_range,
    person_rows=task_rows,
    from_rows=tasks_from_rows,
)

PROGRESS_REPORT_DUE = DeadlineKind(
    "progress_report_due",
    _("Progress reports awaited"),
    progress_reports_due,
    calendar=rounds_in_range,
    person_rows=progress_report_rows,
    from_rows=progress_reports_from_rows,
)
