"""Article 15 deadlines for the reminder engine and the calendar: each round's report, due to
the Secretariat of the Convention (once started, those who manage reports are reminded until it
is submitted; the calendar shows every round's deadline), and each section assigned to an
institution with a date (its focal points are reminded until they submit it); and each report
of any convention whose sections are all accepted, to the approver of that convention."""

import datetime

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from coordination.models import Role
from coordination.registry.selectors import focal_point_user_ids
from ncm_portal.deadlines import Deadline, DeadlineKind, rows
from reporting import permissions as perms
from reporting.conventions import KINDS as KINDS_OF_REPORT
from reporting.conventions import STOCKHOLM, kind_of
from reporting.models import Report, Round, SectionAssignment

REPORT_LEADS = (180, 90, 30, 7, 0)
SECTION_LEADS = (14, 3, 0)
DONE = (Report.Status.SUBMITTED, Report.Status.SUPERSEDED)


def manager_user_ids() -> tuple[int, ...]:
    """Active users who may manage reports, through their role (administrators by flag aside)."""
    users = (
        get_user_model()
        .objects.filter(is_active=True, is_superuser=False)
        .filter(
            Q(
                groups__permissions__codename="manage_report",
                groups__permissions__content_type__app_label="reporting",
            )
            | Q(
                user_permissions__codename="manage_report",
                user_permissions__content_type__app_label="reporting",
            )
        )
    )
    return tuple(sorted(set(users.values_list("pk", flat=True))))


def _report_deadline(round_: Round, report: Report | None, recipients=()) -> Deadline:
    url = (
        report.get_absolute_url()
        if report is not None
        else reverse("reporting:article15-list") + f"#round-{round_.number}"
    )
    return Deadline(
        kind="article15_report_due",
        key=f"article15-round:{round_.number}",
        due=round_.due,
        title=str(round_.label),
        url=url,
        recipient_ids=recipients,
        context={
            "round": round_.label,
            "decision": round_.decision,
            "status": report.get_status_display() if report else "",
        },
    )


def _open_rounds(first: datetime.date | None, last: datetime.date, started: bool = False):
    """Rounds due in the window whose report is not yet submitted, with their latest report
    (only those with a report started, if ``started``)."""
    # Round.due in the database, so that only the rounds in the window bring their reports.
    # Stockholm rounds only: the other conventions' report dates are the obligations
    # register's deadlines (reporting/obligations/deadlines.py).
    rounds = (
        Round.objects.filter(convention=STOCKHOLM)
        .annotate(due_on=Coalesce("extended_deadline", "deadline"))
        .filter(due_on__lte=last)
    )
    if first is not None:
        rounds = rounds.filter(due_on__gte=first)
    rounds = rounds.prefetch_related("reports")
    for round_ in rounds:
        reports = sorted(round_.reports.all(), key=lambda r: r.version)
        latest = reports[-1] if reports else None
        if any(r.status in DONE for r in reports) or (started and latest is None):
            continue
        yield round_, latest


def reports_due(on: datetime.date):
    horizon = on + datetime.timedelta(days=max(REPORT_LEADS))
    # Overdue reports keep being reminded for a year after their deadline.
    rounds = list(_open_rounds(on - datetime.timedelta(days=365), horizon, started=True))
    if not rounds:
        return
    recipients = manager_user_ids()
    if not recipients:
        return
    for round_, report in rounds:
        yield _report_deadline(round_, report, recipients)


def report_rows(me, on: datetime.date):
    """For a person who manages reports (as ``manager_user_ids`` counts them: through a role,
    which only the secretariat's and the administrators' carry): the latest report of each
    round due in the window, none of whose reports is submitted yet."""
    user = me.user
    if user.is_superuser or user.role not in (Role.SECRETARIAT, Role.ADMINISTRATOR):
        return None
    if not perms.can_manage_reports(user):
        return None
    first = on - datetime.timedelta(days=365)
    last = on + datetime.timedelta(days=max(REPORT_LEADS))
    due = Coalesce("round__extended_deadline", "round__deadline")
    reports = (
        Report.objects.filter(round__convention=STOCKHOLM)
        .annotate(due_on=due)
        .filter(due_on__gte=first, due_on__lte=last)
        .exclude(Exists(Report.objects.filter(round_id=OuterRef("round_id"), status__in=DONE)))
        .exclude(
            Exists(
                Report.objects.filter(
                    round_id=OuterRef("round_id"), version__gt=OuterRef("version")
                )
            )
        )
    )
    return rows(
        reports,
        "article15_report_due",
        id1="pk",
        id2="round__number",
        day="due_on",
        text1="round__label",
    )


