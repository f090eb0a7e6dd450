"""The demo's ballots: closed ones (adopted, rejected, quorum not met, a silence procedure) and
one open."""

import datetime

from django.utils import timezone

from coordination.demo.workplans import PLAN_END, PLAN_START
from coordination.demo_calendar import STORY_DAY, period_name

d = datetime.date


def seed_ballots(calendar, bodies, users):
    """Closed ballots (adopted, rejected, quorum not met, a silence procedure) and one open."""
    from coordination.ballots import events
    from coordination.ballots import services as votes
    from coordination.models import Ballot, NamedVote, Participation

    secretariat = next(u for u in users if u.email == "secretariat@ncm.example")
    plan = period_name(calendar.month_start(PLAN_START), calendar.month_end(PLAN_END))
    held = calendar.on(d(2026, 4, 15))  # the Steering Committee meeting of April
    plans = [
        (
            "SC",
            f"Adopt the joint workplan {plan}?",
            "yes_no",
            {},
            300,
            {
                "MoEC": "yes",
                "MoH": "yes",
                "MoA": "yes",
                "VCS": "yes",
                "EPA": "no",
                "MoEI": "abstain",
            },
        ),
        (
            "SC",
            "Request a budget line for the PCB elimination programme?",
            "yes_no",
            {"majority": "two_thirds"},
            200,
            {"MoEC": "yes", "MoH": "yes", "MoA": "no", "VCS": "no", "EPA": "yes"},
        ),
        (
            "TC",
            "Validate the draft inventory of obsolete pesticides?",
            "yes_no",
            {},
            120,
            {"EPA": "yes", "NUV": "yes"},
        ),
        (
            "SC",
            f"Approve the minutes of the {held:%B %Y} meeting (silence procedure)?",
            "silence",
            {},
            180,
            {},
        ),
    ]
    for acronym, question, kind, rules, days_ago, cast in plans:
        if Ballot.objects.filter(question=question).exists():
            continue
        ballot = votes.ballot_create(
            actor=secretariat,
            body=bodies[acronym],
            question=question,
            kind=kind,
            closes_at=timezone.now() + datetime.timedelta(days=1),
            **rules,
        )
        ballot = votes.ballot_open(actor=secretariat, ballot=ballot)
        for elector in ballot.electors.select_related("institution").prefetch_related(
            "voters__person"
        ):
            code = cast.get(elector.institution.acronym)
            voter = next((v for v in elector.voters.all() if v.capacity == "principal"), None)
            if code is None or voter is None:
                continue
            participation = Participation.objects.create(
                ballot=ballot, elector=elector, cast_by=voter.person
            )
            NamedVote.objects.create(
                participation=participation,
                option=ballot.options.get(code=code),
                receipt=votes.new_receipt(),
            )
            events.audit(ballot, "vote_received", elector=str(elector), option=code)
        closes = calendar.at(STORY_DAY, 12) - datetime.timedelta(days=days_ago)
        Ballot.objects.filter(pk=ballot.pk).update(
            opens_at=closes - datetime.timedelta(days=10),
            opened_at=closes - datetime.timedelta(days=10),
            closes_at=closes,
        )
        votes.ballot_close(ballot=Ballot.objects.get(pk=ballot.pk), now=closes)
    question = "Endorse the updated NIP for transmission to the COP?"
    if not Ballot.objects.filter(question=question).exists():
        ballot = votes.ballot_create(
            actor=secretariat,
            body=bodies["SC"],
            question=question,
            explanation=f"The Technical Committee cleared the draft in "
            f"{calendar.on(d(2026, 10, 14)):%B %Y}.",
            closes_at=timezone.now() + datetime.timedelta(days=4),  # closes in a few days
        )
        votes.ballot_open(actor=secretariat, ballot=ballot)
