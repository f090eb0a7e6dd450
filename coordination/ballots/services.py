"""Electronic votes. Every change goes through here, writes its audit event in the same
transaction, and refuses anything once the ballot is closed."""

import datetime
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Case, F, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from coordination import permissions as perms
from coordination.ballots.events import audit
from coordination.ballots.tally import tally
from coordination.models import (
    Ballot,
    BallotOption,
    Body,
    Designation,
    Elector,
    EligibleVoter,
    Membership,
    NamedVote,
    Participation,
    Person,
    SecretTally,
    User,
)
from ncm_portal.services import assign_fields

BALLOT_FIELDS = {
    "question",
    "explanation",
    "kind",
    "electorate",
    "quorum_share",
    "majority",
    "abstentions_count_for_quorum",
    "secret",
    "results_while_open",
    "allow_change",
    "opens_at",
    "closes_at",
}


# --- Drafting and scheduling ------------------------------------------------------------------


def _locked(ballot: Ballot) -> Ballot:
    return Ballot.objects.select_for_update().select_related("body").get(pk=ballot.pk)


def _check_rules(ballot: Ballot) -> None:
    if ballot.secret and ballot.allow_change:
        raise ValidationError(
            {"allow_change": _("A secret vote cannot be changed: nothing links it to its voter.")}
        )
    if ballot.secret and ballot.results_while_open:
        raise ValidationError(
            {
                "results_while_open": _(
                    "A secret ballot shows its result only when it closes: a "
                    "running tally beside the list of voters would tell who "
                    "chose what."
                )
            },
            code="secret_results_while_open",
        )
    if ballot.opens_at and ballot.closes_at and ballot.closes_at <= ballot.opens_at:
        raise ValidationError({"closes_at": _("The ballot must close after it opens.")})


@transaction.atomic
def ballot_create(*, actor: User, body: Body, options=(), decides=None, **fields) -> Ballot:
    perms.require(perms.can_manage_body(actor, body))
    ballot = Ballot(body=body, created_by=actor, decides=decides)
    assign_fields(ballot, fields, BALLOT_FIELDS)
    _check_rules(ballot)
    if decides is not None and ballot.kind == Ballot.Kind.CHOICE:
        raise ValidationError(
            {
                "kind": _(
                    "A ballot that decides something asks yes or no, or runs as a silence "
                    "procedure: the winner of a choice is not an adoption."
                )
            }
        )
    ballot.full_clean()
    ballot.save()
    labels = {
        Ballot.Kind.YES_NO: [("yes", _("Yes")), ("no", _("No")), ("abstain", _("Abstain"))],
        Ballot.Kind.SILENCE: [("object", _("I object"))],
    }.get(ballot.kind) or [("", label.strip()) for label in options if label.strip()]
    if ballot.kind == Ballot.Kind.CHOICE:
        if len(labels) < 2:
            raise ValidationError({"options": _("Give at least two options, one per line.")})
        labels.append(("abstain", _("Abstain")))
    BallotOption.objects.bulk_create(
        [
            BallotOption(ballot=ballot, order=i, code=code, label=label)
            for i, (code, label) in enumerate(labels, start=1)
        ]
    )
    audit(ballot, "created", actor=actor, question=ballot.question, ballot_kind=ballot.kind)
    return ballot


@transaction.atomic
def ballot_schedule(
    *, actor: User, ballot: Ballot, opens_at: datetime.datetime, closes_at: datetime.datetime
) -> Ballot:
    """Fix the voting window; opening and closing then happen on time by themselves."""
    from coordination import tasks

    perms.require(perms.can_manage_body(actor, ballot.body))
    ballot = _locked(ballot)
    if not ballot.is_before_opening():
        raise ValidationError(_("Only a draft or scheduled ballot can be (re)scheduled."))
    now = timezone.now()
    if closes_at <= max(opens_at, now):
        raise ValidationError(
            {"closes_at": _("The ballot must close after it opens, in the future.")}
        )
    ballot.opens_at, ballot.closes_at = max(opens_at, now), closes_at
    ballot.status = Ballot.Status.SCHEDULED
    ballot.save(update_fields=["opens_at", "closes_at", "status"])
    audit(
        ballot,
        "scheduled",
        actor=actor,
        opens_at=ballot.opens_at.isoformat(),
        closes_at=closes_at.isoformat(),
    )
    pk, opens, closes = ballot.pk, ballot.opens_at, closes_at
    transaction.on_commit(lambda: tasks.ballot_open.apply_async(args=[pk], eta=opens))
    transaction.on_commit(lambda: tasks.ballot_close.apply_async(args=[pk], eta=closes))
    return ballot


