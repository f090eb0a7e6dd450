"""The mechanism's performance report: figures for one calendar year, each section computed in
the database with a fixed number of queries however much data there is.

A year runs from 1 January to 31 December in the current (the reader's) time zone. For the year
in progress, figures stop at today: nothing is counted as overdue or vacant in the future."""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Exists, F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coordination.models import (
    Attendance,
    Ballot,
    Body,
    ConventionRole,
    Designation,
    Elector,
    EligibleVoter,
    Institution,
    Meeting,
    Membership,
    Participation,
    ProgressReport,
    ReportingRound,
    Task,
    start_of,
    today,
)
from inventories.models import DatasetType, DatasetVersion
from nip_lifecycle.models import Step

HELD = (Meeting.Status.HELD, Meeting.Status.MINUTES_APPROVED)
PENDING = (Meeting.Status.PLANNED, Meeting.Status.CONVENED)
VOTING_SEATS = (Membership.Role.CHAIR, Membership.Role.VICE_CHAIR, Membership.Role.MEMBER)
YEARS_OFFERED = 10
EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


@dataclass(frozen=True)
class Period:
    """One calendar year: ``first`` and ``after`` bound it (``after`` excluded); ``until`` is the
    first day not yet counted (the day after today while the year is in progress)."""

    year: int
    first: datetime.date
    after: datetime.date
    until: datetime.date

    @classmethod
    def of(cls, year: int, *, on: datetime.date | None = None) -> "Period":
        on = on or today()
        first, after = datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1)
        return cls(year, first, after, min(after, on + datetime.timedelta(days=1)))

    @property
    def last(self) -> datetime.date:
        return self.after - datetime.timedelta(days=1)

    @property
    def in_progress(self) -> bool:
        return self.until < self.after

    @property
    def moments(self) -> dict:
        """Bounds of the year as aware datetimes at local midnight."""
        return {"gte": start_of(self.first), "lt": start_of(self.after)}

    def during(self, field: str) -> Q:
        bounds = self.moments
        return Q(**{f"{field}__gte": bounds["gte"], f"{field}__lt": bounds["lt"]})


def default_year(on: datetime.date | None = None) -> int:
    """The last complete year."""
    return (on or today()).year - 1


def years_offered(on: datetime.date | None = None) -> list[int]:
    current = (on or today()).year
    return list(range(current, current - YEARS_OFFERED, -1))


def percent(part, whole) -> float | None:
    if not whole:
        return None
    return round(100 * float(part) / float(whole), 1)


# --- 1. Meetings against each body's regular frequency ----------------------------------------


def meetings_section(period: Period) -> dict:
    """One query: per body, regular and extraordinary meetings held, cancelled and still pending
    in the year, against ``Body.meetings_per_year``."""
    in_year = period.during("meetings__start")
    bodies = list(
        Body.objects.annotate(
            held_regular=Count(
                "meetings",
                filter=in_year & Q(meetings__status__in=HELD, meetings__kind=Meeting.Kind.REGULAR),
            ),
            held_extraordinary=Count(
                "meetings",
                filter=in_year
                & Q(meetings__status__in=HELD, meetings__kind=Meeting.Kind.EXTRAORDINARY),
            ),
            cancelled=Count(
                "meetings", filter=in_year & Q(meetings__status=Meeting.Status.CANCELLED)
            ),
            pending=Count("meetings", filter=in_year & Q(meetings__status__in=PENDING)),
        ).order_by("name")
    )
    rows = [
        {
            "body": body,
            "expected": body.meetings_per_year,
            "held": body.held_regular,
            "extraordinary": body.held_extraordinary,
            "cancelled": body.cancelled,
            "pending": body.pending,
            "share": percent(body.held_regular, body.meetings_per_year),
        }
        for body in bodies
        if body.active or body.held_regular or body.held_extraordinary or body.cancelled
    ]
    expected = sum(row["expected"] for row in rows)
    held = sum(row["held"] for row in rows)
    return {
        "rows": rows,
        "expected": expected,
        "held": held,
        "extraordinary": sum(row["extraordinary"] for row in rows),
        "cancelled": sum(row["cancelled"] for row in rows),
        "share": percent(held, expected),
    }


# --- 2. Attendance and consistency per institution ---------------------------------------------


