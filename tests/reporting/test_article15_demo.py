"""The demo's national reports: the fifth round's submitted, the sixth in progress with a section
for the demo focal point's institution to answer (or, when the demo is built more than a year after
the sixth round's deadline, submitted too); running the demo again (at a larger scale, too)
changes nothing. The rounds' deadlines are reference data, so these tests set the clock relative
to the sixth round's deadline."""

import datetime
from collections import defaultdict
from decimal import Decimal

import pytest
import time_machine
from django.core.management import call_command

from coordination.models import User
from inventories.models import CustomsRecord
from reporting import permissions
from reporting.models import Answer, Report, ReportEvent, Round, SectionAssignment

pytestmark = pytest.mark.django_db


def days_after_sixth_deadline(days: int):
    """The clock on the day ``days`` after the sixth round's deadline (before it, if negative)."""
    due = Round.objects.get(number=6).due
    moment = datetime.datetime.combine(due, datetime.time(12), tzinfo=datetime.UTC)
    return time_machine.travel(moment + datetime.timedelta(days=days), tick=True)


@pytest.mark.parametrize("days", [-60, 120])
def test_the_demo_has_a_submitted_fifth_report_and_a_sixth_in_progress_and_runs_again(days):
    with days_after_sixth_deadline(days):
        call_command("seed_demo", verbosity=0)
        check_fifth_submitted_and_sixth_in_progress()


def check_fifth_submitted_and_sixth_in_progress():
    fifth = Report.objects.get(round__number=5)
    assert (fifth.version, fifth.status) == (1, Report.Status.SUBMITTED)
    assert fifth.submitted_on == datetime.date(2022, 8, 26) and fifth.submission_reference
    assert fifth.approved_by.email == "contact.point@ncm.example"
    assert permissions.is_official_contact_point(fifth.approved_by)
    assert not fifth.assignments.exclude(status=SectionAssignment.Status.ACCEPTED).exists()

    sixth = Report.objects.get(round__number=6)
    assert sixth.status == Report.Status.DRAFT
    assert Answer.objects.filter(report=sixth, value__isnull=False).exists()
    trade = Answer.objects.get(report=sixth, question__code="B-II-6")
    assert {row["flow"] for row in trade.prefilled["rows"]} == {"import", "export"}
    assert trade.sources and all(len(s["sha256"]) == 64 for s in trade.sources)
    # The table adds up to the mass of its declarations, per flow and year; group codes (3808.59,
    # 2903.92, 3824.82) appear as groups, never as each of their chemicals.
    reported = defaultdict(Decimal)
    for row in trade.prefilled["rows"]:
        reported[(row["year"], row["flow"])] += Decimal(str(row["quantity_kg"]))
    versions = [s["dataset_version"] for s in trade.sources]
    declared = defaultdict(Decimal)
    for line in CustomsRecord.objects.filter(version_id__in=versions).exclude(match=""):
        declared[(line.declared_on.year, line.flow)] += line.net_mass_kg
    assert dict(reported) == dict(declared)
    groups = {row["code"] for row in trade.prefilled["rows"] if row["match"] == "group"}
    assert {"3808.59", "2903.92"} <= groups
    assert not {row["chemical_slug"] for row in trade.prefilled["rows"]} & {
        "aldrin",
        "chlordane",
        "heptachlor",
        "lindane",
        "toxaphene",
        "endosulfan",
        "hcb",
        "ddt",
    }
    assigned = sixth.assignments.exclude(institution=None).select_related("institution", "report")
    assert assigned.count() >= 2
    focal = User.objects.get(email="focal.point@ncm.example")
    mine = [a for a in assigned if permissions.can_answer(focal, a)]
    assert [a.section.code for a in mine] == ["B-II"]
    assert sixth.assignments.filter(status=SectionAssignment.Status.ACCEPTED).exists()

    before = (Report.objects.count(), ReportEvent.objects.count(), Answer.objects.count())
    call_command("seed_demo", scale=2, verbosity=0)
    assert (Report.objects.count(), ReportEvent.objects.count(), Answer.objects.count()) == before


def test_built_more_than_a_year_after_the_deadline_the_demo_has_the_sixth_submitted():
    with days_after_sixth_deadline(400):
        call_command("seed_demo", verbosity=0)
        sixth = Report.objects.get(round__number=6)
        assert sixth.status == Report.Status.SUBMITTED
        assert sixth.submitted_on == sixth.round.due - datetime.timedelta(days=5)
        assert sixth.approved_by.email == "contact.point@ncm.example"
        fifth = Report.objects.get(round__number=5)
        assert sixth.submission_reference != fifth.submission_reference
        assert not sixth.assignments.exclude(status=SectionAssignment.Status.ACCEPTED).exists()
        before = (Report.objects.count(), ReportEvent.objects.count())
        call_command("seed_demo", verbosity=0)
        assert (Report.objects.count(), ReportEvent.objects.count()) == before
