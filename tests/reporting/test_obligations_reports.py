"""A national report meets its obligation: recording the submission of a Basel annual report or
a Minamata Article 21 report records the register's instance as met (date, reference, trail) in
the same transaction; an obligation whose report the portal holds is no longer recorded by
hand; a correction leaves the obligation as its first submission met it; each page links to
the other. And the Basel rounds are generated from the register's annual rule for every year
the planner covers."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from reporting.models import ObligationEvent, ObligationInstance, Report, Round, Section
from reporting.obligations import register, reports, services
from reporting.reference import ensure_reference_data
from reporting.services import article15 as report_services
from tests.factories import days_from_today
from tests.reporting.obligations_helpers import role_holder, steering_committee
from tests.reporting.test_national_reports import _accept_everything

pytestmark = pytest.mark.django_db


@pytest.fixture
def basel_focal(db):
    return role_holder("basel", "focal-point", "basel.focal@ncm.test")


@pytest.fixture
def minamata_focal(db):
    return role_holder("minamata", "national-focal-point", "hg.focal@ncm.test")


@pytest.fixture
def planned(basel_focal, minamata_focal, today):
    steering_committee("basel", "minamata", "rotterdam")
    return services.obligations_plan(on=today)


def _instance(planned, obligation: str) -> ObligationInstance:
    return next(i for i in planned if i.obligation == obligation)


def _round_of(instance) -> Round:
    return Round.objects.get(
        convention=instance.convention.code,
        deadline=instance.due_on,
        period_end=instance.period_end,
    )


def _approved(instance, secretariat, approver) -> Report:
    report = report_services.report_start(round=_round_of(instance), actor=secretariat)
    _accept_everything(report, secretariat)
    return report_services.report_approve(report=report, actor=approver)


def _submit(report, actor, reference, day=None) -> Report:
    return report_services.report_mark_submitted(
        report=report, submitted_on=day or days_from_today(0), reference=reference, actor=actor
    )


# --- Submitting meets the obligation ----------------------------------------------------------


def test_submitting_the_basel_report_records_its_obligation_as_met_with_its_trail(
    planned, secretariat, basel_focal, today
):
    instance = _instance(planned, "basel-annual-report")
    report = _approved(instance, secretariat, basel_focal)
    assert reports.instance_for(report.round) == instance
    _submit(report, basel_focal, "BC-ERS-17", day=days_from_today(-1))
    instance.refresh_from_db()
    assert instance.completed_on == days_from_today(-1)
    assert instance.completion_reference == "BC-ERS-17"
    assert instance.completed_by == basel_focal
    assert instance.status(today) == "done"
    event = instance.events.order_by("pk").last()
    assert event.action == ObligationEvent.Action.COMPLETED
    assert (event.actor, event.note, event.to_state) == (basel_focal, "BC-ERS-17", "done")


def test_submitting_a_minamata_report_records_its_obligation_as_met(
    planned, secretariat, minamata_focal
):
    minamata = [i for i in planned if i.convention.code == "minamata"]
    if not minamata:
        pytest.skip("no Minamata report is due within the planning window on this date")
    instance = minamata[0]
    report = _approved(instance, secretariat, minamata_focal)
    _submit(report, secretariat, "MC-21-VR")
    instance.refresh_from_db()
    assert (instance.completed_on, instance.completion_reference) == (
        days_from_today(0),
        "MC-21-VR",
    )
    assert instance.events.filter(action=ObligationEvent.Action.COMPLETED).count() == 1
    # The other instances stay open.
    others = ObligationInstance.objects.exclude(pk=instance.pk).filter(convention__code="minamata")
    assert not others.done().exists()


def test_the_report_and_its_obligation_change_together_or_not_at_all(
    planned, secretariat, basel_focal, monkeypatch
):
    instance = _instance(planned, "basel-annual-report")
    report = _approved(instance, secretariat, basel_focal)

    def refuse(**kwargs):
        raise ValidationError("refused", code="refused")

    monkeypatch.setattr(services, "obligation_complete", refuse)
    with pytest.raises(ValidationError):
        _submit(report, basel_focal, "BC-ERS-18")
    report.refresh_from_db()
    instance.refresh_from_db()
    assert report.status == Report.Status.APPROVED and report.submitted_on is None
    assert instance.completed_on is None


def test_an_obligation_whose_report_the_portal_holds_is_not_recorded_by_hand(
    client, planned, secretariat, basel_focal
):
    instance = _instance(planned, "basel-annual-report")
    other = next(
        i for i in planned if i.obligation == "basel-annual-report" and i.pk != instance.pk
    )
    report_services.report_start(round=_round_of(instance), actor=secretariat)
    with pytest.raises(ValidationError) as refused:
        services.obligation_complete(
            instance=instance, completed_on=days_from_today(0), reference="R", actor=secretariat
        )
    assert refused.value.code == "report"
    # The page offers it no button, and its address sends to the report.
    client.force_login(basel_focal)
    page = client.get(reverse("reporting:obligations-convention", args=["basel"])).content.decode()
    assert reverse("reporting:obligations-complete", args=[instance.pk]) not in page
    assert reverse("reporting:obligations-complete", args=[other.pk]) in page
    response = client.get(reverse("reporting:obligations-complete", args=[instance.pk]))
    assert response.status_code == 302
    assert response.url == Report.objects.get(round=_round_of(instance)).get_absolute_url()
    # An obligation with no report in the portal is still recorded by hand.
    done = services.obligation_complete(
        instance=other, completed_on=days_from_today(0), reference="BY-HAND", actor=basel_focal
    )
    assert done.completion_reference == "BY-HAND"


def test_met_by_hand_before_the_report_was_started_stays_as_recorded(
    planned, secretariat, basel_focal
):
    instance = _instance(planned, "basel-annual-report")
    services.obligation_complete(
        instance=instance, completed_on=days_from_today(-3), reference="PAPER", actor=basel_focal
    )
    report = _approved(instance, secretariat, basel_focal)
    _submit(report, basel_focal, "BC-ERS-19")
    instance.refresh_from_db()
    assert (instance.completed_on, instance.completion_reference) == (
        days_from_today(-3),
        "PAPER",
    )
    assert Report.objects.get(pk=report.pk).status == Report.Status.SUBMITTED


def test_a_correction_leaves_the_obligation_as_the_first_submission_met_it(
    planned, secretariat, basel_focal
):
    instance = _instance(planned, "basel-annual-report")
    first = _submit(_approved(instance, secretariat, basel_focal), basel_focal, "FIRST", None)
    corrected = report_services.report_correct(
        report=first, reason="A waste code was wrong.", actor=secretariat
    )
    instance.refresh_from_db()
    assert (instance.completed_on, instance.completion_reference) == (
        days_from_today(0),
        "FIRST",
    )
    report_services.report_approve(report=corrected, actor=basel_focal)
    _submit(Report.objects.get(pk=corrected.pk), basel_focal, "SECOND")
    instance.refresh_from_db()
    assert instance.completion_reference == "FIRST"
    assert instance.events.filter(action=ObligationEvent.Action.COMPLETED).count() == 1
    # The register shows the latest version of the report beside the obligation.
    assert reports.report_for(instance).pk == corrected.pk


def test_the_stockholm_report_has_no_instance_its_register_row_reads_the_rounds(db):
    sixth = Round.objects.get(convention="stockholm", number=6)
    assert reports.instance_for(sixth) is None


def test_the_obligation_page_links_to_the_report_and_the_report_to_its_obligation(
    client, planned, secretariat, basel_focal, viewer
):
    instance = _instance(planned, "basel-annual-report")
    report = _submit(_approved(instance, secretariat, basel_focal), basel_focal, "BC-ERS-20")
    client.force_login(viewer)
    page = client.get(reverse("reporting:obligations-convention", args=["basel"])).content.decode()
    assert report.get_absolute_url() in page
    detail = client.get(report.get_absolute_url()).content.decode()
    assert 'id="report-obligation"' in detail
    assert instance.get_absolute_url() in detail


# --- Basel rounds from the register's rule ----------------------------------------------------


def _basel_rounds() -> dict[int, Round]:
    return {r.number: r for r in Round.objects.filter(convention="basel")}


@pytest.mark.parametrize("years_ahead", [0, 3, 7])
def test_every_basel_instance_the_planner_makes_has_its_round_dated_by_the_rule(
    years_ahead, basel_focal
):
    steering_committee("basel")
    on = days_from_today(365 * years_ahead)
    created = services.obligations_plan(on=on)
    entry = register.get("basel-annual-report")
    rounds = _basel_rounds()
    basel = [i for i in created if i.obligation == "basel-annual-report"]
    assert basel
    for instance in basel:
        round_ = rounds[int(instance.key)]
        assert (round_.period_start, round_.period_end) == (
            instance.period_start,
            instance.period_end,
        )
        assert round_.deadline == instance.due_on
        assert round_.deadline == datetime.date(
            round_.period_end.year + 1, entry.due_month, entry.due_day
        )
        assert Section.objects.filter(round=round_).exists(), round_.number
        assert reports.instance_for(round_) == instance
    # From the first year on, none missing.
    assert set(range(2020, max(rounds) + 1)) <= set(rounds)


def test_generating_the_rounds_is_idempotent_and_keeps_what_was_edited(today):
    Round.objects.filter(convention="basel", number=2020).update(label="Edited by hand")
    before = Round.objects.filter(convention="basel").count()
    sections = Section.objects.filter(round__convention="basel").count()
    ensure_reference_data()
    ensure_reference_data()
    services.obligations_plan(on=today)
    assert Round.objects.filter(convention="basel").count() == before
    assert Section.objects.filter(round__convention="basel").count() == sections
    assert Round.objects.get(convention="basel", number=2020).label == "Edited by hand"
    # Every year the planner covers today has its round.
    first, last = register.plan_window(today)
    for year in register.get("basel-annual-report").annual_years(first, last):
        assert year in _basel_rounds()
