"""Reads for workplan pages: plans with their tasks, the timeline, revision differences,
round status and institution scorecards. Each costs a fixed number of queries."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from coordination.models import (
    Activity,
    Institution,
    ProgressReport,
    ReportingRound,
    Task,
    Workplan,
    WorkplanRevision,
    today,
)

TASK_RELATED = ("lead_institution", "assignee", "activity__workplan__body")


def tasks_with_relations():
    return Task.objects.select_related(*TASK_RELATED).prefetch_related(
        "conventions", "supporting_institutions"
    )


def overdue_tasks():
    return Task.objects.overdue()


def workplan_list():
    return Workplan.objects.select_related("body").annotate(
        task_count=Count("activities__tasks", distinct=True)
    )


def workplan_detail(*, pk: int, supporting: bool = True, lazy: bool = False) -> dict:
    """The plan with its activities and tasks; ``supporting=False`` leaves out the supporting
    institutions and conventions of each task, which the plan's page does not show. ``lazy``:
    the activities, tasks, overdue tasks and timeline are read when first used, so a page whose
    task tables come from the cache (coordination/fragments.py) does not read them at all."""
    workplan = get_object_or_404(Workplan.objects.select_related("body"), pk=pk)
    on = today()
    loaded = {}

    def load() -> dict:
        if not loaded:
            # Without supporting: the activity comes from the prefetch.
            tasks = (
                tasks_with_relations()
                if supporting
                else Task.objects.select_related("lead_institution", "assignee")
            )
            activities = list(
                Activity.objects.filter(workplan=workplan).prefetch_related(
                    Prefetch("tasks", queryset=tasks.order_by("due_date", "pk"))
                )
            )
            tasks = [t for a in activities for t in a.tasks.all()]
            loaded.update(
                activities=activities,
                tasks=tasks,
                overdue=[t for t in tasks if t.is_overdue(on)],
            )
        return loaded

    revisions = list(workplan.revisions.select_related("adopted_by").order_by("-number"))
    rounds = list(workplan.rounds.order_by("-due_date"))
    context = {
        "workplan": workplan,
        "revisions": revisions,
        "adopted": next((r for r in revisions if r.status == "adopted"), None),
        "draft": next((r for r in revisions if r.status == "draft"), None),
        "rounds": rounds,
        "timeline": SimpleLazyObject(lambda: timeline(workplan, load()["tasks"], on)),
    }
    for name in ("activities", "tasks", "overdue"):
        context[name] = SimpleLazyObject(lambda name=name: load()[name]) if lazy else load()[name]
    if not lazy:
        context["timeline"] = timeline(workplan, context["tasks"], on)
    return context


def open_activity(workplan: Workplan, value: str | None) -> int | None:
    """The activity of ``workplan`` whose tasks the page shows open (``?open=<pk>``, the link
    that stands in for htmx without JavaScript), or None: any other value opens nothing."""
    if not value or not value.isdigit():
        return None
    pk = int(value)
    return pk if Activity.objects.filter(workplan=workplan, pk=pk).exists() else None


def activity_tasks(*, pk: int) -> dict:
    """One activity and its tasks as the workplan page's table shows them (read when first
    used, so a cached table reads nothing but the activity)."""
    activity = get_object_or_404(Activity.objects.select_related("workplan"), pk=pk)
    tasks = Task.objects.filter(activity=activity).select_related("lead_institution", "assignee")
    return {
        "activity": activity,
        "workplan": activity.workplan,
        "tasks": SimpleLazyObject(lambda: list(tasks.order_by("due_date", "pk"))),
    }


# --- The timeline, drawn as SVG on the server -------------------------------------------------


@dataclass
class TimelineBar:
    task: Task
    x: float
    y: float
    width: float
    label_y: float
    overdue: bool

    @property
    def fill(self) -> str:
        """Red when overdue, else the colour of the task's status."""
        return "#dc3545" if self.overdue else BAR_FILLS.get(self.task.status, "#6ea8fe")


BAR_FILLS = {
    Task.Status.DONE: "#198754",
    Task.Status.CANCELLED: "#adb5bd",
    Task.Status.DELAYED: "#fd7e14",
    Task.Status.IN_PROGRESS: "#0d6efd",
}


