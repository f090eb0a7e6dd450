"""The notice of a meeting (and of its cancellation), with its invitation for calendars."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import timezone, translation

from coordination.calendars.ical import meeting_invitation
from coordination.reminders import mail


def meeting_notice(meeting_id: int) -> int:
    """Send the notice (or the cancellation) with its .ics to every invitee with an e-mail,
    each in their language. A move re-sends it with the next iCalendar SEQUENCE."""
    from coordination.meetings.services import invitees
    from coordination.models import Meeting

    meeting = Meeting.objects.select_related("body").get(pk=meeting_id)
    cancelled = meeting.status == Meeting.Status.CANCELLED
    attachment = meeting_invitation(meeting, cancelled=cancelled)
    url = mail.link(meeting.get_absolute_url())
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
        sent += mail.once(key, person.email, message.send)
    return sent