def _seat_at_meeting(prefix: str) -> Q:
    """A voting seat in the meeting's body on the meeting's (local) day. ``prefix`` leads from
    the queried model to the meeting."""
    day = TruncDate(f"{prefix}start")
    seat = f"{prefix}body__memberships__"
    return Q(
        Q(**{f"{seat}end_date__isnull": True}) | Q(**{f"{seat}end_date__gt": day}),
        **{f"{seat}start_date__lte": day, f"{seat}role__in": VOTING_SEATS},
    )


ATTENDANCE_SERIES = [
    (Attendance.Presence.PRINCIPAL, _("Principal")),
    (Attendance.Presence.ALTERNATE, _("Alternate")),
    (Attendance.Presence.STAND_IN, _("Stand-in")),
    (Attendance.Presence.EXCUSED, _("Excused")),
    (Attendance.Presence.ABSENT, _("Absent")),
    ("not_recorded", _("Not recorded")),
]


SEATS = "seats"  # not an Attendance.Presence: the meetings at which an institution held a seat


def _institutions(ids: set, known: dict | None) -> dict:
    """The institutions of ``ids`` by primary key: from ``known`` (every institution, loaded once
    for the whole report) or in one query."""
    if known is None:
        return Institution.objects.in_bulk(ids)
    return {pk: known[pk] for pk in ids if pk in known}


def attendance_section(period: Period, institutions: dict | None = None) -> dict:
    """Two queries: the held meetings at which each institution had a voting seat with how it was
    represented there (attendance rows); the ballots closed in the year in which it was an elector
    and those it voted in (by its principal or not, from the frozen list of eligible voters). The
    institutions come with the report, or in a third query. Meetings where nothing was recorded
    for a seat count as "not recorded". Consistency is the share of those meetings at which a
    designated representative (principal or alternate) sat; attendance counts stand-ins too."""
    held = Q(status__in=HELD) & period.during("start")
    seats = (
        Meeting.objects.filter(held, _seat_at_meeting(""))
        .order_by()
        .values("body__memberships__institution")
        .annotate(key=Value(SEATS), n=Count("pk", distinct=True))
        .values_list("body__memberships__institution", "key", "n")
    )
    attended = (
        Attendance.objects.filter(
            _seat_at_meeting("meeting__"),
            Q(meeting__status__in=HELD) & period.during("meeting__start"),
            meeting__body__memberships__institution=F("institution"),
        )
        .order_by()
        .values("institution", "presence")
        .annotate(n=Count("pk", distinct=True))
        .values_list("institution", "presence", "n")
    )
    # Both counts in one query: (institution, SEATS or how it was represented, number).
    seat_meetings, presence = {}, defaultdict(dict)
    for institution_id, kind, n in seats.union(attended, all=True):
        if kind == SEATS:
            seat_meetings[institution_id] = n
        else:
            presence[institution_id][kind] = n
    closed = Q(ballot__status=Ballot.Status.CLOSED) & period.during("ballot__closed_at")
    # One query over the electors: each elector's vote (one at most) and whether its principal
    # cast it.
    vote = Participation.objects.filter(elector=OuterRef("pk"))
    by_principal = EligibleVoter.objects.filter(
        elector=OuterRef(OuterRef("pk")),
        person=OuterRef("cast_by"),
        capacity=Designation.Capacity.PRINCIPAL,
    )
    ballots, votes = {}, {}
    for institution_id, n, voted, principal in (
        Elector.objects.filter(closed, institution__isnull=False)
        .annotate(
            has_vote=Exists(vote), has_principal_vote=Exists(vote.filter(Exists(by_principal)))
        )
        .values("institution")
        .annotate(
            n=Count("pk"),
            voted=Count("pk", filter=Q(has_vote=True)),
            by_principal=Count("pk", filter=Q(has_principal_vote=True)),
        )
        .values_list("institution", "n", "voted", "by_principal")
    ):
        ballots[institution_id] = n
        if voted:
            votes[institution_id] = (voted, principal)
    institutions = _institutions(set(seat_meetings) | set(ballots), institutions)
    rows = []
    for institution in sorted(institutions.values(), key=lambda i: i.name):
        seats = seat_meetings.get(institution.pk, 0)
        voted, voted_by_principal = votes.get(institution.pk, (0, 0))
        counts = {key: presence[institution.pk].get(key, 0) for key, _label in ATTENDANCE_SERIES}
        counts["not_recorded"] = max(seats - sum(counts.values()), 0)
        designated = counts[Attendance.Presence.PRINCIPAL] + counts[Attendance.Presence.ALTERNATE]
        present = designated + counts[Attendance.Presence.STAND_IN]
        rows.append(
            {
                "institution": institution,
                "meetings": seats,
                "counts": [counts[key] for key, _label in ATTENDANCE_SERIES],
                "by_key": counts,
                "attendance": percent(present, seats),
                "consistency": percent(designated, seats),
                "ballots": ballots.get(institution.pk, 0),
                "voted": voted,
                "voted_by_principal": voted_by_principal,
                "voting": percent(voted, ballots.get(institution.pk, 0)),
            }
        )
    total = sum(row["meetings"] for row in rows)
    designated = sum(
        row["by_key"][Attendance.Presence.PRINCIPAL] + row["by_key"][Attendance.Presence.ALTERNATE]
        for row in rows
    )
    return {
        "rows": rows,
        "series": [label for _key, label in ATTENDANCE_SERIES],
        "consistency": percent(designated, total),
    }


