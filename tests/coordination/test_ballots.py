import datetime
import threading

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation

from coordination.ballots import events
from coordination.ballots import services as votes
from coordination.models import Ballot, BallotEvent, Designation, Participation
from coordination.services import body_create
from tests.factories import (
    DesignationFactory,
    InstitutionFactory,
    MembershipFactory,
    PersonFactory,
    UserFactory,
)
from tests.pdfs import embedded_fonts, pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def council(secretariat):
    """A body of five member institutions (and an observer), each with principal and alternate
    who have accounts."""
    body = body_create(actor=secretariat, name="Steering Committee", kind="steering")
    members = []
    for i in range(5):
        institution = InstitutionFactory(name=f"Member {i}")
        MembershipFactory(body=body, institution=institution)
        principal = PersonFactory(institution=institution, user=UserFactory(), name=f"P{i}")
        alternate = PersonFactory(institution=institution, user=UserFactory(), name=f"A{i}")
        DesignationFactory(person=principal, kind="representative", body=body)
        DesignationFactory(
            person=alternate,
            kind="representative",
            body=body,
            capacity=Designation.Capacity.ALTERNATE,
        )
        members.append((institution, principal, alternate))
    observer = InstitutionFactory(name="Observer NGO")
    MembershipFactory(body=body, institution=observer, role="observer")
    return body, members


def open_ballot(secretariat, body, **rules):
    rules.setdefault("question", "Adopt the workplan 2026-2027?")
    rules.setdefault("closes_at", timezone.now() + datetime.timedelta(days=3))
    ballot = votes.ballot_create(actor=secretariat, body=body, **rules)
    return votes.ballot_open(actor=secretariat, ballot=ballot)


def option(ballot, code):
    return ballot.options.get(code=code)


def vote(ballot, person, code, institution=None):
    elector = ballot.electors.get(institution=institution or person.institution)
    return votes.vote_cast(
        actor=person.user, ballot=ballot, elector=elector, option=option(ballot, code)
    )


def close(ballot):
    """Let the deadline pass (shift the window into the past), then close."""
    now = timezone.now()
    Ballot.objects.filter(pk=ballot.pk).update(
        opens_at=now - datetime.timedelta(hours=1), closes_at=now - datetime.timedelta(seconds=1)
    )
    return votes.ballot_close(ballot=Ballot.objects.get(pk=ballot.pk))


def test_electorate_is_frozen_at_opening(secretariat, council):
    body, members = council
    ballot = open_ballot(secretariat, body)
    assert ballot.electors.count() == 5  # the observer has no vote
    MembershipFactory(body=body, institution=InstitutionFactory(name="Latecomer"))
    assert ballot.electors.count() == 5


def test_an_alternate_cannot_vote_once_the_principal_has_and_vice_versa(secretariat, council):
    body, members = council
    ballot = open_ballot(secretariat, body)
    (_, p0, a0), (inst1, p1, a1) = members[0], members[1]
    vote(ballot, p0, "yes")
    with pytest.raises(ValidationError) as refused:
        vote(ballot, a0, "no")
    assert "has already voted (by P0)" in refused.value.messages[0]
    vote(ballot, a1, "no")  # the alternate first this time
    with pytest.raises(ValidationError):
        vote(ballot, p1, "yes")
    assert Participation.objects.get(elector__institution=inst1).cast_by == a1


def test_outsiders_cannot_vote(secretariat, council):
    body, members = council
    ballot = open_ballot(secretariat, body)
    stranger = PersonFactory(user=UserFactory())
    with pytest.raises(PermissionDenied):
        votes.vote_cast(
            actor=stranger.user,
            ballot=ballot,
            elector=ballot.electors.first(),
            option=option(ballot, "yes"),
        )


def test_a_vote_after_close_is_refused_with_a_clear_message(secretariat, council):
    body, members = council
    ballot = close(open_ballot(secretariat, body))
    with pytest.raises(ValidationError) as refused:
        vote(ballot, members[0][1], "yes")
    assert refused.value.messages[0].startswith("Voting is closed: this ballot closed on")


def test_a_closed_ballot_is_frozen(secretariat, council):
    body, members = council
    ballot = open_ballot(secretariat, body)
    vote(ballot, members[0][1], "yes")
    ballot = close(ballot)
    frozen = dict(ballot.result)
    assert votes.ballot_close(ballot=ballot).result == frozen  # computed once
    with pytest.raises(ValidationError):
        votes.ballot_cancel(actor=secretariat, ballot=ballot, reason="x")
    with pytest.raises(ValidationError):
        votes.ballot_schedule(
            actor=secretariat,
            ballot=ballot,
            opens_at=timezone.now(),
            closes_at=timezone.now() + datetime.timedelta(days=1),
        )
    assert ballot.record and len(ballot.record_sha256) == 64
    assert ballot.record.read().startswith(b"%PDF")


