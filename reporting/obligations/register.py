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
        )
    return found


def get(code: str) -> Obligation:
    return obligations()[code]


def for_convention(convention: str) -> list[Obligation]:
    return [o for o in obligations().values() if o.convention == convention]


def choices() -> list[tuple[str, str]]:
    return [(o.code, o.title) for o in obligations().values()]