@dataclass
class Timeline:
    width: int
    height: int
    label_width: int
    bars: list[TimelineBar] = field(default_factory=list)
    months: list[tuple[float, str]] = field(default_factory=list)
    today_x: float | None = None

    @property
    def today_at_end(self) -> bool:
        """Near the right edge, the label of today's line is written before it, not after it."""
        return self.today_x is not None and self.today_x > self.width - LABEL_ROOM


LABEL_ROOM = 80  # wide enough for "today" in every language of the portal


def timeline(workplan: Workplan, tasks: list[Task], on: datetime.date) -> Timeline:
    """Geometry of a Gantt chart of the plan's period: one bar per task, a line for today."""
    label_width, chart_width, row = 260, 640, 22
    start, end = workplan.period_start, workplan.period_end
    span = max((end - start).days, 1)

    def x_of(day: datetime.date) -> float:
        clamped = min(max(day, start), end)
        return label_width + chart_width * (clamped - start).days / span

    chart = Timeline(
        width=label_width + chart_width + 10,
        height=30 + row * len(tasks) + 10,
        label_width=label_width,
    )
    for index, task in enumerate(tasks):
        y = 30 + index * row
        left = x_of(task.start_date)
        chart.bars.append(
            TimelineBar(
                task=task,
                x=round(left, 1),
                y=y + 4,
                width=round(max(x_of(task.due_date) - left, 3), 1),
                label_y=y + 15,
                overdue=task.is_overdue(on),
            )
        )
    # Grid lines at month starts, labelled sparsely enough to stay legible (about eight).
    months, month = [], datetime.date(start.year, start.month, 1)
    while month <= end:
        if month >= start:
            months.append(month)
        month = datetime.date(month.year + month.month // 12, month.month % 12 + 1, 1)
    step = max(1, -(-len(months) // 8))
    chart.months = [
        (round(x_of(m), 1), m.strftime("%Y-%m") if i % step == 0 else "")
        for i, m in enumerate(months)
    ]
    if start <= on <= end:
        chart.today_x = round(x_of(on), 1)
    return chart


# --- Revisions --------------------------------------------------------------------------------


@dataclass
class TaskChange:
    title: str
    changes: list[tuple[str, str, str]]  # (what, before, after)


DIFF_FIELDS = [
    ("start", _("start")),
    ("due", _("due")),
    ("lead", _("lead institution")),
    ("assignee", _("assignee")),
    ("budget", _("budget")),
    ("currency", _("currency")),
    ("funding", _("funding source")),
    ("donor", _("donor")),
    ("title", _("title")),
]


def revision_diff(old: dict, new: dict) -> dict:
    """Tasks added, removed and changed (re-dated, re-assigned, budget changed) between two
    frozen revisions."""
    before = {t["id"]: t for t in old.get("tasks", [])}
    after = {t["id"]: t for t in new.get("tasks", [])}
    changed = []
    for task_id in sorted(set(before) & set(after)):
        a, b = before[task_id], after[task_id]
        changes = [
            (label, str(a.get(k, "")), str(b.get(k, "")))
            for k, label in DIFF_FIELDS
            if a.get(k) != b.get(k)
        ]
        if changes:
            changed.append(TaskChange(title=b["title"], changes=changes))
    return {
        "added": [after[i] for i in sorted(set(after) - set(before))],
        "removed": [before[i] for i in sorted(set(before) - set(after))],
        "changed": changed,
    }


def revision_pair(*, workplan: Workplan, from_pk, to_pk):
    revisions = {r.pk: r for r in workplan.revisions.all()}
    return revisions.get(from_pk), revisions.get(to_pk)


def previous_adopted(revision: WorkplanRevision) -> WorkplanRevision | None:
    return (
        revision.workplan.revisions.filter(
            number__lt=revision.number, status__in=["adopted", "superseded"]
        )
        .order_by("-number")
        .first()
    )


# --- Progress rounds --------------------------------------------------------------------------


@dataclass
class InstitutionProgress:
    institution: Institution
    tasks: list[Task]
    reports: dict  # task id -> ProgressReport

    @property
    def missing(self) -> list[Task]:
        return [t for t in self.tasks if t.pk not in self.reports]

    @property
    def complete(self) -> bool:
        return not self.missing


def round_status(*, pk: int) -> dict:
    reporting_round = get_object_or_404(
        ReportingRound.objects.select_related("workplan__body"), pk=pk
    )
    tasks = list(reporting_round.tasks.select_related("lead_institution").order_by("due_date"))
    reports = {
        r.task_id: r
        for r in ProgressReport.objects.filter(round=reporting_round).select_related("submitted_by")
    }
    by_institution = defaultdict(list)
    for task in tasks:
        by_institution[task.lead_institution].append(task)
    rows = [
        InstitutionProgress(
            institution, its_tasks, {t.pk: reports[t.pk] for t in its_tasks if t.pk in reports}
        )
        for institution, its_tasks in sorted(by_institution.items(), key=lambda kv: kv[0].name)
    ]
    return {
        "round": reporting_round,
        "rows": rows,
        "missing": [row for row in rows if not row.complete],
        "reported_count": len(reports),
        "task_count": len(tasks),
    }


def open_rounds_missing(*, institutions=None) -> list[dict]:
    """Open rounds and, for each, the institutions that have not reported everything."""
    rounds = list(ReportingRound.objects.filter(closed_at__isnull=True).select_related("workplan"))
    if not rounds:
        return []
    through = ReportingRound.tasks.through.objects.filter(reportinground__in=rounds)
    if institutions is not None:
        through = through.filter(task__lead_institution__in=institutions)
    reported = set(
        ProgressReport.objects.filter(round__in=rounds).values_list("round_id", "task_id")
    )
    missing = defaultdict(lambda: defaultdict(int))
    names = {}
    for round_id, task_id, inst_id, name in through.values_list(
        "reportinground_id", "task_id", "task__lead_institution_id", "task__lead_institution__name"
    ):
        if (round_id, task_id) not in reported:
            missing[round_id][inst_id] += 1
            names[inst_id] = name
    return [
        {
            "round": r,
            "institutions": sorted(
                ({"id": i, "name": names[i], "missing": n} for i, n in missing[r.pk].items()),
                key=lambda row: row["name"],
            ),
        }
        for r in rounds
        if missing[r.pk]
    ]


# --- Scorecard --------------------------------------------------------------------------------


def institution_scorecard(*, workplan: Workplan | None = None) -> list[dict]:
    """Per lead institution: tasks on time, overdue, done; progress reports on time."""
    on = today()
    tasks = Task.objects.all()
    reports = ProgressReport.objects.all()
    if workplan is not None:
        tasks = tasks.filter(activity__workplan=workplan)
        reports = reports.filter(round__workplan=workplan)
    open_q = ~Q(status__in=Task.CLOSED)
    rows = {
        row["lead_institution"]: row
        for row in tasks.values("lead_institution").annotate(
            total=Count("pk"),
            done=Count("pk", filter=Q(status=Task.Status.DONE)),
            overdue=Count("pk", filter=Task.overdue_q(on)),
            on_track=Count("pk", filter=open_q & Q(due_date__gte=on)),
        )
    }
    expected = defaultdict(int)
    through = ReportingRound.tasks.through.objects.all()
    if workplan is not None:
        through = through.filter(reportinground__workplan=workplan)
    for inst_id, count in (
        through.values("task__lead_institution")
        .annotate(n=Count("pk"))
        .values_list("task__lead_institution", "n")
    ):
        expected[inst_id] = count
    on_time = defaultdict(int)
    late = defaultdict(int)
    for report in reports.select_related("round").only(
        "institution_id", "submitted_at", "round__due_date"
    ):
        (on_time if report.on_time else late)[report.institution_id] += 1
    institutions = Institution.objects.in_bulk(set(rows) | set(expected))
    result = []
    for inst_id, institution in sorted(institutions.items(), key=lambda kv: kv[1].name):
        row = rows.get(inst_id, {})
        result.append(
            {
                "institution": institution,
                "total": row.get("total", 0),
                "done": row.get("done", 0),
                "overdue": row.get("overdue", 0),
                "on_track": row.get("on_track", 0),
                "reports_expected": expected[inst_id],
                "reports_on_time": on_time[inst_id],
                "reports_late": late[inst_id],
                "reports_missing": max(expected[inst_id] - on_time[inst_id] - late[inst_id], 0),
            }
        )
    return result
