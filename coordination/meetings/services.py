"""Meetings: notice, agenda, replies, attendance, minutes and their actions."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from coordination import permissions as perms
from coordination.models import (
    ActionItem,
    Activity,
    AgendaItem,
    Attendance,
    Body,
    Institution,
    Meeting,
    Membership,
    Minutes,
    MinutesItem,
    Person,
    Reply,
    Task,
    User,
    Workplan,
)
from ncm_portal.services import assign_fields, save_with_history

# Workplan data, kept in the portal's base language like other records.
FOLLOW_UP_ACTIVITY = "Follow-up of meeting decisions"

MEETING_FIELDS = {
    "title",
    "kind",
    "start",
    "end",
    "time_zone",
    "modality",
    "venue",
    "online_link",
    "public",
}


def _check_meeting(meeting: Meeting) -> None:
    if meeting.end <= meeting.start:
        raise ValidationError({"end": _("The meeting must end after it starts.")})
    if meeting.modality in ("online", "hybrid") and not meeting.online_link:
        raise ValidationError({"online_link": _("An online or hybrid meeting needs its link.")})
    if meeting.modality in ("in_person", "hybrid") and not meeting.venue:
        raise ValidationError({"venue": _("A meeting in person needs a venue.")})


@transaction.atomic
def meeting_create(*, actor: User, body: Body, **fields) -> Meeting:
    perms.require(perms.can_manage_body(actor, body))
    meeting = Meeting(body=body, created_by=actor)
    assign_fields(meeting, fields, MEETING_FIELDS)
    _check_meeting(meeting)
    save_with_history(meeting, actor)
    return meeting


def _notice_is_short(meeting: Meeting, now: datetime.datetime) -> bool:
    return meeting.start - now < datetime.timedelta(days=meeting.body.notice_period_days)


@transaction.atomic
def meeting_update(*, actor: User, meeting: Meeting, short_notice_reason: str = "", **fields):
    """Change a meeting. Moving a convened meeting sends the notice again and resets replies
    (replies are kept against the date they answered)."""
    from coordination import tasks

    perms.require(perms.can_manage_body(actor, meeting.body))
    meeting = Meeting.objects.select_for_update().select_related("body").get(pk=meeting.pk)
    if not meeting.can_change():
        raise ValidationError(_("This meeting can no longer be changed."), code="closed")
    moved = ("start" in fields and fields["start"] != meeting.start) or (
        "end" in fields and fields["end"] != meeting.end
    )
    assign_fields(meeting, fields, MEETING_FIELDS)
    _check_meeting(meeting)
    resend = meeting.status == Meeting.Status.CONVENED and moved
    if resend:
        if _notice_is_short(meeting, timezone.now()):
            if not short_notice_reason.strip():
                raise ValidationError(
                    {
                        "short_notice_reason": _(
                            "The new date gives less notice than the body's "
                            "rules ask: give the reason."
                        )
                    },
                    code="short_notice",
                )
            meeting.short_notice_reason = short_notice_reason.strip()
        meeting.sequence += 1
    save_with_history(meeting, actor)
    if resend:
        transaction.on_commit(lambda: tasks.meeting_notice_send.delay(meeting.pk))
    return meeting


@transaction.atomic
def meeting_convene(*, actor: User, meeting: Meeting, short_notice_reason: str = "") -> Meeting:
    """Send the notice, with an .ics, to the principal and alternate of every member."""
    from coordination import tasks

    perms.require(perms.can_manage_body(actor, meeting.body))
    meeting = Meeting.objects.select_for_update().select_related("body").get(pk=meeting.pk)
    if not meeting.can_convene():
        raise ValidationError(_("Only a planned meeting can be convened."), code="not_planned")
    now = timezone.now()
    if meeting.start <= now:
        raise ValidationError(_("The meeting's start has already passed."), code="past")
    if _notice_is_short(meeting, now):
        if not short_notice_reason.strip():
            raise ValidationError(
                {
                    "short_notice_reason": _(
                        "The body asks for %(days)s days' notice; this meeting starts sooner. "
                        "Give the reason, which stays on the record."
                    )
                    % {"days": meeting.body.notice_period_days}
                },
                code="short_notice",
            )
        meeting.short_notice_reason = short_notice_reason.strip()
    meeting.status = Meeting.Status.CONVENED
    meeting.convened_at = now
    save_with_history(meeting, actor)
    transaction.on_commit(lambda: tasks.meeting_notice_send.delay(meeting.pk))
    return meeting


@transaction.atomic
def meeting_cancel(*, actor: User, meeting: Meeting) -> Meeting:
    from coordination import tasks

    perms.require(perms.can_manage_body(actor, meeting.body))
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if not meeting.can_cancel():
        raise ValidationError(_("Only a meeting yet to be held can be cancelled."))
    was_convened = meeting.status == Meeting.Status.CONVENED
    meeting.status = Meeting.Status.CANCELLED
    meeting.sequence += 1
    save_with_history(meeting, actor)
    if was_convened:
        transaction.on_commit(lambda: tasks.meeting_notice_send.delay(meeting.pk))
    return meeting


@transaction.atomic
def meeting_mark_held(*, actor: User, meeting: Meeting) -> Meeting:
    perms.require(perms.can_manage_body(actor, meeting.body))
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if not meeting.can_mark_held(timezone.now()):
        if meeting.status != Meeting.Status.CONVENED:
            raise ValidationError(_("Only a convened meeting can be recorded as held."))
        raise ValidationError(_("The meeting has not started yet."), code="future")
    meeting.status = Meeting.Status.HELD
    save_with_history(meeting, actor)
    return meeting


@transaction.atomic
def agenda_item_add(
    *,
    actor: User,
    meeting: Meeting,
    title: str,
    presenter: Person | None = None,
    expected_outcome: str = AgendaItem.Outcome.DISCUSSION,
    order: int | None = None,
    subject=None,
) -> AgendaItem:
    """Add an item; ``subject`` is what it puts to the body (a NIP step, minutes, a revision),
    which must be one the meeting's body decides."""
    from coordination import decisions

    perms.require(perms.can_manage_body(actor, meeting.body))
    if not meeting.can_change_agenda():
        raise ValidationError(
            _("A cancelled meeting's agenda can no longer change."), code="closed"
        )
    if subject is not None:
        key = decisions.subject_key(subject)
        if (
            not key
            or not type(subject)
            .objects.filter(pk=subject.pk, **{decisions.SUBJECTS[key].body_path: meeting.body})
            .exists()
        ):
            raise ValidationError(
                _("%(body)s does not decide %(subject)s.")
                % {"body": meeting.body, "subject": subject},
                code="other_body",
            )
    if order is None:
        order = (meeting.agenda_items.aggregate(m=Max("order"))["m"] or 0) + 1
    item = AgendaItem(
        meeting=meeting,
        title=title,
        presenter=presenter,
        expected_outcome=expected_outcome,
        order=order,
        subject=subject,
    )
    item.full_clean()
    item.save()
    return item