def test_the_record_of_a_vote_is_written_in_chinese_with_the_portals_font(
    secretariat, council, caplog
):
    body, members = council
    ballot = open_ballot(secretariat, body, question="是否通过2026—2027年工作计划？")
    vote(ballot, members[0][1], "yes")
    with translation.override("zh-hans"):
        data = close(ballot).record.read()
    text = pdf_text(data)
    assert "表决记录" in text and "是否通过2026—2027年工作计划？" in text
    assert "Noto-Sans-SC" in embedded_fonts(data)
    assert not [r for r in caplog.records if "notdef" in r.getMessage()]


def test_changing_a_named_vote_is_recorded_and_the_last_counts(secretariat, council):
    body, members = council
    ballot = open_ballot(secretariat, body, allow_change=True, quorum_share="0.2")
    _, first_receipt = vote(ballot, members[0][1], "no")
    _, second_receipt = vote(ballot, members[0][1], "yes")
    assert first_receipt == second_receipt
    with pytest.raises(ValidationError):
        vote(ballot, members[0][2], "no")  # the alternate cannot undo the principal's vote
    assert ballot.events.filter(kind="vote_changed").count() == 1
    result = close(ballot).result
    assert {c["code"]: c["votes"] for c in result["counts"]} == {"yes": 1, "no": 0, "abstain": 0}


def test_silence_procedure(secretariat, council):
    body, members = council
    quiet = close(open_ballot(secretariat, body, kind="silence", question="Approve minutes?"))
    assert quiet.result["outcome"] == "adopted"
    objected = open_ballot(secretariat, body, kind="silence", question="Approve the ToR?")
    vote(objected, members[2][1], "object")
    assert close(objected).result["outcome"] == "rejected"


@pytest.mark.parametrize(
    ("majority", "ballots", "quorum", "outcome"),
    [
        ("simple", ["yes", "yes", "no", "abstain"], "0.5", "adopted"),
        ("simple", ["yes", "no", "abstain", "abstain"], "0.5", "rejected"),  # tie
        ("simple", ["abstain", "abstain", "abstain"], "0.5", "rejected"),  # all abstain
        ("simple", [], "0.5", "no_quorum"),  # zero turnout
        ("simple", [], "0", "rejected"),  # no quorum rule, nobody voted
        ("absolute", ["yes", "yes", "no"], "0.5", "rejected"),  # 2 of 5 is not > half
        ("absolute", ["yes", "yes", "yes", "no"], "0.5", "adopted"),
        ("two_thirds", ["yes", "yes", "no"], "0.5", "adopted"),  # exactly two thirds
        ("two_thirds", ["yes", "yes", "no", "no"], "0.5", "rejected"),
        ("unanimity", ["yes", "yes", "yes", "abstain"], "0.5", "adopted"),
        ("unanimity", ["yes", "yes", "yes", "no"], "0.5", "rejected"),
        ("simple", ["yes", "yes"], "0.5", "no_quorum"),  # 2 of 5 < 2.5
    ],
)
def test_majorities_and_quorum(secretariat, council, majority, ballots, quorum, outcome):
    body, members = council
    ballot = open_ballot(secretariat, body, majority=majority, quorum_share=quorum)
    for (_, principal, _), code in zip(members, ballots, strict=False):
        vote(ballot, principal, code)
    assert close(ballot).result["outcome"] == outcome


def test_abstentions_may_not_count_toward_the_quorum(secretariat, council):
    body, members = council
    ballot = open_ballot(secretariat, body, abstentions_count_for_quorum=False)
    for (_, principal, _), code in zip(members, ["yes", "yes", "abstain"], strict=False):
        vote(ballot, principal, code)
    result = close(ballot).result
    assert result["quorum_met"] is False and result["outcome"] == "no_quorum"


def test_choice_between_options(secretariat, council):
    body, members = council
    ballot = open_ballot(
        secretariat,
        body,
        kind="choice",
        question="Venue of the next meeting?",
        options=["Capital", "Coast", "Online"],
    )
    for (_, principal, _), label in zip(
        members, ["Coast", "Coast", "Capital", "Coast"], strict=False
    ):
        elector = ballot.electors.get(institution=principal.institution)
        votes.vote_cast(
            actor=principal.user,
            ballot=ballot,
            elector=elector,
            option=ballot.options.get(label=label),
        )
    result = close(ballot).result
    assert result["outcome"] == "winner" and result["winner"] == "Coast"


