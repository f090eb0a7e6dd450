"""The calendar's month: meetings and events shown, each day's deadlines counted, their list
opened on demand (htmx, or ``?day=`` without JavaScript)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from coordination.calendars.selectors import calendar_days, calendar_entries
from coordination.models import ExternalEvent, Task
from tests.factories import BodyFactory, days_from_today, workplan_with_task

pytestmark = pytest.mark.django_db


@pytest.fixture
def month(secretariat):
    """A meeting-like event and three tasks due on one day, two weeks from today."""
    due = days_from_today(14)
    workplan, task = workplan_with_task(title="PCB inventory", due=due)
    for title in ("Customs survey", "Mercury plan"):
        Task.objects.create(
            activity=task.activity,
            title=title,
            lead_institution=task.lead_institution,
            start_date=days_from_today(-30),
            due_date=due,
        )
    start = timezone.make_aware(datetime.datetime.combine(due, datetime.time(10)))
    ExternalEvent.objects.create(
        title="COP-13 of the Stockholm Convention",
        kind="cop",
        start=start,
        end=start + datetime.timedelta(hours=8),
    )
    return due, workplan


def _url(due, **params):
    query = "&".join(f"{k}={v}" for k, v in {"month": f"{due:%Y-%m}", **params}.items())
    return reverse("coordination:calendar") + "?" + query


def test_a_days_deadlines_are_counted_and_open_on_demand(client, secretariat, month):
    due, _workplan = month
    client.force_login(secretariat)
    page = client.get(_url(due)).content.decode()
    assert "COP-13 of the Stockholm Convention" in page  # events stay in the grid
    assert "3 deadlines" in page
    assert "PCB inventory" not in page and "Customs survey" not in page
    assert f"?month={due:%Y-%m}&amp;day={due.isoformat()}" in page  # without JavaScript
    day_url = reverse("coordination:calendar-day") + f"?day={due.isoformat()}"
    assert f'hx-get="{day_url}' in page

    partial = client.get(day_url, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial
    for title in ("PCB inventory", "Customs survey", "Mercury plan"):
        assert title in partial
    assert "COP-13" not in partial  # the list is of the day's deadlines

    opened = client.get(_url(due, day=due.isoformat())).content.decode()
    for title in ("PCB inventory", "Customs survey", "Mercury plan"):
        assert title in opened


def test_the_days_list_keeps_the_calendars_filters(client, secretariat, month):
    due, _workplan = month
    other = BodyFactory()
    client.force_login(secretariat)
    url = reverse("coordination:calendar-day") + f"?day={due.isoformat()}&body={other.pk}"
    assert "PCB inventory" not in client.get(url).content.decode()
    assert "3 deadlines" not in client.get(_url(due, body=other.pk)).content.decode()


def test_the_counts_add_up_to_the_deadlines_behind_them(client, secretariat, month):
    due, _workplan = month
    first = due.replace(day=1)
    last = (first + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
    entries = calendar_entries(first, last)
    days = calendar_days(entries)
    assert sum(len(d.timed) + len(d.deadlines) for d in days.values()) == len(entries)
    deadlines = [e for e in entries if e.kind not in ("meeting", "event")]
    assert sum(len(d.deadlines) for d in days.values()) == len(deadlines)
    assert len(days[due].deadlines) == 3 and len(days[due].timed) == 1


@pytest.mark.parametrize("value", ["", "not-a-date"])
def test_the_days_list_without_a_day_is_todays(client, secretariat, value):
    client.force_login(secretariat)
    response = client.get(reverse("coordination:calendar-day"), {"day": value})
    assert response.status_code == 200 and response.context["day"] == timezone.localdate()


def test_a_day_outside_the_month_opens_nothing(client, secretariat, month):
    due, _workplan = month
    client.force_login(secretariat)
    far = due + datetime.timedelta(days=90)
    response = client.get(_url(due, day=far.isoformat()))
    assert response.status_code == 200 and response.context["opened"] is None
    listed = client.get(_url(due, day=due.isoformat(), view="list"))
    assert listed.context["opened"] is None  # the list names every entry anyway
