"""Decisions tied to what they decide (minutes and workplan revisions approved by e-vote), early
closing of a ballot everyone has voted in, and the documents a ballot carries."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from coordination.ballots import events
from coordination.ballots import services as votes
from coordination.documents import services as documents
from coordination.meetings import services as meetings
from coordination.models import Ballot, Meeting, Minutes, Workplan, WorkplanRevision
from coordination.workplans.services import revision_adopt, revision_circulate, revision_draft
from tests.coordination.test_ballots import close, open_ballot, vote
from tests.coordination.test_ballots import council as council  # noqa: F401, PLC0414 - the fixture

pytestmark = pytest.mark.django_db


def adopted(secretariat, body, members, decides=None, question="Approve?"):
    ballot = open_ballot(secretariat, body, decides=decides, question=question)
    for _inst, principal, _alt in members[:3]:
        vote(ballot, principal, "yes")
    return close(ballot)


def circulated_minutes(secretariat, body, title="June meeting"):
    start = timezone.now() - datetime.timedelta(days=3)
    end = start + datetime.timedelta(hours=2)
    meeting = Meeting.objects.create(body=body, title=title, start=start, end=end, status="held")
    minutes = meetings.minutes_open(actor=secretariat, meeting=meeting)
    return meetings.minutes_circulate(actor=secretariat, minutes=minutes)


def test_minutes_are_approved_by_e_vote_only_by_a_ballot_on_these_minutes(
    client, secretariat, council
):
    body, members = council
    minutes = circulated_minutes(secretariat, body)
    other = circulated_minutes(secretariat, body, title="May meeting")
    unrelated = adopted(secretariat, body, members, question="Adopt the joint workplan?")
    on_other = adopted(secretariat, body, members, decides=other, question="Approve May?")
    for ballot in (unrelated, on_other):
        with pytest.raises(ValidationError) as refused:
            meetings.minutes_approve(actor=secretariat, minutes=minutes, ballot=ballot)
        assert refused.value.error_dict["ballot"][0].code == "unrelated"
    assert Minutes.objects.get(pk=minutes.pk).status == "circulated"
    tied = adopted(secretariat, body, members, decides=minutes, question="Approve June?")
    client.force_login(secretariat)
    page = client.get(reverse("coordination:minutes-detail", args=[minutes.pk])).content.decode()
    assert f'name="ballot" value="{tied.pk}"' in page  # only the ballot on these minutes
    assert f'value="{unrelated.pk}"' not in page and f'value="{on_other.pk}"' not in page
    response = client.post(
        reverse("coordination:minutes-approve", args=[minutes.pk]), {"ballot": on_other.pk}
    )
    assert Minutes.objects.get(pk=minutes.pk).status == "circulated"
    response = client.post(
        reverse("coordination:minutes-approve", args=[minutes.pk]), {"ballot": tied.pk}
    )
    assert response.status_code == 302
    approved = Minutes.objects.get(pk=minutes.pk)
    assert approved.status == "approved" and approved.approval_ballot == tied


def test_a_revision_is_adopted_by_e_vote_only_by_a_ballot_on_that_revision(secretariat, council):
    body, members = council
    today = timezone.localdate()
    workplan = Workplan.objects.create(
        body=body,
        title="Joint workplan",
        period_start=today,
        period_end=today + datetime.timedelta(days=700),
    )
    draft = revision_draft(actor=secretariat, workplan=workplan)
    revision = revision_circulate(actor=secretariat, revision=draft)
    unrelated = adopted(secretariat, body, members, question="Adopt the minutes?")
    with pytest.raises(ValidationError) as refused:
        revision_adopt(actor=secretariat, revision=revision, ballot=unrelated)
    assert refused.value.error_dict["ballot"][0].code == "unrelated"
    rejected = open_ballot(secretariat, body, decides=revision, question="Adopt revision 1?")
    vote(rejected, members[0][1], "no")
    rejected = close(rejected)
    with pytest.raises(ValidationError) as refused:
        revision_adopt(actor=secretariat, revision=revision, ballot=rejected)
    assert refused.value.error_dict["ballot"][0].code == "not_adopted"
    tied = adopted(secretariat, body, members, decides=revision, question="Adopt revision 1!")
    revision = revision_adopt(actor=secretariat, revision=revision, ballot=tied)
    assert WorkplanRevision.objects.get(pk=revision.pk).adoption_ballot == tied


@pytest.mark.parametrize("secret", [False, True])
def test_a_ballot_closes_early_only_once_everyone_has_voted(client, secretariat, council, secret):
    body, members = council
    ballot = open_ballot(secretariat, body, secret=secret)
    deadline = ballot.closes_at
    for _inst, principal, _alt in members[:4]:
        vote(ballot, principal, "yes")
    client.force_login(secretariat)
    page = client.get(ballot.get_absolute_url()).content.decode()
    close_url = reverse("coordination:ballot-close-early", args=[ballot.pk])
    assert close_url not in page  # one institution has not voted
    with pytest.raises(ValidationError) as refused:
        votes.ballot_close_early(actor=secretariat, ballot=ballot, reason="Enough votes.")
    assert refused.value.code == "electors_waiting"
    response = client.post(close_url, {"reason": "Enough votes."})
    assert response.status_code == 200 and "have not voted yet" in response.content.decode()
    assert Ballot.objects.get(pk=ballot.pk).status == "open"

    vote(ballot, members[4][2], "no")  # the last institution, by its alternate
    assert close_url in client.get(ballot.get_absolute_url()).content.decode()
    with pytest.raises(PermissionDenied):
        votes.ballot_close_early(actor=members[0][1].user, ballot=ballot, reason="Done.")
    with pytest.raises(ValidationError):
        votes.ballot_close_early(actor=secretariat, ballot=ballot, reason="  ")
    response = client.post(close_url, {"reason": "Every member institution has voted."})
    assert response.status_code == 302
    closed = Ballot.objects.get(pk=ballot.pk)
    assert closed.status == "closed" and closed.closes_at == deadline
    assert closed.closed_at < deadline
    assert closed.result["participants"] == 5 and closed.result["outcome"] == "adopted"
    early = closed.events.get(kind="closed_early")
    assert early.data["reason"] == "Every member institution has voted."
    assert early.actor == secretariat.email
    assert events.audit_verify(closed) == []


def test_documents_of_a_ballot_are_listed_for_the_bodys_members(client, secretariat, council):
    body, members = council
    ballot = votes.ballot_create(
        actor=secretariat,
        body=body,
        question="Adopt the ToR?",
        closes_at=timezone.now() + datetime.timedelta(days=2),
    )
    document = documents.document_upload(
        actor=secretariat,
        title="Draft terms of reference",
        category="minutes",
        audience="body_members",
        file=SimpleUploadedFile("tor.pdf", b"%PDF-1.4 tor"),
        language="en",
        ballot=ballot,
    )
    votes.ballot_open(actor=secretariat, ballot=ballot)
    member = members[0][1].user
    client.force_login(member)
    assert client.get(document.get_absolute_url()).status_code == 200  # they may open it
    page = client.get(ballot.get_absolute_url()).content.decode()
    assert "Draft terms of reference" in page
    listing = client.get(reverse("coordination:document-list")).content.decode()
    assert "Draft terms of reference" in listing
    by_body = client.get(reverse("coordination:document-list"), {"body": body.pk})
    assert "Draft terms of reference" in by_body.content.decode()
    # Someone whose institution does not sit in the body sees it nowhere.
    from tests.factories import PersonFactory, UserFactory

    outsider = PersonFactory(user=UserFactory()).user
    client.force_login(outsider)
    assert "Draft terms of reference" not in client.get(ballot.get_absolute_url()).content.decode()
    listing = client.get(reverse("coordination:document-list")).content.decode()
    assert "Draft terms of reference" not in listing
