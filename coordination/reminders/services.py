"""The reminder engine: asks every registered deadline provider what is due, and reminds each
person concerned once per lead time, in their language, by e-mail and in the portal.

Exactly once: each reminder is recorded under a unique key (deadline, recipient, lead time,
due date) in the same transaction that sends it. Two runs at once, a second beat or a retry
find the key taken and send nothing; a failed send rolls its batch back so the next run tries
again. A moved due date makes a new key, so it is reminded afresh."""

import datetime
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from coordination.models import (
    DigestSent,
    Notification,
    NotificationPreference,
    Reminder,
    User,
    today,
)
from ncm_portal import deadlines

Delivery = NotificationPreference.Delivery


@dataclass(frozen=True)
class Due:
    deadline: deadlines.Deadline
    recipient_id: int
    lead: str

    @property
    def sort_key(self):
        return (self.deadline.key, self.recipient_id, self.lead)

    @property
    def unique_key(self):
        return (*self.sort_key, self.deadline.due.isoformat())


def _unique_key(reminder: Reminder):
    return (reminder.deadline_key, reminder.recipient_id, reminder.lead, reminder.due_fingerprint)


def reminders_due(on: datetime.date, now: datetime.datetime | None = None) -> list[Due]:
    """Every (deadline, recipient, lead time) that should be reminded on ``on``."""
    due = []
    for kind in deadlines.kinds():
        for deadline in kind.provider(on):
            lead = deadlines.lead_for(kind, deadline.due, on, now)
            if lead is not None:
                due.extend(Due(deadline, uid, lead) for uid in deadline.recipient_ids)
    # One order for every sender, so that concurrent runs wait for each other, not deadlock.
    return sorted(due, key=lambda d: d.sort_key)


def _deliveries(user_ids) -> dict[tuple[int, str], str]:
    return {
        (p.user_id, p.kind): p.delivery
        for p in NotificationPreference.objects.filter(user_id__in=user_ids)
    }


def _render(item: Due, user: User, on: datetime.date) -> tuple[str, str]:
    deadline = item.deadline
    due_day = deadline.due.date() if isinstance(deadline.due, datetime.datetime) else deadline.due
    context = {
        "deadline": deadline,
        "days_left": (due_day - on).days,
        "days_late": (on - due_day).days,
        "user": user,
        "link": settings.PORTAL_BASE_URL.rstrip("/") + deadline.url,
        **deadline.context,
    }
    template = f"coordination/email/reminder_{deadline.kind}"
    with (
        translation.override(user.language or settings.LANGUAGE_CODE),
        timezone.override(user.time_zone or settings.TIME_ZONE),
    ):
        subject = render_to_string(f"{template}_subject.txt", context)
        body = render_to_string(f"{template}.txt", context)
    return " ".join(subject.split()), body


def _send_batch(batch: list[Due], on: datetime.date, connection) -> int:
    claim = uuid.uuid4()
    by_key = {
        (d.deadline.key, d.recipient_id, d.lead, d.deadline.due.isoformat()): d for d in batch
    }
    with transaction.atomic():
        Reminder.objects.bulk_create(
            [
                Reminder(
                    kind=d.deadline.kind,
                    deadline_key=d.deadline.key,
                    recipient_id=d.recipient_id,
                    lead=d.lead,
                    due_fingerprint=d.deadline.due.isoformat(),
                    claim=claim,
                )
                for d in batch
            ],
            ignore_conflicts=True,
        )
        # Only the rows this run inserted carry its claim: the others were sent before.
        mine = list(Reminder.objects.filter(claim=claim).select_related("recipient"))
        if not mine:
            return 0
        deliveries = _deliveries({r.recipient_id for r in mine})
        now = timezone.now()
        notifications, messages = [], []
        for reminder in mine:
            item = by_key[
                (
                    reminder.deadline_key,
                    reminder.recipient_id,
                    reminder.lead,
                    reminder.due_fingerprint,
                )
            ]
            user = reminder.recipient
            subject, body = _render(item, user, on)
            delivery = deliveries.get((user.pk, reminder.kind), Delivery.IMMEDIATE)
            emailed = delivery == Delivery.IMMEDIATE and user.is_active and bool(user.email)
            notifications.append(
                Notification(
                    user=user,
                    kind=reminder.kind,
                    title=subject,
                    body=body,
                    url=item.deadline.url,
                    emailed_at=now if emailed else None,
                )
            )
            if emailed:
                messages.append(EmailMessage(subject, body, to=[user.email]))
        created = Notification.objects.bulk_create(notifications)
        for reminder, notification in zip(mine, created, strict=True):
            reminder.sent_at = now
            reminder.notification = notification
        if created[0].pk is not None:
            Reminder.objects.bulk_update(mine, ["sent_at", "notification"])
        else:  # databases that do not return ids from bulk inserts
            Reminder.objects.filter(pk__in=[r.pk for r in mine]).update(sent_at=now)
        if messages:
            # Inside the transaction: if the mail server refuses, nothing is recorded as sent.
            connection.send_messages(messages)
        return len(mine)


def send_due_reminders(
    *, on: datetime.date | None = None, now: datetime.datetime | None = None, batch_size: int = 500
) -> dict:
    """Send what is due today and not sent yet. Returns counts for logs and benchmarks."""
    on = on or today()
    items = reminders_due(on, now)
    sent = 0
    connection = get_connection()
    with connection:
        for start in range(0, len(items), batch_size):
            sent += _send_batch(items[start : start + batch_size], on, connection)
    return {"due": len(items), "sent": sent}


def send_digests(*, on: datetime.date | None = None) -> int:
    """One e-mail a day to each user who chose a digest, listing what they have not had."""
    on = on or today()
    digest_kinds = NotificationPreference.objects.filter(delivery=Delivery.DIGEST)
    users = User.objects.filter(pk__in=digest_kinds.values("user_id"), is_active=True).exclude(
        email=""
    )
    sent = 0
    for user in users:
        kinds = set(digest_kinds.filter(user=user).values_list("kind", flat=True))
        with transaction.atomic():
            pending = list(
                Notification.objects.select_for_update()
                .filter(user=user, kind__in=kinds, emailed_at__isnull=True)
                .order_by("created_at")
            )
            if not pending:
                continue
            _, created = DigestSent.objects.get_or_create(user=user, day=on)
            if not created:
                continue
            with translation.override(user.language or settings.LANGUAGE_CODE):
                subject = render_to_string(
                    "coordination/email/digest_subject.txt", {"count": len(pending)}
                )
                body = render_to_string(
                    "coordination/email/digest.txt",
                    {
                        "notifications": pending,
                        "base_url": settings.PORTAL_BASE_URL.rstrip("/"),
                    },
                )
            EmailMessage(" ".join(subject.split()), body, to=[user.email]).send()
            Notification.objects.filter(pk__in=[n.pk for n in pending]).update(
                emailed_at=timezone.now()
            )
            sent += 1
    return sent


def notification_mark_read(*, user: User, notification_ids=None) -> int:
    """Mark the user's own notifications read (all of them when no ids are given)."""
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if notification_ids is not None:
        unread = unread.filter(pk__in=notification_ids)
    return unread.update(read_at=timezone.now())


def preferences_set(*, user: User, deliveries: dict[str, str]) -> None:
    for kind, delivery in deliveries.items():
        if not delivery:
            continue  # left as it was
        NotificationPreference.objects.update_or_create(
            user=user, kind=kind, defaults={"delivery": delivery}
        )