# --- 3. Vacancies and how long they lasted -----------------------------------------------------


def gaps(
    start: datetime.date, end: datetime.date, periods: list[tuple]
) -> list[tuple[datetime.date, datetime.date]]:
    """The stretches of [start, end) covered by none of ``periods`` ((start, end or None))."""
    found, cursor = [], start
    for held_from, held_to in sorted(periods, key=lambda p: p[0]):
        if held_to is not None and held_to <= cursor:
            continue
        if held_from >= end:
            break
        if held_from > cursor:
            found.append((cursor, held_from))
        cursor = end if held_to is None else max(cursor, held_to)
        if cursor >= end:
            break
    if cursor < end:
        found.append((cursor, end))
    return found


def vacancies_section(period: Period) -> dict:
    """Three queries: voting seats held during the year; the principal designations (of those
    seats' representatives and of convention roles); convention roles of covered conventions.
    A vacancy is a stretch of the year (up to today) in which a seat or role had no principal."""
    overlaps = Q(start_date__lt=period.until) & (
        Q(end_date__isnull=True) | Q(end_date__gt=period.first)
    )
    seats = list(
        Membership.objects.filter(overlaps, role__in=VOTING_SEATS)
        .select_related("body", "institution")
        .order_by("body__name", "institution__name", "start_date")
    )
    # The principal representatives of the seats and the principals of convention roles.
    principals, held = defaultdict(list), defaultdict(list)
    for kind, body_id, institution_id, role_id, start, end in Designation.objects.filter(
        overlaps,
        kind__in=[Designation.Kind.REPRESENTATIVE, Designation.Kind.CONVENTION],
        capacity=Designation.Capacity.PRINCIPAL,
    ).values_list(
        "kind", "body_id", "institution_id", "convention_role_id", "start_date", "end_date"
    ):
        if kind == Designation.Kind.REPRESENTATIVE:
            principals[(body_id, institution_id)].append((start, end))
        else:
            held[role_id].append((start, end))
    rows = []
    for seat in seats:
        start = max(period.first, seat.start_date)
        end = min(period.until, seat.end_date or period.until)
        for gap_from, gap_to in gaps(start, end, principals[(seat.body_id, seat.institution_id)]):
            rows.append(
                _vacancy(
                    period,
                    kind=_("Seat"),
                    what=_("%(institution)s in %(body)s")
                    % {"institution": seat.institution, "body": seat.body},
                    gap=(gap_from, gap_to),
                    continues=gap_to == period.until
                    and (seat.end_date is None or seat.end_date > period.until),
                )
            )
    roles = list(
        ConventionRole.objects.filter(convention__covered=True).select_related("convention")
    )
    for role in roles:
        for gap_from, gap_to in gaps(period.first, period.until, held[role.pk]):
            rows.append(
                _vacancy(
                    period,
                    kind=_("Convention role"),
                    what=str(role),
                    gap=(gap_from, gap_to),
                    continues=gap_to == period.until,
                )
            )
    return {
        "rows": rows,
        "count": len(rows),
        "days": sum(row["days"] for row in rows),
        "longest": max((row["days"] for row in rows), default=0),
        "seats": len(seats),
        "roles": len(roles),
    }


def _vacancy(period: Period, *, kind, what, gap, continues: bool) -> dict:
    gap_from, gap_to = gap
    return {
        "kind": kind,
        "what": what,
        "from": gap_from,
        "to": gap_to - datetime.timedelta(days=1),  # the last day vacant
        "continues": continues,
        "days": (gap_to - gap_from).days,
    }


