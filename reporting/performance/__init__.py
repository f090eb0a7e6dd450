"""The mechanism's performance report: figures for one calendar year, each section computed in
the database with a fixed number of queries however much data there is.

A year runs from 1 January to 31 December in the current (the reader's) time zone. For the year
in progress, figures stop at today: nothing is counted as overdue or vacant in the future.

The report is built section by section: ``period`` (the year, and what every section shares),
``meetings`` (meetings, attendance, vacancies), ``work`` (tasks, progress reports, budgets) and
``decisions`` (datasets, ballots, NIP steps). ``obligations`` (obligations under the conventions
met on time) is computed apart: the page loads it after the rest, the PDF includes it."""

import datetime

from django.utils import timezone

from coordination.models import Institution
from reporting.performance.decisions import ballots_section, datasets_section, nip_steps_section
from reporting.performance.meetings import (
    attendance_section,
    meetings_section,
    vacancies_section,
)
from reporting.performance.period import Period
from reporting.performance.work import budget_section, progress_reports_section, tasks_section


def performance_report(*, year: int, on: datetime.date | None = None) -> dict:
    """Every section of the report for ``year``: figures only (the charts are drawn from them by
    ``reporting.charts_performance``). Thirteen queries at most, whatever the amount of data."""
    period = Period.of(year, on=on)
    institutions = Institution.objects.in_bulk()
    return {
        "period": period,
        "generated_at": timezone.now(),
        "meetings": meetings_section(period),
        "attendance": attendance_section(period, institutions),
        "vacancies": vacancies_section(period),
        "tasks": tasks_section(period),
        "reports": progress_reports_section(period, institutions),
        "budget": budget_section(period),
        "datasets": datasets_section(period),
        "ballots": ballots_section(period),
        "nip_steps": nip_steps_section(period),
    }
