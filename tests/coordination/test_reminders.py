"""The reminder engine: once per lead time, never twice, afresh when a date moves."""

import datetime
import threading

import pytest
from django.core import mail
from django.db import connection

from coordination.models import Notification, NotificationPreference, Reminder, Task
from coordination.services import focal_point_permissions_sync, send_digests, send_due_reminders
from ncm_portal import deadlines
from tests.factories import (
    DesignationFactory,
    PersonFactory,
    UserFactory,
    workplan_with_task,
)


@pytest.fixture
def due(today) -> datetime.date:
    """The due date the tests turn around: nine days ahead, as the factory's task."""
    return today + datetime.timedelta(days=9)


def day(due: datetime.date, offset: int) -> datetime.date:
    return due + datetime.timedelta(days=offset)


@pytest.fixture
def assigned_task(db, institution, due):
    user = UserFactory(email="maria@ncm.test", full_name="Maria Santos")
    person = PersonFactory(institution=institution, user=user)
    _, task = workplan_with_task(lead=institution, due=due, assignee=person)
    return task, user


def test_lead_times(due):
    kind = deadlines.get("task_due")
    assert [deadlines.lead_for(kind, due, day(due, -d)) for d in (31, 30, 29, 8, 7, 2, 1, 0)] == [
        None,
        "30d",
        "30d",
        "30d",
        "7d",
        "7d",
        "1d",
        "0d",
    ]
    assert [deadlines.lead_for(kind, due, day(due, d)) for d in (1, 6, 7, 13, 14, 21)] == [
        None,
        None,
        "overdue-1w",
        "overdue-1w",
        "overdue-2w",
        "overdue-3w",
    ]


@pytest.mark.django_db
def test_a_due_task_is_reminded_once_at_each_lead_time(assigned_task, due):
    task, user = assigned_task
    sent_per_day = {}
    for offset in range(-35, 22):
        result = send_due_reminders(on=day(due, offset))
        again = send_due_reminders(on=day(due, offset))
        assert again["sent"] == 0, f"day {offset} sent twice"
        if result["sent"]:
            sent_per_day[offset] = result["sent"]
    assert sent_per_day == {-30: 1, -7: 1, -1: 1, 0: 1, 7: 1, 14: 1, 21: 1}
    assert [m.to for m in mail.outbox] == [[user.email]] * 7
    leads = list(Reminder.objects.order_by("created_at").values_list("lead", flat=True))
    assert leads == ["30d", "7d", "1d", "0d", "overdue-1w", "overdue-2w", "overdue-3w"]
    assert mail.outbox[0].subject == "Due in 30 days: PCB inventory"
    assert mail.outbox[3].subject == "Due today: PCB inventory"
    assert mail.outbox[4].subject == "Overdue task: PCB inventory"
    assert f"/tasks/{task.pk}/" in mail.outbox[0].body


@pytest.mark.django_db
def test_closed_tasks_are_not_reminded(assigned_task, due):
    task, _ = assigned_task
    Task.objects.filter(pk=task.pk).update(status=Task.Status.DONE)
    assert send_due_reminders(on=day(due, -7)) == {"due": 0, "sent": 0}


@pytest.mark.django_db
def test_a_moved_due_date_is_reminded_afresh(assigned_task, due):
    task, _ = assigned_task
    assert send_due_reminders(on=day(due, -7))["sent"] == 1
    Task.objects.filter(pk=task.pk).update(due_date=day(due, 7))  # postponed by a week
    # Same day, same lead time (still 7d or more away is "30d" now): a new reminder goes out.
    assert send_due_reminders(on=day(due, -7))["sent"] == 1
    assert send_due_reminders(on=day(due, -7))["sent"] == 0
    fingerprints = set(Reminder.objects.values_list("due_fingerprint", flat=True))
    assert fingerprints == {due.isoformat(), day(due, 7).isoformat()}


@pytest.mark.django_db
def test_focal_points_of_the_lead_institution_are_reminded_too(assigned_task, institution, due):
    focal = UserFactory(email="focal@ncm.test")
    DesignationFactory(person=PersonFactory(institution=institution, user=focal))
    focal_point_permissions_sync()
    send_due_reminders(on=day(due, -1))
    assert sorted(m.to[0] for m in mail.outbox) == ["focal@ncm.test", "maria@ncm.test"]


