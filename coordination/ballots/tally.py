"""Counting a ballot: quorum, majority and the result, for named and secret votes alike."""

from fractions import Fraction

from coordination.models import Ballot, NamedVote, SecretTally


def tally(ballot: Ballot) -> dict:
    """Count the votes and apply the ballot's rules. Pure reading: called once at close."""
    options = list(ballot.options.all())
    counts = {o.pk: 0 for o in options}
    if ballot.secret:
        counts.update(SecretTally.objects.filter(ballot=ballot).values_list("option_id", "votes"))
        receipts = list(ballot.participations.exclude(receipt="").values_list("receipt", flat=True))
    else:
        receipts = []
        chosen = NamedVote.objects.filter(participation__ballot=ballot).values_list(
            "option_id", "receipt"
        )
        for option_id, receipt in chosen:
            counts[option_id] += 1
            receipts.append(receipt)
    electorate = ballot.electors.count()
    participants = ballot.participations.count()
    abstentions = sum(counts[o.pk] for o in options if o.is_abstention)
    towards_quorum = (
        participants if ballot.abstentions_count_for_quorum else (participants - abstentions)
    )
    cast = participants - abstentions  # votes for or against something
    quorum_needed = Fraction(str(ballot.quorum_share)) * electorate
    quorum_met = (
        electorate > 0
        and towards_quorum >= quorum_needed
        and (ballot.quorum_share == 0 or towards_quorum > 0)
    )
    by_code = {o.code: counts[o.pk] for o in options if o.code}
    result = {
        "electorate": electorate,
        "participants": participants,
        "abstentions": abstentions,
        "turnout_percent": round(100 * participants / electorate, 1) if electorate else 0,
        "quorum_required": float(quorum_needed),
        "quorum_met": quorum_met,
        "counts": [{"option": o.label, "code": o.code, "votes": counts[o.pk]} for o in options],
        "receipts": sorted(receipts),
    }
    if ballot.kind == Ballot.Kind.SILENCE:
        objections = by_code.get("object", 0)
        result.update(
            outcome="adopted" if objections == 0 else "rejected",
            quorum_met=True,
            objections=objections,
        )
        result["words"] = (
            "Adopted by silence: no objection before the deadline."
            if objections == 0
            else f"Not adopted: {objections} objection(s) before the deadline."
        )
        return result
    if not quorum_met:
        result.update(
            outcome="no_quorum",
            words=(
                f"No decision: quorum not met ({towards_quorum} of {electorate}, "
                f"{float(quorum_needed):g} needed)."
            ),
        )
        return result
    ranked = sorted(
        ((counts[o.pk], o) for o in options if not o.is_abstention), key=lambda pair: -pair[0]
    )
    top_votes, top = ranked[0] if ranked else (0, None)
    runner_up = ranked[1][0] if len(ranked) > 1 else 0
    if ballot.kind == Ballot.Kind.YES_NO:
        yes, no = by_code.get("yes", 0), by_code.get("no", 0)
        passed = _passes(ballot.majority, yes, no + yes, electorate, against=no)
        result.update(outcome="adopted" if passed else "rejected")
        result["words"] = (
            f"{'Adopted' if passed else 'Not adopted'}: {yes} in favour, {no} against, "
            f"{abstentions} abstaining; {participants} of {electorate} took part."
        )
        return result
    wins = (
        top is not None
        and top_votes > runner_up
        and _passes(ballot.majority, top_votes, cast, electorate, against=cast - top_votes)
    )
    result.update(outcome="winner" if wins else "no_majority", winner=top.label if wins else "")
    result["words"] = (
        f"{top.label} carried with {top_votes} of {cast} votes cast."
        if wins
        else f"No option reached the required majority ({cast} votes cast)."
    )
    return result


def _passes(majority: str, votes_for: int, cast: int, electorate: int, *, against: int) -> bool:
    if votes_for == 0:
        return False
    if majority == Ballot.Majority.SIMPLE:
        return votes_for > against
    if majority == Ballot.Majority.ABSOLUTE:
        return votes_for * 2 > electorate
    if majority == Ballot.Majority.TWO_THIRDS:
        return votes_for * 3 >= cast * 2
    return against == 0  # unanimity of the votes cast
