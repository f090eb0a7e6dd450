"""The coordination app's deadlines: tasks falling due and progress reports awaited."""

import datetime
import zoneinfo
from collections import defaultdict

from django.db.models import Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coordination.models import (
    Designation,
    Meeting,
    Minutes,
    ProgressReport,
    Reply,
    ReportingRound,
    Task,
    start_of,
)
from coordination.workplan_selectors import open_rounds_missing
from ncm_portal.deadlines import Deadline, DeadlineKind, rows

HORIZON_DAYS = 30  # the longest lead time: nothing further away is looked at


def focal_point_user_ids(institution_ids, on: datetime.date) -> dict[int, set[int]]:
    """Institution id -> ids of the users who are its current focal points."""
    result: dict[int, set[int]] = defaultdict(set)
    rows = (
        Designation.objects.current(on)
        .filter(
            kind=Designation.Kind.INSTITUTION_FOCAL_POINT,
            institution_id__in=set(institution_ids),
            person__user__is_active=True,
        )
        .values_list("institution_id", "person__user_id")
    )
    for institution_id, user_id in rows:
        result[institution_id].add(user_id)
    return result


def tasks_due(on: datetime.date):
    tasks = list(
        Task.objects.open()
        .filter(due_date__lte=on + datetime.timedelta(days=HORIZON_DAYS))
        .select_related("assignee", "lead_institution")
        .only(
            "pk", "title", "due_date", "assignee__user_id", "lead_institution__name",
            "lead_institution_id",
        )
    )  # fmt: skip
    focal = focal_point_user_ids({t.lead_institution_id for t in tasks}, on)
    for task in tasks:
        recipients = set(focal[task.lead_institution_id])
        if task.assignee and task.assignee.user_id:
            recipients.add(task.assignee.user_id)
        if recipients:
            yield _task_deadline(task, tuple(sorted(recipients)))


def _task_deadline(task: Task, recipients: tuple[int, ...]) -> Deadline:
    return Deadline(
        kind="task_due",
        key=f"task:{task.pk}",
        due=task.due_date,
        title=task.title,
        url=reverse("coordination:task-detail", args=[task.pk]),
        recipient_ids=recipients,
        context={"institution": task.lead_institution.name},
    )


def task_rows(me, on: datetime.date):
    """The tasks this person is assigned, or that an institution they are focal point of leads."""
    mine = Q(lead_institution_id__in=me.focal_institution_ids)
    if me.person_id:
        mine |= Q(assignee_id=me.person_id)
    elif not me.focal_institution_ids:
        return None
    tasks = Task.objects.open().filter(
        mine, due_date__lte=on + datetime.timedelta(days=HORIZON_DAYS)
    )
    return rows(tasks, "task_due", id1="pk", day="due_date", text1="title",
                text2="lead_institution__name")  # fmt: skip


def tasks_from_rows(me, on: datetime.date, found):
    for row in found:
        yield Deadline(
            kind="task_due",
            key=f"task:{row['id1']}",
            due=row["day"],
            title=row["text1"],
            url=reverse("coordination:task-detail", args=[row["id1"]]),
            recipient_ids=(me.user_id,),
            context={"institution": row["text2"]},
        )


def progress_reports_due(on: datetime.date):
    horizon = on + datetime.timedelta(days=HORIZON_DAYS)
    awaited = [item for item in open_rounds_missing() if item["round"].due_date <= horizon]
    focal = focal_point_user_ids(
        {row["id"] for item in awaited for row in item["institutions"]}, on
    )
    for item in awaited:
        reporting_round = item["round"]
        for row in item["institutions"]:
            if focal[row["id"]]:
                yield Deadline(
                    kind="progress_report_due",
                    key=f"round:{reporting_round.pk}:institution:{row['id']}",
                    due=reporting_round.due_date,
                    title=reporting_round.title,
                    url=reverse("coordination:round-detail", args=[reporting_round.pk]),
                    recipient_ids=tuple(sorted(focal[row["id"]])),
                    context={
                        "institution": row["name"],
                        "missing": row["missing"],
                        "workplan": reporting_round.workplan.title,
                    },
                )


def progress_report_rows(me, on: datetime.date):
    """The tasks of open rounds, not yet reported on, that an institution this person is focal
    point of leads."""
    if not me.focal_institution_ids:
        return None
    through = ReportingRound.tasks.through.objects.filter(
        reportinground__closed_at__isnull=True,
        reportinground__due_date__lte=on + datetime.timedelta(days=HORIZON_DAYS),
        task__lead_institution_id__in=me.focal_institution_ids,
    ).exclude(
        Exists(
            ProgressReport.objects.filter(
                round_id=OuterRef("reportinground_id"), task_id=OuterRef("task_id")
            )
        )
    )
    return rows(
        through, "progress_report_due", id1="reportinground_id", id2="task__lead_institution_id",
        day="reportinground__due_date", text1="reportinground__title",
        text2="task__lead_institution__name", text3="reportinground__workplan__title",
    )  # fmt: skip


