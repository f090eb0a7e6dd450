"""E-mail about changes in the registry, each message in its recipient's language.

Each message goes out once to each recipient: before it is sent, a row keyed by what the message
is about and the address is written in the same transaction (``SentMessage``). A failure rolls
that one row back, so the task's retry sends to those not reached yet and to no one twice. The
designation and revision rows also record when their whole list was done."""

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from coordination.models import (
    ROLE_GROUPS,
    Designation,
    Role,
    SentMessage,
    User,
    WorkplanRevision,
)
from coordination.selectors import body_representatives


def _send(*, to: str, language: str, template: str, context: dict, zone: str = "") -> None:
    """Render in the recipient's language, and their time zone (the portal's by default), which
    the messages that print a time name."""
    with (
        translation.override(language or settings.LANGUAGE_CODE),
        timezone.override(zone or settings.TIME_ZONE),
    ):
        subject = render_to_string(f"coordination/email/{template}_subject.txt", context)
        body = render_to_string(f"coordination/email/{template}.txt", context)
    message = EmailMultiAlternatives(" ".join(subject.split()), body, to=[to])
    message.send()


def _once(key: str, to: str, send) -> bool:
    """Call ``send()`` unless the message ``key`` already went to ``to``; record it in the same
    transaction, so that a failed send records nothing. Returns whether it was sent now."""
    with transaction.atomic():
        _, created = SentMessage.objects.get_or_create(key=key, recipient=to.lower())
        if not created:
            return False
        send()
    return True


def _send_once(
    key: str, *, to: str, language: str, template: str, context: dict, zone: str = ""
) -> bool:
    return _once(key, to, lambda: _send(to=to, language=language, template=template,
                                        context=context, zone=zone))  # fmt: skip


def _link(path: str) -> str:
    return settings.PORTAL_BASE_URL.rstrip("/") + path


def designation_created(designation_id: int) -> int:
    """Tell the designated person what they now hold. Returns the number of messages sent."""
    designation = Designation.objects.select_related(
        "person", "institution", "body", "convention_role__convention"
    ).get(pk=designation_id)
    if designation.notified_at is not None or not designation.person.email:
        return 0
    person = designation.person
    sent = _send_once(
        f"designation_created:{designation.pk}",
        to=person.email,
        language=person.language,
        template="designation_created",
        context={
            "designation": designation,
            "person": person,
            "url": _link(reverse("coordination:person-detail", args=[person.pk])),
        },
    )
    Designation.objects.filter(pk=designation.pk, notified_at=None).update(
        notified_at=timezone.now()
    )
    return int(sent)


def designation_ended(designation_id: int) -> int:
    """Tell the secretariat a designation ended, with the handover note and the vacancy."""
    designation = Designation.objects.select_related(
        "person", "institution", "body", "convention_role__convention"
    ).get(pk=designation_id)
    if designation.end_notified_at is not None or designation.ended_at is None:
        return 0
    recipients = User.objects.filter(
        is_active=True, groups__name=ROLE_GROUPS[Role.SECRETARIAT]
    ).distinct().order_by("email")
    url = _link(reverse("coordination:institution-detail", args=[designation.institution_id]))
    sent = 0
    for user in recipients:
        sent += _send_once(
            f"designation_ended:{designation.pk}",
            to=user.email,
            language=user.language,
            template="designation_ended",
            context={"designation": designation, "person": designation.person, "url": url},
        )
    Designation.objects.filter(pk=designation.pk, end_notified_at=None).update(
        end_notified_at=timezone.now()
    )
    return sent


def revision_circulated(revision_id: int) -> int:
    """Send a circulated workplan revision to the principal and alternate representatives of
    the institutions it went to, each in their language."""
    revision = WorkplanRevision.objects.select_related("workplan__body").get(pk=revision_id)
    if revision.notified_at is not None or revision.circulated_at is None:
        return 0
    people = {
        d.person
        for d in body_representatives(
            revision.workplan.body, institutions=revision.circulated_to.all()
        )
        if d.person.email
    }
    url = _link(reverse("coordination:revision-detail", args=[revision.pk]))
    sent = 0
    for person in sorted(people, key=lambda p: p.email):
        sent += _send_once(
            f"revision_circulated:{revision.pk}",
            to=person.email,
            language=person.language,
            template="revision_circulated",
            context={"revision": revision, "person": person, "url": url},
        )
    WorkplanRevision.objects.filter(pk=revision.pk, notified_at=None).update(
        notified_at=timezone.now()
    )
    return sent


def meeting_notice(meeting_id: int) -> int:
    """Send the notice (or the cancellation) with its .ics to every invitee with an e-mail,
    each in their language. A move re-sends it with the next iCalendar SEQUENCE."""
    from coordination import ical
    from coordination.models import Meeting
    from coordination.services.meetings import invitees

    meeting = Meeting.objects.select_related("body").get(pk=meeting_id)
    cancelled = meeting.status == Meeting.Status.CANCELLED
    attachment = ical.meeting_invitation(meeting, cancelled=cancelled)
    url = _link(meeting.get_absolute_url())
    key = f"meeting_notice:{meeting.pk}:{meeting.sequence}:{meeting.status}"
    sent = 0
    for designation in invitees(meeting):
        person = designation.person
        if not person.email:
            continue
        # Times print in the meeting's own zone, the one the notice names.
        with (
            translation.override(person.language or settings.LANGUAGE_CODE),
            timezone.override(meeting.zone),
        ):
            context = {
                "meeting": meeting,
                "person": person,
                "designation": designation,
                "url": url,
                "cancelled": cancelled,
                "start": timezone.localtime(meeting.start, meeting.zone),
                "end": timezone.localtime(meeting.end, meeting.zone),
            }
            subject = render_to_string("coordination/email/meeting_notice_subject.txt", context)
            body = render_to_string("coordination/email/meeting_notice.txt", context)
        message = EmailMessage(" ".join(subject.split()), body, to=[person.email])
        method = "CANCEL" if cancelled else "REQUEST"
        message.attach("meeting.ics", attachment, f"text/calendar; method={method}; charset=utf-8")
        sent += _once(key, person.email, message.send)
    return sent


def document_circulated(document_id: int) -> int:
    """Send a circulated document's link to the people concerned, each in their language."""
    from coordination.models import Document
    from coordination.services.meetings import invitees

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
    url = _link(document.get_absolute_url())
    recipients = sorted((p for p in people if p.email), key=lambda p: p.email)
    stamp = document.circulated_at.isoformat() if document.circulated_at else ""
    sent = 0
    for person in recipients:
        sent += _send_once(
            f"document_circulated:{document.pk}:{stamp}",
            to=person.email,
            language=person.language,
            template="document_circulated",
            context={"document": document, "person": person, "meeting": meeting, "url": url},
        )
    return sent


def ballot_message(ballot_id: int, template: str) -> int:
    """The opening notice or the result, to everyone who may vote in the ballot, each in
    their language; recorded in the ballot's audit trail."""
    from coordination.models import Ballot, EligibleVoter
    from coordination.services.ballots import audit

    ballot = Ballot.objects.select_related("body").get(pk=ballot_id)
    people = {
        v.person
        for v in EligibleVoter.objects.filter(elector__ballot=ballot).select_related(
            "person__user"
        )
        if v.person.email
    }
    url = _link(ballot.get_absolute_url())
    sent = 0
    for person in sorted(people, key=lambda p: p.email):
        sent += _send_once(
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
