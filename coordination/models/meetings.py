"""Meetings of the bodies: notice, agenda, replies, attendance, minutes; and external events."""

import zoneinfo

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from coordination.models.registry import Body, Convention, Institution, Person

TIME_ZONES = sorted(zoneinfo.available_timezones())


class Modality(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")
    HYBRID = "hybrid", _("Hybrid")


class Meeting(models.Model):
    class Kind(models.TextChoices):
        REGULAR = "regular", _("Regular")
        EXTRAORDINARY = "extraordinary", _("Extraordinary")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        CONVENED = "convened", _("Convened")
        HELD = "held", _("Held")
        MINUTES_APPROVED = "minutes_approved", _("Minutes approved")
        CANCELLED = "cancelled", _("Cancelled")

    body = models.ForeignKey(
        Body, verbose_name=_("body"), on_delete=models.PROTECT, related_name="meetings"
    )
    title = models.CharField(_("title"), max_length=255)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.REGULAR)
    start = models.DateTimeField(_("starts"))
    end = models.DateTimeField(_("ends"))
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="UTC", choices=[(z, z) for z in TIME_ZONES]
    )
    modality = models.CharField(
        _("modality"), max_length=20, choices=Modality.choices, default=Modality.IN_PERSON
    )
    venue = models.CharField(_("venue"), max_length=255, blank=True)
    online_link = models.URLField(_("online link"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    short_notice_reason = models.TextField(
        _("reason for short notice"),
        blank=True,
        help_text=_("Required when the notice goes out later than the body's notice period."),
    )
    convened_at = models.DateTimeField(_("convened at"), null=True, blank=True)
    sequence = models.PositiveIntegerField(default=0, editable=False)  # iCalendar SEQUENCE
    public = models.BooleanField(
        _("public"), default=False, help_text=_("Shown in the public calendar feed.")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-start"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")), name="meeting_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("coordination:meeting-detail", args=[self.pk])

    @property
    def zone(self):
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def uid(self) -> str:
        return f"meeting-{self.pk}@ncm-portal"

    # What may happen to the meeting now: the services' guards and the page's buttons ask these.

    @property
    def is_extraordinary(self) -> bool:
        return self.kind == self.Kind.EXTRAORDINARY

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    def can_change(self) -> bool:
        """Its details may still be edited (``meeting_update``)."""
        return self.status not in (self.Status.CANCELLED, self.Status.MINUTES_APPROVED)

    def can_change_agenda(self) -> bool:
        """Items may still be added to its agenda (``agenda_item_add``): not once cancelled."""
        return self.status != self.Status.CANCELLED

    def can_convene(self) -> bool:
        """The notice may go out (``meeting_convene``; it also refuses a start already past)."""
        return self.status == self.Status.PLANNED

    def can_cancel(self) -> bool:
        """Yet to be held (``meeting_cancel``)."""
        return self.status in (self.Status.PLANNED, self.Status.CONVENED)

    def can_mark_held(self, now=None) -> bool:
        """Convened and started (``meeting_mark_held``)."""
        from django.utils import timezone

        return self.status == self.Status.CONVENED and self.start <= (now or timezone.now())

    def takes_replies(self) -> bool:
        """The invited reply while the meeting is convened (``reply_record``)."""
        return self.status == self.Status.CONVENED

    def can_take_attendance(self) -> bool:
        """Attendance is recorded at a convened or held meeting (``attendance_record``)."""
        return self.status in (self.Status.CONVENED, self.Status.HELD)

    def has_attendance(self) -> bool:
        """Attendance exists to show: the meeting was convened, and is not cancelled."""
        return self.status in (self.Status.CONVENED, self.Status.HELD, self.Status.MINUTES_APPROVED)

    def can_write_minutes(self) -> bool:
        """Minutes are written once the meeting is held (``minutes_open``)."""
        return self.status in (self.Status.HELD, self.Status.MINUTES_APPROVED)


class AgendaItem(models.Model):
    class Outcome(models.TextChoices):
        INFORMATION = "information", _("For information")
        DISCUSSION = "discussion", _("For discussion")
        DECISION = "decision", _("For decision")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=255)
    presenter = models.ForeignKey(
        Person,
        verbose_name=_("presenter"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    expected_outcome = models.CharField(
        _("expected outcome"),
        max_length=20,
        choices=Outcome.choices,
        default=Outcome.DISCUSSION,
    )
    # What the item puts to the body (a NIP step, minutes, a workplan revision): a decision
    # recorded under it may be cited as the approval of that thing and of nothing else.
    subject_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    subject_id = models.PositiveBigIntegerField(null=True, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")

    class Meta:
        ordering = ["meeting", "order", "pk"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")

    def __str__(self) -> str:
        return f"{self.order}. {self.title}"


class Reply(models.Model):
    """A representative's answer to a notice, for the meeting's date as it was then."""

    class Response(models.TextChoices):
        IN_PERSON = "in_person", _("Attending in person")
        ONLINE = "online", _("Attending online")
        ALTERNATE = "alternate", _("Sending the alternate")
        DECLINE = "decline", _("Declining")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="replies")
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="meeting_replies")
    response = models.CharField(_("reply"), max_length=20, choices=Response.choices)
    for_start = models.DateTimeField()  # the meeting's start the reply answered
    replied_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("reply")
        verbose_name_plural = _("replies")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "person", "for_start"], name="reply_one_per_person_and_date"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_response_display()}"


