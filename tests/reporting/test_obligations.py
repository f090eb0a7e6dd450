"""Obligations under the conventions: the register and its sources, the instances planned from
it, the Rotterdam deadlines counted from their events, recording completion (who may, and its
audit trail), the status predicate, and the reminders and calendar they make."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse

from coordination.calendars.selectors import calendar_entries
from coordination.models import Designation
from ncm_portal import deadlines
from reporting.models import ObligationEvent, ObligationInstance
from reporting.obligations import register, selectors, services
from reporting.obligations.register import add_months
from tests.factories import days_from_today
from tests.reporting.obligations_helpers import role_holder, steering_committee

pytestmark = pytest.mark.django_db

KIND = "convention_obligation_due"


# --- The register ------------------------------------------------------------------------------


def test_every_entry_of_the_register_names_its_source_and_whether_it_is_confirmed():
    entries = register.obligations()
    assert {o.convention for o in entries.values()} == {
        "stockholm",
        "basel",
        "rotterdam",
        "minamata",
    }
    for entry in entries.values():
        assert entry.source and entry.article and entry.rule and entry.responsible_role
        for dated in entry.instances:
            assert dated.source, (entry.code, dated.label)
    minamata = {d.due: d.confirmed for d in register.get("minamata-full-report").instances}
    assert minamata[datetime.date(2021, 12, 31)] is True
    assert minamata[datetime.date(2025, 12, 31)] is False  # inferred, flagged


def test_the_register_is_documented_with_its_sources():
    readme = (register.DATA_FILE.parent / "README.md").read_text(encoding="utf-8")
    for code in register.obligations():
        assert code in readme


def test_rotterdam_deadlines_count_from_their_event():
    response = register.get("rotterdam-import-response")
    notification = register.get("rotterdam-regulatory-action")
    assert response.due_after(datetime.date(2025, 5, 31)) == datetime.date(2026, 2, 28)
    assert notification.due_after(datetime.date(2026, 1, 1)) == datetime.date(2026, 4, 1)
    assert add_months(datetime.date(2024, 1, 31), 1) == datetime.date(2024, 2, 29)


# --- Planning ---------------------------------------------------------------------------------


@pytest.fixture
def basel_focal(db):
    return role_holder("basel", "focal-point", "basel.focal@ncm.test")


@pytest.fixture
def planned(basel_focal, today):
    steering_committee("basel", "minamata", "rotterdam")
    return services.obligations_plan(on=today)


def test_planning_creates_the_basel_reports_for_the_previous_year_and_is_idempotent(
    planned, today, basel_focal
):
    basel = [i for i in planned if i.obligation == "basel-annual-report"]
    assert basel, "a Basel annual report is planned"
    for instance in basel:
        assert instance.due_on == datetime.date(instance.due_on.year, 12, 31)
        assert instance.period_start == datetime.date(instance.due_on.year - 1, 1, 1)
        assert instance.period_end == datetime.date(instance.due_on.year - 1, 12, 31)
        assert today - datetime.timedelta(days=365) <= instance.due_on
        assert instance.responsible_institution == basel_focal.person.institution
        assert instance.responsible_body.name == "Steering Committee"
        assert instance.events.get().action == ObligationEvent.Action.OPENED
    assert services.obligations_plan(on=today) == []
    call_command("plan_obligations", verbosity=0)
    assert ObligationInstance.objects.count() == len(planned)


def test_planning_copies_the_registers_doubt_about_a_date():
    created = services.obligations_plan(on=datetime.date(2024, 6, 1))
    second_full = next(i for i in created if i.obligation == "minamata-full-report")
    assert second_full.due_on == datetime.date(2025, 12, 31)
    assert second_full.due_confirmed is False
    short = next(i for i in created if i.key == "2023-12-31")
    assert short.due_confirmed is True


def test_only_those_who_manage_reports_plan(member, secretariat):
    with pytest.raises(PermissionDenied):
        services.obligations_plan(actor=member)
    assert services.obligations_plan(actor=secretariat)


# --- Status -----------------------------------------------------------------------------------


def _instance(due, **fields):
    return ObligationInstance(
        obligation="basel-annual-report", key="x", label="x", due_on=due, **fields
    )


def test_status_is_due_then_late_and_done_says_whether_it_was_on_time(today):
    due = today
    assert _instance(due).status(today) == "due"
    assert _instance(due).status(today + datetime.timedelta(days=1)) == "late"
    on_time = _instance(due, completed_on=due, completion_reference="R")
    assert on_time.status(today + datetime.timedelta(days=30)) == "done"
    assert on_time.met_on_time is True and not on_time.is_late()
    late = _instance(due, completed_on=due + datetime.timedelta(days=1))
    assert late.met_on_time is False and late.is_late()
    assert _instance(due).met_on_time is None


# --- Rotterdam events -------------------------------------------------------------------------


@pytest.fixture
def dna(db):
    return role_holder("rotterdam", "designated-national-authority", "dna@ncm.test")


def test_the_secretariat_opens_an_import_response_due_nine_months_after_the_dispatch(
    secretariat, dna, today
):
    dispatched = days_from_today(-30)
    instance = services.obligation_open(
        obligation="rotterdam-import-response",
        subject="Chemical X",
        trigger_date=dispatched,
        actor=secretariat,
    )
    assert instance.due_on == add_months(dispatched, 9)
    assert instance.responsible_role == "designated-national-authority"
    assert instance.responsible_institution == dna.person.institution
    assert instance.status(today) == "due"
    with pytest.raises(ValidationError):  # the same event twice
        services.obligation_open(
            obligation="rotterdam-import-response",
            subject="Chemical X",
            trigger_date=dispatched,
            actor=secretariat,
        )


def test_opening_refuses_the_wrong_person_a_scheduled_obligation_and_a_future_date(
    secretariat, dna
):
    with pytest.raises(PermissionDenied):
        services.obligation_open(
            obligation="rotterdam-import-response",
            subject="X",
            trigger_date=days_from_today(-1),
            actor=dna,
        )
    with pytest.raises(ValidationError):
        services.obligation_open(
            obligation="basel-annual-report",
            subject="X",
            trigger_date=days_from_today(-1),
            actor=secretariat,
        )
    with pytest.raises(ValidationError):
        services.obligation_open(
            obligation="rotterdam-regulatory-action",
            subject="X",
            trigger_date=days_from_today(1),
            actor=secretariat,
        )


# --- Recording completion ---------------------------------------------------------------------


@pytest.fixture
def basel_report(planned):
    return next(i for i in planned if i.obligation == "basel-annual-report")


def test_the_conventions_focal_point_records_the_report_as_met_with_its_history(
    basel_report, basel_focal, today
):
    done = services.obligation_complete(
        instance=basel_report, completed_on=today, reference="BC-ERS-2026-17", actor=basel_focal
    )
    assert done.status(today) == "done" and done.completed_by == basel_focal
    assert done.met_on_time is (today <= done.due_on)
    event = done.events.order_by("pk").last()
    assert event.action == ObligationEvent.Action.COMPLETED and event.actor == basel_focal
    assert event.to_state == "done"
    assert done.history.count() >= 2
    with pytest.raises(ValidationError):  # once only
        services.obligation_complete(
            instance=done, completed_on=today, reference="again", actor=basel_focal
        )


def test_completion_is_refused_to_other_conventions_roles_and_to_members(
    basel_report, member, dna, today
):
    minamata = role_holder("minamata", "national-focal-point", "mnfp@ncm.test")
    for user in (member, dna, minamata):
        with pytest.raises(PermissionDenied):
            services.obligation_complete(
                instance=basel_report, completed_on=today, reference="R", actor=user
            )


def test_completion_needs_a_reference_and_a_date_not_in_the_future(basel_report, secretariat):
    with pytest.raises(ValidationError):
        services.obligation_complete(
            instance=basel_report,
            completed_on=days_from_today(0),
            reference="  ",
            actor=secretariat,
        )
    with pytest.raises(ValidationError):
        services.obligation_complete(
            instance=basel_report, completed_on=days_from_today(2), reference="R", actor=secretariat
        )


def test_an_ended_designation_no_longer_answers_for_the_convention(basel_report, basel_focal):
    Designation.objects.filter(person=basel_focal.person).update(end_date=days_from_today(0))
    with pytest.raises(PermissionDenied):
        services.obligation_complete(
            instance=basel_report, completed_on=days_from_today(0), reference="R", actor=basel_focal
        )


# --- Reminders and calendar -------------------------------------------------------------------


def test_each_open_obligation_is_a_deadline_of_the_reminder_engine(secretariat, dna, today):
    instance = services.obligation_open(
        obligation="rotterdam-regulatory-action",
        subject="Chemical Y",
        trigger_date=days_from_today(-80),
        actor=secretariat,
    )
    kind = deadlines.get(KIND)
    found = {d.key: d for d in kind.provider(today)}
    deadline = found[f"obligation:{instance.pk}"]
    assert deadline.due == instance.due_on
    assert {secretariat.pk, dna.pk} <= set(deadline.recipient_ids)
    assert deadlines.lead_for(kind, deadline.due, today) == "30d"
    services.obligation_complete(
        instance=instance, completed_on=today, reference="FRA-1", actor=dna
    )
    assert f"obligation:{instance.pk}" not in {d.key for d in kind.provider(today)}


def test_what_needs_me_lists_an_obligation_for_the_role_holder_only(secretariat, dna, today):
    from coordination.home.selectors import me_for

    instance = services.obligation_open(
        obligation="rotterdam-import-response",
        subject="Chemical Z",
        trigger_date=days_from_today(-250),
        actor=secretariat,
    )
    key = f"obligation:{instance.pk}"
    assert key in {d.key for d in deadlines.for_person(me_for(dna, on=today), today)}
    assert key in {d.key for d in deadlines.for_person(me_for(secretariat, on=today), today)}
    basel = role_holder("basel", "focal-point", "bfp@ncm.test")
    assert key not in {d.key for d in deadlines.for_person(me_for(basel, on=today), today)}


def test_obligations_appear_in_the_calendar_month(client, secretariat, today):
    instance = services.obligation_open(
        obligation="rotterdam-regulatory-action",
        subject="Chemical W",
        trigger_date=days_from_today(-10),
        actor=secretariat,
    )
    first = instance.due_on.replace(day=1)
    entries = calendar_entries(first, first + datetime.timedelta(days=40))
    assert any(e.kind == KIND and e.title == instance.label for e in entries)
    client.force_login(secretariat)
    url = reverse("coordination:calendar") + f"?month={first:%Y-%m}"
    assert f"?month={first:%Y-%m}&amp;day={instance.due_on}" in client.get(url).content.decode()
    assert instance.label in client.get(f"{url}&day={instance.due_on}").content.decode()


def test_stockholm_is_read_from_its_rounds_and_cycles_not_copied(today):
    rows = selectors.obligation_rows(on=today, convention="stockholm")
    assert not ObligationInstance.objects.exists()
    assert rows and all(r.instance is None for r in rows)
    assert {r.obligation.code for r in rows} <= {
        "stockholm-national-report",
        "stockholm-nip-transmission",
    }


def test_the_reminder_is_mailed_once_to_the_secretariat_and_the_role_holder(
    secretariat, dna, mailoutbox
):
    from coordination.services import send_due_reminders

    instance = services.obligation_open(
        obligation="rotterdam-regulatory-action",
        subject="Chemical M",
        trigger_date=days_from_today(-60),
        actor=secretariat,
    )
    on = instance.due_on - datetime.timedelta(days=30)
    send_due_reminders(on=on)
    mine = [m for m in mailoutbox if instance.label in m.subject]
    assert {m.to[0] for m in mine} == {secretariat.email, dna.email}
    assert "Obligation due in 30 days" in mine[0].subject
    assert "Article 5(1)" in mine[0].body and "Rotterdam Convention" in mine[0].body
    send_due_reminders(on=on)
    assert len([m for m in mailoutbox if instance.label in m.subject]) == len(mine)


def test_a_convention_the_mechanism_does_not_cover_is_neither_planned_nor_shown(today):
    from coordination.models import Convention

    Convention.objects.filter(code="basel").update(covered=False)
    created = services.obligations_plan(on=today)
    assert created and not any(i.obligation.startswith("basel") for i in created)
    assert "basel" not in {item["convention"].code for item in selectors.standing(on=today)}


def test_the_daily_task_plans_once():
    from reporting.tasks import plan_obligations

    assert plan_obligations() > 0
    assert plan_obligations() == 0
