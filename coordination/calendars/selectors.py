"""The calendar's entries: meetings, external events and every app's dated deadlines."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from coordination.models import Body, ExternalEvent, Meeting, start_of
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


def calendar_entries(
    start: datetime.date, end: datetime.date, *, body: Body | None = None, convention=None
) -> list[CalendarEntry]:
    """Meetings, external events and every provider's deadlines between two dates."""
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
        CalendarEntry("meeting", f"{m.body.acronym or m.body.name}: {m.title}", m.start,
                      m.get_absolute_url(), False, m.body_id)
        for m in meetings
    ] + [CalendarEntry("event", e.title, e.start, e.url or "", False) for e in events]  # fmt: skip
    if convention is None:
        for kind in deadlines.kinds():
            if kind.calendar is None:
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
                    )  # fmt: skip
                )
    return sorted(entries, key=lambda e: (e.day, e.all_day is False, e.title))