# --- 4. Tasks on time, late, overdue -----------------------------------------------------------


def _completed_at():
    """When the task was last marked done: the first history row in state "done" after the
    last row in any other state (the task's change history records every save)."""
    history = Task.history.model.objects
    last_open = (
        history.filter(id=OuterRef("id"))  # the same task as the history row below
        .exclude(status=Task.Status.DONE)
        .order_by("-history_date")
        .values("history_date")
    )
    return (
        history.filter(
            id=OuterRef("pk"),
            status=Task.Status.DONE,
            history_date__gt=Coalesce(Subquery(last_open[:1]), Value(EPOCH)),
        )
        .order_by("history_date")
        .values("history_date")[:1]
    )


TASK_SERIES = [
    ("on_time", _("On time")),
    ("late", _("Late")),
    ("overdue", _("Overdue")),
    ("not_due", _("Not yet due")),
]


def tasks_section(period: Period) -> dict:
    """One query: tasks due in the year (cancelled ones left out), per workplan. On time: done on
    or before the due date; late: done after it, before the end of the year (or today); overdue:
    due but not done by then. The completion day comes from the task's history."""
    finished = Q(status=Task.Status.DONE, completed_on__lt=period.until)
    rows = list(
        Task.objects.filter(due_date__gte=period.first, due_date__lt=period.after)
        .exclude(status=Task.Status.CANCELLED)
        .annotate(completed_on=TruncDate(Coalesce(Subquery(_completed_at()), F("updated_at"))))
        .values(
            "activity__workplan",
            "activity__workplan__title",
            "activity__workplan__body__name",
            "activity__workplan__body__acronym",
        )
        .annotate(
            total=Count("pk"),
            on_time=Count("pk", filter=finished & Q(completed_on__lte=F("due_date"))),
            late=Count("pk", filter=finished & Q(completed_on__gt=F("due_date"))),
            overdue=Count("pk", filter=~finished & Q(due_date__lt=period.until)),
            not_due=Count("pk", filter=~finished & Q(due_date__gte=period.until)),
        )
        .order_by("activity__workplan__body__name", "activity__workplan__title")
    )
    for row in rows:
        row["share_on_time"] = percent(row["on_time"], row["total"] - row["not_due"])
        row["label"] = row["activity__workplan__title"]
    totals = {key: sum(row[key] for row in rows) for key in ("total", *dict(TASK_SERIES))}
    totals["share_on_time"] = percent(totals["on_time"], totals["total"] - totals["not_due"])
    return {"rows": rows, "totals": totals}


# --- 5. Progress reports on time ---------------------------------------------------------------


def progress_reports_section(period: Period, institutions: dict | None = None) -> dict:
    """One query: reports asked for in rounds that fell due in the year, up to today (a round's
    tasks, by lead institution), with the reports submitted on time or late (by the reporting
    institution, the day taken in the current time zone). The institutions come with the
    report, or in a second query."""
    due = Q(due_date__gte=period.first, due_date__lt=period.until)
    asked = (
        ReportingRound.tasks.through.objects.filter(
            reportinground__due_date__gte=period.first, reportinground__due_date__lt=period.until
        )
        .order_by()
        .values("task__lead_institution")
        .annotate(kind=Value("expected"), n=Count("pk"), late=Value(0))
        .values_list("task__lead_institution", "kind", "n", "late")
    )
    reported = (
        ProgressReport.objects.filter(round__in=ReportingRound.objects.filter(due).values("pk"))
        .order_by()
        .annotate(day=TruncDate("submitted_at"))
        .values("institution")
        .annotate(
            kind=Value("submitted"),
            on_time=Count("pk", filter=Q(day__lte=F("round__due_date"))),
            late=Count("pk", filter=Q(day__gt=F("round__due_date"))),
        )
        .values_list("institution", "kind", "on_time", "late")
    )
    # Both in one query: (institution, "expected", reports asked for, 0) and
    # (institution, "submitted", on time, late).
    expected, submitted = {}, {}
    for institution_id, kind, n, late in asked.union(reported, all=True):
        if kind == "expected":
            expected[institution_id] = n
        else:
            submitted[institution_id] = {"on_time": n, "late": late}
    institutions = _institutions(set(expected) | set(submitted), institutions)
    rows = []
    for institution in sorted(institutions.values(), key=lambda i: i.name):
        asked = expected.get(institution.pk, 0)
        on_time = submitted.get(institution.pk, {}).get("on_time", 0)
        late = submitted.get(institution.pk, {}).get("late", 0)
        rows.append(
            {
                "institution": institution,
                "expected": asked,
                "on_time": on_time,
                "late": late,
                "missing": max(asked - on_time - late, 0),
                "share": percent(on_time, asked),
            }
        )
    totals = {k: sum(row[k] for row in rows) for k in ("expected", "on_time", "late", "missing")}
    totals["share"] = percent(totals["on_time"], totals["expected"])
    return {"rows": rows, "totals": totals}


