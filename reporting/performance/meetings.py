"""The performance report's sections on meetings: how many were held, who attended, and the
seats left vacant."""

import datetime
from collections import defaultdict

from django.db.models import Count, Exists, F, OuterRef, Q, Value
from django.db.models.functions import TruncDate
from django.utils.translation import gettext_lazy as _

from coordination.models import (
    Attendance,
    Ballot,
    Body,
    ConventionRole,
    Designation,
    Elector,
    EligibleVoter,
    Meeting,
    Membership,
    Participation,
)
from reporting.performance.period import (
    HELD,
    PENDING,
    VOTING_SEATS,
    Period,
    institutions_by_id,
    percent,
)


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
    institutions = institutions_by_id(set(seat_meetings) | set(ballots), institutions)
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