def _freeze_electorate(ballot: Ballot) -> int:
    on = timezone.localdate()
    seats = (
        Membership.objects.current(on)
        .filter(body=ballot.body)
        .exclude(role=Membership.Role.OBSERVER)
        .select_related("institution")
    )
    reps = list(
        Designation.objects.current(on).filter(
            kind=Designation.Kind.REPRESENTATIVE,
            body=ballot.body,
            institution__in=[s.institution_id for s in seats],
        )
    )
    if ballot.electorate == Ballot.Electorate.INSTITUTIONS:
        electors = {
            seat.institution_id: Elector.objects.create(ballot=ballot, institution=seat.institution)
            for seat in seats
        }
        EligibleVoter.objects.bulk_create(
            [
                EligibleVoter(
                    elector=electors[d.institution_id], person_id=d.person_id, capacity=d.capacity
                )
                for d in reps
            ]
        )
        return len(electors)
    people = {d.person_id for d in reps}
    for person_id in sorted(people):
        elector = Elector.objects.create(ballot=ballot, person_id=person_id)
        EligibleVoter.objects.create(elector=elector, person_id=person_id, capacity="principal")
    return len(people)


@transaction.atomic
def ballot_open(*, ballot: Ballot, actor: User | None = None, now=None) -> Ballot:
    """Open the ballot and freeze its electorate. Safe to call again: does nothing then."""
    from coordination import tasks

    if actor is not None:
        perms.require(perms.can_manage_body(actor, ballot.body))
    ballot = _locked(ballot)
    now = now or timezone.now()
    if actor is not None and ballot.can_open_now():
        if not ballot.closes_at or ballot.closes_at <= now:
            raise ValidationError(_("Set when the ballot closes before opening it."))
        ballot.opens_at = now
    elif not ballot.is_due_to_open(now):
        return ballot
    size = _freeze_electorate(ballot)
    if size == 0:
        raise ValidationError(_("The body has no member institution with a representative."))
    if ballot.secret:
        SecretTally.objects.bulk_create(
            [SecretTally(ballot=ballot, option=o) for o in ballot.options.all()]
        )
    ballot.status = Ballot.Status.OPEN
    ballot.opened_at = now
    ballot.save(update_fields=["status", "opened_at", "opens_at"])
    audit(ballot, "opened", actor=actor, electorate=size)
    pk, closes = ballot.pk, ballot.closes_at
    transaction.on_commit(lambda: tasks.ballot_opened_notify.delay(pk))
    if actor is not None:
        transaction.on_commit(lambda: tasks.ballot_close.apply_async(args=[pk], eta=closes))
    return ballot


