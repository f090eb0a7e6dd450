"""Sending the portal's e-mail, each message in its recipient's language.

Each message goes out once to each recipient: before it is sent, a row keyed by what the message
is about and the address is written in the same transaction (``SentMessage``). A failure rolls
that one row back, so the task's retry sends to those not reached yet and to no one twice. The
designation and revision rows also record when their whole list was done."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from coordination.models import SentMessage


def send(*, to: str, language: str, template: str, context: dict, zone: str = "") -> None:
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


def once(key: str, to: str, send) -> bool:
    """Call ``send()`` unless the message ``key`` already went to ``to``; record it in the same
    transaction, so that a failed send records nothing. Returns whether it was sent now."""
    with transaction.atomic():
        _, created = SentMessage.objects.get_or_create(key=key, recipient=to.lower())
        if not created:
            return False
        send()
    return True


def send_once(
    key: str, *, to: str, language: str, template: str, context: dict, zone: str = ""
) -> bool:
    return once(
        key,
        to,
        lambda: send(to=to, language=language, template=template, context=context, zone=zone),
    )


def link(path: str) -> str:
    return settings.PORTAL_BASE_URL.rstrip("/") + path
