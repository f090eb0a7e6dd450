"""Messages to many recipients go out once to each, even when the mail server fails halfway
through the list and the task retries."""

import datetime

import pytest
from celery.exceptions import Retry
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.utils import timezone

from coordination.ballots import services as votes
from coordination.models import Designation, SentMessage
from tests.coordination.test_ballots import council as council  # noqa: F401, PLC0414 - the fixture
from tests.factories import DesignationFactory, InstitutionFactory, PersonFactory

pytestmark = pytest.mark.django_db


class FailsOnceAfterThree(EmailBackend):
    """Delivers like the test backend, but the fourth message of the test fails once, as an
    SMTP server dropping the connection would."""

    calls = 0

    def send_messages(self, messages):
        type(self).calls += 1
        if type(self).calls == 4:
            raise ConnectionResetError("the mail server went away")
        return super().send_messages(messages)


@pytest.fixture
def flaky_mail(settings):
    FailsOnceAfterThree.calls = 0
    settings.EMAIL_BACKEND = f"{__name__}.FailsOnceAfterThree"
    mail.outbox = []
    return FailsOnceAfterThree


def _addresses():
    return sorted(address for m in mail.outbox for address in m.to)


def test_a_ballot_opening_notice_reaches_ten_electors_once_despite_a_failure(
    secretariat, council, flaky_mail
):
    from coordination import tasks

    body, members = council
    ballot = votes.ballot_create(
        actor=secretariat,
        body=body,
        question="Adopt the budget?",
        closes_at=timezone.now() + datetime.timedelta(days=2),
    )
    votes.ballot_open(actor=secretariat, ballot=ballot)  # the notice task runs on commit
    with pytest.raises(Retry):  # the fourth message fails: the task asks to be retried
        tasks.ballot_opened_notify.delay(ballot.pk)
    assert len(mail.outbox) == 3
    tasks.ballot_opened_notify.delay(ballot.pk)  # the retry
    expected = sorted(
        p.email for _inst, principal, alternate in members for p in (principal, alternate)
    )
    assert len(expected) == 10
    assert flaky_mail.calls == 11  # ten messages and the one that failed
    assert _addresses() == expected  # ten messages in all, one each
    assert SentMessage.objects.filter(key=f"ballot_opened:{ballot.pk}").count() == 10
    tasks.ballot_opened_notify.delay(ballot.pk)  # a late duplicate of the task sends nothing
    assert len(mail.outbox) == 10
    assert ballot.events.filter(kind="notified").count() == 1


def test_a_revision_circulation_reaches_each_representative_once(secretariat, flaky_mail):
    from coordination import tasks
    from coordination.models import WorkplanRevision
    from coordination.services import body_create, revision_draft
    from coordination.workplans.services import revision_circulate
    from tests.factories import MembershipFactory, UserFactory

    body = body_create(actor=secretariat, name="Working Group", kind="other")
    people = []
    for i in range(5):
        institution = InstitutionFactory(name=f"Institution {i}")
        MembershipFactory(body=body, institution=institution)
        for capacity in (Designation.Capacity.PRINCIPAL, Designation.Capacity.ALTERNATE):
            person = PersonFactory(institution=institution, user=UserFactory())
            DesignationFactory(person=person, kind="representative", body=body, capacity=capacity)
            people.append(person)
    from coordination.models import Workplan

    today = timezone.localdate()
    workplan = Workplan.objects.create(
        body=body,
        title="Joint workplan",
        period_start=today,
        period_end=today + datetime.timedelta(days=700),
    )
    draft = revision_draft(actor=secretariat, workplan=workplan)
    mail.outbox = []
    FailsOnceAfterThree.calls = 0
    revision_circulate(actor=secretariat, revision=draft)  # its task runs on commit, not here
    with pytest.raises(Retry):
        tasks.revision_circulated_notify.delay(draft.pk)
    assert WorkplanRevision.objects.get(pk=draft.pk).notified_at is None
    tasks.revision_circulated_notify.delay(draft.pk)
    assert _addresses() == sorted(p.email for p in people)
    assert WorkplanRevision.objects.get(pk=draft.pk).notified_at is not None