def reports_from_rows(me, on: datetime.date, found):
    for row in found:
        yield Deadline(
            kind="article15_report_due",
            key=f"article15-round:{row['id2']}",
            due=row["day"],
            title=row["text1"],
            url=reverse("reporting:article15-detail", args=[row["id1"]]),
            recipient_ids=(me.user_id,),
        )


def reports_in_range(start: datetime.date, end: datetime.date, body=None):
    if body is not None:
        return
    for round_, report in _open_rounds(start, end):
        yield _report_deadline(round_, report)


def _open_assignments(first: datetime.date | None, last: datetime.date):
    assignments = SectionAssignment.objects.filter(
        report__status=Report.Status.DRAFT,
        institution__isnull=False,
        due_on__isnull=False,
        due_on__lte=last,
        status__in=[
            SectionAssignment.Status.NOT_STARTED,
            SectionAssignment.Status.IN_PROGRESS,
            SectionAssignment.Status.RETURNED,
        ],
    ).select_related("report__round", "section", "institution")
    if first is not None:
        assignments = assignments.filter(due_on__gte=first)
    return assignments


def _section_deadline(assignment: SectionAssignment, recipients=()) -> Deadline:
    return Deadline(
        kind="article15_section_due",
        key=f"article15-section:{assignment.pk}",
        due=assignment.due_on,
        title=f"{assignment.report.round.label}: {assignment.section.code} "
        f"{assignment.section.title}",
        url=reverse(
            "reporting:article15-section", args=[assignment.report_id, assignment.section_id]
        ),
        recipient_ids=recipients,
        context={
            "institution": assignment.institution.name,
            "status": assignment.get_status_display(),
        },
    )


def sections_due(on: datetime.date):
    assignments = list(_open_assignments(None, on + datetime.timedelta(days=max(SECTION_LEADS))))
    focal = focal_point_user_ids({a.institution_id for a in assignments}, on)
    for assignment in assignments:
        recipients = focal[assignment.institution_id]
        if recipients:
            yield _section_deadline(assignment, tuple(sorted(recipients)))


def section_rows(me, on: datetime.date):
    """The sections assigned to the institutions this person is focal point of."""
    if not me.focal_institution_ids:
        return None
    assignments = _open_assignments(None, on + datetime.timedelta(days=max(SECTION_LEADS))).filter(
        institution_id__in=me.focal_institution_ids
    )
    return rows(
        assignments,
        "article15_section_due",
        id1="pk",
        id2="report_id",
        id3="section_id",
        day="due_on",
        text1="report__round__label",
        text2="section__code",
        text3="section__title",
        text4="institution__name",
    )


def sections_from_rows(me, on: datetime.date, found):
    for row in found:
        yield Deadline(
            kind="article15_section_due",
            key=f"article15-section:{row['id1']}",
            due=row["day"],
            title=f"{row['text1']}: {row['text2']} {row['text3']}",
            url=reverse("reporting:article15-section", args=[row["id2"], row["id3"]]),
            recipient_ids=(me.user_id,),
            context={"institution": row["text4"]},
        )


def sections_in_range(start: datetime.date, end: datetime.date, body=None):
    if body is not None:
        return
    for assignment in _open_assignments(start, end):
        yield _section_deadline(assignment)


# --- The report awaiting its approver ---------------------------------------------------------


