"""The coordination app's deadlines: tasks falling due and progress reports awaited."""

import datetime
from collections import defaultdict

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coordination.models import Designation, Meeting, Minutes, ReportingRound, Task, start_of
from coordination.workplan_selectors import open_rounds_missing
from ncm_portal.deadlines import Deadline, DeadlineKind

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
        Task.objects.exclude(status__in=Task.CLOSED)
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
            yield Deadline(
                kind="task_due",
                key=f"task:{task.pk}",
                due=task.due_date,
                title=task.title,
                url=reverse("coordination:task-detail", args=[task.pk]),
                recipient_ids=tuple(sorted(recipients)),
                context={"institution": task.lead_institution.name},
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


def tasks_in_range(start: datetime.date, end: datetime.date, body=None):
    tasks = Task.objects.exclude(status__in=Task.CLOSED).filter(due_date__range=(start, end))
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


def documents_unread(on: datetime.date):
    """Documents circulated for a meeting in the coming week that an invitee has not opened."""
    from coordination.models import Document, DocumentRead
    from coordination.services.meetings import invitees

    horizon = start_of(on + datetime.timedelta(days=8))
    documents = (
        Document.objects.filter(
            circulated_at__isnull=False,
            meeting__status=Meeting.Status.CONVENED,
            meeting__start__gte=timezone.now(),
            meeting__start__lt=horizon,
        )
        .select_related("meeting__body")
        .prefetch_related("versions")
    )
    for document in documents:
        latest = max(document.versions.all(), key=lambda v: v.number, default=None)
        if latest is None:
            continue
        readers = set(DocumentRead.objects.filter(version=latest).values_list("user_id", flat=True))
        users = {
            d.person.user_id
            for d in invitees(document.meeting)
            if d.person.user_id and d.person.user_id not in readers
        }
        if users:
            meeting = document.meeting
            yield Deadline(
                kind="document_unread",
                key=f"document:{document.pk}:v{latest.number}",
                due=timezone.localtime(meeting.start, meeting.zone).date(),
                title=document.title,
                url=document.get_absolute_url(),
                recipient_ids=tuple(sorted(users)),
                context={"meeting": meeting.title},
            )


def minutes_awaiting_approval(on: datetime.date):
    """Circulated minutes: the secretariat serving the body is reminded until they are
    approved (within a month of circulation, then weekly)."""
    from coordination.services.registry import body_secretariat

    for minutes in Minutes.objects.filter(status=Minutes.Status.CIRCULATED).select_related(
        "meeting__body"
    ):
        users = [u.pk for u in body_secretariat(minutes.meeting.body) if u.is_active]
        if users:
            due = timezone.localtime(minutes.circulated_at).date() + datetime.timedelta(days=30)
            yield Deadline(
                kind="minutes_approval",
                key=f"minutes:{minutes.pk}",
                due=due,
                title=minutes.meeting.title,
                url=minutes.meeting.get_absolute_url(),
                recipient_ids=tuple(sorted(users)),
                context={"body": minutes.meeting.body.name, "version": minutes.version},
            )


def ballots_closing(on: datetime.date):
    """Open ballots closing within a day: electors' voters who have not voted yet."""
    from coordination.models import Ballot, EligibleVoter, Participation

    # A generous window: the engine decides to the hour which reminder is due.
    soon = start_of(on + datetime.timedelta(days=3))
    for ballot in Ballot.objects.filter(status=Ballot.Status.OPEN, closes_at__lte=soon):
        voted = Participation.objects.filter(ballot=ballot).values("elector_id")
        users = set(
            EligibleVoter.objects.filter(elector__ballot=ballot, person__user__is_active=True)
            .exclude(elector_id__in=voted)
            .values_list("person__user_id", flat=True)
        )
        if users:
            yield Deadline(
                kind="ballot_closing",
                key=f"ballot:{ballot.pk}",
                due=ballot.closes_at,
                title=ballot.question,
                url=ballot.get_absolute_url(),
                recipient_ids=tuple(sorted(users)),
                context={"closes_at": ballot.closes_at},
            )


KINDS = [
    DeadlineKind("task_due", _("Tasks falling due"), tasks_due, calendar=tasks_in_range),
    DeadlineKind(
        "progress_report_due",
        _("Progress reports awaited"),
        progress_reports_due,
        calendar=rounds_in_range,
    ),
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
    ),  # fmt: skip
    DeadlineKind(
        "ballot_closing",
        _("Votes closing soon"),
        ballots_closing,
        lead_days=(),
        overdue_every_days=None,
        lead_hours=(24, 1),
    ),  # fmt: skip
    DeadlineKind(
        "minutes_approval",
        _("Minutes awaiting approval"),
        minutes_awaiting_approval,
        lead_days=(7, 0),
    ),
]
