"""Notification tasks, run by a real Celery worker on Redis, and safe to run twice."""

import datetime
import threading
import time

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from coordination import services, tasks
from coordination.models import Designation, Role
from ncm_portal.celery import app
from tests.conftest import require_service
from tests.factories import DesignationFactory, PersonFactory, UserFactory, convention_role


def wait_for(condition, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


class Finished:
    """The ids of the tasks the in-process worker has finished running, as they finish."""

    def __init__(self):
        self.ids: set[str] = set()
        self.changed = threading.Condition()

    def record(self, task_id=None, **kwargs):
        with self.changed:
            self.ids.add(task_id)
            self.changed.notify_all()

    def wait(self, *results, timeout=30.0) -> bool:
        wanted = {r.id for r in results}
        with self.changed:
            return self.changed.wait_for(lambda: wanted <= self.ids, timeout=timeout)


@pytest.fixture
def finished():
    """Lets a test wait until given tasks have run, instead of sleeping to see nothing happen."""
    from celery.signals import task_postrun

    tracker = Finished()
    task_postrun.connect(tracker.record, weak=False)
    yield tracker
    task_postrun.disconnect(tracker.record)


@pytest.fixture
def worker():
    require_service("Redis (REDIS_URL)", bool(settings.REDIS_URL))
    from celery.contrib.testing.worker import start_worker

    app.control.purge()
    with start_worker(app, perform_ping_check=False, loglevel="WARNING", shutdown_timeout=30):
        yield


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_worker_emails_the_designated_person_and_then_the_secretariat(
    worker, finished, institution
):
    secretariat = UserFactory(email="sec@ncm.test", role=Role.SECRETARIAT)
    UserFactory(email="sec2@ncm.test", role=Role.SECRETARIAT, language="fr")
    person = PersonFactory(institution=institution, email="amara@gov.test", name="Amara")

    designation = services.designation_create(
        actor=secretariat,
        person=person,
        institution=institution,
        kind=Designation.Kind.CONVENTION,
        convention_role=convention_role("stockholm", "national-focal-point"),
        start_date=timezone.localdate() - datetime.timedelta(days=335),
    )
    assert wait_for(lambda: len(mail.outbox) == 1), "the worker sent nothing"
    assert mail.outbox[0].to == ["amara@gov.test"]
    assert "Stockholm Convention: National focal point" in mail.outbox[0].subject

    services.designation_end(
        actor=secretariat,
        designation=designation,
        end_date=timezone.localdate() - datetime.timedelta(days=35),
        handover_note="The sixth national report draft is in the library.",
    )
    assert wait_for(lambda: len(mail.outbox) == 3), [m.to for m in mail.outbox]
    ended = mail.outbox[1:]
    assert sorted(m.to[0] for m in ended) == ["sec2@ncm.test", "sec@ncm.test"]
    assert all("sixth national report draft" in m.body for m in ended)

    # A retry, a second delivery or a manual re-run sends nothing more.
    again = [
        tasks.designation_ended_notify.delay(designation.pk),
        tasks.designation_created_notify.delay(designation.pk),
    ]
    assert finished.wait(*again), "the worker did not run the repeated tasks"
    assert len(mail.outbox) == 3
    designation.refresh_from_db()
    assert designation.notified_at and designation.end_notified_at


@pytest.mark.django_db
def test_tasks_are_idempotent_when_run_in_process(institution, secretariat):
    designation = DesignationFactory(person=PersonFactory(institution=institution))
    assert tasks.designation_created_notify(designation.pk) == 1
    assert tasks.designation_created_notify(designation.pk) == 0
    assert tasks.designation_ended_notify(designation.pk) == 0  # not ended: nothing to say


@pytest.mark.django_db
def test_people_without_email_are_skipped(institution):
    designation = DesignationFactory(person=PersonFactory(institution=institution, email=""))
    assert tasks.designation_created_notify(designation.pk) == 0
    assert mail.outbox == []


def test_beat_schedule_names_registered_tasks():
    app.loader.import_default_modules()
    for entry in app.conf.beat_schedule.values():
        assert entry["task"] in app.tasks, entry["task"]


def test_celery_is_configured_for_reliability():
    conf = app.conf
    assert conf.task_serializer == "json"
    assert conf.accept_content == ["json"]
    assert conf.task_acks_late is True
    assert conf.task_time_limit and conf.task_soft_time_limit < conf.task_time_limit


@pytest.mark.django_db
def test_mail_goes_out_in_the_recipients_language(institution):
    person = PersonFactory(institution=institution, language="fr", email="claire@gov.test")
    designation = DesignationFactory(person=person)
    tasks.designation_created_notify(designation.pk)
    assert mail.outbox[0].subject.startswith("Vous avez été désigné")


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_beat_reminder_task_runs_on_the_worker_and_sends_once(worker, finished, institution):
    from coordination.models import Reminder
    from tests.factories import workplan_with_task

    user = UserFactory(email="assignee@ncm.test")
    person = PersonFactory(institution=institution, user=user)
    workplan_with_task(lead=institution, due=timezone.localdate(), assignee=person)
    beats = [tasks.send_due_reminders.delay(), tasks.send_due_reminders.delay()]  # at once
    assert finished.wait(*beats), "the worker did not run both beats"
    assert Reminder.objects.filter(sent_at__isnull=False).count() == 1
    assert [m.to for m in mail.outbox] == [["assignee@ncm.test"]]
    assert mail.outbox[0].subject == "Due today: PCB inventory"