def progress_reports_from_rows(me, on: datetime.date, found):
    missing: dict[tuple, int] = defaultdict(int)
    for row in found:
        missing[(row["id1"], row["id2"], row["day"], row["text1"], row["text2"], row["text3"])] += 1
    for (round_id, institution_id, due, title, name, workplan), count in missing.items():
        yield Deadline(
            kind="progress_report_due",
            key=f"round:{round_id}:institution:{institution_id}",
            due=due,
            title=title,
            url=reverse("coordination:round-detail", args=[round_id]),
            recipient_ids=(me.user_id,),
            context={"institution": name, "missing": count, "workplan": workplan},
        )


def tasks_in_range(start: datetime.date, end: datetime.date, body=None):
    tasks = Task.objects.open().filter(due_date__range=(start, end))
    if body is not None:
        tasks = tasks.filter(activity__workplan__body=body)
    # A month of a national mechanism holds hundreds of tasks: four columns, no model instances.
    rows = tasks.values_list("pk", "title", "due_date", "activity__workplan__body_id")
    for pk, title, due, body_id in rows:
        yield Deadline(
            kind="task_due",
            key=f"task:{pk}",
            due=due,
            title=title,
            url=reverse("coordination:task-detail", args=[pk]),
            recipient_ids=(),
            context={"body_id": body_id},
        )


def rounds_in_range(start: datetime.date, end: datetime.date, body=None):
    rounds = ReportingRound.objects.filter(closed_at__isnull=True, due_date__range=(start, end))
    if body is not None:
        rounds = rounds.filter(workplan__body=body)
    for reporting_round in rounds.select_related("workplan"):
        yield Deadline(
            kind="progress_report_due",
            key=f"round:{reporting_round.pk}",
            due=reporting_round.due_date,
            title=reporting_round.title,
            url=reverse("coordination:round-detail", args=[reporting_round.pk]),
            recipient_ids=(),
            context={"body_id": reporting_round.workplan.body_id},
        )


def meetings_ahead(on: datetime.date):
    """Convened meetings in the coming week: each invitee with an account is reminded."""
    from coordination.services.meetings import invitees

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


def _representing(me, body_id: int, start: datetime.datetime) -> bool:
    """Whether this person's designation to the body holds on the meeting's day (as
    ``invitees`` counts them)."""
    day = timezone.localtime(start).date()
    return any(
        d.body_id == body_id
        and d.start_date <= day
        and (d.end_date is None or d.end_date > day)
        for d in me.representations
    )


def _seated(me, on: datetime.date, body="body_id"):
    """The body has an institution this person represents among its current members (as
    ``invitees`` asks)."""
    from coordination.models import Membership

    institutions = {d.institution_id for d in me.representations}
    members = Membership.objects.current(on).filter(institution_id__in=institutions)
    return Exists(members.filter(body_id=OuterRef(body)))


def _reply_deadline(
    pk, title, start, end, time_zone, body, recipients, person_id=None
) -> Deadline:
    return Deadline(
        kind="meeting_reply",
        key=f"meeting-reply:{pk}:{start.isoformat()}",
        due=timezone.localtime(start, zoneinfo.ZoneInfo(time_zone)).date(),
        title=title,
        url=reverse("coordination:meeting-detail", args=[pk]) + "#reply",
        recipient_ids=recipients,
        context={
            "body": body, "meeting_start": start, "meeting_end": end, "time_zone": time_zone,
            "meeting_id": pk, "person_id": person_id,
        },
    )  # fmt: skip


def meetings_awaiting_reply(on: datetime.date):
    """Convened meetings still ahead: the invitees with an account who have not replied for
    the meeting's present date."""
    from coordination.services.meetings import invitees

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
                meeting.pk, meeting.title, meeting.start, meeting.end, meeting.time_zone,
                meeting.body.name, tuple(sorted(users)),
            )  # fmt: skip