def test_secret_ballot_leaves_no_voter_choice_link_in_any_table(secretariat, council):
    body, members = council
    ballot = open_ballot(secretariat, body, secret=True)
    codes = ["yes", "no", "abstain", "yes"]
    for (_, principal, _), code in zip(members, codes, strict=False):
        vote(ballot, principal, code)
    close(ballot)
    option_ids = {str(o.pk) for o in ballot.options.all()}
    option_words = {"yes", "no", "abstain", "Yes", "No", "Abstain"}
    voter_words = {p.name for _, p, _ in members} | {p.user.email for _, p, _ in members}
    voter_words |= {str(inst) for inst, _, _ in members}
    # Read every row of every table: none may name both a voter and a choice of this ballot.
    for model in apps.get_models():
        if model._meta.db_table.startswith("historical"):
            continue
        with connection.cursor() as cursor:
            cursor.execute(f'SELECT * FROM "{model._meta.db_table}"')  # noqa: S608
            columns = [c[0] for c in cursor.description]
            for row in cursor.fetchall():
                record = dict(zip(columns, row, strict=True))
                text = " ".join(str(v) for v in record.values())
                names_voter = any(w in text for w in voter_words) or (
                    model._meta.model_name in ("participation",)
                )
                fk_option = any(
                    c.endswith("option_id") and str(record[c]) in option_ids for c in columns
                )
                words_choice = model._meta.model_name == "ballotevent" and any(
                    f'"{w}"' in text for w in option_words
                )
                assert not (names_voter and (fk_option or words_choice)), (
                    f"{model._meta.db_table} links a voter to a choice: {record}"
                )
    counts = {c["code"]: c["votes"] for c in Ballot.objects.get(pk=ballot.pk).result["counts"]}
    assert counts == {"yes": 2, "no": 1, "abstain": 1}


def test_receipts_are_published_after_close(client, secretariat, council):
    body, members = council
    ballot = open_ballot(secretariat, body, secret=True)
    _, receipt = vote(ballot, members[0][1], "yes")
    client.force_login(members[0][1].user)
    page = client.get(reverse("coordination:ballot-detail", args=[ballot.pk])).content.decode()
    assert receipt not in page  # not before the close
    close(ballot)
    page = client.get(reverse("coordination:ballot-detail", args=[ballot.pk])).content.decode()
    assert receipt in page


@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_votes_from_one_elector_store_one(secretariat, council):
    if connection.vendor != "postgresql":
        from tests.conftest import require_service

        require_service("PostgreSQL (DATABASE_URL)", False)
    body, members = council
    ballot = open_ballot(secretariat, body)
    _, principal, _ = members[0]
    elector = ballot.electors.get(institution=principal.institution)
    yes = option(ballot, "yes")
    barrier = threading.Barrier(50)
    outcomes = []

    def attempt():
        from django.db import connection as thread_connection

        try:
            barrier.wait()
            votes.vote_cast(actor=principal.user, ballot=ballot, elector=elector, option=yes)
            outcomes.append("stored")
        except ValidationError:
            outcomes.append("refused")
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=attempt) for _ in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert outcomes.count("stored") == 1 and outcomes.count("refused") == 49
    assert Participation.objects.filter(ballot=ballot).count() == 1


def test_the_sweeper_opens_and_closes_ballots_whose_tasks_were_lost(secretariat, council):
    body, members = council
    ballot = votes.ballot_create(
        actor=secretariat,
        body=body,
        question="Lost tasks?",
        closes_at=timezone.now() + datetime.timedelta(hours=2),
    )
    votes.ballot_schedule(
        actor=secretariat,
        ballot=ballot,
        opens_at=timezone.now() + datetime.timedelta(minutes=5),
        closes_at=timezone.now() + datetime.timedelta(hours=2),
    )
    assert votes.sweep() == {"opened": 0, "closed": 0}
    assert votes.sweep(now=timezone.now() + datetime.timedelta(minutes=6)) == {
        "opened": 1,
        "closed": 0,
    }
    later = timezone.now() + datetime.timedelta(hours=3)
    assert votes.sweep(now=later) == {"opened": 0, "closed": 1}
    assert votes.sweep(now=later) == {"opened": 0, "closed": 0}
    assert Ballot.objects.get(pk=ballot.pk).status == "closed"