# --- 6. Budget by funding source ---------------------------------------------------------------

FUNDING_SERIES = [
    (Task.Funding.NATIONAL, _("National budget")),
    (Task.Funding.DONOR, _("Donors")),
    (Task.Funding.IN_KIND, _("In-kind")),
    ("", _("Source not given")),
]


def budget_section(period: Period) -> dict:
    """One query: the budgets of tasks running during the year (started before its end, due
    after its start; cancelled ones left out), summed per currency and funding source, and the
    donor money per donor. A task's whole budget counts in each year it runs: budgets are not
    split over years. Amounts in different currencies are never added together."""
    running = (
        Task.objects.filter(
            start_date__lt=period.after, due_date__gte=period.first, budget_amount__isnull=False
        )
        .exclude(status=Task.Status.CANCELLED)
        .exclude(budget_currency="")
    )
    # One query, per currency, funding source and donor; the sums per source add the donors up.
    by_source, by_donor = defaultdict(lambda: [Decimal(0), 0]), []
    for currency, source, donor, total, n in (
        running.values("budget_currency", "funding_source", "donor_name")
        .annotate(total=Sum("budget_amount"), n=Count("pk"))
        .values_list("budget_currency", "funding_source", "donor_name", "total", "n")
        .order_by("budget_currency", "funding_source", "donor_name")
    ):
        by_source[(currency, source)][0] += total
        by_source[(currency, source)][1] += n
        if source == Task.Funding.DONOR:
            by_donor.append((currency, donor, total))
    sums = defaultdict(dict)
    for (currency, source), (total, n) in sorted(by_source.items()):
        sums[currency.upper()][source] = (total, n)
    donor_totals = defaultdict(Decimal)
    for currency, donor, total in by_donor:
        donor_totals[(currency, donor)] += total
    donors = defaultdict(list)
    for (currency, donor), total in sorted(
        donor_totals.items(), key=lambda item: (item[0][0], -item[1], item[0][1])
    ):
        donors[currency.upper()].append({"donor": donor, "amount": total})
    rows = []
    for currency in sorted(sums):
        amounts = {key: sums[currency].get(key, (Decimal(0), 0))[0] for key, _l in FUNDING_SERIES}
        national, donor = amounts[Task.Funding.NATIONAL], amounts[Task.Funding.DONOR]
        total = sum(amounts.values(), Decimal(0))
        rows.append(
            {
                "currency": currency,
                "amounts": [amounts[key] for key, _label in FUNDING_SERIES],
                "by_key": amounts,
                "tasks": sum(n for _total, n in sums[currency].values()),
                "total": total,
                "national_share": percent(national, national + donor),
                "donor_share": percent(donor, national + donor),
                "donor_share_of_total": percent(donor, total),
                "donors": donors[currency],
            }
        )
    return {
        "rows": rows,
        "series": [label for _key, label in FUNDING_SERIES],
    }


# --- 7. Datasets submitted and accepted --------------------------------------------------------


def datasets_section(period: Period) -> dict:
    """One query: dataset versions uploaded in the year (uploads of a file already received left
    out), per institution and type: uploaded, submitted for review, accepted (their review status
    today)."""
    Review = DatasetVersion.Review
    rows = list(
        DatasetVersion.objects.filter(period.during("uploaded_at"))
        .exclude(status=DatasetVersion.Status.DUPLICATE)
        .values("dataset__institution", "dataset__institution__name", "dataset__dataset_type")
        .annotate(
            uploaded=Count("pk"),
            submitted=Count("pk", filter=~Q(review_status=Review.NOT_SUBMITTED)),
            accepted=Count("pk", filter=Q(review_status=Review.ACCEPTED)),
            rows_accepted=Sum("rows_accepted"),
        )
        .order_by("dataset__institution__name", "dataset__dataset_type")
    )
    types = dict(DatasetType.choices)
    by_type = defaultdict(lambda: defaultdict(int))
    for row in rows:
        row["type"] = types.get(row["dataset__dataset_type"], row["dataset__dataset_type"])
        row["share"] = percent(row["accepted"], row["uploaded"])
        for key in ("uploaded", "submitted", "accepted"):
            by_type[row["type"]][key] += row[key]
    totals = {k: sum(row[k] for row in rows) for k in ("uploaded", "submitted", "accepted")}
    totals["share"] = percent(totals["accepted"], totals["uploaded"])
    return {"rows": rows, "by_type": {t: dict(v) for t, v in by_type.items()}, "totals": totals}


