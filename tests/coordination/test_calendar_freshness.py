"""The calendar's month and list are cached fragments (coordination.fragments.CALENDAR): each
kind of record that feeds them shows on the very next request after the service that changes
it, and the cached month holds nothing that depends on who looks."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from coordination import services
from coordination.calendars import services as calendars
from coordination.models import Task
from coordination.workplans import services as workplans
from tests.factories import BodyFactory, days_from_today, workplan_with_task

pytestmark = pytest.mark.django_db


@pytest.fixture
def listed(client, admin_user):
    """The calendar's list of the month of ``day`` (every entry by its title)."""
    client.force_login(admin_user)

    def fetch(day, **params):
        query = {"month": f"{day:%Y-%m}", "view": "list", **params}
        response = client.get(reverse("coordination:calendar"), query)
        assert response.status_code == 200
        return response.content.decode()

    return fetch


def _moment(day, hour=10):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def test_meetings(listed, committed, admin_user):
    day = days_from_today(20)
    body = BodyFactory(acronym="TC")
    assert "Fourth regular meeting" not in listed(day)
    meeting = committed(
        services.meeting_create,
        actor=admin_user,
        body=body,
        title="Fourth regular meeting",
        kind="regular",
        start=_moment(day),
        end=_moment(day, 13),
        time_zone="UTC",
        modality="online",
        online_link="https://meet.example.org/tc",
    )
    assert "Fourth regular meeting" in listed(day)
    committed(services.meeting_update, actor=admin_user, meeting=meeting, title="Fifth meeting")
    html = listed(day)
    assert "Fifth meeting" in html and "Fourth regular" not in html
    committed(services.body_update, actor=admin_user, body=body, acronym="TECH")
    assert "TECH: Fifth meeting" in listed(day)
    committed(services.meeting_cancel, actor=admin_user, meeting=meeting)
    assert "Fifth meeting" not in listed(day)


def test_external_events(listed, committed, admin_user):
    day = days_from_today(25)
    event = committed(
        calendars.external_event_save,
        actor=admin_user,
        title="COP-13 of the Stockholm Convention",
        kind="cop",
        start=_moment(day),
        end=_moment(day, 18),
        time_zone="UTC",
    )
    assert "COP-13 of the Stockholm Convention" in listed(day)
    committed(
        calendars.external_event_save,
        actor=admin_user,
        event=event,
        title="COP-14 of the Stockholm Convention",
        kind="cop",
        start=_moment(day),
        end=_moment(day, 18),
        time_zone="UTC",
    )
    html = listed(day)
    assert "COP-14" in html and "COP-13" not in html


def test_tasks_and_progress_rounds(client, listed, committed, admin_user):
    day = days_from_today(15)
    workplan, task = workplan_with_task(title="PCB inventory", due=days_from_today(200))
    assert "PCB inventory" not in listed(day)
    committed(workplans.task_update, actor=admin_user, task=task, due_date=day)
    assert "PCB inventory" in listed(day)
    month = client.get(reverse("coordination:calendar"), {"month": f"{day:%Y-%m}"})
    assert "1 deadline" in month.content.decode()  # the month's grid counts it
    committed(workplans.task_update, actor=admin_user, task=task, title="PCB phase-out")
    assert "PCB phase-out" in listed(day)
    committed(workplans.task_update, actor=admin_user, task=task, status=Task.Status.DONE)
    assert "PCB phase-out" not in listed(day)
    month = client.get(reverse("coordination:calendar"), {"month": f"{day:%Y-%m}"})
    assert "1 deadline" not in month.content.decode()

    committed(workplans.task_update, actor=admin_user, task=task, status=Task.Status.IN_PROGRESS)
    reporting_round = committed(
        workplans.round_open,
        actor=admin_user,
        workplan=workplan,
        title="Before the December meeting",
        due_date=day,
    )
    assert "Before the December meeting" in listed(day)
    committed(workplans.round_close, actor=admin_user, reporting_round=reporting_round)
    assert "Before the December meeting" not in listed(day)