class Attendance(models.Model):
    class Presence(models.TextChoices):
        PRINCIPAL = "principal", _("Principal")
        ALTERNATE = "alternate", _("Alternate")
        STAND_IN = "stand_in", _("Stand-in")
        EXCUSED = "excused", _("Excused")
        ABSENT = "absent", _("Absent")

    PRESENT = (Presence.PRINCIPAL, Presence.ALTERNATE, Presence.STAND_IN)

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="+")
    presence = models.CharField(_("presence"), max_length=20, choices=Presence.choices)
    person = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    stand_in_name = models.CharField(_("stand-in"), max_length=200, blank=True)
    mode = models.CharField(_("attended"), max_length=20, choices=Modality.choices[:2], blank=True)
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "institution"], name="attendance_one_per_institution"
            )
        ]

    def __str__(self) -> str:
        return f"{self.institution}: {self.get_presence_display()}"

    @property
    def present(self) -> bool:
        return self.presence in self.PRESENT


class Minutes(models.Model):
    """One version of a meeting's minutes. Approval locks it; a change makes a new version."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        CIRCULATED = "circulated", _("Circulated")
        APPROVED = "approved", _("Approved")
        REPLACED = "replaced", _("Replaced by a later version")

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="minutes")
    version = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    circulated_at = models.DateTimeField(_("circulated at"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approval_ballot = models.ForeignKey(
        "coordination.Ballot",
        verbose_name=_("approved by ballot"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["meeting", "-version"]
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "version"], name="minutes_unique_version")
        ]

    def __str__(self) -> str:
        return f"{self.meeting}, minutes v{self.version}"

    @property
    def locked(self) -> bool:
        return self.status in (self.Status.APPROVED, self.Status.REPLACED)

    @property
    def is_replaced(self) -> bool:
        return self.status == self.Status.REPLACED

    def can_circulate(self) -> bool:
        """A draft goes to the members (``minutes_circulate``)."""
        return self.status == self.Status.DRAFT

    def can_approve(self) -> bool:
        """Circulated minutes are approved, at a meeting or by a ballot (``minutes_approve``)."""
        return self.status == self.Status.CIRCULATED


class MinutesItem(models.Model):
    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="items")
    agenda_item = models.ForeignKey(AgendaItem, on_delete=models.PROTECT, related_name="+")
    summary = models.TextField(_("summary of the discussion"), blank=True)
    decisions = models.TextField(_("decisions"), blank=True)

    class Meta:
        ordering = ["agenda_item__order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["minutes", "agenda_item"], name="minutes_item_unique")
        ]

    def __str__(self) -> str:
        return str(self.agenda_item)


class ActionItem(models.Model):
    """An action decided in the minutes; it becomes a task in the body's workplan."""

    minutes_item = models.ForeignKey(MinutesItem, on_delete=models.CASCADE, related_name="actions")
    title = models.CharField(_("action"), max_length=255)
    lead_institution = models.ForeignKey(
        Institution, verbose_name=_("lead institution"), on_delete=models.PROTECT, related_name="+"
    )
    due_date = models.DateField(_("due"))
    task = models.ForeignKey(
        "coordination.Task", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("action item")
        verbose_name_plural = _("action items")

    def __str__(self) -> str:
        return self.title


class ExternalEvent(models.Model):
    """A chemicals and waste event outside the mechanism: a COP, a workshop, a webinar."""

    class Kind(models.TextChoices):
        COP = "cop", _("Conference of the Parties")
        REGIONAL = "regional", _("Regional workshop")
        WEBINAR = "webinar", _("Webinar")
        OTHER = "other", _("Other event")

    title = models.CharField(_("title"), max_length=255)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    start = models.DateTimeField(_("starts"))
    end = models.DateTimeField(_("ends"))
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="UTC", choices=[(z, z) for z in TIME_ZONES]
    )
    location = models.CharField(_("location"), max_length=255, blank=True)
    url = models.URLField(_("web page"), blank=True)
    conventions = models.ManyToManyField(
        Convention, verbose_name=_("conventions"), blank=True, related_name="+"
    )
    public = models.BooleanField(_("public"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["start"]
        verbose_name = _("external event")
        verbose_name_plural = _("external events")
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")), name="event_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def uid(self) -> str:
        return f"event-{self.pk}@ncm-portal"


class CalendarToken(models.Model):
    """The secret in a user's personal calendar feed address; revoking it closes the feed."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_tokens"
    )
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=Q(revoked_at__isnull=True), name="one_live_token"
            )
        ]

    def __str__(self) -> str:
        return f"calendar token of {self.user_id}"
