"""Reads for meetings, the document library and the calendar."""

import datetime
import math
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import F, Func, Prefetch, Q, Subquery
from django.shortcuts import get_object_or_404
from django.utils import timezone

from coordination.models import (
    AgendaItem,
    Attendance,
    Body,
    Document,
    ExternalEvent,
    Meeting,
    Membership,
    Minutes,
    Reply,
    start_of,
)
from coordination.services.meetings import invitees
from ncm_portal import deadlines


@dataclass
class Quorum:
    members: int
    present: int
    required: int

    @property
    def met(self) -> bool:
        return self.members > 0 and self.present >= self.required


def quorum(meeting: Meeting, attendance=None) -> Quorum:
    """The body's rule: a share of its voting member institutions present (by their principal,
    alternate or a named stand-in)."""
    on = timezone.localtime(meeting.start).date()
    voting = set(
        Membership.objects.current(on)
        .filter(body=meeting.body)
        .exclude(role=Membership.Role.OBSERVER)
        .values_list("institution_id", flat=True)
    )
    rows = attendance if attendance is not None else meeting.attendance.all()
    present = sum(1 for row in rows if row.present and row.institution_id in voting)
    required = math.ceil(float(meeting.body.quorum_share) * len(voting)) if voting else 0
    return Quorum(members=len(voting), present=present, required=required)


def meeting_detail(*, pk: int, user) -> dict:
    meeting = get_object_or_404(Meeting.objects.select_related("body", "created_by"), pk=pk)
    visible = documents_visible_to(user)
    agenda = list(
        AgendaItem.objects.filter(meeting=meeting)
        .select_related("presenter")
        .prefetch_related(Prefetch("documents", queryset=visible, to_attr="visible_documents"))
    )
    invited = list(invitees(meeting))
    replies = {
        r.person_id: r for r in Reply.objects.filter(meeting=meeting, for_start=meeting.start)
    }
    for designation in invited:
        designation.reply = replies.get(designation.person_id)
    on = timezone.localtime(meeting.start).date()
    members = list(
        Membership.objects.current(on)
        .filter(body=meeting.body)
        .select_related("institution")
        .order_by("institution__name")
    )
    attendance = {a.institution_id: a for a in meeting.attendance.select_related("person")}
    by_institution = defaultdict(list)
    for designation in invited:
        by_institution[designation.institution_id].append(designation)
    rows = [
        {
            "membership": m,
            "attendance": attendance.get(m.institution_id),
            "representatives": by_institution[m.institution_id],
        }
        for m in members
    ]
    # The meeting's own papers and those attached to its agenda items.
    documents = list(visible.filter(Q(meeting=meeting) | Q(agenda_item__meeting=meeting)))
    minutes = list(
        Minutes.objects.filter(meeting=meeting).prefetch_related(
            "items__agenda_item", "items__actions__lead_institution", "items__actions__task"
        )
    )
    my_invitations = [d for d in invited if d.person.user_id == user.pk]
    return {
        "meeting": meeting,
        "agenda": agenda,
        "invited": invited,
        "rows": rows,
        "quorum": quorum(meeting, attendance.values()),
        "documents": documents,
        "minutes": minutes,
        "current_minutes": minutes[0] if minutes else None,
        "my_invitations": my_invitations,
        "replies_count": len(replies),
    }


def join_window(meeting: Meeting, now: datetime.datetime | None = None) -> bool:
    """The "join online" button shows from 30 minutes before the start until the end."""
    now = now or timezone.now()
    return (
        bool(meeting.online_link)
        and meeting.status == Meeting.Status.CONVENED
        and meeting.start - datetime.timedelta(minutes=30) <= now <= meeting.end
    )


# --- The body's rhythm ------------------------------------------------------------------------


def body_regularity(body: Body, on: datetime.date | None = None) -> dict:
    """Meetings held in the last twelve months against the body's regular frequency, and
    whether the next one is overdue."""
    on = on or timezone.localdate()
    held = list(
        Meeting.objects.filter(
            body=body, status__in=[Meeting.Status.HELD, Meeting.Status.MINUTES_APPROVED]
        )
        .order_by("-start")
        .values_list("start", flat=True)
    )
    year_ago = start_of(on - datetime.timedelta(days=365))
    last = held[0] if held else None
    interval = datetime.timedelta(days=365 / max(body.meetings_per_year, 1))
    overdue = last is None or timezone.localtime(last).date() + interval < on
    return {
        "held_last_year": sum(1 for s in held if s >= year_ago),
        "expected": body.meetings_per_year,
        "last": last,
        "overdue": overdue and body.meetings_per_year > 0,
        "next_due": (timezone.localtime(last).date() + interval) if last else None,
    }


def body_participation(body: Body) -> list[dict]:
    """Per institution: share of held meetings attended, and by whom (principal or not)."""
    held = Meeting.objects.filter(
        body=body, status__in=[Meeting.Status.HELD, Meeting.Status.MINUTES_APPROVED]
    )
    # One query: each attendance row carries the number of meetings held.
    held_count = held.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    counts = defaultdict(lambda: defaultdict(int))
    names = {}
    rows = (
        Attendance.objects.filter(meeting__in=held.values("pk"))
        .annotate(meetings_held=Subquery(held_count))
        .values_list("institution_id", "institution__name", "presence", "meetings_held")
    )
    meetings = 0
    for institution_id, name, presence, held_so_far in rows:
        counts[institution_id][presence] += 1
        names[institution_id] = name
        meetings = held_so_far
    result = []
    for institution_id, by_presence in counts.items():
        present = sum(by_presence[p] for p in Attendance.PRESENT)
        result.append(
            {
                "institution": names[institution_id],
                "institution_id": institution_id,
                "meetings": meetings,
                "attended": present,
                "share": round(100 * present / meetings),
                "principal": by_presence[Attendance.Presence.PRINCIPAL],
                "alternate": by_presence[Attendance.Presence.ALTERNATE],
                "stand_in": by_presence[Attendance.Presence.STAND_IN],
            }
        )
    return sorted(result, key=lambda row: (row["share"], row["institution"]))


# --- Documents --------------------------------------------------------------------------------


def documents_visible_to(user, queryset=None):
    """The documents this user may see, in one query."""
    from coordination.permissions import is_secretariat

    queryset = queryset if queryset is not None else Document.objects.all()
    if is_secretariat(user):
        return queryset
    person = getattr(user, "person", None)
    visible = Q(audience=Document.Audience.SIGNED_IN)
    if person is not None:
        bodies = Membership.objects.current().filter(institution_id=person.institution_id)
        body_ids = bodies.values("body_id")
        visible |= Q(audience=Document.Audience.BODY_MEMBERS) & (
            Q(body__in=body_ids)
            | Q(meeting__body__in=body_ids)
            | Q(agenda_item__meeting__body__in=body_ids)
            | Q(ballot__body__in=body_ids)
        )
    return queryset.filter(visible)


# --- Calendar ---------------------------------------------------------------------------------


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
