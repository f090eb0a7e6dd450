"""The performance report's charts, drawn from its figures with the inventory pages' bar charts
(``ncm_portal.charts``), so that the same SVG serves the page and the PDF. No queries."""

from collections import defaultdict

from django.utils.translation import gettext_lazy as _

from ncm_portal import charts
from reporting.performance.meetings import ATTENDANCE_SERIES
from reporting.performance.work import FUNDING_SERIES, TASK_SERIES

# A bar per institution: beyond a few dozen the chart is unreadable, the table says it all.
CHART_INSTITUTIONS = 25


def short_labels(objects) -> dict:
    """Unique labels for bars: the acronym where it is unique, the name otherwise."""
    objects = list(objects)
    acronyms = defaultdict(int)
    for obj in objects:
        if obj.acronym:
            acronyms[obj.acronym] += 1
    return {
        obj.pk: obj.acronym if obj.acronym and acronyms[obj.acronym] == 1 else obj.name
        for obj in objects
    }


def meetings_chart(section: dict) -> charts.BarChart:
    rows = section["rows"]
    labels = short_labels(row["body"] for row in rows)
    series = [
        ("expected", _("Expected")),
        ("held", _("Held (regular)")),
        ("extraordinary", _("Held (extraordinary)")),
        ("cancelled", _("Cancelled")),
    ]
    return charts.grouped_bars(
        categories=[labels[row["body"].pk] for row in rows],
        series=series,
        values={(labels[row["body"].pk], key): row[key] for row in rows for key, _label in series},
        title=_("Meetings held against the regular frequency"),
        unit=_("meetings"),
    )


def attendance_chart(section: dict) -> tuple[charts.BarChart, int]:
    """The institutions with the least consistent representation (at most
    ``CHART_INSTITUTIONS``), in name order; and how many are shown."""
    seated = [row for row in section["rows"] if row["meetings"]]
    worst = sorted(seated, key=lambda r: (r["consistency"], r["institution"].name))
    shown = sorted(worst[:CHART_INSTITUTIONS], key=lambda r: r["institution"].name)
    labels = short_labels(row["institution"] for row in shown)
    chart = charts.stacked_bars(
        categories=[labels[row["institution"].pk] for row in shown],
        series=[(str(key), label) for key, label in ATTENDANCE_SERIES],
        values={
            (labels[row["institution"].pk], str(key)): row["by_key"][key]
            for row in shown
            for key, _label in ATTENDANCE_SERIES
        },
        title=_("How each institution was represented"),
        unit=_("meetings"),
    )
    return chart, len(shown)


def tasks_chart(section: dict) -> charts.BarChart:
    rows = section["rows"]
    return charts.stacked_bars(
        categories=[row["label"] for row in rows],
        series=TASK_SERIES,
        values={(row["label"], key): row[key] for row in rows for key, _label in TASK_SERIES},
        title=_("Tasks due in the year"),
        unit=_("tasks"),
    )


def budget_chart(section: dict) -> charts.BarChart:
    rows = section["rows"]
    return charts.stacked_bars(
        categories=[row["currency"] for row in rows],
        series=[(str(key), label) for key, label in FUNDING_SERIES],
        values={
            (row["currency"], str(key)): row["by_key"][key]
            for row in rows
            for key, _label in FUNDING_SERIES
        },
        title=_("Task budgets by funding source"),
        unit=_("amount"),
        value_unit="",
    )


def datasets_chart(section: dict) -> charts.BarChart:
    by_type = section["by_type"]
    series = [
        ("uploaded", _("Uploaded")),
        ("submitted", _("Submitted")),
        ("accepted", _("Accepted")),
    ]
    return charts.grouped_bars(
        categories=list(by_type),
        series=series,
        values={(t, key): by_type[t][key] for t in by_type for key, _label in series},
        title=_("Dataset versions by type"),
        unit=_("versions"),
    )


def add_charts(report: dict) -> dict:
    """The report with a ``chart`` in each section that has one."""
    report["meetings"]["chart"] = meetings_chart(report["meetings"])
    chart, shown = attendance_chart(report["attendance"])
    report["attendance"].update(
        chart=chart,
        charted=shown,
        chart_limited=sum(1 for row in report["attendance"]["rows"] if row["meetings"]) > shown,
    )
    report["tasks"]["chart"] = tasks_chart(report["tasks"])
    report["budget"]["chart"] = budget_chart(report["budget"])
    report["datasets"]["chart"] = datasets_chart(report["datasets"])
    return report
