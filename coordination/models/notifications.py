"""In-portal notifications, reminder bookkeeping and each user's preferences."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=60)
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("message"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return self.title


class Reminder(models.Model):
    """The record that a reminder went out: one row per deadline, recipient, lead time and
    due date. The unique constraint is what makes sending happen exactly once."""

    kind = models.CharField(max_length=60)
    deadline_key = models.CharField(max_length=200)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders"
    )
    lead = models.CharField(max_length=20)  # "30d", "7d", "1d", "0d", "overdue-2w"
    due_fingerprint = models.CharField(max_length=40)  # the due date (or moment) reminded about
    claim = models.UUIDField(db_index=True)  # which sender run recorded it
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    notification = models.OneToOneField(
        Notification, on_delete=models.SET_NULL, null=True, blank=True, related_name="reminder"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        constraints = [
            models.UniqueConstraint(
                fields=["deadline_key", "recipient", "lead", "due_fingerprint"],
                name="reminder_once_per_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.deadline_key} → {self.recipient_id} ({self.lead})"


class NotificationPreference(models.Model):
    """How a user wants to hear about one kind of deadline."""

    class Delivery(models.TextChoices):
        IMMEDIATE = "immediate", _("E-mail at once")
        DIGEST = "digest", _("One e-mail a day")
        PORTAL = "portal", _("Only in the portal")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(_("kind"), max_length=60)
    delivery = models.CharField(
        _("delivery"), max_length=20, choices=Delivery.choices, default=Delivery.IMMEDIATE
    )

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="preference_one_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.kind} → {self.delivery}"


class DigestSent(models.Model):
    """One daily digest per user and day, recorded before it is sent."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="digest_once_per_day")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.day}"


class SentMessage(models.Model):
    """That one message went to one address: written in the transaction that sends it, so that
    a retry after a failure halfway through a list sends only to those not yet reached."""

    key = models.CharField(max_length=200)  # what the message is about, e.g. "ballot_opened:12"
    recipient = models.CharField(max_length=254)  # the address it went to
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("message sent")
        verbose_name_plural = _("messages sent")
        constraints = [
            models.UniqueConstraint(fields=["key", "recipient"], name="message_once_per_recipient")
        ]

    def __str__(self) -> str:
        return f"{self.key} → {self.recipient}"