def test_audit_chain_verifies_and_detects_tampering(secretariat, council):
    body, members = council
    ballot = open_ballot(secretariat, body)
    vote(ballot, members[0][1], "yes")
    close(ballot)
    assert events.audit_verify() == []
    call_command("verify_ballot_audit", verbosity=0)
    kinds = list(ballot.events.values_list("kind", flat=True))
    assert kinds[:3] == ["created", "opened", "vote_received"] and "result" in kinds
    event = BallotEvent.objects.get(ballot=ballot, kind="vote_received")
    BallotEvent.objects.filter(pk=event.pk).update(data={**event.data, "option": "no"})
    problems = events.audit_verify()
    assert problems == [f"ballot {ballot.pk}: event {event.sequence} (vote_received) altered"]
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("verify_ballot_audit", verbosity=0)


def test_ballots_closing_soon_are_reminded_hours_ahead(secretariat, council):
    from django.core import mail

    from coordination.services import send_due_reminders

    body, members = council
    ballot = open_ballot(secretariat, body, closes_at=timezone.now() + datetime.timedelta(hours=30))
    vote(ballot, members[0][1], "yes")
    assert send_due_reminders(now=timezone.now())["sent"] == 0  # 30 hours away
    mail.outbox.clear()
    result = send_due_reminders(now=timezone.now() + datetime.timedelta(hours=7))
    # Four institutions have not voted: their principals and alternates (8 people).
    assert result["sent"] == 8
    assert all(m.subject.startswith("Vote closing soon") for m in mail.outbox)
    assert send_due_reminders(now=timezone.now() + datetime.timedelta(hours=8))["sent"] == 0
    assert (
        send_due_reminders(now=timezone.now() + datetime.timedelta(hours=29, minutes=30))["sent"]
        == 8
    )  # the one-hour reminder


def test_members_cannot_create_or_open_ballots(client, member, council):
    body, _ = council
    client.force_login(member)
    assert client.get(reverse("coordination:ballot-create", args=[body.pk])).status_code == 403


def test_the_page_closes_a_ballot_past_its_deadline_where_no_beat_runs(
    client, secretariat, council
):
    body, members = council
    ballot = open_ballot(secretariat, body)
    Ballot.objects.filter(pk=ballot.pk).update(
        opens_at=timezone.now() - datetime.timedelta(days=2),
        closes_at=timezone.now() - datetime.timedelta(minutes=1),
    )
    client.force_login(members[0][1].user)
    page = client.get(reverse("coordination:ballot-detail", args=[ballot.pk])).content.decode()
    assert Ballot.objects.get(pk=ballot.pk).status == "closed"
    assert "No decision: the quorum was not met." in page


def test_a_ballot_decides_minutes_of_its_own_body_and_carries_documents(
    client, secretariat, council
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from coordination.models import Meeting, Minutes

    body, members = council
    start = timezone.now() - datetime.timedelta(days=3)
    meeting = Meeting.objects.create(
        body=body,
        title="June meeting",
        start=start,
        end=start + datetime.timedelta(hours=2),
        status="held",
    )
    minutes = Minutes.objects.create(meeting=meeting, version=1, status="circulated")
    client.force_login(secretariat)
    url = reverse("coordination:ballot-create", args=[body.pk]) + f"?minutes={minutes.pk}"
    page = client.get(url).content.decode()
    assert "Approve: June meeting, minutes v1?" in page
    closes = (timezone.localtime() + datetime.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        url,
        {
            "question": "Approve the minutes of the June meeting?",
            "kind": "silence",
            "electorate": "institutions",
            "quorum_share": "50",
            "majority": "simple",
            "closes_at": closes,
        },
    )
    assert response.status_code == 302
    ballot = Ballot.objects.get(question__startswith="Approve the minutes")
    assert ballot.decides == minutes
    assert str(ballot.quorum_share) == "0.50"  # typed as a percentage
    other = body_create(actor=secretariat, name="Other", kind="other")
    foreign = reverse("coordination:ballot-create", args=[other.pk]) + f"?minutes={minutes.pk}"
    assert client.get(foreign).status_code == 404
    from coordination.services import document_upload

    document_upload(
        actor=secretariat,
        title="Draft minutes",
        category="minutes",
        audience="body_members",
        file=SimpleUploadedFile("m.pdf", b"%PDF"),
        language="en",
        ballot=ballot,
    )
    page = client.get(reverse("coordination:ballot-detail", args=[ballot.pk])).content.decode()
    assert "Draft minutes" in page and "June meeting, minutes v1" in page


def test_a_draft_ballot_takes_no_vote(secretariat, council):
    body, members = council
    ballot = votes.ballot_create(actor=secretariat, body=body, question="Draft?")
    with pytest.raises(ValidationError) as refused:
        votes.vote_cast(
            actor=members[0][1].user, ballot=ballot, elector=None, option=option(ballot, "yes")
        )
    assert refused.value.code == "not_open"
