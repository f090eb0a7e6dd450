"""The performance report's sections on the work: tasks done on time, progress reports, budgets."""

from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce, TruncDate
from django.utils.translation import gettext_lazy as _

from coordination.models import (
    ProgressReport,
    ReportingRound,
    Task,
)
from reporting.performance.period import EPOCH, Period, institutions_by_id, percent


def _completed_at():
    """When the task was last marked done: the first history row in state "done" after the
    last row in any other state (the task's change history records every save)."""
    history = Task.history.model.objects
    last_open = (
        history.filter(id=OuterRef("id"))  # the same task as the history row below
        .exclude(status=Task.Status.DONE)
        .order_by("-history_date")
        .values("history_date")
    )
    return (
        history.filter(
            id=OuterRef("pk"),
            status=Task.Status.DONE,
            history_date__gt=Coalesce(Subquery(last_open[:1]), Value(EPOCH)),
        )
        .order_by("history_date")
        .values("history_date")[:1]
    )


TASK_SERIES = [
    ("on_time", _("On time")),
    ("late", _("Late")),
    ("overdue", _("Overdue")),
    ("not_due", _("Not yet due")),
]


def tasks_section(period: Period) -> dict:
    """One query: tasks due in the year (cancelled ones left out), per workplan. On time: done on
    or before the due date; late: done after it, before the end of the year (or today); overdue:
    due but not done by then. The completion day comes from the task's history."""
    finished = Q(status=Task.Status.DONE, completed_on__lt=period.until)
    rows = list(
        Task.objects.filter(due_date__gte=period.first, due_date__lt=period.after)
        .exclude(status=Task.Status.CANCELLED)
        .annotate(completed_on=TruncDate(Coalesce(Subquery(_completed_at()), F("updated_at"))))
        .values(
            "activity__workplan",
            "activity__workplan__title",
            "activity__workplan__body__name",
            "activity__workplan__body__acronym",
        )
        .annotate(
            total=Count("pk"),
            on_time=Count("pk", filter=finished & Q(completed_on__lte=F("due_date"))),
            late=Count("pk", filter=finished & Q(completed_on__gt=F("due_date"))),
            overdue=Count("pk", filter=~finished & Q(due_date__lt=period.until)),
            not_due=Count("pk", filter=~finished & Q(due_date__gte=period.until)),
        )
        .order_by("activity__workplan__body__name", "activity__workplan__title")
    )
    for row in rows:
        row["share_on_time"] = percent(row["on_time"], row["total"] - row["not_due"])
        row["label"] = row["activity__workplan__title"]
    totals = {key: sum(row[key] for row in rows) for key in ("total", *dict(TASK_SERIES))}
    totals["share_on_time"] = percent(totals["on_time"], totals["total"] - totals["not_due"])
    return {"rows": rows, "totals": totals}


# --- 5. Progress reports on time ---------------------------------------------------------------


def progress_reports_section(period: Period, institutions: dict | None = None) -> dict:
    """One query: reports asked for in rounds that fell due in the year, up to today (a round's
    tasks, by lead institution), with the reports submitted on time or late (by the reporting
    institution, the day taken in the current time zone). The institutions come with the
    report, or in a second query."""
    due = Q(due_date__gte=period.first, due_date__lt=period.until)
    asked = (
        ReportingRound.tasks.through.objects.filter(
            reportinground__due_date__gte=period.first, reportinground__due_date__lt=period.until
        )
        .order_by()
        .values("task__lead_institution")
        .annotate(kind=Value("expected"), n=Count("pk"), late=Value(0))
        .values_list("task__lead_institution", "kind", "n", "late")
    )
    reported = (
        ProgressReport.objects.filter(round__in=ReportingRound.objects.filter(due).values("pk"))
        .order_by()
        .annotate(day=TruncDate("submitted_at"))
        .values("institution")
        .annotate(
            kind=Value("submitted"),
            on_time=Count("pk", filter=Q(day__lte=F("round__due_date"))),
            late=Count("pk", filter=Q(day__gt=F("round__due_date"))),
        )
        .values_list("institution", "kind", "on_time", "late")
    )
    # Both in one query: (institution, "expected", reports asked for, 0) and
    # (institution, "submitted", on time, late).
    expected, submitted = {}, {}
    for institution_id, kind, n, late in asked.union(reported, all=True):
        if kind == "expected":
            expected[institution_id] = n
        else:
            submitted[institution_id] = {"on_time": n, "late": late}
    institutions = institutions_by_id(set(expected) | set(submitted), institutions)
    rows = []
    for institution in sorted(institutions.values(), key=lambda i: i.name):
        asked = expected.get(institution.pk, 0)
        on_time = submitted.get(institution.pk, {}).get("on_time", 0)
        late = submitted.get(institution.pk, {}).get("late", 0)
        rows.append(
            {
                "institution": institution,
                "expected": asked,
                "on_time": on_time,
                "late": late,
                "missing": max(asked - on_time - late, 0),
                "share": percent(on_time, asked),
            }
        )
    totals = {k: sum(row[k] for row in rows) for k in ("expected", "on_time", "late", "missing")}
    totals["share"] = percent(totals["on_time"], totals["expected"])
    return {"rows": rows, "totals": totals}


