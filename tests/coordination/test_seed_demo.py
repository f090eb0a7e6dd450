import datetime

import pytest
import time_machine
from django.core.management import call_command
from django.db import models
from django.urls import reverse
from django.utils import timezone

from coordination.models import (
    Attendance,
    Body,
    Designation,
    DocumentVersion,
    ExternalEvent,
    Institution,
    Meeting,
    Membership,
    Minutes,
    Person,
    ProgressReport,
    Role,
    Task,
    User,
    WorkplanRevision,
)
from coordination.registry.selectors import vacancy_warnings

pytestmark = pytest.mark.django_db
MODELS = [
    Institution,
    Person,
    Body,
    Membership,
    Designation,
    User,
    Task,
    WorkplanRevision,
    ProgressReport,
    Meeting,
    Attendance,
    Minutes,
    DocumentVersion,
    ExternalEvent,
]


def snapshot():
    return {model.__name__: model.objects.count() for model in MODELS}


def test_seed_builds_a_mechanism_shaped_like_real_ones():
    call_command("seed_demo", verbosity=0)
    ministry = Institution.objects.get(acronym="MoEC")
    assert ministry.children.filter(acronym="POPs Unit").exists()
    ncm = Body.objects.get(acronym="NCM")
    members = Membership.objects.current().filter(body=ncm).exclude(institution=ministry)
    assert members.count() >= 14
    kinds = set(Body.objects.values_list("kind", flat=True))
    assert {"ncm", "steering", "technical", "inventory_team"} <= kinds
    # Every convention role has a principal and an alternate.
    for code in ("stockholm", "basel", "rotterdam", "minamata"):
        current = Designation.objects.current().filter(
            kind="convention", convention_role__convention__code=code
        )
        assert set(current.values_list("capacity", flat=True)) == {"principal", "alternate"}
    ended = Designation.objects.exclude(handover_note="")
    assert ended.count() >= 2 and all(d.end_date for d in ended)
    vacancies = [w for w in vacancy_warnings() if w.kind != "ending_soon"]
    assert [w.message for w in vacancies] == [
        "Ministry of Defence (MoD) has no principal representative in "
        "National Coordination Mechanism on Chemicals and Waste."
    ]
    assert {u.role for u in User.objects.all()} == set(Role)


def test_seed_twice_changes_nothing():
    call_command("seed_demo", verbosity=0)
    first = snapshot()
    call_command("seed_demo", verbosity=0)
    assert snapshot() == first


def test_demo_accounts_sign_in_and_focal_point_keeps_customs(client):
    call_command("seed_demo", verbosity=0)
    signed_in = client.post(
        reverse("login"), {"username": "focal.point@ncm.example", "password": "ncm-demo-2026"}
    )
    assert signed_in.status_code == 302
    focal = User.objects.get(email="focal.point@ncm.example")
    assert focal.has_perm("coordination.change_institution", Institution.objects.get(acronym="VCS"))
    assert not focal.has_perm(
        "coordination.change_institution", Institution.objects.get(acronym="MoH")
    )


def test_scale_multiplies_institutions_and_people_idempotently():
    call_command("seed_demo", verbosity=0)
    base = snapshot()
    call_command("seed_demo", scale=3, customs_rows=0, verbosity=0)
    scaled = snapshot()
    assert scaled["Institution"] == base["Institution"] + 32
    assert scaled["Person"] == base["Person"] + 320
    call_command("seed_demo", scale=3, customs_rows=0, verbosity=0)
    assert snapshot() == scaled


def test_scale_grows_every_part_in_proportion_and_runs_again_adding_nothing():
    from inventories.models import CustomsRecord, CustomsTotal, DatasetVersion

    call_command("seed_demo", verbosity=0)
    base = snapshot()
    call_command("seed_demo", scale=2, customs_rows=300, verbosity=0)
    one = snapshot()
    call_command("seed_demo", scale=3, customs_rows=300, verbosity=0)
    two = snapshot()
    grown = {name: one[name] - base[name] for name in base}
    assert grown["Institution"] == 16 and grown["Person"] == 160
    assert grown["Task"] == 645 and grown["Meeting"] == 64 and grown["Body"] == 1
    assert grown["Attendance"] > 16 * 40  # the held meetings, one line per member
    # A second region adds as much again (attendance patterns differ by region).
    for name in ("Institution", "Person", "Task", "Meeting", "Body", "Membership", "Designation"):
        assert two[name] - one[name] == grown[name], name
    tasks = Task.objects.filter(activity__workplan__body__acronym="RCC02")
    assert tasks.count() == 645
    assert tasks.filter(assignee__institution=models.F("lead_institution")).count() == 645
    overdue = [t for t in tasks if t.is_overdue()]
    assert overdue and len(overdue) < 645 // 2
    assert tasks.filter(budget_amount__isnull=False).exists()
    held = Meeting.objects.filter(body__acronym="RCC02", status="held")
    assert (
        held.exists() and Attendance.objects.filter(meeting__in=held).count() == 16 * held.count()
    )
    extract = DatasetVersion.objects.get(original_name="vcs-declarations-2024-national-300.csv")
    assert extract.review_status == "accepted" and extract.rows_accepted == 300
    assert CustomsRecord.objects.filter(version=extract).count() == 300
    assert CustomsTotal.objects.filter(version=extract).exists()
    versions = DatasetVersion.objects.count()
    call_command("seed_demo", scale=3, customs_rows=300, verbosity=0)
    assert snapshot() == two
    assert DatasetVersion.objects.count() == versions


