"""The ballot's audit chain: each event carries the hash of the one before, so that a change
to a past event shows when the chain is verified."""

import hashlib
import json

from django.utils import timezone

from coordination.models import Ballot, BallotEvent, User

GENESIS = "0" * 64


def _event_hash(previous: str, sequence: int, kind: str, at: str, actor: str, data: dict) -> str:
    payload = json.dumps(
        {"prev": previous, "seq": sequence, "kind": kind, "at": at, "actor": actor, "data": data},
        sort_keys=True,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def audit(ballot: Ballot, kind: str, *, actor: User | None = None, **data) -> BallotEvent:
    """Append an event to the ballot's chain. Call inside the transaction that made the change,
    with the ballot row locked, so the chain has no gaps and no forks."""
    last = ballot.events.order_by("-sequence").first()
    sequence = last.sequence + 1 if last else 1
    previous = last.hash if last else GENESIS
    at = timezone.now().replace(microsecond=0)
    who = actor.email if actor else ""
    return BallotEvent.objects.create(
        ballot=ballot,
        sequence=sequence,
        kind=kind,
        at=at,
        actor=who,
        data=data,
        previous_hash=previous,
        hash=_event_hash(previous, sequence, kind, at.isoformat(), who, data),
    )


def audit_verify(ballot: Ballot | None = None) -> list[str]:
    """Recompute every chain; return a description of each broken link (none when intact)."""
    problems = []
    ballots = [ballot] if ballot else Ballot.objects.all()
    for item in ballots:
        previous = GENESIS
        for expected, event in enumerate(item.events.order_by("sequence"), start=1):
            recomputed = _event_hash(
                previous, event.sequence, event.kind, event.at.isoformat(), event.actor, event.data
            )
            if event.sequence != expected:
                problems.append(f"ballot {item.pk}: event {expected} is missing")
                break
            if event.previous_hash != previous or event.hash != recomputed:
                problems.append(f"ballot {item.pk}: event {event.sequence} ({event.kind}) altered")
                break
            previous = event.hash
    return problems
