"""The home page's "What needs me" list and the reminders agree: for every demo person and every
kind of deadline, the deadlines read for that person are exactly the reminders' deadlines that
name them (same thing, same due date, same link), whatever the kind."""

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from coordination.home.selectors import me_for
from coordination.models import User
from ncm_portal import deadlines

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