def meeting_reply_rows(me, on: datetime.date):
    if me.person_id is None or not me.representations:
        return None
    meetings = Meeting.objects.filter(
        _seated(me, on),
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
    return rows(meetings, "meeting_reply", id1="pk", id2="body_id", moment="start",
                moment2="end", text1="title", text2="body__name", text3="time_zone")  # fmt: skip


def meeting_replies_from_rows(me, on: datetime.date, found):
    for row in found:
        if _representing(me, row["id2"], row["moment"]):
            yield _reply_deadline(
                row["id1"], row["text1"], row["moment"], row["moment2"], row["text3"],
                row["text2"], (me.user_id,), me.person_id,
            )  # fmt: skip


def _meeting_papers(on: datetime.date) -> Q:
    """Documents of a convened meeting in the coming week: its own, or its agenda items'."""
    horizon = start_of(on + datetime.timedelta(days=8))
    now = timezone.now()
    return Q(
        meeting__status=Meeting.Status.CONVENED, meeting__start__gte=now,
        meeting__start__lt=horizon,
    ) | Q(
        agenda_item__meeting__status=Meeting.Status.CONVENED,
        agenda_item__meeting__start__gte=now, agenda_item__meeting__start__lt=horizon,
    )  # fmt: skip


def documents_unread(on: datetime.date):
    """Documents circulated for a meeting in the coming week (its own or its agenda items')
    that an invitee has not opened."""
    from coordination.models import Document, DocumentRead
    from coordination.services.meetings import invitees

    documents = (
        Document.objects.filter(_meeting_papers(on), circulated_at__isnull=False)
        .select_related("meeting__body", "agenda_item__meeting__body")
        .prefetch_related("versions")
    )
    for document in documents:
        latest = max(document.versions.all(), key=lambda v: v.number, default=None)
        if latest is None:
            continue
        meeting = document.meeting or document.agenda_item.meeting
        readers = set(DocumentRead.objects.filter(version=latest).values_list("user_id", flat=True))
        users = {
            d.person.user_id
            for d in invitees(meeting)
            if d.person.user_id and d.person.user_id not in readers
        }
        if users:
            yield _document_deadline(
                document.pk, latest.number, document.title, meeting.start, meeting.time_zone,
                meeting.title, tuple(sorted(users)),
            )  # fmt: skip


def _document_deadline(pk, number, title, start, time_zone, meeting, recipients) -> Deadline:
    return Deadline(
        kind="document_unread",
        key=f"document:{pk}:v{number}",
        due=timezone.localtime(start, zoneinfo.ZoneInfo(time_zone)).date(),
        title=title,
        url=reverse("coordination:document-detail", args=[pk]),
        recipient_ids=recipients,
        context={"meeting": meeting},
    )


def document_rows(me, on: datetime.date):
    """The circulated documents of this person's meetings in the coming week whose latest
    version they have not opened."""
    from coordination.models import Document, DocumentRead, DocumentVersion

    if me.person_id is None or not me.representations:
        return None
    latest = DocumentVersion.objects.filter(document=OuterRef("pk")).order_by("-number")
    documents = (
        Document.objects.filter(_meeting_papers(on), circulated_at__isnull=False)
        .annotate(
            paper_body=Coalesce("meeting__body_id", "agenda_item__meeting__body_id"),
            paper_start=Coalesce("meeting__start", "agenda_item__meeting__start"),
            paper_meeting=Coalesce("meeting__title", "agenda_item__meeting__title"),
            paper_zone=Coalesce("meeting__time_zone", "agenda_item__meeting__time_zone"),
            latest_number=Subquery(latest.values("number")[:1]),
        )
        .filter(
            _seated(me, on, "paper_body"),
            paper_body__in={d.body_id for d in me.representations},
            latest_number__isnull=False,
        )
        .exclude(
            Exists(
                DocumentRead.objects.filter(
                    version__document=OuterRef("pk"),
                    version__number=OuterRef("latest_number"),
                    user_id=me.user_id,
                )
            )
        )
    )
    return rows(
        documents, "document_unread", id1="pk", id2="paper_body", id3="latest_number",
        moment="paper_start", text1="title", text2="paper_meeting", text3="paper_zone",
    )  # fmt: skip


def documents_from_rows(me, on: datetime.date, found):
    for row in found:
        if _representing(me, row["id2"], row["moment"]):
            yield _document_deadline(
                row["id1"], row["id3"], row["text1"], row["moment"], row["text3"], row["text2"],
                (me.user_id,),
            )  # fmt: skip


def minutes_awaiting_approval(on: datetime.date):
    """Circulated minutes: the secretariat serving the body is reminded until they are
    approved (within a month of circulation, then weekly)."""
    from coordination.services.registry import body_secretariat

    for minutes in Minutes.objects.filter(status=Minutes.Status.CIRCULATED).select_related(
        "meeting__body"
    ):
        users = [u.pk for u in body_secretariat(minutes.meeting.body) if u.is_active]
        if users:
            meeting = minutes.meeting
            yield _minutes_deadline(
                minutes.pk, minutes.circulated_at, meeting.pk, meeting.title, meeting.body.name,
                minutes.version, tuple(sorted(users)),
            )  # fmt: skip


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
    return rows(minutes, "minutes_approval", id1="pk", id2="meeting_id", id3="version",
                moment="circulated_at", text1="meeting__title",
                text2="meeting__body__name")  # fmt: skip


def minutes_from_rows(me, on: datetime.date, found):
    for row in found:
        yield _minutes_deadline(row["id1"], row["moment"], row["id2"], row["text1"],
                                row["text2"], row["id3"], (me.user_id,))  # fmt: skip


def ballots_closing(on: datetime.date):
    """Open ballots: electors' voters who have not voted yet (the engine reminds them to the
    hour, a day and an hour before the close; the home page lists them while open)."""
    from coordination.models import Ballot, EligibleVoter, Participation

    for ballot in Ballot.objects.filter(status=Ballot.Status.OPEN):
        voted = Participation.objects.filter(ballot=ballot).values("elector_id")
        users = set(
            EligibleVoter.objects.filter(elector__ballot=ballot, person__user__is_active=True)
            .exclude(elector_id__in=voted)
            .values_list("person__user_id", flat=True)
        )
        if users:
            yield _ballot_deadline(ballot.pk, ballot.question, ballot.closes_at,
                                   tuple(sorted(users)))  # fmt: skip


def _ballot_deadline(pk, question, closes_at, recipients, **context) -> Deadline:
    return Deadline(
        kind="ballot_closing",
        key=f"ballot:{pk}",
        due=closes_at,
        title=question,
        url=reverse("coordination:ballot-detail", args=[pk]),
        recipient_ids=recipients,
        context={"closes_at": closes_at, **context},
    )


def ballot_rows(me, on: datetime.date):
    """The open ballots in which this person may still cast a vote for an elector that has not
    voted (an alternate whose principal has voted is not asked)."""
    from coordination.models import EligibleVoter, Participation

    if me.person_id is None:
        return None
    seats = EligibleVoter.objects.filter(
        person_id=me.person_id, elector__ballot__status="open"
    ).exclude(Exists(Participation.objects.filter(elector_id=OuterRef("elector_id"))))
    return rows(
        seats, "ballot_closing", id1="elector__ballot_id", id2="elector_id",
        moment="elector__ballot__closes_at", text1="elector__ballot__question",
        text2=Coalesce("elector__institution__name", "elector__person__name"),
    )  # fmt: skip


def ballots_from_rows(me, on: datetime.date, found):
    """With the options (one more query), so that the home page offers the vote itself."""
    from coordination.models import BallotOption

    ballot_ids = sorted({row["id1"] for row in found})
    options = defaultdict(list)
    for option in BallotOption.objects.filter(ballot_id__in=ballot_ids).order_by("order", "pk"):
        options[option.ballot_id].append(option)
    for ballot_id in ballot_ids:
        seats = sorted((r for r in found if r["id1"] == ballot_id), key=lambda r: r["text2"])
        yield _ballot_deadline(
            ballot_id, seats[0]["text1"], seats[0]["moment"], (me.user_id,), ballot_id=ballot_id,
            electors=[{"pk": r["id2"], "name": r["text2"]} for r in seats],
            options=options[ballot_id],
        )  # fmt: skip


KINDS = [
    DeadlineKind("task_due", _("Tasks falling due"), tasks_due, calendar=tasks_in_range,
                 person_rows=task_rows, from_rows=tasks_from_rows),
    DeadlineKind(
        "progress_report_due",
        _("Progress reports awaited"),
        progress_reports_due,
        calendar=rounds_in_range,
        person_rows=progress_report_rows,
        from_rows=progress_reports_from_rows,
    ),
    DeadlineKind(
        "meeting_reply",
        _("Meetings awaiting your reply"),
        meetings_awaiting_reply,
        lead_days=(2,),
        overdue_every_days=None,
        person_rows=meeting_reply_rows,
        from_rows=meeting_replies_from_rows,
    ),
    # Not on the home page, which lists the reply awaited and the papers unread instead: a
    # meeting one has answered needs nothing more until it starts.
    DeadlineKind(
        "meeting_ahead",
        _("Meetings coming up"),
        meetings_ahead,
        lead_days=(7, 1),
        overdue_every_days=None,
    ),  # fmt: skip
    DeadlineKind(
        "document_unread",
        _("Meeting documents not yet read"),
        documents_unread,
        lead_days=(3, 1),
        overdue_every_days=None,
        person_rows=document_rows,
        from_rows=documents_from_rows,
    ),  # fmt: skip
    DeadlineKind(
        "ballot_closing",
        _("Votes closing soon"),
        ballots_closing,
        lead_days=(),
        overdue_every_days=None,
        lead_hours=(24, 1),
        person_rows=ballot_rows,
        from_rows=ballots_from_rows,
    ),  # fmt: skip
    DeadlineKind(
        "minutes_approval",
        _("Minutes awaiting approval"),
        minutes_awaiting_approval,
        lead_days=(7, 0),
        person_rows=minutes_rows,
        from_rows=minutes_from_rows,
    ),
]
