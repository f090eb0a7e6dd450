"""The calendar's entries: meetings, external events and every app's dated deadlines."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from coordination import permissions as perms
from coordination.models import Body, ExternalEvent, Meeting, Membership, Task, start_of
from ncm_portal import deadlines


@dataclass
class CalendarEntry:
    kind: str  # "meeting", "event" or a deadline kind
    title: str
    start: datetime.datetime | datetime.date
    url: str
    all_day: bool
    body_id: int | None = None

    @property
    def day(self) -> datetime.date:
        if isinstance(self.start, datetime.datetime):
            return timezone.localtime(self.start).date()
        return self.start


# The personal feed carries the registered deadlines due up to this many days ahead.
FEED_DAYS_AHEAD = 730


def _refuses(kind: deadlines.DeadlineKind, user) -> bool:
    """Whether the kind says ``user`` may not see its deadlines (a kind that says nothing
    refuses no one)."""
    return kind.visible_to is not None and not kind.visible_to(user)


def registered_deadlines(
    start: datetime.date, end: datetime.date, *, body: Body | None = None, user=None
) -> list[deadlines.Deadline]:
    """Every registered kind's calendar deadlines between two dates (the apps above register
    them in ``ncm_portal.deadlines``): with ``user``, those of the kinds that say ``user`` may
    see them (``DeadlineKind.visible_to``) only."""
    found = []
    for kind in deadlines.kinds():
        if kind.calendar is None or (
            user is not None and (kind.visible_to is None or _refuses(kind, user))
        ):
            continue
        found.extend(kind.calendar(start, end, body))
    return found


def calendar_entries(
    start: datetime.date,
    end: datetime.date,
    *,
    body: Body | None = None,
    convention=None,
    user=None,
) -> list[CalendarEntry]:
    """Meetings, external events and every provider's deadlines between two dates (with
    ``user``, leaving out the kinds of deadline that refuse them)."""
    lo, hi = start_of(start), start_of(end + datetime.timedelta(days=1))
    meetings = (
        Meeting.objects.filter(start__lt=hi, end__gte=lo)
        .exclude(status=Meeting.Status.CANCELLED)
        .select_related("body")
    )
    events = ExternalEvent.objects.filter(start__lt=hi, end__gte=lo)
    if body is not None:
        meetings = meetings.filter(body=body)
        events = events.none()
    if convention is not None:
        meetings = meetings.filter(body__conventions=convention).distinct()
        events = events.filter(conventions=convention).distinct()
    entries = [
        CalendarEntry(
            "meeting",
            f"{m.body.acronym or m.body.name}: {m.title}",
            m.start,
            m.get_absolute_url(),
            False,
            m.body_id,
        )
        for m in meetings
    ] + [CalendarEntry("event", e.title, e.start, e.url or "", False) for e in events]
    if convention is None:
        for kind in deadlines.kinds():
            if kind.calendar is None:
                continue
            if user is not None and _refuses(kind, user):
                continue
            for deadline in kind.calendar(start, end, body):
                entries.append(
                    CalendarEntry(
                        kind.kind,
                        deadline.title,
                        deadline.due,
                        deadline.url,
                        True,
                        deadline.context.get("body_id"),
                    )
                )
    return sorted(entries, key=lambda e: (e.day, e.all_day is False, e.title))


@dataclass
class CalendarDay:
    """One day of the month's grid: its meetings and events, and its deadlines (counted in the
    grid, listed on demand)."""

    timed: list[CalendarEntry] = field(default_factory=list)
    deadlines: list[CalendarEntry] = field(default_factory=list)


def calendar_days(entries: list[CalendarEntry]) -> dict[datetime.date, CalendarDay]:
    """``entries`` by day, each day's meetings and events apart from its deadlines."""
    days: dict[datetime.date, CalendarDay] = {}
    for entry in entries:
        day = days.setdefault(entry.day, CalendarDay())
        (day.timed if entry.kind in ("meeting", "event") else day.deadlines).append(entry)
    return days


def hidden_kinds(user) -> str:
    """The kinds of registered deadline that refuse ``user`` (``DeadlineKind.visible_to``), as
    one key: two readers with the same key see the same calendar for the same filters."""
    return ",".join(
        sorted(
            kind.kind
            for kind in deadlines.kinds()
            if kind.calendar is not None and _refuses(kind, user)
        )
    )


def lazy_month(first, last, weeks, *, body=None, convention=None, user=None) -> dict:
    """The calendar page's entries between ``first`` and ``last``: as a list, by day
    (``days``), and as the month's ``weeks`` of (day, CalendarDay); each read when first used,
    so that a page whose month comes from the cache reads none of them."""
    loaded = {}

    def load() -> dict:
        if not loaded:
            entries = calendar_entries(first, last, body=body, convention=convention, user=user)
            days = calendar_days(entries)
            empty = CalendarDay()
            loaded.update(
                entries=entries,
                days=sorted(days.items()),
                weeks=[[(day, days.get(day, empty)) for day in week] for week in weeks],
            )
        return loaded

    return {
        name: SimpleLazyObject(lambda name=name: load()[name])
        for name in ("entries", "days", "weeks")
    }


@dataclass
class FeedEntries:
    """What a personal calendar feed carries, in the shapes ``ical.feed`` takes."""

    meetings: QuerySet
    events: QuerySet
    deadlines: list[deadlines.Deadline]  # the person's own open tasks
    # The registered deadlines the calendar page shows (national report rounds, NIP steps and
    # transmissions, obligations under the conventions) that the person may see.
    registry: list[deadlines.Deadline] = field(default_factory=list)

    @property
    def every_deadline(self) -> list[deadlines.Deadline]:
        return [*self.deadlines, *self.registry]


def feed_entries_for(user, *, since: datetime.datetime) -> FeedEntries:
    """What ``user``'s personal feed shows from ``since`` on.

    The secretariat sees every body's meetings, as on the calendar page; cancelled ones stay in
    so that subscribed calendars mark them cancelled. Anyone else sees only the meetings of the
    bodies their institution sits in today: a body it has left no longer sends it its meetings
    (nor their venue and online link). Everyone sees the external events, and the open tasks
    assigned to them or led by their institution, and the registered deadlines (from 90 days
    back to two years ahead) of the kinds that say they may see them."""
    meetings = Meeting.objects.filter(end__gte=since).select_related("body")
    person = getattr(user, "person", None)
    if not perms.is_secretariat(user):
        seats = Membership.objects.current().filter(
            institution_id=person.institution_id if person else None
        )
        meetings = meetings.filter(body__in=Body.objects.filter(pk__in=seats.values("body_id")))
    tasks = Task.objects.none()
    if person is not None:
        tasks = Task.objects.exclude(status__in=Task.CLOSED).filter(
            Q(assignee=person) | Q(lead_institution_id=person.institution_id)
        )
    return FeedEntries(
        meetings=meetings,
        events=ExternalEvent.objects.filter(end__gte=since),
        deadlines=[
            deadlines.Deadline(
                "task_due", f"task:{t.pk}", t.due_date, t.title, t.get_absolute_url(), ()
            )
            for t in tasks
        ],
        registry=registered_deadlines(
            timezone.localtime(since).date(),
            timezone.localdate() + datetime.timedelta(days=FEED_DAYS_AHEAD),
            user=user,
        ),
    )