@transaction.atomic
def ballot_cancel(*, actor: User, ballot: Ballot, reason: str) -> Ballot:
    perms.require(perms.can_manage_body(actor, ballot.body))
    ballot = _locked(ballot)
    if not ballot.can_cancel():
        raise ValidationError(_("This ballot is closed; nothing about it can change."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the ballot is cancelled.")})
    ballot.status = Ballot.Status.CANCELLED
    ballot.save(update_fields=["status"])
    audit(ballot, "cancelled", actor=actor, reason=reason.strip())
    return ballot


# --- Voting -----------------------------------------------------------------------------------


def new_receipt() -> str:
    return "-".join(secrets.token_hex(2).upper() for _ in range(4))


def electors_for(ballot: Ballot, person: Person):
    """The electors this person may vote for in this ballot."""
    return Elector.objects.filter(ballot=ballot, voters__person=person).select_related(
        "institution", "person"
    )


def vote_cast(
    *, actor: User, ballot: Ballot, elector: Elector, option: BallotOption
) -> tuple[Participation, str]:
    """Record a vote and return the participation and the voter's receipt code."""
    try:
        with transaction.atomic():
            return _vote_cast(actor=actor, ballot=ballot, elector=elector, option=option)
    except IntegrityError as clash:
        # Two requests at once for the same elector: the database kept the first.
        raise ValidationError(
            _("A vote was already recorded for %(elector)s.") % {"elector": elector},
            code="already_voted",
        ) from clash


def _vote_cast(*, actor, ballot, elector, option):
    ballot = _locked(ballot)
    person = getattr(actor, "person", None)
    now = timezone.now()
    if not ballot.accepts_votes(now):
        if ballot.is_closed or ballot.is_open:  # closed, or open past its deadline
            closed = ballot.closed_at if ballot.is_closed else None
            when = timezone.localtime(closed or ballot.closes_at).strftime("%Y-%m-%d %H:%M")
            raise ValidationError(
                _("Voting is closed: this ballot closed on %(when)s.") % {"when": when},
                code="closed",
            )
        raise ValidationError(_("This ballot is not open for voting."), code="not_open")
    if (
        person is None
        or not elector.voters.filter(person=person).exists()
        or (elector.ballot_id != ballot.pk)
    ):
        raise PermissionDenied(_("You are not an elector in this ballot."))
    if option.ballot_id != ballot.pk:
        raise ValidationError(_("That option belongs to another ballot."))
    existing = (
        Participation.objects.select_for_update()
        .select_related("cast_by")
        .filter(ballot=ballot, elector=elector)
        .first()
    )
    if existing is not None:
        if not ballot.allow_change or ballot.secret:
            raise ValidationError(
                _("%(elector)s has already voted (by %(person)s); the vote cannot be changed.")
                % {"elector": elector, "person": existing.cast_by},
                code="already_voted",
            )
        if existing.cast_by_id != person.pk:
            raise ValidationError(
                _("%(person)s voted for %(elector)s; only they can change that vote.")
                % {"person": existing.cast_by, "elector": elector},
                code="bound",
            )
        vote = existing.named_vote
        before = vote.option.code or vote.option.label
        vote.option = option
        vote.save(update_fields=["option"])
        existing.changes += 1
        existing.save(update_fields=["changes"])
        audit(
            ballot,
            "vote_changed",
            actor=actor,
            elector=str(elector),
            before=before,
            after=option.code or option.label,
        )
        return existing, vote.receipt
    receipt = new_receipt()
    if ballot.secret:
        participation = Participation.objects.create(
            ballot=ballot, elector=elector, cast_by=person, receipt=receipt
        )
        _count_secretly(ballot, option)
        audit(ballot, "vote_received", elector=str(elector))  # who took part, never what
        return participation, receipt
    participation = Participation.objects.create(ballot=ballot, elector=elector, cast_by=person)
    NamedVote.objects.create(participation=participation, option=option, receipt=receipt)
    audit(
        ballot,
        "vote_received",
        actor=actor,
        elector=str(elector),
        option=option.code or option.label,
    )
    return participation, receipt


def _count_secretly(ballot: Ballot, option: BallotOption) -> None:
    """Add the vote to its option's counter and nothing to the others, in one statement that
    rewrites every counter of the ballot: each counter row then carries this transaction in its
    system columns (xmin, ctid), so none of them stands out as the one that was chosen."""
    touched = SecretTally.objects.filter(ballot=ballot).update(
        votes=F("votes") + Case(When(option=option, then=Value(1)), default=Value(0))
    )
    if touched != ballot.options.count():
        raise ValidationError(
            _("This ballot's ballot box is incomplete; the vote was not recorded."),
            code="no_ballot_box",
        )


def _seal_secret_counters(ballot: Ballot) -> None:
    """Rewrite every counter in the closing transaction, so that their system columns carry
    the close and not the transaction of the last vote (whose participation row shares it)."""
    SecretTally.objects.filter(ballot=ballot).update(votes=F("votes"))


# --- Closing and the result -------------------------------------------------------------------


@transaction.atomic
def ballot_close(*, ballot: Ballot, now=None) -> Ballot:
    """Close at the deadline: count once, freeze the result, render the record. Safe to call
    again and early (it waits for the deadline)."""
    ballot = _locked(ballot)
    now = now or timezone.now()
    if not ballot.can_close(now):
        return ballot
    return _close(ballot, now)


@transaction.atomic
def ballot_close_early(*, actor: User, ballot: Ballot, reason: str, now=None) -> Ballot:
    """Close before the deadline because the whole electorate has voted: nothing is left to
    wait for. Never while an elector has not voted."""
    perms.require(perms.can_manage_body(actor, ballot.body))
    ballot = _locked(ballot)
    now = now or timezone.now()
    if not ballot.is_open:
        raise ValidationError(_("Only an open ballot can be closed."), code="not_open")
    if not ballot.can_close_early():
        waiting = ballot.electors.count() - ballot.participations.count()
        raise ValidationError(
            _("%(count)s elector(s) have not voted yet: the ballot stays open until its deadline.")
            % {"count": waiting},
            code="electors_waiting",
        )
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the ballot is closed before its deadline.")})
    audit(ballot, "closed_early", actor=actor, reason=reason, deadline=ballot.closes_at.isoformat())
    return _close(ballot, now)


def _close(ballot: Ballot, now) -> Ballot:
    from coordination import tasks
    from ncm_portal.pdf import render_pdf, sha256

    if ballot.secret:
        _seal_secret_counters(ballot)
    ballot.result = tally(ballot)
    ballot.status = Ballot.Status.CLOSED
    ballot.closed_at = now
    audit(ballot, "closed", participants=ballot.result["participants"])
    audit(ballot, "result", outcome=ballot.result["outcome"], words=ballot.result["words"])
    pdf = render_pdf("coordination/ballot_record.html", _record_context(ballot))
    ballot.record_sha256 = sha256(pdf)
    ballot.record.save(
        f"ballot-{ballot.pk}-{ballot.record_sha256[:12]}.pdf", ContentFile(pdf), save=False
    )
    ballot.save(update_fields=["result", "status", "closed_at", "record", "record_sha256"])
    pk = ballot.pk
    transaction.on_commit(lambda: tasks.ballot_result_notify.delay(pk))
    if ballot.secret:
        transaction.on_commit(lambda: tasks.ballot_secret_vacuum.delay())
    return ballot


def vacuum_secret_tallies() -> bool:
    """Reclaim the dead row versions that every vote left behind in the counters' table, so
    that the table's files no longer hold the counters as they stood after each vote.
    PostgreSQL only; VACUUM cannot run inside a transaction."""
    from django.db import connection

    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return False
    with connection.cursor() as cursor:
        cursor.execute(f'VACUUM "{SecretTally._meta.db_table}"')
    return True


def _record_context(ballot: Ballot) -> dict:
    electors = list(ballot.electors.select_related("institution", "person").order_by("pk"))
    took_part = {
        p.elector_id: p
        for p in ballot.participations.select_related("cast_by").order_by("elector_id")
    }
    named = {}
    if not ballot.secret:
        named = {
            v.participation.elector_id: v.option.label
            for v in NamedVote.objects.filter(participation__ballot=ballot).select_related(
                "participation", "option"
            )
        }
    return {
        "ballot": ballot,
        "result": ballot.result,
        "rows": [
            {"elector": e, "participation": took_part.get(e.pk), "choice": named.get(e.pk)}
            for e in electors
        ],
        "events": list(ballot.events.order_by("sequence")),
    }


def catch_up(ballot: Ballot, now=None) -> Ballot:
    """Open or close this ballot if its time has come (pages call it, so that a ballot is
    never shown open past its deadline even where no beat runs)."""
    now = now or timezone.now()
    if ballot.is_due_to_open(now):
        return ballot_open(ballot=ballot, now=now)
    if ballot.can_close(now):
        return ballot_close(ballot=ballot, now=now)
    return ballot


def sweep(now=None) -> dict:
    """Open what should be open and close what should be closed, whatever happened to the
    scheduled tasks. Beat runs it every minute."""
    now = now or timezone.now()
    opened = closed = 0
    for ballot in Ballot.objects.filter(status=Ballot.Status.SCHEDULED, opens_at__lte=now):
        if ballot_open(ballot=ballot, now=now).status == Ballot.Status.OPEN:
            opened += 1
    for ballot in Ballot.objects.filter(status=Ballot.Status.OPEN, closes_at__lte=now):
        if ballot_close(ballot=ballot, now=now).status == Ballot.Status.CLOSED:
            closed += 1
    return {"opened": opened, "closed": closed}
