"""The home page's "What needs me" list and the reminders agree: for every demo person and every
kind of deadline, the deadlines read for that person are exactly the reminders' deadlines that
name them (same thing, same due date, same link), whatever the kind."""

import datetime
import re

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from coordination.fragments import DEADLINES
from coordination.home.selectors import me_for
from coordination.models import User
from ncm_portal import deadlines, fragments

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", verbosity=0)
        yield
        transaction.set_rollback(True)


def _shape(deadline):
    return (deadline.kind, deadline.key, deadline.due, str(deadline.title), deadline.url)


def test_every_kind_answers_for_one_person(demo):
    assert all(
        kind.for_person is not None or (kind.person_rows and kind.from_rows)
        for kind in deadlines.kinds()
        if kind.kind != "meeting_ahead"  # the page lists the reply awaited instead
    )


def test_the_page_and_the_reminders_name_the_same_deadlines_for_everyone(demo):
    on = timezone.localdate()
    everyone = {}
    for kind in deadlines.kinds():
        if kind.for_person is None and kind.person_rows is None:
            continue
        for deadline in kind.provider(on):
            for user_id in deadline.recipient_ids:
                everyone.setdefault(user_id, set()).add(_shape(deadline))
    assert everyone, "the demo has deadlines to remind"
    users = User.objects.filter(is_active=True).select_related("person")
    checked = 0
    for user in users:
        mine = {_shape(d) for d in deadlines.for_person(me_for(user, on=on), on)}
        assert mine == everyone.get(user.pk, set()), user.email
        checked += bool(mine)
    assert checked >= 3


def test_every_table_the_list_reads_retires_the_cached_list(demo):
    """The home page keeps each person's list in the cache under the ``deadlines`` stamp
    (coordination.home.selectors.deadlines_for): each table any kind reads for any demo person
    must be one whose writes retire it, or the page could show a stale list."""
    from django.apps import apps

    tables = {model._meta.db_table for model in apps.get_models(include_auto_created=True)}
    on = timezone.localdate()
    read = set()
    for user in User.objects.filter(is_active=True).select_related("person"):
        me = me_for(user, on=on)
        with CaptureQueriesContext(connection) as queries:
            deadlines.for_person(me, on)
        for query in queries:
            read.update(t for t in re.findall(r'(?:FROM|JOIN)\s+"(\w+)"', query["sql"]))
    read &= tables
    assert len(read) > 20, read
    retiring = {t for t, names in fragments._WRITES.items() if DEADLINES in names}
    assert read <= retiring, sorted(read - retiring)


def test_the_cached_list_changes_after_a_write_and_when_its_first_moment_passes(demo):
    """Read twice, the list comes from the cache; a write to a table it reads, or the first
    moment in it passing (a ballot closing, a meeting starting), gives the list read afresh."""
    from coordination.home.selectors import deadlines_for
    from coordination.models import Task

    on = timezone.localdate()
    now = timezone.now()
    user = max(
        User.objects.filter(is_active=True).select_related("person"),
        key=lambda u: len(deadlines.for_person(me_for(u, on=on), on)),
    )
    me = me_for(user, on=on)
    first = deadlines_for(me, now)
    assert first == deadlines.for_person(me, on)
    with CaptureQueriesContext(connection) as queries:
        assert deadlines_for(me, now) == first
    assert len(queries) == 0, "the list was read again"
    Task.objects.filter(pk=0).update(title="nothing")  # a write to a table the list reads
    with CaptureQueriesContext(connection) as queries:
        deadlines_for(me, now)
    assert len(queries) > 0, "a write did not retire the list"


def test_the_cached_list_expires_at_its_first_moment(demo, monkeypatch):
    from coordination.home import selectors

    on = timezone.localdate()
    now = timezone.now()
    kept = {}
    monkeypatch.setattr(
        selectors.cache, "set", lambda key, value, timeout: kept.update(timeout=timeout)
    )
    for user in User.objects.filter(is_active=True).select_related("person"):
        me = me_for(user, on=on)
        found = deadlines.for_person(me, on)
        moments = [
            v
            for d in found
            for v in (d.due, *d.context.values())
            if isinstance(v, datetime.datetime) and v > now
        ]
        if moments:
            selectors.deadlines_for(me, now)
            assert kept["timeout"] <= (min(moments) - now).total_seconds() + 1
            return
    pytest.skip("no demo person has a moment ahead in their list")