# --- 8. Ballots and turnout --------------------------------------------------------------------


def ballots_section(period: Period) -> dict:
    """One query: ballots closed in the year, with the turnout frozen in their result."""
    ballots = list(
        Ballot.objects.filter(period.during("closed_at"), status=Ballot.Status.CLOSED)
        .select_related("body")
        .only("question", "kind", "closed_at", "result", "body__name")
        .order_by("closed_at", "pk")
    )
    rows = []
    for ballot in ballots:
        result = ballot.result or {}
        rows.append(
            {
                "ballot": ballot,
                "electorate": result.get("electorate", 0),
                "participants": result.get("participants", 0),
                "turnout": percent(result.get("participants", 0), result.get("electorate", 0)),
                "quorum_met": bool(result.get("quorum_met")),
                "words": result.get("words", ""),
            }
        )
    electorate = sum(row["electorate"] for row in rows)
    participants = sum(row["participants"] for row in rows)
    return {
        "rows": rows,
        "count": len(rows),
        "electorate": electorate,
        "participants": participants,
        "turnout": percent(participants, electorate),
        "quorum_met": sum(1 for row in rows if row["quorum_met"]),
    }


# --- 9. NIP steps against plan -----------------------------------------------------------------


def nip_steps_section(period: Period) -> dict:
    """One query: steps planned to end in the year or that ended in it. On time: ended on or
    before the planned end; late: after it; behind: planned to end before today or the year's
    end and not ended by then."""
    in_year = Q(planned_end__gte=period.first, planned_end__lt=period.after) | Q(
        actual_end__gte=period.first, actual_end__lt=period.until
    )
    steps = list(
        Step.objects.filter(in_year)
        .select_related("cycle")
        .only("cycle__title", "number", "name", "planned_end", "actual_end", "status")
        .order_by("cycle__title", "cycle_id", "number")
    )
    verdicts = {
        "on_time": _("On time"),
        "late": _("Late"),
        "behind": _("Behind plan"),
        "not_due": _("Not yet due"),
        "unplanned": _("Ended without a planned end"),
    }
    rows, counts = [], defaultdict(int)
    for step in steps:
        ended = step.actual_end if step.actual_end and step.actual_end < period.until else None
        if ended and step.planned_end is None:
            verdict = "unplanned"
        elif ended:
            verdict = "on_time" if ended <= step.planned_end else "late"
        elif step.planned_end < period.until:
            verdict = "behind"
        else:
            verdict = "not_due"
        counts[verdict] += 1
        delay = (ended - step.planned_end).days if ended and step.planned_end else None
        if verdict == "behind":
            delay = (period.until - datetime.timedelta(days=1) - step.planned_end).days
        rows.append({"step": step, "ended": ended, "verdict": verdicts[verdict], "delay": delay})
    return {
        "rows": rows,
        "counts": [(verdicts[k], counts[k]) for k in verdicts],
        "on_time": counts["on_time"],
        "planned": sum(counts[k] for k in ("on_time", "late", "behind")),
        "share": percent(counts["on_time"], counts["on_time"] + counts["late"] + counts["behind"]),
    }


# --- The whole report --------------------------------------------------------------------------


def performance_report(*, year: int, on: datetime.date | None = None) -> dict:
    """Every section of the report for ``year``: figures only (the charts are drawn from them by
    ``reporting.charts_performance``). Thirteen queries at most, whatever the amount of data."""
    period = Period.of(year, on=on)
    institutions = Institution.objects.in_bulk()
    return {
        "period": period,
        "generated_at": timezone.now(),
        "meetings": meetings_section(period),
        "attendance": attendance_section(period, institutions),
        "vacancies": vacancies_section(period),
        "tasks": tasks_section(period),
        "reports": progress_reports_section(period, institutions),
        "budget": budget_section(period),
        "datasets": datasets_section(period),
        "ballots": ballots_section(period),
        "nip_steps": nip_steps_section(period),
    }