# --- Replies and attendance -------------------------------------------------------------------


def invitees(meeting: Meeting):
    """The current principal and alternate representatives of the body's member institutions."""
    from coordination.registry.selectors import body_representatives

    return body_representatives(meeting.body, on=timezone.localtime(meeting.start).date())


@transaction.atomic
def reply_record(*, actor: User, meeting: Meeting, person: Person, response: str) -> Reply:
    invited = {d.person_id: d for d in invitees(meeting)}
    if person.pk not in invited:
        raise ValidationError(_("%(person)s is not invited to this meeting.") % {"person": person})
    if not (person.user_id == actor.pk or perms.can_manage_body(actor, meeting.body)):
        raise PermissionDenied
    if not meeting.takes_replies():
        raise ValidationError(_("Replies are taken while the meeting is convened."))
    reply, _created = Reply.objects.update_or_create(
        meeting=meeting,
        person=person,
        for_start=meeting.start,
        defaults={"institution": invited[person.pk].institution, "response": response},
    )
    return reply


class AttendanceSheetInvalid(ValidationError):
    """Some rows of an attendance sheet are refused: ``by_institution`` holds each row's error
    (keyed by the institution's pk, with the row's fields as keys where they apply)."""

    def __init__(self, by_institution: dict[int, ValidationError], names: dict[int, str]):
        self.by_institution = by_institution
        super().__init__(
            [f"{names[pk]}: {' '.join(error.messages)}" for pk, error in by_institution.items()]
        )


def _refuse_field(field: str, message: str, code: str):
    raise ValidationError({field: ValidationError(message, code=code)})


