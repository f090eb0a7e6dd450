"""The transmission deadline and the planned ends of steps reach the reminder engine once."""

import datetime

import pytest
from django.core import mail

from coordination.models import Notification, Reminder
from coordination.reminders.services import send_due_reminders
from nip_lifecycle import services
from nip_lifecycle.deadline_providers import steps_in_range, transmissions_in_range
from tests.nip_lifecycle.factories import reference

pytestmark = pytest.mark.django_db


def test_the_transmission_deadline_is_reminded_once(mechanism, cycle):
    services.amendment_add(
        actor=mechanism.secretariat,
        cycle=cycle,
        reference=reference("cop-10"),
        party_entry_into_force=datetime.date(2024, 5, 30),
    )
    due = datetime.date(2026, 5, 30)
    on = due - datetime.timedelta(days=7)
    first = send_due_reminders(on=on)
    assert first["sent"] >= 1
    reminder = Reminder.objects.get(kind="nip_transmission_due")
    assert reminder.recipient == mechanism.secretariat and reminder.lead == "7d"
    assert Notification.objects.filter(kind="nip_transmission_due").count() == 1
    subjects = [m.subject for m in mail.outbox]
    assert f"NIP transmission due in 7 days: {cycle.title}" in subjects
    assert send_due_reminders(on=on)["sent"] == 0  # a second run sends nothing
    assert Reminder.objects.filter(kind="nip_transmission_due").count() == 1


def test_a_transmitted_cycle_is_not_reminded(mechanism, cycle):
    services.amendment_add(actor=mechanism.secretariat, cycle=cycle, reference=reference("cop-4"))
    cycle.status = "abandoned"
    cycle.save(update_fields=["status"])
    send_due_reminders(on=datetime.date(2012, 8, 20))
    assert not Reminder.objects.filter(kind="nip_transmission_due").exists()


def test_a_step_planned_end_is_reminded_and_on_the_calendar(mechanism, cycle):
    step = cycle.steps.get(number=5)
    services.step_update(
        actor=mechanism.secretariat,
        step=step,
        responsible_body=mechanism.tc,
        planned_start=datetime.date(2026, 1, 10),
        planned_end=datetime.date(2026, 6, 30),
    )
    send_due_reminders(on=datetime.date(2026, 6, 30))
    reminders = Reminder.objects.filter(kind="nip_step_due")
    # The lead body's secretariat and the technical committee's reviewer.
    assert {r.recipient.email for r in reminders} == {"secretariat@ncm.test", "reviewer@ncm.test"}
    assert send_due_reminders(on=datetime.date(2026, 6, 30))["sent"] == 0
    in_june = list(steps_in_range(datetime.date(2026, 6, 1), datetime.date(2026, 6, 30)))
    assert [d.key for d in in_june] == [f"nip-step:{step.pk}"]
    assert list(transmissions_in_range(datetime.date(2026, 6, 1), datetime.date(2026, 6, 30))) == []