# --- 6. Budget by funding source ---------------------------------------------------------------

FUNDING_SERIES = [
    (Task.Funding.NATIONAL, _("National budget")),
    (Task.Funding.DONOR, _("Donors")),
    (Task.Funding.IN_KIND, _("In-kind")),
    ("", _("Source not given")),
]


def budget_section(period: Period) -> dict:
    """One query: the budgets of tasks running during the year (started before its end, due
    after its start; cancelled ones left out), summed per currency and funding source, and the
    donor money per donor. A task's whole budget counts in each year it runs: budgets are not
    split over years. Amounts in different currencies are never added together."""
    running = (
        Task.objects.filter(
            start_date__lt=period.after, due_date__gte=period.first, budget_amount__isnull=False
        )
        .exclude(status=Task.Status.CANCELLED)
        .exclude(budget_currency="")
    )
    # One query, per currency, funding source and donor; the sums per source add the donors up.
    by_source, by_donor = defaultdict(lambda: [Decimal(0), 0]), []
    for currency, source, donor, total, n in (
        running.values("budget_currency", "funding_source", "donor_name")
        .annotate(total=Sum("budget_amount"), n=Count("pk"))
        .values_list("budget_currency", "funding_source", "donor_name", "total", "n")
        .order_by("budget_currency", "funding_source", "donor_name")
    ):
        by_source[(currency, source)][0] += total
        by_source[(currency, source)][1] += n
        if source == Task.Funding.DONOR:
            by_donor.append((currency, donor, total))
    sums = defaultdict(dict)
    for (currency, source), (total, n) in sorted(by_source.items()):
        sums[currency.upper()][source] = (total, n)
    donor_totals = defaultdict(Decimal)
    for currency, donor, total in by_donor:
        donor_totals[(currency, donor)] += total
    donors = defaultdict(list)
    for (currency, donor), total in sorted(
        donor_totals.items(), key=lambda item: (item[0][0], -item[1], item[0][1])
    ):
        donors[currency.upper()].append({"donor": donor, "amount": total})
    rows = []
    for currency in sorted(sums):
        amounts = {key: sums[currency].get(key, (Decimal(0), 0))[0] for key, _l in FUNDING_SERIES}
        national, donor = amounts[Task.Funding.NATIONAL], amounts[Task.Funding.DONOR]
        total = sum(amounts.values(), Decimal(0))
        rows.append(
            {
                "currency": currency,
                "amounts": [amounts[key] for key, _label in FUNDING_SERIES],
                "by_key": amounts,
                "tasks": sum(n for _total, n in sums[currency].values()),
                "total": total,
                "national_share": percent(national, national + donor),
                "donor_share": percent(donor, national + donor),
                "donor_share_of_total": percent(donor, total),
                "donors": donors[currency],
            }
        )
    return {
        "rows": rows,
        "series": [label for _key, label in FUNDING_SERIES],
    }


# --- 7. Datasets submitted and accepted --------------------------------------------------------