def _attendance_row(meeting, row, *, existing, members, representatives) -> Attendance:
    """The sheet's row for one institution, set and checked but not saved."""
    institution, presence = row["institution"], row["presence"]
    person, name = row.get("person"), (row.get("stand_in_name") or "").strip()
    if institution.pk not in members:
        raise ValidationError(
            _("%(institution)s does not sit in %(body)s.")
            % {"institution": institution, "body": meeting.body},
            code="not_a_member",
        )
    present, stand_in = presence in Attendance.PRESENT, presence == Attendance.Presence.STAND_IN
    if stand_in and person is not None:
        # A stand-in comes from the institution they stand in for, and still works there (or
        # is the one already recorded, who may have left since).
        recorded = existing.get(institution.pk)
        kept = recorded is not None and recorded.person_id == person.pk
        if person.institution_id != institution.pk or not (person.active or kept):
            message = _(
                "%(person)s is not on the staff of %(institution)s: a stand-in comes from the "
                "institution they stand in for."
            )
            _refuse_field(
                "person",
                message % {"person": person, "institution": institution},
                "stand_in_elsewhere",
            )
        if name and name != person.name:
            _refuse_field(
                "stand_in_name", _("Choose a person or type a name, not both."), "stand_in_twice"
            )
        name = person.name
    elif stand_in and not name:
        raise ValidationError({"stand_in_name": _("Name the person standing in.")})
    elif present and person is not None and person.pk not in representatives[institution.pk]:
        message = _("%(person)s does not represent %(institution)s in this body.")
        _refuse_field(
            "person",
            message % {"person": person, "institution": institution},
            "not_a_representative",
        )
    attendance = existing.get(institution.pk)
    if attendance is None:
        attendance = Attendance(meeting=meeting, institution=institution)
    attendance.presence = presence
    attendance.person = person if present else None
    attendance.stand_in_name = name if stand_in else ""
    attendance.mode = row.get("mode", "") if present else ""
    attendance.full_clean(exclude=["meeting", "institution"], validate_constraints=False)
    return attendance


@transaction.atomic
def attendance_sheet_save(*, actor: User, meeting: Meeting, rows) -> list[Attendance]:
    """Record the attendance sheet: all its rows, or none of them.

    Each row is a mapping with ``institution`` and ``presence``, and optionally ``person`` (a
    representative, or the stand-in when the institution's staff includes them), the
    ``stand_in_name`` of a stand-in not in the registry, and ``mode``. Raises
    ``AttendanceSheetInvalid`` with each refused row's error, having saved nothing."""
    perms.require(perms.can_manage_body(actor, meeting.body))
    # Locked, so that the state checked is the state the rows are saved in.
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if not locked.can_take_attendance():
        raise ValidationError(_("Attendance is taken at a convened or held meeting."))
    on = timezone.localtime(locked.start).date()
    members = set(
        Membership.objects.current(on)
        .filter(body=meeting.body)
        .values_list("institution_id", flat=True)
    )
    representatives = {pk: set() for pk in members}
    for designation in invitees(meeting):
        representatives.setdefault(designation.institution_id, set()).add(designation.person_id)
    existing = {a.institution_id: a for a in locked.attendance.all()}
    saved, errors, names, seen = [], {}, {}, set()
    for row in rows:
        institution = row["institution"]
        names[institution.pk] = str(institution)
        try:
            if institution.pk in seen:
                raise ValidationError(
                    _("The sheet has two rows for this institution."), code="duplicate_row"
                )
            seen.add(institution.pk)
            saved.append(
                _attendance_row(
                    locked, row, existing=existing, members=members, representatives=representatives
                )
            )
        except ValidationError as error:
            errors[institution.pk] = error
    if errors:
        raise AttendanceSheetInvalid(errors, names)
    for attendance in saved:
        attendance.save()
    return saved


def attendance_record(
    *,
    actor: User,
    meeting: Meeting,
    institution: Institution,
    presence: str,
    person: Person | None = None,
    stand_in_name: str = "",
    mode: str = "",
) -> Attendance:
    """One institution's row: the sheet with that row alone."""
    row = {
        "institution": institution,
        "presence": presence,
        "person": person,
        "stand_in_name": stand_in_name,
        "mode": mode,
    }
    return attendance_sheet_save(actor=actor, meeting=meeting, rows=[row])[0]


# --- Minutes ----------------------------------------------------------------------------------


def _latest_minutes(meeting: Meeting) -> Minutes | None:
    return meeting.minutes.order_by("-version").first()


@transaction.atomic
def minutes_open(*, actor: User, meeting: Meeting) -> Minutes:
    """The draft to write in: the current draft, or a new version (copied from the last one,
    whose approval it voids) when the last one is locked."""
    perms.require(perms.can_manage_body(actor, meeting.body))
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if not meeting.can_write_minutes():
        raise ValidationError(_("Minutes are written once the meeting is held."), code="not_held")
    latest = _latest_minutes(meeting)
    if latest is not None and not latest.locked:
        return latest
    minutes = Minutes.objects.create(meeting=meeting, version=(latest.version + 1) if latest else 1)
    previous = (
        {i.agenda_item_id: i for i in latest.items.prefetch_related("actions")} if latest else {}
    )
    for agenda_item in meeting.agenda_items.all():
        old = previous.get(agenda_item.pk)
        item = MinutesItem.objects.create(
            minutes=minutes,
            agenda_item=agenda_item,
            summary=old.summary if old else "",
            decisions=old.decisions if old else "",
        )
        for action in old.actions.all() if old else []:
            ActionItem.objects.create(
                minutes_item=item,
                title=action.title,
                lead_institution=action.lead_institution,
                due_date=action.due_date,
                task=action.task,
            )
    if latest is not None and latest.status == Minutes.Status.APPROVED:
        latest.status = Minutes.Status.REPLACED
        latest.save(update_fields=["status"])
        meeting.status = Meeting.Status.HELD
        save_with_history(meeting, actor)
    return minutes


