"""The personal iCalendar feed carries the registered deadlines the calendar page shows (an
obligation under a convention here), each an all-day event with a stable UID, its summary and
the address of its page, to those who may see them only."""

import datetime

import pytest
from django.urls import reverse
from icalendar import Calendar

from coordination import services
from coordination.calendars.selectors import calendar_entries, feed_entries_for
from coordination.models import Role
from reporting.obligations import services as obligations
from tests.factories import PersonFactory, UserFactory
from tests.reporting.obligations_helpers import role_holder, steering_committee

pytestmark = pytest.mark.django_db

KIND = "convention_obligation_due"


@pytest.fixture
def obligation(today):
    role_holder("basel", "focal-point", "basel.focal@ncm.test")
    steering_committee("basel")
    planned = obligations.obligations_plan(on=today)
    return next(i for i in planned if i.obligation == "basel-annual-report" and i.due_on >= today)


def _feed(client, user) -> dict[str, object]:
    token = services.calendar_token_renew(user=user).token
    response = client.get(reverse("calendar-feed", args=[token]))
    assert response.status_code == 200
    calendar = Calendar.from_ical(response.content)
    return {str(e["uid"]): e for e in calendar.walk("VEVENT")}


def _fetch(client, token) -> dict[str, object]:
    calendar = Calendar.from_ical(client.get(reverse("calendar-feed", args=[token])).content)
    return {str(e["uid"]): e for e in calendar.walk("VEVENT")}


def _uid(instance) -> str:
    return f"obligation-{instance.pk}-{instance.due_on.isoformat()}@ncm-portal"


def test_the_feed_carries_an_obligation_as_an_all_day_event_with_a_stable_uid(
    client, obligation, settings
):
    member = UserFactory(role=Role.MEMBER)
    PersonFactory(user=member)
    token = services.calendar_token_renew(user=member).token
    first, second = _fetch(client, token), _fetch(client, token)
    assert _uid(obligation) in first
    assert set(first) == set(second)  # the same UIDs at each fetch
    event = first[_uid(obligation)]
    start = event.decoded("dtstart")
    assert start == obligation.due_on and not isinstance(start, datetime.datetime)
    assert event.decoded("dtend") == obligation.due_on + datetime.timedelta(days=1)
    assert str(event["summary"]) == obligation.label
    assert str(event["url"]) == (
        settings.PORTAL_BASE_URL.rstrip("/") + obligation.get_absolute_url()
    )


def test_a_person_without_access_to_the_obligations_does_not_get_them(client, obligation):
    nobody = UserFactory()  # signed in, but given no role
    PersonFactory(user=nobody)
    assert not any(uid.startswith("obligation-") for uid in _feed(client, nobody))
    since = datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=90)
    assert not [d for d in feed_entries_for(nobody, since=since).registry if d.kind == KIND]
    # The calendar page leaves it out for them too, and shows it to a reader.
    day = obligation.due_on
    refused = calendar_entries(day, day, user=nobody)
    assert not [e for e in refused if e.kind == KIND]
    viewer = UserFactory(role=Role.VIEWER)
    assert [e for e in calendar_entries(day, day, user=viewer) if e.kind == KIND]


def test_only_open_obligations_are_carried(client, obligation, secretariat, today):
    obligations.obligation_complete(
        instance=obligation, completed_on=today, reference="BC-ERS-1", actor=secretariat
    )
    viewer = UserFactory(role=Role.VIEWER)
    assert _uid(obligation) not in _feed(client, viewer)
