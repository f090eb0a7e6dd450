"""The deadline registry. Apps register providers in ``AppConfig.ready()``; the reminder engine
(coordination.reminders) asks every provider for its open deadlines and reminds the people
concerned at each kind's lead times.

The home page's "What needs me" list asks each kind the same question for one person: what it
yields there is exactly those of ``provider``'s deadlines that name that person among their
recipients (a test holds every kind to it), read from that person's rows only, and nothing at
all when the person's standing (``me``: their institutions, bodies, designations) says the kind
cannot concern them. A kind answers in one of two ways:

- ``person_rows(me, on)`` returns a queryset shaped by ``rows()`` (or None), and
  ``from_rows(me, on, rows)`` turns its rows into deadlines. Every kind's rows are read together,
  in ONE query (a UNION ALL), so that the page costs the same whatever the number of kinds;
- ``for_person(me, on)`` yields the deadlines itself, with its own query or two, for the few
  kinds whose deadlines are worked out in Python (periods of a submission schedule).

A kind with neither is reminded but not listed. So the page and the reminders always agree, and
the page costs a fixed, small number of queries however large the mechanism.

A kind with a ``calendar`` shows its deadlines on the calendar page; one that also says who may
see them (``visible_to``) is carried, for those it admits, by their personal iCalendar feed."""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Deadline:
    """Something due: what, when, who should hear of it, and where to look."""

    kind: str  # the provider's kind, e.g. "task_due"
    key: str  # stable identity of the thing that is due, e.g. "task:42"
    due: datetime.date  # or a datetime, for kinds reminded hours ahead
    title: str  # in English; the provider's ``describe`` renders it per language
    url: str
    recipient_ids: tuple[int, ...]
    context: dict = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class DeadlineKind:
    kind: str
    label: str  # lazy, translatable: shown in preferences
    provider: Callable[[datetime.date], Iterable[Deadline]]
    lead_days: tuple[int, ...] = (30, 7, 1, 0)
    overdue_every_days: int | None = 7
    # For the calendar: (first day, last day, body or None) -> every deadline in that range,
    # whoever it concerns.
    calendar: Callable[..., Iterable[Deadline]] | None = None
    # For deadlines that are moments rather than days (a ballot closing): hours ahead.
    lead_hours: tuple[int, ...] = ()
    # For the home page (see above): ``me`` is the person's standing, built once per page by
    # coordination.home.
    person_rows: Callable[..., object] | None = None
    from_rows: Callable[..., Iterable[Deadline]] | None = None
    for_person: Callable[..., Iterable[Deadline]] | None = None
    # Who may see this kind's calendar deadlines (the app's own permission predicate, taking a
    # user). The personal iCalendar feed (coordination.calendars) carries a kind's calendar
    # deadlines only to those it admits, and only for kinds that declare it; the calendar page
    # leaves out a kind it refuses.
    visible_to: Callable[..., bool] | None = None


_registry: dict[str, DeadlineKind] = {}


def register(kind: DeadlineKind) -> None:
    """Register (or replace, on reload) the provider of one kind of deadline."""
    _registry[kind.kind] = kind


def kinds() -> list[DeadlineKind]:
    return list(_registry.values())


def get(kind: str) -> DeadlineKind:
    return _registry[kind]


# The columns every kind's person rows share, so that they can be read in one UNION ALL.
ROW_COLUMNS = {
    "id1": "int",
    "id2": "int",
    "id3": "int",
    "day": "date",
    "day2": "date",
    "moment": "datetime",
    "moment2": "datetime",
    "text1": "text",
    "text2": "text",
    "text3": "text",
    "text4": "text",
}


_NULLS: dict = {}


def _nulls() -> dict:
    """A typed NULL for each of ROW_COLUMNS, built once and shared by every branch (an
    expression is copied when a query resolves it), instead of a field and two expressions per
    column and branch on every home page."""
    from django.db import models

    if not _NULLS:
        fields = {
            "int": models.BigIntegerField,
            "date": models.DateField,
            "datetime": models.DateTimeField,
            "text": models.TextField,
        }
        _NULLS.update(
            {
                name: models.functions.Cast(models.Value(None), output_field=fields[type_]())
                for name, type_ in ROW_COLUMNS.items()
            }
        )
    return _NULLS


def rows(queryset, kind: str, **columns):
    """``queryset`` shaped as a kind's person rows: each of ROW_COLUMNS from the expression
    given (a field name or an expression), NULL where none is. Rows come back as dicts keyed by
    the column names, with ``kind``."""
    from django.db import models

    unknown = set(columns) - set(ROW_COLUMNS)
    if unknown:
        raise ValueError(f"Unknown row columns: {sorted(unknown)}")
    nulls = _nulls()
    annotations = {"row_kind": models.Value(kind, output_field=models.TextField())}
    for name in ROW_COLUMNS:
        value = columns.get(name)
        if value is None:  # typed, so that every database matches the branches' columns
            value = nulls[name]
        elif isinstance(value, str):
            value = models.F(value)
        annotations[f"row_{name}"] = value
    return queryset.order_by().values(**annotations)


def _read_rows(querysets) -> dict[str, list[dict]]:
    """Every kind's person rows, in one query."""
    found: dict[str, list[dict]] = {}
    if not querysets:
        return found
    first, *others = querysets
    combined = first.union(*others, all=True) if others else first
    for row in combined:
        values = {name.removeprefix("row_"): value for name, value in row.items()}
        found.setdefault(values["kind"], []).append(values)
    return found


def for_person(me, on: datetime.date) -> list[Deadline]:
    """Every deadline that concerns this person, most urgent first (the earliest due: overdue
    ones lead). Dates count to the end of their day in ``me.zone``."""
    by_rows = [k for k in _registry.values() if k.person_rows is not None]
    querysets = [q for q in (k.person_rows(me, on) for k in by_rows) if q is not None]
    read = _read_rows(querysets)
    found = []
    for kind in _registry.values():
        if kind.person_rows is not None:
            if read.get(kind.kind):
                found.extend(kind.from_rows(me, on, read[kind.kind]))
        elif kind.for_person is not None:
            found.extend(kind.for_person(me, on))
    found = [d for d in found if me.user_id in d.recipient_ids]
    return sorted(found, key=lambda d: (due_moment(d.due, me.zone), d.kind, d.key))


def due_moment(due, zone) -> datetime.datetime:
    """A deadline's due as a moment: a date falls due at the end of that day in ``zone``."""
    if isinstance(due, datetime.datetime):
        return due
    return datetime.datetime.combine(due, datetime.time.max, tzinfo=zone)


def lead_for(
    kind: DeadlineKind, due, on: datetime.date, now: datetime.datetime | None = None
) -> str | None:
    """Which reminder is due on ``on`` for a deadline on ``due``: the most urgent lead time
    already reached ("7d", "0d", or "1h" for moments), a weekly overdue step ("overdue-2w"),
    or None."""
    if isinstance(due, datetime.datetime):
        from django.utils import timezone

        hours_left = (due - (now or timezone.now())).total_seconds() / 3600
        if hours_left <= 0:
            return None
        reached = [lead for lead in kind.lead_hours if lead >= hours_left]
        return f"{min(reached)}h" if reached else None
    days_left = (due - on).days
    if days_left >= 0:
        reached = [lead for lead in kind.lead_days if lead >= days_left]
        return f"{min(reached)}d" if reached else None
    if kind.overdue_every_days:
        weeks = -days_left // kind.overdue_every_days
        return f"overdue-{weeks}w" if weeks >= 1 else None
    return None