def _editable(minutes: Minutes) -> None:
    if minutes.locked:
        raise ValidationError(
            _("Approved minutes are locked: open a new version to change them."), code="locked"
        )


@transaction.atomic
def minutes_item_update(*, actor: User, item: MinutesItem, summary: str, decisions: str):
    minutes = (
        Minutes.objects.select_for_update().select_related("meeting__body").get(pk=item.minutes_id)
    )
    perms.require(perms.can_manage_body(actor, minutes.meeting.body))
    _editable(minutes)
    item.summary, item.decisions = summary, decisions
    item.save(update_fields=["summary", "decisions"])
    return item


def _follow_up_activity(body: Body, due: datetime.date) -> Activity:
    workplan = (
        Workplan.objects.filter(body=body, period_start__lte=due, period_end__gte=due)
        .order_by("-period_start")
        .first()
    )
    if workplan is None:
        raise ValidationError(
            {
                "due_date": _("%(body)s has no workplan covering %(date)s: create one first.")
                % {"body": body, "date": due}
            },
            code="no_workplan",
        )
    activity, _created = Activity.objects.get_or_create(
        workplan=workplan,
        title=FOLLOW_UP_ACTIVITY,
        defaults={"order": 999},
    )
    return activity


@transaction.atomic
def action_item_add(
    *,
    actor: User,
    item: MinutesItem,
    title: str,
    lead_institution: Institution,
    due_date: datetime.date,
) -> ActionItem:
    """Record an action in the minutes and put it in the body's workplan as a task."""
    minutes = (
        Minutes.objects.select_for_update().select_related("meeting__body").get(pk=item.minutes_id)
    )
    meeting = minutes.meeting
    perms.require(perms.can_manage_body(actor, meeting.body))
    _editable(minutes)
    activity = _follow_up_activity(meeting.body, due_date)
    start = min(timezone.localtime(meeting.start).date(), due_date)
    task = Task(
        activity=activity,
        title=title,
        lead_institution=lead_institution,
        start_date=max(start, activity.workplan.period_start),
        due_date=due_date,
        description=f"Decided at {meeting} ({timezone.localtime(meeting.start).date()}).",
    )
    save_with_history(task, actor)
    action = ActionItem.objects.create(
        minutes_item=item,
        title=title,
        lead_institution=lead_institution,
        due_date=due_date,
        task=task,
    )
    return action


@transaction.atomic
def minutes_circulate(*, actor: User, minutes: Minutes) -> Minutes:
    minutes = Minutes.objects.select_for_update().select_related("meeting__body").get(pk=minutes.pk)
    perms.require(perms.can_manage_body(actor, minutes.meeting.body))
    if not minutes.can_circulate():
        raise ValidationError(_("Only draft minutes can be circulated."))
    minutes.status = Minutes.Status.CIRCULATED
    minutes.circulated_at = timezone.now()
    minutes.save(update_fields=["status", "circulated_at"])
    return minutes


@transaction.atomic
def minutes_approve(*, actor: User, minutes: Minutes, ballot=None) -> Minutes:
    """Approve circulated minutes, at a meeting or by ``ballot``: a closed ballot of the body
    that adopted these very minutes."""
    from coordination import decisions

    minutes = Minutes.objects.select_for_update().select_related("meeting__body").get(pk=minutes.pk)
    perms.require(perms.can_manage_body(actor, minutes.meeting.body))
    if not minutes.can_approve():
        raise ValidationError(_("Circulate the minutes before they are approved."))
    if ballot is not None:
        decisions.require_adopting_ballot(ballot, minutes, minutes.meeting.body)
    minutes.status = Minutes.Status.APPROVED
    minutes.approved_at = timezone.now()
    minutes.approved_by = actor
    minutes.approval_ballot = ballot
    minutes.save(update_fields=["status", "approved_at", "approved_by", "approval_ballot"])
    meeting = minutes.meeting
    meeting.status = Meeting.Status.MINUTES_APPROVED
    save_with_history(meeting, actor)
    return minutes
