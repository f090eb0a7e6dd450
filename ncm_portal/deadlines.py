"""The deadline registry. Apps register providers in ``AppConfig.ready()``; the reminder engine
(coordination.reminders) asks every provider for its open deadlines and reminds the people
concerned at each kind's lead times."""

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


_registry: dict[str, DeadlineKind] = {}


def register(kind: DeadlineKind) -> None:
    """Register (or replace, on reload) the provider of one kind of deadline."""
    _registry[kind.kind] = kind


def kinds() -> list[DeadlineKind]:
    return list(_registry.values())


def get(kind: str) -> DeadlineKind:
    return _registry[kind]


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
