"""Meetings' deadlines: replies awaited, meetings coming up, minutes awaiting approval."""

import datetime
import zoneinfo

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coordination.models import Meeting, Minutes, Reply, start_of
from ncm_portal.deadlines import Deadline, DeadlineKind, rows


def meetings_ahead(on: datetime.date):
    """Convened meetings in the coming week: each invitee with an account is reminded."""
    from coordination.meetings.services import invitees

    horizon = start_of(on + datetime.timedelta(days=8))
    meetings = Meeting.objects.filter(
        status=Meeting.Status.CONVENED, start__gte=timezone.now(), start__lt=horizon
    ).select_related("body")
    for meeting in meetings:
        users = {d.person.user_id for d in invitees(meeting) if d.person.user_id}
        if users:
            yield Deadline(
                kind="meeting_ahead",
                key=f"meeting:{meeting.pk}",
                due=timezone.localtime(meeting.start, meeting.zone).date(),
                title=meeting.title,
                url=meeting.get_absolute_url(),
                recipient_ids=tuple(sorted(users)),
                context={"body": meeting.body.name, "meeting_start": meeting.start},
            )


def representing(me, body_id: int, start: datetime.datetime) -> bool:
    """Whether this person's designation to the body holds on the meeting's day (as
    ``invitees`` counts them)."""
    day = timezone.localtime(start).date()
    return any(
        d.body_id == body_id and d.start_date <= day and (d.end_date is None or d.end_date > day)
        for d in me.representations
    )


def seated(me, on: datetime.date, body="body_id"):
    """The body has an institution this person represents among its current members (as
    ``invitees`` asks)."""
    from coordination.models import Membership

    institutions = {d.institution_id for d in me.representations}
    members = Membership.objects.current(on).filter(institution_id__in=institutions)
    return Exists(members.filter(body_id=OuterRef(body)))


def _reply_deadline(pk, title, start, end, time_zone, body, recipients, person_id=None) -> Deadline:
    return Deadline(
        kind="meeting_reply",
        key=f"meeting-reply:{pk}:{start.isoformat()}",
        due=timezone.localtime(start, zoneinfo.ZoneInfo(time_zone)).date(),
        title=title,
        url=reverse("coordination:meeting-detail", args=[pk]) + "#reply",
        recipient_ids=recipients,
        context={
            "body": body,
            "meeting_start": start,
            "meeting_end": end,
            "time_zone": time_zone,
            "meeting_id": pk,
            "person_id": person_id,
        },
    )


def meetings_awaiting_reply(on: datetime.date):
    """Convened meetings still ahead: the invitees with an account who have not replied for
    the meeting's present date."""
    from coordination.meetings.services import invitees

    meetings = Meeting.objects.filter(
        status=Meeting.Status.CONVENED, start__gte=timezone.now()
    ).select_related("body")
    for meeting in meetings:
        replied = set(
            Reply.objects.filter(meeting=meeting, for_start=meeting.start).values_list(
                "person_id", flat=True
            )
        )
        users = {
            d.person.user_id
            for d in invitees(meeting)
            if d.person.user_id and d.person_id not in replied
        }
        if users:
            yield _reply_deadline(
                meeting.pk,
                meeting.title,
                meeting.start,
                meeting.end,
                meeting.time_zone,
                meeting.body.name,
                tuple(sorted(users)),
            )


def meeting_reply_rows(me, on: datetime.date):
    if me.person_id is None or not me.representations:
        return None
    meetings = Meeting.objects.filter(
        seated(me, on),
        status=Meeting.Status.CONVENED,
        start__gte=timezone.now(),
        body_id__in={d.body_id for d in me.representations},
    ).exclude(
        Exists(
            Reply.objects.filter(
                meeting=OuterRef("pk"), for_start=OuterRef("start"), person_id=me.person_id
            )
        )
    )
    return rows(
        meetings,
        "meeting_reply",
        id1="pk",
        id2="body_id",
        moment="start",
        moment2="end",
        text1="title",
        text2="body__name",
        text3="time_zone",
    )


def meeting_replies_from_rows(me, on: datetime.date, found):
    for row in found:
        if representing(me, row["id2"], row["moment"]):
            yield _reply_deadline(
                row["id1"],
                row["text1"],
                row["moment"],
                row["moment2"],
                row["text3"],
                row["text2"],
                (me.user_id,),
                me.person_id,
            )


def minutes_awaiting_approval(on: datetime.date):
    """Circulated minutes: the secretariat serving the body is reminded until they are
    approved (within a month of circulation, then weekly)."""
    from coordination.registry.services import body_secretariat

    for minutes in Minutes.objects.filter(status=Minutes.Status.CIRCULATED).select_related(
        "meeting__body"
    ):
        users = [u.pk for u in body_secretariat(minutes.meeting.body) if u.is_active]
        if users:
            meeting = minutes.meeting
            yield _minutes_deadline(
                minutes.pk,
                minutes.circulated_at,
                meeting.pk,
                meeting.title,
                meeting.body.name,
                minutes.version,
                tuple(sorted(users)),
            )


def _minutes_deadline(pk, circulated_at, meeting_id, title, body, version, recipients):
    return Deadline(
        kind="minutes_approval",
        key=f"minutes:{pk}",
        due=timezone.localtime(circulated_at).date() + datetime.timedelta(days=30),
        title=title,
        url=reverse("coordination:meeting-detail", args=[meeting_id]),
        recipient_ids=recipients,
        context={"body": body, "version": version},
    )


def minutes_rows(me, on: datetime.date):
    if not me.served_body_ids:
        return None
    minutes = Minutes.objects.filter(
        status=Minutes.Status.CIRCULATED, meeting__body_id__in=me.served_body_ids
    )
    return rows(
        minutes,
        "minutes_approval",
        id1="pk",
        id2="meeting_id",
        id3="version",
        moment="circulated_at",
        text1="meeting__title",
        text2="meeting__body__name",
    )


def minutes_from_rows(me, on: datetime.date, found):
    for row in found:
        yield _minutes_deadline(
            row["id1"],
            row["moment"],
            row["id2"],
            row["text1"],
            row["text2"],
            row["id3"],
            (me.user_id,),
        )


MEETING_REPLY = DeadlineKind(
    "meeting_reply",
    _("Meetings awaiting your reply"),
    meetings_awaiting_reply,
    lead_days=(2,),
    overdue_every_days=None,
    person_rows=meeting_reply_rows,
    from_rows=meeting_replies_from_rows,
)

# Not on the home page, which lists the reply awaited and the papers unread instead: a
# meeting one has answered needs nothing more until it starts.
MEETING_AHEAD = DeadlineKind(
    "meeting_ahead",
    _("Meetings coming up"),
    meetings_ahead,
    lead_days=(7, 1),
    overdue_every_days=None,
)

MINUTES_APPROVAL = DeadlineKind(
    "minutes_approval",
    _("Minutes awaiting approval"),
    minutes_awaiting_approval,
    lead_days=(7, 0),
    person_rows=minutes_rows,
    from_rows=minutes_from_rows,
)