def test_the_customs_extract_grows_with_the_scale_by_default(monkeypatch):
    from coordination.management.commands import seed_demo
    from inventories.models import DatasetVersion

    # At --scale 32 (31 regions) the extract has FULL_CUSTOMS_ROWS lines; here 3,100 for speed.
    assert seed_demo.FULL_SCALE == 32 and seed_demo.FULL_CUSTOMS_ROWS == 1_000_000
    monkeypatch.setattr(seed_demo, "FULL_CUSTOMS_ROWS", 3100)
    call_command("seed_demo", scale=3, verbosity=0)
    extract = DatasetVersion.objects.get(original_name__startswith="vcs-declarations-2024-")
    assert extract.rows_accepted == 3100 * 2 // 31 == 200


def test_seed_has_two_years_of_meetings_with_attendance_patterns():
    from coordination.meetings.selectors import body_participation

    call_command("seed_demo", verbosity=0)
    steering = Body.objects.get(acronym="SC")
    rows = {row["institution"]: row for row in body_participation(steering)}
    assert rows["Ministry of Economy and Industry"]["share"] < 50  # often absent
    assert rows["Ministry of Agriculture"]["stand_in"] >= 2  # often sends stand-ins
    assert Meeting.objects.filter(status="minutes_approved").count() >= 8
    assert Meeting.objects.filter(status="convened").exists()
    assert ExternalEvent.objects.filter(kind="cop").count() == 2
    assert Task.objects.filter(status__in=["not_started", "in_progress", "delayed"]).exists()


def test_the_demo_is_current_on_the_day_it_is_built_and_stays_put_when_run_later():
    """Built a year from now, the demo still has a plan under way, a round about to fall due, a
    meeting coming and a vote open; run again a month after that, it adds and moves nothing."""
    from coordination.models import Ballot, ReportingRound, Workplan
    from nip_lifecycle.demo import CURRENT_TITLE
    from nip_lifecycle.models import Cycle, Step

    with time_machine.travel(timezone.now() + datetime.timedelta(days=365), tick=True):
        call_command("seed_demo", verbosity=0)
        today, now = timezone.localdate(), timezone.now()
        workplan = Workplan.objects.get(body__acronym="SC", title__startswith="Joint workplan")
        assert workplan.period_start <= today <= workplan.period_end
        assert workplan.revisions.filter(status=WorkplanRevision.Status.ADOPTED).exists()
        (progress_round,) = ReportingRound.objects.filter(workplan=workplan)
        assert today < progress_round.due_date <= today + datetime.timedelta(days=14)
        reported = ProgressReport.objects.filter(round=progress_round).count()
        assert 0 < reported < progress_round.tasks.count()  # some reports in, some missing

        meetings = Meeting.objects.all()
        convened = meetings.filter(status=Meeting.Status.CONVENED, start__gt=now)
        assert convened.filter(start__lte=now + datetime.timedelta(days=14)).exists()
        assert meetings.filter(
            status=Meeting.Status.PLANNED,
            start__gt=now + datetime.timedelta(days=14),
            start__lte=now + datetime.timedelta(days=62),
        ).exists()
        past_year = meetings.filter(start__lt=now, start__gte=now - datetime.timedelta(days=365))
        assert past_year.filter(minutes__isnull=False).distinct().count() >= 4
        assert Ballot.objects.filter(
            status=Ballot.Status.OPEN,
            closes_at__gt=now,
            closes_at__lte=now + datetime.timedelta(days=7),
        ).exists()
        assert any(w.kind == "ending_soon" for w in vacancy_warnings())

        current = Step.objects.get(
            cycle=Cycle.objects.get(title=CURRENT_TITLE), status=Step.Status.IN_PROGRESS
        )
        assert current.actual_start <= today <= current.planned_end

        first = snapshot()
        due = progress_round.due_date
    with time_machine.travel(timezone.now() + datetime.timedelta(days=400), tick=True):
        call_command("seed_demo", verbosity=0)
        assert snapshot() == first
        assert ReportingRound.objects.get().due_date == due
