"""The coordination app's deadlines: tasks falling due and progress reports awaited."""

import datetime
from collections import defaultdict

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from coordination.models import Designation, Task
from coordination.workplan_selectors import open_rounds_missing
from ncm_portal.deadlines import Deadline, DeadlineKind

HORIZON_DAYS = 30  # the longest lead time: nothing further away is looked at


def focal_point_user_ids(institution_ids, on: datetime.date) -> dict[int, set[int]]:
    """Institution id -> ids of the users who are its current focal points."""
    result: dict[int, set[int]] = defaultdict(set)
    rows = (
        Designation.objects.current(on)
        .filter(
            kind=Designation.Kind.INSTITUTION_FOCAL_POINT,
            institution_id__in=set(institution_ids),
            person__user__is_active=True,
        )
        .values_list("institution_id", "person__user_id")
    )
    for institution_id, user_id in rows:
        result[institution_id].add(user_id)
    return result


def tasks_due(on: datetime.date):
    tasks = list(
        Task.objects.exclude(status__in=Task.CLOSED)
        .filter(due_date__lte=on + datetime.timedelta(days=HORIZON_DAYS))
        .select_related("assignee", "lead_institution")
        .only(
            "pk", "title", "due_date", "assignee__user_id", "lead_institution__name",
            "lead_institution_id",
        )
    )  # fmt: skip
    focal = focal_point_user_ids({t.lead_institution_id for t in tasks}, on)
    for task in tasks:
        recipients = set(focal[task.lead_institution_id])
        if task.assignee and task.assignee.user_id:
            recipients.add(task.assignee.user_id)
        if recipients:
            yield Deadline(
                kind="task_due",
                key=f"task:{task.pk}",
                due=task.due_date,
                title=task.title,
                url=reverse("coordination:task-detail", args=[task.pk]),
                recipient_ids=tuple(sorted(recipients)),
                context={"institution": task.lead_institution.name},
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


KINDS = [
    DeadlineKind("task_due", _("Tasks falling due"), tasks_due),
    DeadlineKind("progress_report_due", _("Progress reports awaited"), progress_reports_due),
]
