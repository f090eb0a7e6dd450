"""The mechanism's performance report: each figure, the page and its PDF, who may see them, and a
cost in queries that does not grow with the data."""

import datetime
import io
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from coordination.models import (
    Activity,
    Attendance,
    Ballot,
    ConventionRole,
    Designation,
    Elector,
    EligibleVoter,
    Meeting,
    Membership,
    Participation,
    ProgressReport,
    ReportingRound,
    Task,
    Workplan,
)
from inventories.models import Dataset, DatasetType, DatasetVersion
from nip_lifecycle.models import Cycle, Step
from reporting import performance
from reporting.performance.meetings import gaps
from tests.factories import (
    BodyFactory,
    DesignationFactory,
    InstitutionFactory,
    MembershipFactory,
    PersonFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

YEAR = 2025
AFTER_THE_YEAR = datetime.date(2026, 3, 1)


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def meeting(body, day, *, status=Meeting.Status.HELD, kind=Meeting.Kind.REGULAR):
    start = at(day)
    return Meeting.objects.create(
        body=body,
        title=f"{body.name} {day}",
        kind=kind,
        start=start,
        end=start + datetime.timedelta(hours=3),
        status=status,
    )


def principal(institution, body, start, end=None, capacity=Designation.Capacity.PRINCIPAL):
    return DesignationFactory(
        person=PersonFactory(institution=institution),
        kind=Designation.Kind.REPRESENTATIVE,
        capacity=capacity,
        body=body,
        start_date=start,
        end_date=end,
    )


def task(activity, lead, *, due, start=datetime.date(2025, 1, 15), done_on=(), **fields):
    """A task saved as the portal saves it (with its history); ``done_on`` is a list of
    (day, status) changes, recorded in the history on those days."""
    item = Task(
        activity=activity,
        title=fields.pop("title", f"Task due {due}"),
        lead_institution=lead,
        start_date=start,
        due_date=due,
        **fields,
    )
    item._history_date = at(start)
    item.save()
    for day, status in done_on:
        item.status = status
        item.percent_complete = 100 if status == Task.Status.DONE else 50
        item._history_date = at(day)
        item.save()
    return item


def version(dataset, number, day, review, status=DatasetVersion.Status.VALIDATED):
    v = DatasetVersion.objects.create(
        dataset=dataset,
        number=number,
        raw_file=f"datasets/raw/test/{dataset.pk}-{number}",
        original_name="file.csv",
        sha256=f"{dataset.pk:032d}{number:032d}",
        size=100,
        status=status,
        review_status=review,
        rows_accepted=10,
    )
    DatasetVersion.objects.filter(pk=v.pk).update(uploaded_at=at(day))
    return v


def vote(ballot, institution, cast_by_capacity):
    """An institution's voice in a ballot, with its principal and alternate frozen as eligible
    voters; ``cast_by_capacity`` says which of them voted, if any."""
    elector = Elector.objects.create(ballot=ballot, institution=institution)
    voters = {
        capacity: EligibleVoter.objects.create(
            elector=elector, person=PersonFactory(institution=institution), capacity=capacity
        ).person
        for capacity in ("principal", "alternate")
    }
    if cast_by_capacity:
        Participation.objects.create(
            ballot=ballot, elector=elector, cast_by=voters[cast_by_capacity]
        )


@pytest.fixture
def mechanism(db):
    """A committee meeting four times a year and everything its year 2025 left behind."""
    body = BodyFactory(name="Technical Committee", acronym="TC", meetings_per_year=4)
    a = InstitutionFactory(name="Environment Agency", acronym="EPA")
    c = InstitutionFactory(name="Customs Service", acronym="CUS")
    d = InstitutionFactory(name="Health Ministry", acronym="MoH")
    o = InstitutionFactory(name="Observer NGO", acronym="NGO")
    MembershipFactory(body=body, institution=a)
    MembershipFactory(body=body, institution=c)
    MembershipFactory(body=body, institution=d, start_date=datetime.date(2025, 7, 1))
    MembershipFactory(body=body, institution=o, role=Membership.Role.OBSERVER)

    # Meetings: three regular and one extraordinary held, one cancelled, one the year before.
    m0 = meeting(body, datetime.date(2024, 12, 1))
    m1 = meeting(body, datetime.date(2025, 2, 10))
    m2 = meeting(body, datetime.date(2025, 5, 12))
    m3 = meeting(body, datetime.date(2025, 9, 15), status=Meeting.Status.MINUTES_APPROVED)
    m4 = meeting(body, datetime.date(2025, 11, 20), kind=Meeting.Kind.EXTRAORDINARY)
    meeting(body, datetime.date(2025, 6, 1), status=Meeting.Status.CANCELLED)
    P = Attendance.Presence
    for m, inst, presence in [
        (m0, a, P.ABSENT),
        (m1, a, P.PRINCIPAL),
        (m2, a, P.PRINCIPAL),
        (m3, a, P.ALTERNATE),
        (m4, a, P.STAND_IN),
        (m1, c, P.PRINCIPAL),
        (m2, c, P.ABSENT),
        (m3, d, P.PRINCIPAL),
        (m1, o, P.PRINCIPAL),
    ]:
        Attendance.objects.create(meeting=m, institution=inst, presence=presence)

    # Designations: the agency's principal left on 1 March and was replaced on 15 April; the
    # ministry's seat waited ten days for its principal; the alternate fills no vacancy.
    principal(a, body, datetime.date(2024, 1, 1), datetime.date(2025, 3, 1))
    principal(a, body, datetime.date(2025, 4, 15))
    principal(a, body, datetime.date(2024, 1, 1), capacity=Designation.Capacity.ALTERNATE)
    principal(c, body, datetime.date(2024, 1, 1))
    principal(d, body, datetime.date(2025, 7, 11))
    role = ConventionRole.objects.filter(convention__covered=True).first()
    DesignationFactory(
        person=PersonFactory(institution=a),
        kind=Designation.Kind.CONVENTION,
        convention_role=role,
        start_date=datetime.date(2024, 6, 1),
        end_date=datetime.date(2025, 12, 1),
    )

    # Workplan tasks with budgets.
    workplan = Workplan.objects.create(
        body=body,
        title="TC workplan 2025",
        period_start=datetime.date(2025, 1, 1),
        period_end=datetime.date(2026, 12, 31),
    )
    activity = Activity.objects.create(workplan=workplan, title="Inventories", order=1)
    DONE, OPEN = Task.Status.DONE, Task.Status.IN_PROGRESS
    early = task(
        activity,
        a,
        due=datetime.date(2025, 6, 30),
        done_on=[(datetime.date(2025, 6, 15), DONE)],
        budget_amount=Decimal("10000"),
        budget_currency="USD",
        funding_source=Task.Funding.NATIONAL,
    )
    late = task(
        activity,
        a,
        due=datetime.date(2025, 3, 31),
        done_on=[(datetime.date(2025, 5, 2), DONE)],
        budget_amount=Decimal("30000"),
        budget_currency="USD",
        funding_source=Task.Funding.DONOR,
        donor_name="GEF project",
    )
    overdue = task(
        activity,
        c,
        due=datetime.date(2025, 9, 30),
        status=OPEN,
        budget_amount=Decimal("5000"),
        budget_currency="USD",
        funding_source=Task.Funding.DONOR,
        donor_name="UNEP",
    )
    task(
        activity,
        c,
        due=datetime.date(2025, 11, 30),
        done_on=[(datetime.date(2026, 1, 10), DONE)],
        funding_source=Task.Funding.IN_KIND,
    )
    task(
        activity,
        a,
        due=datetime.date(2025, 10, 31),
        done_on=[
            (datetime.date(2025, 10, 1), DONE),
            (datetime.date(2025, 10, 5), OPEN),
            (datetime.date(2025, 11, 15), DONE),
        ],
    )
    task(
        activity,
        a,
        due=datetime.date(2025, 8, 1),
        status=Task.Status.CANCELLED,
        budget_amount=Decimal("99999"),
        budget_currency="USD",
        funding_source=Task.Funding.NATIONAL,
    )
    task(
        activity,
        d,
        start=datetime.date(2025, 6, 1),
        due=datetime.date(2026, 3, 31),
        budget_amount=Decimal("2000"),
        budget_currency="EUR",
        funding_source=Task.Funding.NATIONAL,
    )

    # A reporting round due on 30 June: one report on time, one late, one missing.
    reporting_round = ReportingRound.objects.create(
        workplan=workplan, title="Mid-year", due_date=datetime.date(2025, 6, 30)
    )
    reporting_round.tasks.set([early, late, overdue])
    for item, day in [(early, datetime.date(2025, 6, 20)), (late, datetime.date(2025, 7, 5))]:
        report = ProgressReport.objects.create(
            round=reporting_round,
            task=item,
            institution=a,
            status=DONE,
            percent_complete=100,
            narrative="Done.",
        )
        ProgressReport.objects.filter(pk=report.pk).update(submitted_at=at(day))

    # Datasets: two versions uploaded in the year (one accepted), one before, one duplicate.
    dataset = Dataset.objects.create(
        institution=c,
        dataset_type=DatasetType.CUSTOMS,
        period_start=datetime.date(2024, 1, 1),
        period_end=datetime.date(2024, 12, 31),
    )
    Review = DatasetVersion.Review
    version(dataset, 1, datetime.date(2024, 12, 31), Review.ACCEPTED)
    version(dataset, 2, datetime.date(2025, 3, 1), Review.ACCEPTED)
    version(dataset, 3, datetime.date(2025, 4, 1), Review.SUBMITTED)
    version(
        dataset,
        4,
        datetime.date(2025, 4, 2),
        Review.NOT_SUBMITTED,
        status=DatasetVersion.Status.DUPLICATE,
    )

    # A ballot closed in the year with its frozen result, and one still open.
    ballot = Ballot.objects.create(
        body=body,
        question="Adopt the PCB inventory?",
        status=Ballot.Status.CLOSED,
        opens_at=at(datetime.date(2025, 8, 20)),
        closes_at=at(datetime.date(2025, 9, 1)),
        closed_at=at(datetime.date(2025, 9, 1)),
        result={
            "electorate": 8,
            "participants": 6,
            "quorum_met": True,
            "words": "Adopted: 5 in favour, 1 against.",
        },
    )
    still_open = Ballot.objects.create(body=body, question="Open?", status=Ballot.Status.OPEN)
    # The agency voted through its principal, customs through its alternate, the ministry not.
    for inst, voter in [(a, "principal"), (c, "alternate"), (d, None)]:
        vote(ballot, inst, voter)
    vote(still_open, a, "principal")

    # NIP steps: on time, late, behind plan, ahead of a later plan, and one of the year before.
    cycle = Cycle.objects.create(
        title="NIP update 2025",
        trigger=Cycle.Trigger.NEW_LISTING,
        lead_body=body,
        technical_committee=body,
        steering_committee=body,
    )
    for number, planned, actual in [
        (1, datetime.date(2025, 3, 31), datetime.date(2025, 3, 20)),
        (2, datetime.date(2025, 6, 30), datetime.date(2025, 8, 1)),
        (3, datetime.date(2025, 9, 30), None),
        (4, datetime.date(2026, 6, 30), datetime.date(2025, 12, 1)),
        (5, datetime.date(2024, 12, 31), datetime.date(2024, 12, 30)),
    ]:
        Step.objects.create(
            cycle=cycle,
            number=number,
            name=f"Step {number}",
            needs_technical_review=False,
            needs_approval=False,
            planned_end=planned,
            actual_end=actual,
            status=Step.Status.COMPLETED if actual else Step.Status.IN_PROGRESS,
        )
    return {"body": body, "a": a, "c": c, "d": d, "o": o, "role": role, "cycle": cycle}


def report(on=AFTER_THE_YEAR):
    return performance.performance_report(year=YEAR, on=on)


def row_for(rows, key, obj):
    return next(row for row in rows if row[key] == obj)


# --- The figures -------------------------------------------------------------------------------


def test_meetings_against_the_regular_frequency(mechanism):
    row = row_for(report()["meetings"]["rows"], "body", mechanism["body"])
    assert (row["expected"], row["held"], row["extraordinary"], row["cancelled"]) == (4, 3, 1, 1)
    assert row["share"] == 75.0


def test_attendance_counts_only_meetings_where_the_institution_had_a_voting_seat(mechanism):
    rows = report()["attendance"]["rows"]
    a = row_for(rows, "institution", mechanism["a"])
    assert a["meetings"] == 4
    assert a["counts"] == [2, 1, 1, 0, 0, 0]  # principal, alternate, stand-in, excused, absent, -
    assert (a["attendance"], a["consistency"]) == (100.0, 75.0)
    c = row_for(rows, "institution", mechanism["c"])
    assert c["meetings"] == 4
    assert c["counts"] == [1, 0, 0, 0, 1, 2]  # two meetings with nothing recorded
    assert c["consistency"] == 25.0
    d = row_for(rows, "institution", mechanism["d"])  # seated from 1 July: two meetings
    assert (d["meetings"], d["counts"][0], d["consistency"]) == (2, 1, 50.0)
    assert mechanism["o"] not in [row["institution"] for row in rows]  # observers have no seat


def test_participation_in_ballots_per_institution(mechanism):
    rows = report()["attendance"]["rows"]
    votes = {
        row["institution"]: (row["ballots"], row["voted"], row["voted_by_principal"])
        for row in rows
    }
    assert votes[mechanism["a"]] == (1, 1, 1)  # the open ballot does not count
    assert votes[mechanism["c"]] == (1, 1, 0)  # cast by the alternate
    assert votes[mechanism["d"]] == (1, 0, 0)


def test_vacancies_are_the_gaps_between_principals(mechanism):
    rows = report()["vacancies"]["rows"]
    seats = {row["what"]: row for row in rows if str(row["kind"]) == "Seat"}
    agency = seats["Environment Agency (EPA) in Technical Committee"]
    assert (agency["from"], agency["to"]) == (datetime.date(2025, 3, 1), datetime.date(2025, 4, 14))
    assert agency["days"] == 45 and not agency["continues"]
    ministry = seats["Health Ministry (MoH) in Technical Committee"]
    assert (ministry["from"], ministry["days"]) == (datetime.date(2025, 7, 1), 10)
    assert "Customs Service (CUS) in Technical Committee" not in seats
    assert len(seats) == 2
    role = next(row for row in rows if row["what"] == str(mechanism["role"]))
    assert (role["from"], role["to"], role["days"]) == (
        datetime.date(2025, 12, 1),
        datetime.date(2025, 12, 31),
        31,
    )
    assert role["continues"]


def test_vacancy_gaps_helper():
    d = datetime.date
    assert gaps(d(2025, 1, 1), d(2026, 1, 1), []) == [(d(2025, 1, 1), d(2026, 1, 1))]
    assert gaps(
        d(2025, 1, 1), d(2026, 1, 1), [(d(2025, 2, 1), d(2025, 5, 1)), (d(2025, 4, 1), None)]
    ) == [(d(2025, 1, 1), d(2025, 2, 1))]


def test_tasks_on_time_late_and_overdue(mechanism):
    tasks = report()["tasks"]
    (row,) = tasks["rows"]
    # The cancelled task and the one due next year do not count; the task done in January 2026
    # was overdue at the end of 2025; the reopened task counts from its last completion.
    assert (row["total"], row["on_time"], row["late"], row["overdue"], row["not_due"]) == (
        5,
        1,
        2,
        2,
        0,
    )
    assert row["share_on_time"] == 20.0


def test_tasks_while_the_year_is_in_progress(mechanism):
    (row,) = report(on=datetime.date(2025, 10, 15))["tasks"]["rows"]
    # On 15 October: one done on time, one late, one overdue; two not yet due.
    assert (row["on_time"], row["late"], row["overdue"], row["not_due"]) == (1, 1, 1, 2)


def test_progress_reports_on_time(mechanism):
    rows = report()["reports"]["rows"]
    a = row_for(rows, "institution", mechanism["a"])
    assert (a["expected"], a["on_time"], a["late"], a["missing"], a["share"]) == (2, 1, 1, 0, 50.0)
    c = row_for(rows, "institution", mechanism["c"])
    assert (c["expected"], c["on_time"], c["missing"]) == (1, 0, 1)


def test_budget_national_against_donors(mechanism):
    rows = {row["currency"]: row for row in report()["budget"]["rows"]}
    usd = rows["USD"]
    assert usd["by_key"][Task.Funding.NATIONAL] == Decimal("10000")
    assert usd["by_key"][Task.Funding.DONOR] == Decimal("35000")
    assert usd["total"] == Decimal("45000")  # the cancelled task's budget is left out
    assert (usd["national_share"], usd["donor_share"]) == (22.2, 77.8)
    assert [(d["donor"], d["amount"]) for d in usd["donors"]] == [
        ("GEF project", Decimal("30000")),
        ("UNEP", Decimal("5000")),
    ]
    assert rows["EUR"]["national_share"] == 100.0  # a task running into next year counts


def test_datasets_uploaded_and_accepted(mechanism):
    (row,) = report()["datasets"]["rows"]
    assert row["dataset__institution"] == mechanism["c"].pk
    assert (row["uploaded"], row["submitted"], row["accepted"]) == (2, 2, 1)


def test_ballots_and_turnout(mechanism):
    ballots = report()["ballots"]
    assert ballots["count"] == 1
    assert (ballots["electorate"], ballots["participants"], ballots["turnout"]) == (8, 6, 75.0)
    assert ballots["quorum_met"] == 1


def test_nip_steps_against_plan(mechanism):
    steps = report()["nip_steps"]
    counts = {str(label): n for label, n in steps["counts"]}
    assert counts["On time"] == 2 and counts["Late"] == 1 and counts["Behind plan"] == 1
    late = next(row for row in steps["rows"] if row["step"].number == 2)
    assert late["delay"] == 32
    assert 5 not in [row["step"].number for row in steps["rows"]]


def test_year_boundaries_follow_the_time_zone(mechanism, settings):
    """A meeting at 10:00 on 1 January in Kiritimati (UTC+14) is on 31 December in UTC."""
    body = mechanism["body"]
    start = datetime.datetime(2026, 1, 1, 10, tzinfo=timezone.get_fixed_timezone(840))
    Meeting.objects.create(
        body=body,
        title="New Year",
        start=start,
        end=start + datetime.timedelta(hours=2),
        status=Meeting.Status.HELD,
    )
    held = row_for(report()["meetings"]["rows"], "body", body)["held"]
    assert held == 4
    with timezone.override("Pacific/Kiritimati"):
        assert row_for(report()["meetings"]["rows"], "body", body)["held"] == 3


# --- Pages ---------------------------------------------------------------------------------------


SECTION_TITLES = [
    "Meetings held against the regular frequency",
    "Attendance, participation and consistency of representation",
    "Vacancies and how long they lasted",
    "Tasks on time, late and overdue",
    "Progress reports submitted on time",
    "Budget by funding source",
    "Datasets submitted and accepted",
    "Ballots held and turnout",
    "NIP steps completed against plan",
]


def test_the_page_shows_the_chosen_year_with_its_charts(client, secretariat, mechanism):
    client.force_login(secretariat)
    response = client.get(reverse("reporting:performance"), {"year": YEAR})
    assert response.status_code == 200
    assert response.context["period"].year == YEAR
    html = response.content.decode()
    for title in SECTION_TITLES:
        assert title in html
    for chart in ("meetings", "attendance", "tasks", "budget", "datasets"):
        assert f'aria-labelledby="chart-{chart}-title"' in html
    assert "<script" not in html.split("<main", 1)[1]
    assert "Environment Agency (EPA) in Technical Committee" in html


def test_the_default_year_is_the_last_complete_one(client, member):
    client.force_login(member)
    for query in ({}, {"year": "not a year"}, {"year": "1900"}):
        response = client.get(reverse("reporting:performance"), query)
        assert response.status_code == 200
        assert response.context["period"].year == timezone.localdate().year - 1


def test_the_pdf_carries_the_same_sections(client, admin_user, mechanism):
    from pypdf import PdfReader

    client.force_login(admin_user)
    response = client.get(reverse("reporting:performance-pdf"), {"year": YEAR})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "ncm-performance-2025.pdf" in response["Content-Disposition"]
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    text = " ".join(text.split())
    for title in SECTION_TITLES:
        assert title in text
    assert "Performance of the mechanism in 2025" in text


def test_the_pdf_in_chinese_sets_every_character_charts_included(
    client, admin_user, mechanism, caplog
):
    from tests.pdfs import embedded_fonts, pdf_text

    client.force_login(admin_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    response = client.get(reverse("reporting:performance-pdf"), {"year": YEAR})
    assert response.status_code == 200
    assert "2025年本机制的绩效" in pdf_text(response.content)
    assert "Noto-Sans-SC" in embedded_fonts(response.content)
    assert not [r for r in caplog.records if "notdef" in r.getMessage()]


@pytest.mark.parametrize("name", ["reporting:performance", "reporting:performance-pdf"])
def test_anonymous_visitors_are_sent_to_sign_in(client, name):
    url = reverse(name)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name", ["reporting:performance", "reporting:performance-pdf"])
def test_viewers_may_not_see_the_report(client, viewer, name):
    client.force_login(viewer)
    assert client.get(reverse(name)).status_code == 403


@pytest.mark.parametrize("role", ["secretariat", "member", "focal_point", "administrator"])
def test_the_mechanism_may_see_the_report(client, role):
    client.force_login(UserFactory(role=role))
    assert client.get(reverse("reporting:performance")).status_code == 200


def test_the_report_is_read_only(client, secretariat):
    client.force_login(secretariat)
    assert client.post(reverse("reporting:performance")).status_code == 405


# --- Cost ----------------------------------------------------------------------------------------


def grow(mechanism, n):
    """``n`` more seated institutions with attendance, designations, tasks, reports, datasets,
    ballots and NIP steps."""
    body, cycle = mechanism["body"], mechanism["cycle"]
    meetings = list(Meeting.objects.filter(body=body, status=Meeting.Status.HELD))
    workplan = Workplan.objects.get(body=body)
    activity = Activity.objects.create(workplan=workplan, title="More")
    reporting_round = ReportingRound.objects.create(
        workplan=workplan, title=f"Round {n}", due_date=datetime.date(2025, 9, 30)
    )
    base = Step.objects.filter(cycle__isnull=False).count()
    for i in range(n):
        inst = InstitutionFactory()
        MembershipFactory(body=body, institution=inst)
        principal(inst, body, datetime.date(2024, 1, 1), datetime.date(2025, 5, 1))
        principal(inst, body, datetime.date(2025, 6, 1))
        for m in meetings:
            Attendance.objects.create(meeting=m, institution=inst, presence="principal")
        item = task(
            activity,
            inst,
            due=datetime.date(2025, 7, 1),
            budget_amount=Decimal(100),
            budget_currency="XOF" if i % 2 else "USD",
            funding_source=Task.Funding.DONOR,
            donor_name=f"Donor {i}",
            done_on=[(datetime.date(2025, 8, 1), "done")],
        )
        reporting_round.tasks.add(item)
        ProgressReport.objects.create(
            round=reporting_round,
            task=item,
            institution=inst,
            status="done",
            percent_complete=100,
            narrative="Done.",
        )
        dataset = Dataset.objects.create(
            institution=inst,
            dataset_type=DatasetType.PCB,
            period_start=datetime.date(2024, 1, 1),
            period_end=datetime.date(2024, 12, 31),
        )
        version(dataset, 1, datetime.date(2025, 5, 5), DatasetVersion.Review.ACCEPTED)
        ballot = Ballot.objects.create(
            body=body,
            question=f"Question {i}",
            status=Ballot.Status.CLOSED,
            closed_at=at(datetime.date(2025, 10, 1)),
            result={"electorate": 5, "participants": 3, "quorum_met": True, "words": "x"},
        )
        vote(ballot, inst, "principal" if i % 2 else "alternate")
        Step.objects.create(
            cycle=cycle,
            number=base + i + 10,
            name="More",
            needs_technical_review=False,
            needs_approval=False,
            planned_end=datetime.date(2025, 10, 1),
        )


def page_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_report_costs_the_same_queries_with_more_data(
    client, secretariat, mechanism, django_assert_max_num_queries
):
    with django_assert_max_num_queries(19):
        small_report = report()
    assert len(small_report["attendance"]["rows"]) == 3
    client.force_login(secretariat)
    url = reverse("reporting:performance") + f"?year={YEAR}"
    small = page_queries(client, url)
    grow(mechanism, 30)
    with django_assert_max_num_queries(19):
        large_report = report()
    assert len(large_report["attendance"]["rows"]) == 33
    assert large_report["ballots"]["count"] == 31
    assert page_queries(client, url) == small


def test_the_charts_are_drawn_from_the_figures(mechanism):
    from reporting.charts_performance import add_charts

    drawn = add_charts(report())
    meetings = drawn["meetings"]["chart"]
    held = next(b for b in meetings.bars if b.label == "TC" and b.series == "Held (regular)")
    assert held.value == 3
    attendance = drawn["attendance"]["chart"]
    assert {c.label for c in attendance.categories} == {"EPA", "CUS", "MoH"}
    assert not drawn["attendance"]["chart_limited"]
    budget = drawn["budget"]["chart"]
    donors = next(b for b in budget.bars if b.label == "USD" and b.series == "Donors")
    assert donors.value == Decimal("35000")
    tasks = drawn["tasks"]["chart"]
    assert sum(b.value for b in tasks.bars) == 5


def test_the_attendance_chart_shows_the_least_consistent_institutions(mechanism):
    from reporting.charts_performance import CHART_INSTITUTIONS, add_charts

    grow(mechanism, CHART_INSTITUTIONS)
    section = add_charts(report())["attendance"]
    assert section["chart_limited"] and section["charted"] == CHART_INSTITUTIONS
    shown = {c.label for c in section["chart"].categories}
    assert {"CUS", "MoH"} <= shown  # 25 % and 50 % consistent, the others 75 % or more


def test_rounds_not_yet_due_are_not_missing(mechanism):
    reports = report(on=datetime.date(2025, 6, 29))["reports"]
    assert reports["totals"]["expected"] == 0
    reports = report(on=datetime.date(2025, 6, 30))["reports"]
    assert reports["totals"]["expected"] == 3
