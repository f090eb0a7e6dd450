"""Obligations under the conventions the mechanism serves: each concrete instance of an entry
of the obligations register (a Basel annual report for one year, a Minamata report of one
cycle, a Rotterdam import response for one chemical), with its due date, who answers for it,
and when and how it was met; and the audit trail of what was recorded on it."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


def obligation_status(
    due: datetime.date, completed_on: datetime.date | None, on: datetime.date
) -> str:
    """The one definition of where an obligation stands on ``on``: done once met; late while
    open past its due date; due otherwise. Stockholm's rounds and NIP cycles are read with it
    too."""
    if completed_on is not None:
        return "done"
    return "late" if on > due else "due"


class ObligationQuerySet(models.QuerySet):
    def open(self):
        return self.filter(completed_on__isnull=True)

    def done(self):
        return self.filter(completed_on__isnull=False)

    def late(self, on: datetime.date):
        """Open and past their due date on ``on``."""
        return self.open().filter(due_on__lt=on)

    def met_on_time(self):
        return self.done().filter(completed_on__lte=F("due_on"))

    def met_late(self):
        return self.done().filter(completed_on__gt=F("due_on"))


class ObligationInstance(models.Model):
    """One thing a Party owes under a convention, due on a date."""

    class Kind(models.TextChoices):
        NATIONAL_REPORT = "national_report", _("National report")
        IMPORT_RESPONSE = "import_response", _("Import response")
        NOTIFICATION = "notification", _("Notification of final regulatory action")
        PLAN_TRANSMISSION = "plan_transmission", _("Transmission of the implementation plan")

    class Status(models.TextChoices):
        DUE = "due", _("Due")
        DONE = "done", _("Done")
        LATE = "late", _("Late")

    obligation = models.CharField(
        _("obligation"), max_length=60, help_text=_("The entry of the obligations register.")
    )
    convention = models.ForeignKey(
        "coordination.Convention",
        verbose_name=_("convention"),
        on_delete=models.PROTECT,
        related_name="obligation_instances",
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    key = models.CharField(
        _("key"), max_length=80, help_text=_("What makes this instance one: the year, the cycle.")
    )
    label = models.CharField(_("label"), max_length=255)
    subject = models.CharField(_("subject"), max_length=255, blank=True)
    period_start = models.DateField(_("period start"), null=True, blank=True)
    period_end = models.DateField(_("period end"), null=True, blank=True)
    trigger_date = models.DateField(
        _("date of the triggering event"),
        null=True,
        blank=True,
        help_text=_(
            "The dispatch of the decision guidance document, or the date the final "
            "regulatory action took effect."
        ),
    )
    due_on = models.DateField(_("due on"))
    due_confirmed = models.BooleanField(
        _("due date confirmed"),
        default=True,
        help_text=_("Cleared where the register could not confirm the date from a source."),
    )
    responsible_role = models.SlugField(_("responsible convention role"), max_length=60)
    responsible_body = models.ForeignKey(
        "coordination.Body",
        verbose_name=_("responsible body"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="obligation_instances",
    )
    responsible_institution = models.ForeignKey(
        "coordination.Institution",
        verbose_name=_("responsible institution"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="obligation_instances",
    )
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    completion_reference = models.CharField(
        _("reference of the submission"), max_length=120, blank=True
    )
    completion_note = models.TextField(_("note"), blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = ObligationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("obligation")
        verbose_name_plural = _("obligations")
        indexes = [models.Index(fields=["due_on", "completed_on"], name="rep_oblig_due")]
        constraints = [
            models.UniqueConstraint(fields=["obligation", "key"], name="rep_oblig_once"),
            models.CheckConstraint(
                condition=Q(completed_on__isnull=True) | ~Q(completion_reference=""),
                name="rep_oblig_done_has_reference",
            ),
            models.CheckConstraint(
                condition=Q(completed_on__isnull=False) | Q(completion_reference=""),
                name="rep_oblig_reference_when_done",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    def get_absolute_url(self) -> str:
        return (
            reverse("reporting:obligations-convention", args=[self.convention.code])
            + f"#obligation-{self.pk}"
        )

    @property
    def is_done(self) -> bool:
        return self.completed_on is not None

    @property
    def met_on_time(self) -> bool | None:
        """True or False once met; None while open."""
        return None if self.completed_on is None else self.completed_on <= self.due_on

    def is_late(self, on: datetime.date | None = None) -> bool:
        """Open past its due date, or met after it."""
        if self.completed_on is not None:
            return self.completed_on > self.due_on
        return (on or timezone.localdate()) > self.due_on

    def status(self, on: datetime.date | None = None) -> str:
        """Done once met; late while open past its due date; due otherwise."""
        return obligation_status(self.due_on, self.completed_on, on or timezone.localdate())

    def can_complete(self) -> bool:
        """Whether its completion may be recorded as such: once, then it is history. An import
        response is met by recording its transmission, at the end of its workflow."""
        return self.completed_on is None and self.kind != self.Kind.IMPORT_RESPONSE


class ObligationEvent(models.Model):
    """What was recorded on an obligation: who, when, what, from which state to which."""

    class Action(models.TextChoices):
        OPENED = "opened", _("Opened")
        COMPLETED = "completed", _("Completion recorded")
        DRAFTED = "drafted", _("Decision drafted")
        APPROVED = "approved", _("Decision approved")
        EXPORT_NOTIFICATION = "export_notification", _("Export notification recorded")

    instance = models.ForeignKey(
        ObligationInstance,
        verbose_name=_("obligation"),
        on_delete=models.CASCADE,
        related_name="events",
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    from_state = models.CharField(_("from"), max_length=10, blank=True)
    to_state = models.CharField(_("to"), max_length=10, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["instance", "at", "pk"]
        verbose_name = _("obligation event")
        verbose_name_plural = _("obligation events")

    def __str__(self) -> str:
        return f"{self.action} {self.from_state}→{self.to_state}"
