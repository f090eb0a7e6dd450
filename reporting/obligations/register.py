"""The obligations register: read from ``reference/obligations.json`` (its sources are in
``reference/README.md``). Each entry says what a Party owes under one convention, under which
article, on what schedule, who in the registry answers for it, and whether its dates could be
confirmed from a source."""

import calendar
import datetime
import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

DATA_FILE = Path(__file__).resolve().parent.parent / "reference" / "obligations.json"

# Schedules: instances worked out by the portal (annual, dated), opened by an event recorded by
# the secretariat (event), or read from the machinery that already carries them (modelled).
ANNUAL, DATED, EVENT, MODELLED = "annual", "dated", "event", "modelled"
# The period an annual obligation reports on: the calendar year before the one it is due in.
PREVIOUS_CALENDAR_YEAR = "previous_calendar_year"
PLAN_YEARS = 2  # the planner plans the instances due up to two years ahead...
PLAN_PAST_DAYS = 365  # ...and those due in the past year


def plan_window(on: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The first and last due dates the planner covers on ``on``."""
    return on - datetime.timedelta(days=PLAN_PAST_DAYS), add_months(on, 12 * PLAN_YEARS)


@dataclass(frozen=True)
class DatedInstance:
    label: str
    period_start: datetime.date
    period_end: datetime.date
    due: datetime.date
    confirmed: bool
    source: str


@dataclass(frozen=True)
class Obligation:
    code: str
    convention: str
    kind: str
    title: str
    article: str
    rule: str
    schedule: str
    responsible_role: str
    confirmed: bool
    source: str
    modelled_by: str = ""
    due_month: int = 12
    due_day: int = 31
    trigger: str = ""
    months_after: int | None = None
    days_after: int | None = None
    instances: tuple[DatedInstance, ...] = field(default_factory=tuple)
    period: str = ""

    def annual_period(self, year: int) -> tuple[datetime.date, datetime.date, datetime.date]:
        """For an annual obligation: the start, end and due date of the instance reporting on
        calendar year ``year``, by the register's rule (its ``period``, ``due_month`` and
        ``due_day``)."""
        due_year = year + 1 if self.period == PREVIOUS_CALENDAR_YEAR else year
        return (
            datetime.date(year, 1, 1),
            datetime.date(year, 12, 31),
            datetime.date(due_year, self.due_month, self.due_day),
        )

    def annual_years(self, first: datetime.date, last: datetime.date) -> list[int]:
        """The calendar years reported on by the instances of an annual obligation due from
        ``first`` to ``last``."""
        return [
            year
            for year in range(first.year - 1, last.year + 1)
            if first <= self.annual_period(year)[2] <= last
        ]

    def due_after(self, day: datetime.date) -> datetime.date:
        """For an obligation opened by an event: the date due after the event on ``day``."""
        if self.days_after is not None:
            return day + datetime.timedelta(days=self.days_after)
        if self.months_after is not None:
            return add_months(day, self.months_after)
        raise ValueError(f"{self.code} is not opened by an event")


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` later, or that month's last day where it has fewer days."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _dated(row: dict) -> DatedInstance:
    return DatedInstance(
        label=row["label"],
        period_start=datetime.date.fromisoformat(row["period_start"]),
        period_end=datetime.date.fromisoformat(row["period_end"]),
        due=datetime.date.fromisoformat(row["due"]),
        confirmed=bool(row.get("confirmed", False)),
        source=row.get("source", ""),
    )


@cache
def obligations() -> dict[str, Obligation]:
    """Every obligation of the register, by code, in the register's order."""
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    found = {}
    for row in data["obligations"]:
        found[row["code"]] = Obligation(
            code=row["code"],
            convention=row["convention"],
            kind=row["kind"],
            title=row["title"],
            article=row["article"],
            rule=row["rule"],
            schedule=row["schedule"],
            responsible_role=row.get("responsible_role", ""),
            confirmed=bool(row.get("confirmed", False)),
            source=row.get("source", ""),
            modelled_by=row.get("modelled_by", ""),
            due_month=row.get("due_month", 12),
            due_day=row.get("due_day", 31),
            trigger=row.get("trigger", ""),
            months_after=row.get("months_after"),
            days_after=row.get("days_after"),
            instances=tuple(_dated(r) for r in row.get("instances", [])),
            period=row.get("period", ""),
        )
    return found


def get(code: str) -> Obligation:
    return obligations()[code]


def for_convention(convention: str) -> list[Obligation]:
    return [o for o in obligations().values() if o.convention == convention]


def choices() -> list[tuple[str, str]]:
    return [(o.code, o.title) for o in obligations().values()]
