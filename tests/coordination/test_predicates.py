"""The state predicates of meetings, minutes, ballots, revisions and tasks: each one is true where
its service acts and false where the service refuses, by the same rule."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from coordination import services
from coordination.ballots import services as votes
from coordination.models import Ballot, Designation, Meeting, Minutes, Task
from coordination.workplans.filters import TaskFilter
from coordination.workplans.selectors import institution_scorecard, overdue_tasks
from tests.factories import (
    DesignationFactory,
    InstitutionFactory,
    MembershipFactory,
    PersonFactory,
    UserFactory,
    days_from_today,
    workplan_with_task,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def body(secretariat):
    """A body of two member institutions, each with a principal representative who signs in."""
    body = services.body_create(actor=secretariat, name="Steering Committee", kind="steering")
    for name in ("EPA", "Customs"):
        institution = InstitutionFactory(name=name)
        MembershipFactory(body=body, institution=institution)
        person = PersonFactory(institution=institution, user=UserFactory())
        DesignationFactory(
            person=person, kind="representative", body=body, capacity=Designation.Capacity.PRINCIPAL
        )
    return body


def _meeting(secretariat, body, *, days_ahead=30):
    start = timezone.now().replace(microsecond=0) + datetime.timedelta(days=days_ahead)
    return services.meeting_create(
        actor=secretariat,
        body=body,
        title="Regular meeting",
        kind="regular",
        start=start,
        end=start + datetime.timedelta(hours=3),
        time_zone="UTC",
        modality="online",
        online_link="https://meet.example.org/sc",
    )


def _convened(secretariat, body):
    return services.meeting_convene(actor=secretariat, meeting=_meeting(secretariat, body))


def _started(meeting):
    past = timezone.now() - datetime.timedelta(days=1)
    Meeting.objects.filter(pk=meeting.pk).update(start=past, end=past + datetime.timedelta(hours=2))
    meeting.refresh_from_db()
    return meeting


def _held(secretariat, body):
    meeting = _started(_convened(secretariat, body))
    return services.meeting_mark_held(actor=secretariat, meeting=meeting)


def _refused(call, code=None, **kwargs):
    with pytest.raises(ValidationError) as refusal:
        call(**kwargs)
    if code is not None:
        assert refusal.value.code == code
    return refusal.value


# --- Meetings ---------------------------------------------------------------------------------


def test_can_convene_a_planned_meeting_only(secretariat, body):
    meeting = _meeting(secretariat, body)
    assert meeting.can_convene()
    convened = services.meeting_convene(actor=secretariat, meeting=meeting)
    assert not convened.can_convene()
    _refused(services.meeting_convene, "not_planned", actor=secretariat, meeting=convened)


def test_can_change_until_cancelled_or_its_minutes_approved(secretariat, body):
    meeting = _convened(secretariat, body)
    assert meeting.can_change()
    services.meeting_update(actor=secretariat, meeting=meeting, venue="Room 2")
    cancelled = services.meeting_cancel(actor=secretariat, meeting=meeting)
    assert not cancelled.can_change()
    _refused(
        services.meeting_update, "closed", actor=secretariat, meeting=cancelled, venue="Room 3"
    )


def test_can_change_a_held_meeting_as_its_service_allows(secretariat, body):
    # The page used to offer "Edit" only before the meeting; the service also takes a held one.
    meeting = _held(secretariat, body)
    assert meeting.can_change()
    assert services.meeting_update(actor=secretariat, meeting=meeting, venue="Room 5").venue


def test_can_cancel_only_a_meeting_yet_to_be_held(secretariat, body):
    meeting = _convened(secretariat, body)
    assert meeting.can_cancel()
    cancelled = services.meeting_cancel(actor=secretariat, meeting=meeting)
    assert not cancelled.can_cancel()
    _refused(services.meeting_cancel, actor=secretariat, meeting=cancelled)
    held = _held(secretariat, body)
    assert not held.can_cancel()
    _refused(services.meeting_cancel, actor=secretariat, meeting=held)


def test_the_agenda_changes_until_the_meeting_is_cancelled(secretariat, body):
    meeting = _convened(secretariat, body)
    assert meeting.can_change_agenda()
    assert services.agenda_item_add(actor=secretariat, meeting=meeting, title="Workplan").pk
    cancelled = services.meeting_cancel(actor=secretariat, meeting=meeting)
    assert not cancelled.can_change_agenda()
    _refused(services.agenda_item_add, "closed", actor=secretariat, meeting=cancelled, title="Late")


def test_can_mark_held_once_convened_and_started(secretariat, body):
    meeting = _convened(secretariat, body)
    assert not meeting.can_mark_held()
    _refused(services.meeting_mark_held, "future", actor=secretariat, meeting=meeting)
    assert meeting.can_mark_held(meeting.start)
    meeting = _started(meeting)
    assert meeting.can_mark_held()
    held = services.meeting_mark_held(actor=secretariat, meeting=meeting)
    assert not held.can_mark_held()
    _refused(services.meeting_mark_held, actor=secretariat, meeting=held)


def test_takes_replies_while_convened(secretariat, body):
    meeting = _meeting(secretariat, body)
    person = services.invitees(meeting)[0].person
    assert not meeting.takes_replies()
    _refused(
        services.reply_record,
        actor=secretariat,
        meeting=meeting,
        person=person,
        response="attending",
    )
    meeting = services.meeting_convene(actor=secretariat, meeting=meeting)
    assert meeting.takes_replies()
    services.reply_record(actor=secretariat, meeting=meeting, person=person, response="attending")


def test_can_take_attendance_at_a_convened_or_held_meeting(secretariat, body):
    meeting = _meeting(secretariat, body)
    institution = body.memberships.first().institution
    assert not meeting.can_take_attendance()
    _refused(
        services.attendance_record,
        actor=secretariat,
        meeting=meeting,
        institution=institution,
        presence="absent",
    )
    held = _held(secretariat, body)
    assert held.can_take_attendance()
    services.attendance_record(
        actor=secretariat, meeting=held, institution=institution, presence="absent"
    )


def test_can_write_minutes_once_held(secretariat, body):
    meeting = _convened(secretariat, body)
    assert not meeting.can_write_minutes()
    _refused(services.minutes_open, "not_held", actor=secretariat, meeting=meeting)
    held = _held(secretariat, body)
    assert held.can_write_minutes()
    assert services.minutes_open(actor=secretariat, meeting=held).status == Minutes.Status.DRAFT


def test_minutes_are_circulated_as_drafts_and_approved_once_circulated(secretariat, body):
    minutes = services.minutes_open(actor=secretariat, meeting=_held(secretariat, body))
    assert minutes.can_circulate() and not minutes.can_approve()
    _refused(services.minutes_approve, actor=secretariat, minutes=minutes)
    minutes = services.minutes_circulate(actor=secretariat, minutes=minutes)
    assert not minutes.can_circulate() and minutes.can_approve()
    _refused(services.minutes_circulate, actor=secretariat, minutes=minutes)
    minutes = services.minutes_approve(actor=secretariat, minutes=minutes)
    assert not minutes.can_approve() and minutes.locked


# --- Ballots ----------------------------------------------------------------------------------


def _ballot(secretariat, body):
    return votes.ballot_create(
        actor=secretariat,
        body=body,
        question="Adopt the plan?",
        closes_at=timezone.now() + datetime.timedelta(days=3),
    )


def _upload(secretariat, ballot):
    return services.document_upload(
        actor=secretariat,
        title="Draft plan",
        category="report",
        audience="signed_in",
        file=SimpleUploadedFile("plan.pdf", b"%PDF-1.4 x", content_type="application/pdf"),
        language="en",
        ballot=ballot,
    )


def test_a_draft_ballot_opens_now_takes_documents_and_may_be_cancelled(secretariat, body):
    ballot = _ballot(secretariat, body)
    assert ballot.can_open_now() and ballot.accepts_documents() and ballot.can_cancel()
    assert ballot.is_before_opening()
    _upload(secretariat, ballot)
    opened = votes.ballot_open(actor=secretariat, ballot=ballot)
    assert opened.is_open
    assert not opened.can_open_now() and not opened.accepts_documents()
    assert not opened.is_before_opening()
    _refused(_upload, secretariat=secretariat, ballot=opened)
    # Opening again does nothing: the guard leaves a ballot that is no longer a draft as it is.
    assert votes.ballot_open(actor=secretariat, ballot=opened).opened_at == opened.opened_at


def test_a_scheduled_ballot_still_takes_documents(secretariat, body):
    # The page used to offer "Attach a document" to drafts only; the service also takes them
    # while the ballot is scheduled.
    ballot = _ballot(secretariat, body)
    now = timezone.now()
    scheduled = votes.ballot_schedule(
        actor=secretariat,
        ballot=ballot,
        opens_at=now + datetime.timedelta(days=1),
        closes_at=now + datetime.timedelta(days=4),
    )
    assert scheduled.accepts_documents() and not scheduled.can_open_now()
    assert not scheduled.is_due_to_open(now)
    assert votes.ballot_open(ballot=scheduled, now=now).status == Ballot.Status.SCHEDULED
    assert scheduled.is_due_to_open(now + datetime.timedelta(days=2))
    _upload(secretariat, scheduled)


def test_can_cancel_until_closed_or_cancelled(secretariat, body):
    ballot = votes.ballot_open(actor=secretariat, ballot=_ballot(secretariat, body))
    assert ballot.can_cancel()
    cancelled = votes.ballot_cancel(actor=secretariat, ballot=ballot, reason="Withdrawn")
    assert not cancelled.can_cancel()
    _refused(votes.ballot_cancel, actor=secretariat, ballot=cancelled, reason="Again")


def test_can_close_at_the_deadline_and_early_once_everyone_voted(secretariat, body):
    ballot = votes.ballot_open(actor=secretariat, ballot=_ballot(secretariat, body))
    now = timezone.now()
    assert not ballot.can_close(now)
    assert votes.ballot_close(ballot=ballot, now=now).status == Ballot.Status.OPEN
    assert not ballot.can_close_early()
    _refused(
        votes.ballot_close_early,
        "electors_waiting",
        actor=secretariat,
        ballot=ballot,
        reason="All in",
    )
    for elector in ballot.electors.select_related("person"):
        person = elector.voters.get().person
        votes.vote_cast(
            actor=person.user, ballot=ballot, elector=elector, option=ballot.options.get(code="yes")
        )
    assert ballot.can_close_early()
    closed = votes.ballot_close_early(actor=secretariat, ballot=ballot, reason="All in")
    assert closed.is_closed and not closed.can_close_early() and not closed.can_close()
    _refused(votes.ballot_close_early, "not_open", actor=secretariat, ballot=closed, reason="Again")


def test_can_close_once_the_deadline_has_passed(secretariat, body):
    ballot = votes.ballot_open(actor=secretariat, ballot=_ballot(secretariat, body))
    later = ballot.closes_at + datetime.timedelta(seconds=1)
    assert ballot.can_close(later)
    assert votes.ballot_close(ballot=ballot, now=later).is_closed


# --- Workplan revisions -----------------------------------------------------------------------


def test_revisions_circulate_as_drafts_and_are_adopted_once_circulated(secretariat, body):
    workplan, _task = workplan_with_task(body=body)
    revision = services.revision_draft(actor=secretariat, workplan=workplan)
    assert revision.can_circulate() and not revision.can_adopt()
    _refused(services.revision_adopt, "not_circulated", actor=secretariat, revision=revision)
    revision = services.revision_circulate(actor=secretariat, revision=revision)
    assert not revision.can_circulate() and revision.can_adopt()
    _refused(services.revision_circulate, "not_draft", actor=secretariat, revision=revision)
    revision = services.revision_adopt(actor=secretariat, revision=revision)
    assert not revision.can_adopt()
    assert revision.status_tone == "success"


# --- Overdue tasks ----------------------------------------------------------------------------


def test_overdue_is_one_rule_for_a_task_a_queryset_a_filter_and_the_scorecard(today):
    workplan, late = workplan_with_task(due=days_from_today(-1))
    lead = late.lead_institution
    activity = late.activity

    def task(title, due, status=Task.Status.NOT_STARTED):
        return Task.objects.create(
            activity=activity,
            title=title,
            lead_institution=lead,
            start_date=days_from_today(-300),
            due_date=due,
            status=status,
        )

    today_due = task("Due today", today)
    done = task("Done late", days_from_today(-5), Task.Status.DONE)
    cancelled = task("Cancelled", days_from_today(-5), Task.Status.CANCELLED)
    ahead = task("Ahead", days_from_today(3))

    expected = {late.pk}
    assert {t.pk for t in Task.objects.all() if t.is_overdue()} == expected
    assert set(Task.objects.overdue().values_list("pk", flat=True)) == expected
    assert set(overdue_tasks().values_list("pk", flat=True)) == expected
    filtered = TaskFilter({"overdue": "true"}, queryset=Task.objects.all()).qs
    assert set(filtered.values_list("pk", flat=True)) == expected
    (row,) = institution_scorecard(workplan=workplan)
    assert row["overdue"] == 1

    # On another day, the same rule moves with it.
    later = days_from_today(4)
    assert set(Task.objects.overdue(on=later).values_list("pk", flat=True)) == {
        late.pk,
        today_due.pk,
        ahead.pk,
    }
    assert ahead.is_overdue(later) and not done.is_overdue(later)
    assert not cancelled.is_overdue(later)
    assert set(Task.objects.open().values_list("pk", flat=True)) == {
        late.pk,
        today_due.pk,
        ahead.pk,
    }


def test_accepts_votes_while_open_and_before_its_deadline(secretariat, body):
    ballot = _ballot(secretariat, body)
    assert not ballot.accepts_votes()
    opened = votes.ballot_open(actor=secretariat, ballot=ballot)
    elector = opened.electors.first()
    voter = elector.voters.get().person
    assert opened.accepts_votes()
    assert not opened.accepts_votes(opened.closes_at)
    now = timezone.now()
    Ballot.objects.filter(pk=opened.pk).update(
        opens_at=now - datetime.timedelta(hours=1), closes_at=now - datetime.timedelta(seconds=1)
    )
    opened.refresh_from_db()
    assert not opened.accepts_votes()
    _refused(
        votes.vote_cast,
        "closed",
        actor=voter.user,
        ballot=opened,
        elector=elector,
        option=opened.options.get(code="yes"),
    )


def test_a_draft_ballot_takes_no_vote(secretariat, body):
    ballot = _ballot(secretariat, body)
    voter = PersonFactory(user=UserFactory())
    assert not ballot.accepts_votes()
    with pytest.raises(ValidationError) as refusal:
        votes.vote_cast(
            actor=voter.user, ballot=ballot, elector=None, option=ballot.options.get(code="yes")
        )
    assert refusal.value.code == "not_open"
