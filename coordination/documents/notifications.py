"""E-mail to the members of a body when one of its documents is circulated."""

from coordination.registry.selectors import body_representatives
from coordination.reminders import mail


def document_circulated(document_id: int) -> int:
    """Send a circulated document's link to the people concerned, each in their language."""
    from coordination.meetings.services import invitees
    from coordination.models import Document

    document = Document.objects.select_related(
        "meeting__body", "agenda_item__meeting__body", "body"
    ).get(pk=document_id)
    meeting = document.meeting or (document.agenda_item.meeting if document.agenda_item else None)
    if meeting is not None:
        people = {d.person for d in invitees(meeting)}
    elif document.body is not None:
        people = {d.person for d in body_representatives(document.body)}
    else:
        people = set()
    url = mail.link(document.get_absolute_url())
    recipients = sorted((p for p in people if p.email), key=lambda p: p.email)
    stamp = document.circulated_at.isoformat() if document.circulated_at else ""
    sent = 0
    for person in recipients:
        sent += mail.send_once(
            f"document_circulated:{document.pk}:{stamp}",
            to=person.email,
            language=person.language,
            template="document_circulated",
            context={"document": document, "person": person, "meeting": meeting, "url": url},
        )
    return sent
