"""Ballots' deadlines: votes closing soon, for each elector who has not voted."""

import datetime
from collections import defaultdict

from django.db.models import Exists, OuterRef
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ncm_portal.deadlines import Deadline, DeadlineKind, rows


def ballots_closing(on: datetime.date):
    """Open ballots: electors' voters who have not voted yet (the engine reminds them to the
    hour, a day and an hour before the close; the home page lists them while open)."""
    from coordination.models import Ballot, EligibleVoter, Participation

    for ballot in Ballot.objects.filter(status=Ballot.Status.OPEN):
        voted = Participation.objects.filter(ballot=ballot).values("elector_id")
        users = set(
            EligibleVoter.objects.filter(elector__ballot=ballot, person__user__is_active=True)
            .exclude(elector_id__in=voted)
            .values_list("person__user_id", flat=True)
        )
        if users:
            yield _ballot_deadline(
                ballot.pk, ballot.question, ballot.closes_at, tuple(sorted(users))
            )


def _ballot_deadline(pk, question, closes_at, recipients, **context) -> Deadline:
    return Deadline(
        kind="ballot_closing",
        key=f"ballot:{pk}",
        due=closes_at,
        title=question,
        url=reverse("coordination:ballot-detail", args=[pk]),
        recipient_ids=recipients,
        context={"closes_at": closes_at, **context},
    )


def ballot_rows(me, on: datetime.date):
    """The open ballots in which this person may still cast a vote for an elector that has not
    voted (an alternate whose principal has voted is not asked)."""
    from coordination.models import EligibleVoter, Participation

    if me.person_id is None:
        return None
    seats = EligibleVoter.objects.filter(
        person_id=me.person_id, elector__ballot__status="open"
    ).exclude(Exists(Participation.objects.filter(elector_id=OuterRef("elector_id"))))
    return rows(
        seats,
        "ballot_closing",
        id1="elector__ballot_id",
        id2="elector_id",
        moment="elector__ballot__closes_at",
        text1="elector__ballot__question",
        text2=Coalesce("elector__institution__name", "elector__person__name"),
    )


def ballots_from_rows(me, on: datetime.date, found):
    """With the options (one more query), so that the home page offers the vote itself."""
    from coordination.models import BallotOption

    ballot_ids = sorted({row["id1"] for row in found})
    options = defaultdict(list)
    for option in BallotOption.objects.filter(ballot_id__in=ballot_ids).order_by("order", "pk"):
        options[option.ballot_id].append(option)
    for ballot_id in ballot_ids:
        seats = sorted((r for r in found if r["id1"] == ballot_id), key=lambda r: r["text2"])
        yield _ballot_deadline(
            ballot_id,
            seats[0]["text1"],
            seats[0]["moment"],
            (me.user_id,),
            ballot_id=ballot_id,
            electors=[{"pk": r["id2"], "name": r["text2"]} for r in seats],
            options=options[ballot_id],
        )


BALLOT_CLOSING = DeadlineKind(
    "ballot_closing",
    _("Votes closing soon"),
    ballots_closing,
    lead_days=(),
    overdue_every_days=None,
    lead_hours=(24, 1),
    person_rows=ballot_rows,
    from_rows=ballots_from_rows,
)