def _ready_for_approval(conventions=None):
    """Draft reports whose every section is accepted (at least one assigned), of the
    conventions whose reports the portal prepares (or of ``conventions``)."""
    waiting = SectionAssignment.objects.filter(report_id=OuterRef("pk")).exclude(
        status=SectionAssignment.Status.ACCEPTED
    )
    return (
        Report.objects.filter(
            status=Report.Status.DRAFT,
            round__convention__in=list(KINDS_OF_REPORT if conventions is None else conventions),
        )
        .filter(Exists(SectionAssignment.objects.filter(report_id=OuterRef("pk"))))
        .exclude(Exists(waiting))
        .annotate(due_on=Coalesce("round__extended_deadline", "round__deadline"))
    )


def _approval_deadline(pk, round_number, label, due, recipients, convention) -> Deadline:
    kind = kind_of(convention)
    return Deadline(
        kind="article15_report_approval",
        key=f"article15-approval:{pk}",
        due=due,
        title=str(label),
        url=reverse("reporting:article15-detail", args=[pk]),
        recipient_ids=recipients,
        # Lazy: the reminder renders them in its reader's language.
        context={
            "round": label,
            "round_number": round_number,
            "convention": convention,
            "report_name": kind.report_name,
            "approver": kind.approver_label,
        },
    )


def approver_user_ids(on: datetime.date) -> dict[str, tuple[int, ...]]:
    """By convention, the active users currently designated to a role that approves its
    national reports (``reporting.conventions``: Stockholm's official contact point, the Basel
    focal point, Minamata's national focal point...). One query."""
    from coordination.models import Designation

    wanted = Q()
    for code, kind in KINDS_OF_REPORT.items():
        wanted |= Q(
            convention_role__convention__code=code,
            convention_role__code__in=kind.approver_roles,
        )
    found: dict[str, set[int]] = {}
    for convention, user_id in (
        Designation.objects.current(on)
        .filter(wanted, kind=Designation.Kind.CONVENTION, person__user__is_active=True)
        .values_list("convention_role__convention__code", "person__user_id")
    ):
        found.setdefault(convention, set()).add(user_id)
    return {code: tuple(sorted(ids)) for code, ids in found.items()}


def contact_point_user_ids(on: datetime.date) -> tuple[int, ...]:
    """The Stockholm Convention's official contact point(s)."""
    return approver_user_ids(on).get(STOCKHOLM, ())


def reports_awaiting_approval(on: datetime.date):
    """Reports whose sections are all accepted: the approver of the report's own convention
    approves them."""
    reports = list(_ready_for_approval().select_related("round"))
    approvers = approver_user_ids(on) if reports else {}
    for report in reports:
        recipients = approvers.get(report.round.convention, ())
        if recipients:
            yield _approval_deadline(
                report.pk,
                report.round.number,
                report.round.label,
                report.due_on,
                recipients,
                report.round.convention,
            )


def approval_rows(me, on: datetime.date):
    """The reports awaiting approval of the conventions whose approving role this person
    holds."""
    mine = [
        code
        for code, kind in KINDS_OF_REPORT.items()
        if any(me.holds(code, role) for role in kind.approver_roles)
    ]
    if not mine:
        return None
    return rows(
        _ready_for_approval(mine),
        "article15_report_approval",
        id1="pk",
        id2="round__number",
        day="due_on",
        text1="round__label",
        text2="round__convention",
    )


def approvals_from_rows(me, on: datetime.date, found):
    for row in found:
        yield _approval_deadline(
            row["id1"], row["id2"], row["text1"], row["day"], (me.user_id,), row["text2"]
        )


KINDS = [
    DeadlineKind(
        "article15_report_due",
        _("Article 15 national reports due"),
        reports_due,
        lead_days=REPORT_LEADS,
        overdue_every_days=30,
        calendar=reports_in_range,
        person_rows=report_rows,
        from_rows=reports_from_rows,
        visible_to=perms.can_view_report,
    ),
    DeadlineKind(
        "article15_section_due",
        _("Sections of a national report assigned to your institution"),
        sections_due,
        lead_days=SECTION_LEADS,
        calendar=sections_in_range,
        person_rows=section_rows,
        from_rows=sections_from_rows,
        visible_to=perms.can_view_report,
    ),
    DeadlineKind(
        "article15_report_approval",
        _("National reports awaiting your approval"),
        reports_awaiting_approval,
        lead_days=(7, 0),
        person_rows=approval_rows,
        from_rows=approvals_from_rows,
    ),
]