def test_obligations_under_the_conventions(listed, committed, secretariat):
    from reporting.obligations import services as obligations
    from tests.reporting.obligations_helpers import role_holder

    role_holder("rotterdam", "designated-national-authority", "dna@ncm.test")
    instance = committed(
        obligations.obligation_open,
        obligation="rotterdam-regulatory-action",
        subject="Chemical W",
        trigger_date=days_from_today(-10),
        actor=secretariat,
    )
    assert instance.label in listed(instance.due_on)


def test_nip_steps(listed, committed, secretariat):
    from nip_lifecycle.services import steps
    from tests.nip_lifecycle.factories import Mechanism

    cycle = Mechanism(secretariat).cycle()
    step = cycle.steps.order_by("number").first()
    day = days_from_today(40)
    html = listed(day)
    committed(
        steps.step_update,
        actor=secretariat,
        step=step,
        responsible_body=step.responsible_body,
        planned_start=days_from_today(-10),
        planned_end=day,
    )
    after = listed(day)
    assert after.count(f"/steps/{step.pk}/") > html.count(f"/steps/{step.pk}/")


def test_the_cached_month_holds_nothing_of_who_looks(client, admin_user, viewer, committed):
    """The month is built for the secretariat and read from the cache by a viewer: the same
    grid, without the secretariat's button, which lies outside the cached part."""
    day = days_from_today(12)
    committed(
        calendars.external_event_save,
        actor=admin_user,
        title="Regional workshop",
        kind="other",
        start=_moment(day),
        end=_moment(day, 16),
        time_zone="UTC",
    )
    url = reverse("coordination:calendar") + f"?month={day:%Y-%m}"
    client.force_login(admin_user)
    built = client.get(url).content.decode()
    assert "Add an external event" in built
    client.force_login(viewer)
    read = client.get(url).content.decode()
    assert "Add an external event" not in read

    def grid(html):
        return html[html.index('<ul class="list-group calendar-list') : html.index("</table>")]

    assert grid(read) == grid(built) and "Regional workshop" in grid(read)
    other = BodyFactory()
    filtered = client.get(url + f"&body={other.pk}").content.decode()
    assert "Regional workshop" not in filtered  # a filter is part of the key


def test_the_cached_month_never_shows_a_reader_a_kind_that_refuses_them(
    client, secretariat, committed
):
    """Kinds of deadline may refuse a reader (``DeadlineKind.visible_to``): a month built for
    the secretariat, with an obligation on it, is not read back from the cache by a signed-in
    person without a role, who is shown the month without it; the secretariat still sees it."""
    from reporting.obligations import services as obligations
    from tests.factories import UserFactory
    from tests.reporting.obligations_helpers import role_holder

    role_holder("rotterdam", "designated-national-authority", "dna@ncm.test")
    instance = committed(
        obligations.obligation_open,
        obligation="rotterdam-regulatory-action",
        subject="Chemical R",
        trigger_date=days_from_today(-10),
        actor=secretariat,
    )
    nobody = UserFactory()  # signed in, but given no role
    for view in ("month", "list"):
        url = reverse("coordination:calendar") + f"?month={instance.due_on:%Y-%m}&view={view}"
        client.force_login(secretariat)
        html = client.get(url).content.decode()
        assert instance.label in html or "1 deadline" in html
        client.force_login(nobody)
        refused = client.get(url).content.decode()
        assert instance.label not in refused and "deadline" not in refused.split("<main", 1)[-1]
        client.force_login(secretariat)
        again = client.get(url).content.decode()
        assert instance.label in again or "1 deadline" in again


def test_the_month_comes_from_the_cache_and_every_write_retires_it(listed, committed, admin_user):
    from coordination.models import ExternalEvent

    day = days_from_today(18)
    event = committed(
        calendars.external_event_save,
        actor=admin_user,
        title="Regional workshop",
        kind="other",
        start=_moment(day),
        end=_moment(day, 16),
        time_zone="UTC",
    )
    assert "Regional workshop" in listed(day)
    with CaptureQueriesContext(connection) as queries:
        assert "Regional workshop" in listed(day)
    table = f'FROM "{ExternalEvent._meta.db_table}"'
    assert not [q for q in queries if table in q["sql"]], "the month was read again"
    # A write that no service made still retires the month (the connection watches writes).
    ExternalEvent.objects.filter(pk=event.pk).update(title="Renamed quietly")
    assert "Renamed quietly" in listed(day)
