"""The personal calendar feed's visibility rule, asked of ``feed_entries_for``."""

import datetime

import pytest
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from coordination import services
from coordination.calendars.selectors import feed_entries_for
from coordination.models import Body, Meeting, Membership, Role, Task
from tests.factories import (
    BodyFactory,
    InstitutionFactory,
    MembershipFactory,
    PersonFactory,
    UserFactory,
    workplan_with_task,
)

pytestmark = pytest.mark.django_db


def _meeting(body, title, *, days=10, status=Meeting.Status.CONVENED):
    start = timezone.now() + datetime.timedelta(days=days)
    end = start + datetime.timedelta(hours=2)
    return Meeting.objects.create(body=body, title=title, start=start, end=end, status=status)


@pytest.fixture
def world():
    """An institution seated in one body and not in another, each body with its meetings."""
    seated, elsewhere = BodyFactory(name="Seated"), BodyFactory(name="Elsewhere")
    institution = InstitutionFactory()
    MembershipFactory(body=seated, institution=institution)
    left = BodyFactory(name="Left")
    MembershipFactory(
        body=left,
        institution=institution,
        end_date=timezone.localdate() - datetime.timedelta(days=1),
    )
    meetings = {
        "seated": _meeting(seated, "Ours"),
        "seated cancelled": _meeting(seated, "Ours, cancelled", status=Meeting.Status.CANCELLED),
        "elsewhere": _meeting(elsewhere, "Theirs"),
        "left": _meeting(left, "Left behind"),
        "long past": _meeting(seated, "Long ago", days=-200, status=Meeting.Status.HELD),
    }
    return institution, meetings


def _user(role, institution, **extra):
    user = UserFactory(role=role, **extra)
    PersonFactory(institution=institution, user=user)
    return user


def _as_before(user, since):
    """The rule the feed's page applied before it moved to the selector."""
    meetings = Meeting.objects.filter(end__gte=since)
    person = getattr(user, "person", None)
    if not user.has_perm("coordination.add_meeting"):
        seats = Membership.objects.current().filter(
            institution_id=person.institution_id if person else None
        )
        meetings = meetings.filter(body__in=Body.objects.filter(pk__in=seats.values("body_id")))
    return set(meetings)


@pytest.mark.parametrize("role", [*Role, "superuser", "no role"])
def test_each_role_sees_in_its_feed_what_it_saw_before(world, role):
    institution, _meetings = world
    if role == "superuser":
        user = _user(None, institution, is_superuser=True)
    elif role == "no role":
        user = _user(None, institution)
    else:
        user = _user(role, institution)
    since = timezone.now() - datetime.timedelta(days=90)
    assert set(feed_entries_for(user, since=since).meetings) == _as_before(user, since)


def test_the_secretariat_sees_every_bodys_meetings_a_member_only_its_seats(world):
    institution, meetings = world
    since = timezone.now() - datetime.timedelta(days=90)
    secretariat = _user(Role.SECRETARIAT, institution)
    member = _user(Role.MEMBER, institution)
    recent = {name: m for name, m in meetings.items() if name != "long past"}
    assert set(feed_entries_for(secretariat, since=since).meetings) == set(recent.values())
    assert set(feed_entries_for(member, since=since).meetings) == {
        meetings["seated"],
        meetings["seated cancelled"],
    }
    # A user with no person (so no institution) sees no body's meetings.
    assert not feed_entries_for(UserFactory(role=Role.MEMBER), since=since).meetings.exists()


def test_the_feed_carries_the_open_tasks_of_the_person_and_their_institution(world):
    institution, _meetings = world
    member = _user(Role.MEMBER, institution)
    _, led = workplan_with_task(lead=institution, title="Led by us")
    _, assigned = workplan_with_task(title="Given to me", assignee=member.person)
    workplan_with_task(lead=institution, title="Done already", status=Task.Status.DONE)
    workplan_with_task(title="Someone else's")
    entries = feed_entries_for(member, since=timezone.now())
    assert {d.title for d in entries.deadlines} == {led.title, assigned.title}
    assert not feed_entries_for(UserFactory(role=Role.MEMBER), since=timezone.now()).deadlines
    before = Task.objects.exclude(status__in=Task.CLOSED).filter(
        Q(assignee=member.person) | Q(lead_institution=institution)
    )
    assert {d.key for d in entries.deadlines} == {f"task:{t.pk}" for t in before}


def test_the_feed_page_serves_what_the_selector_chose(client, world):
    institution, meetings = world
    member = _user(Role.MEMBER, institution)
    token = services.calendar_token_renew(user=member).token
    feed = client.get(reverse("calendar-feed", args=[token])).content.decode()
    assert meetings["seated"].uid in feed and meetings["elsewhere"].uid not in feed
