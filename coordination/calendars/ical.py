"""iCalendar (RFC 5545) files and feeds, written with the icalendar library. Times keep their
time zone: each event carries TZID and the calendar the matching VTIMEZONE."""

import datetime

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

PRODID = "-//NCM Portal//Coordination calendar//EN"


def _calendar(method: str | None = None, name: str = "") -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    if method:
        calendar.add("method", method)
    if name:
        calendar.add("x-wr-calname", name)
    return calendar


def _link(path: str) -> str:
    return settings.PORTAL_BASE_URL.rstrip("/") + path


def meeting_event(meeting, *, status: str = "CONFIRMED") -> Event:
    event = Event()
    event.add("uid", meeting.uid)
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", meeting.start.astimezone(meeting.zone))
    event.add("dtend", meeting.end.astimezone(meeting.zone))
    event.add("summary", f"{meeting.body.acronym or meeting.body.name}: {meeting.title}")
    location = ", ".join(p for p in (meeting.venue, meeting.online_link) if p)
    if location:
        event.add("location", location)
    event.add("url", _link(meeting.get_absolute_url()))
    event.add("description", _link(meeting.get_absolute_url()))
    event.add("status", status)
    organizer = vCalAddress(f"mailto:{settings.DEFAULT_FROM_EMAIL.split('<')[-1].strip('> ')}")
    organizer.params["cn"] = vText(meeting.body.name)
    event.add("organizer", organizer)
    return event


def meeting_invitation(meeting, *, cancelled: bool = False) -> bytes:
    """The .ics attached to a notice: METHOD REQUEST (or CANCEL), one event."""
    calendar = _calendar("CANCEL" if cancelled else "REQUEST")
    calendar.add_component(meeting_event(meeting, status="CANCELLED" if cancelled else "CONFIRMED"))
    calendar.add_missing_timezones()
    return calendar.to_ical()


def external_event(event_row) -> Event:
    zone = __import__("zoneinfo").ZoneInfo(event_row.time_zone)
    event = Event()
    event.add("uid", event_row.uid)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", event_row.start.astimezone(zone))
    event.add("dtend", event_row.end.astimezone(zone))
    event.add("summary", event_row.title)
    if event_row.location:
        event.add("location", event_row.location)
    if event_row.url:
        event.add("url", event_row.url)
    return event


def deadline_event(deadline) -> Event:
    """A deadline as an all-day event on its due date."""
    event = Event()
    event.add("uid", f"{deadline.key.replace(':', '-')}-{deadline.due.isoformat()}@ncm-portal")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", deadline.due)
    event.add("dtend", deadline.due + datetime.timedelta(days=1))
    event.add("summary", deadline.title)
    event.add("url", _link(deadline.url))
    event.add("transp", "TRANSPARENT")
    return event


def feed(*, name: str, meetings=(), events=(), deadlines=()) -> bytes:
    calendar = _calendar(name=name)
    for meeting in meetings:
        calendar.add_component(
            meeting_event(
                meeting, status="CANCELLED" if meeting.status == "cancelled" else "CONFIRMED"
            )
        )
    for row in events:
        calendar.add_component(external_event(row))
    for deadline in deadlines:
        calendar.add_component(deadline_event(deadline))
    calendar.add_missing_timezones()
    return calendar.to_ical()
