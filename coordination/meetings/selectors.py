"""Reads for meeting pages: quorum, the meeting with its papers, the joining window, and how
regularly a body meets and who attends."""

import datetime
import math
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import F, Func, Prefetch, Q, Subquery
from django.shortcuts import get_object_or_404
from django.utils import timezone

from coordination.documents.selectors import documents_visible_to
from coordination.meetings.services import invitees
from coordination.models import (
    AgendaItem,
    Attendance,
    Body,
    Meeting,
    Membership,
    Minutes,
    Reply,
    start_of,
)


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
    attendance = {a.institution_id: a for a in meeting.attendance.select_related("person")}
    rows = attendance_rows(meeting, invited, attendance)
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


def attendance_rows(meeting: Meeting, invited=None, attendance=None) -> list[dict]:
    """The attendance sheet's rows: each member institution at the meeting's date (``membership``),
    its ``attendance`` recorded or None, and its ``representatives`` invited. ``invited`` and
    ``attendance`` (by institution) are read here unless the caller has them."""
    invited = invited if invited is not None else invitees(meeting)
    on = timezone.localtime(meeting.start).date()
    members = list(
        Membership.objects.current(on)
        .filter(body=meeting.body)
        .select_related("institution")
        .order_by("institution__name")
    )
    if attendance is None:
        attendance = {a.institution_id: a for a in meeting.attendance.select_related("person")}
    by_institution = defaultdict(list)
    for designation in invited:
        by_institution[designation.institution_id].append(designation)
    return [
        {
            "membership": m,
            "attendance": attendance.get(m.institution_id),
            "representatives": by_institution[m.institution_id],
        }
        for m in members
    ]


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