@pytest.mark.django_db
def test_reminders_speak_the_recipients_language(assigned_task, due):
    _, user = assigned_task
    user.language = "fr"
    user.save()
    send_due_reminders(on=day(due, 0))
    assert mail.outbox[0].subject == "Échéance aujourd'hui : PCB inventory"
    notification = Notification.objects.get(user=user)
    assert notification.title == mail.outbox[0].subject


@pytest.mark.django_db
def test_reminders_speak_simplified_chinese(assigned_task, due):
    _, user = assigned_task
    user.language = "zh-hans"
    user.save()
    send_due_reminders(on=day(due, 0))
    message = mail.outbox[0]
    assert message.subject == "今日到期：PCB inventory"
    assert "查看任务并报告进展：" in message.body
    # the due date written the Chinese way
    assert f"{due.year}年{due.month}月{due.day}日" in message.body


@pytest.mark.django_db
def test_portal_only_preference_sends_no_email_but_notifies(assigned_task, due):
    _, user = assigned_task
    NotificationPreference.objects.create(user=user, kind="task_due", delivery="portal")
    assert send_due_reminders(on=day(due, -7))["sent"] == 1
    assert mail.outbox == []
    notification = Notification.objects.get(user=user)
    assert notification.read_at is None and notification.emailed_at is None


@pytest.mark.django_db
def test_digest_gathers_a_days_reminders_into_one_email(assigned_task, institution, due):
    _, user = assigned_task
    NotificationPreference.objects.create(user=user, kind="task_due", delivery="digest")
    workplan_with_task(lead=institution, due=due, title="Second task", assignee=user.person)
    send_due_reminders(on=day(due, -1))
    assert mail.outbox == []
    assert send_digests(on=day(due, -1)) == 1
    assert len(mail.outbox) == 1
    assert "2 reminders" in mail.outbox[0].subject
    assert "PCB inventory" in mail.outbox[0].body and "Second task" in mail.outbox[0].body
    assert send_digests(on=day(due, -1)) == 0  # once a day
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()


@pytest.mark.django_db
def test_a_refused_email_rolls_the_batch_back_so_it_is_retried(assigned_task, monkeypatch, due):
    from django.core.mail.backends.locmem import EmailBackend

    def refuse(self, messages):
        raise OSError("mail server down")

    monkeypatch.setattr(EmailBackend, "send_messages", refuse)
    with pytest.raises(OSError):
        send_due_reminders(on=day(due, -7))
    assert not Reminder.objects.exists() and not Notification.objects.exists()
    monkeypatch.undo()
    assert send_due_reminders(on=day(due, -7))["sent"] == 1


@pytest.mark.django_db(transaction=True)
def test_two_senders_at_once_send_one_email_per_key(institution, due):
    if connection.vendor != "postgresql":
        from tests.conftest import require_service

        require_service("PostgreSQL (DATABASE_URL)", False)
    users = [UserFactory() for _ in range(20)]
    for user in users:
        person = PersonFactory(institution=institution, user=user)
        workplan_with_task(lead=institution, due=due, assignee=person)
    barrier = threading.Barrier(2)
    results, errors = [], []

    def sender():
        from django.db import connection as thread_connection

        try:
            barrier.wait()
            results.append(send_due_reminders(on=day(due, -7), batch_size=5))
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=sender) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert sum(r["sent"] for r in results) == 20
    assert len(mail.outbox) == 20
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in users)
    assert Reminder.objects.count() == 20


@pytest.mark.django_db
def test_missing_progress_reports_are_reminded_until_reported(
    secretariat, focal_point, institution, due
):
    from coordination import services

    body = services.body_create(actor=secretariat, name="Steering Committee", kind="steering")
    workplan, task = workplan_with_task(body=body, lead=institution, due=day(due, 200))
    reporting_round = services.round_open(
        actor=secretariat, workplan=workplan, title="December round", due_date=due
    )
    assert send_due_reminders(on=day(due, -7))["sent"] == 1
    (message,) = mail.outbox
    assert message.to == [focal_point.email]
    assert message.subject == "Progress report due in 7 days: December round"
    assert "1 task to report on" in message.body
    services.progress_report_submit(
        actor=focal_point,
        reporting_round=reporting_round,
        task=task,
        status="in_progress",
        percent_complete=20,
        narrative="Started",
    )
    assert send_due_reminders(on=day(due, -1)) == {"due": 0, "sent": 0}
