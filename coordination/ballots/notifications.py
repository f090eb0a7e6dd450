"""E-mail to the electors when a ballot opens and when its result is known."""

from django.db import transaction

from coordination.reminders import mail


def ballot_message(ballot_id: int, template: str) -> int:
    """The opening notice or the result, to everyone who may vote in the ballot, each in
    their language; recorded in the ballot's audit trail."""
    from coordination.ballots.events import audit
    from coordination.models import Ballot, EligibleVoter

    ballot = Ballot.objects.select_related("body").get(pk=ballot_id)
    people = {
        v.person
        for v in EligibleVoter.objects.filter(elector__ballot=ballot).select_related("person__user")
        if v.person.email
    }
    url = mail.link(ballot.get_absolute_url())
    sent = 0
    for person in sorted(people, key=lambda p: p.email):
        sent += mail.send_once(
            f"{template}:{ballot.pk}",
            to=person.email,
            language=person.language,
            template=template,
            context={"ballot": ballot, "person": person, "url": url, "result": ballot.result},
            zone=person.user.time_zone if person.user else "",
        )
    with transaction.atomic():
        locked = Ballot.objects.select_for_update().get(pk=ballot.pk)
        if not locked.events.filter(kind="notified", data__message=template).exists():
            audit(locked, "notified", message=template, recipients=len(people))
    return sent
