"""Joint workplans of the bodies: activities and tasks, frozen revisions, progress rounds."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from coordination.models.registry import Body, Convention, Institution, Person, today


class Workplan(models.Model):
    body = models.ForeignKey(
        Body, verbose_name=_("body"), on_delete=models.PROTECT, related_name="workplans"
    )
    title = models.CharField(_("title"), max_length=200)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-period_start", "body__name"]
        verbose_name = _("workplan")
        verbose_name_plural = _("workplans")
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gt=models.F("period_start")),
                name="workplan_period_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("coordination:workplan-detail", args=[self.pk])


class Activity(models.Model):
    workplan = models.ForeignKey(Workplan, on_delete=models.CASCADE, related_name="activities")
    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")

    def __str__(self) -> str:
        return self.title


class TaskQuerySet(models.QuerySet):
    def open(self):
        """Tasks neither done nor cancelled."""
        return self.exclude(status__in=Task.CLOSED)

    def overdue(self, on: datetime.date | None = None):
        """Open tasks whose due date has passed: the one definition of "overdue"."""
        return self.filter(Task.overdue_q(on))


class Task(models.Model):
    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        DELAYED = "delayed", _("Delayed")
        CANCELLED = "cancelled", _("Cancelled")

    class Funding(models.TextChoices):
        NATIONAL = "national", _("National budget line")
        DONOR = "donor", _("Donor")
        IN_KIND = "in_kind", _("In-kind")

    CLOSED = (Status.DONE, Status.CANCELLED)

    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.PROTECT, related_name="tasks"
    )
    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    lead_institution = models.ForeignKey(
        Institution,
        verbose_name=_("lead institution"),
        on_delete=models.PROTECT,
        related_name="led_tasks",
    )
    supporting_institutions = models.ManyToManyField(
        Institution,
        verbose_name=_("supporting institutions"),
        blank=True,
        related_name="supported_tasks",
    )
    assignee = models.ForeignKey(
        Person,
        verbose_name=_("assigned to"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tasks",
    )
    start_date = models.DateField(_("start"))
    due_date = models.DateField(_("due"))
    conventions = models.ManyToManyField(
        Convention, verbose_name=_("conventions served"), blank=True, related_name="tasks"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NOT_STARTED
    )
    percent_complete = models.PositiveSmallIntegerField(
        _("percent complete"), default=0, validators=[MaxValueValidator(100)]
    )
    budget_amount = models.DecimalField(
        _("budget"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    budget_currency = models.CharField(_("currency"), max_length=3, blank=True)
    funding_source = models.CharField(
        _("funding source"), max_length=20, choices=Funding.choices, blank=True
    )
    donor_name = models.CharField(
        _("donor"), max_length=200, blank=True, help_text=_("For example a GEF project.")
    )
    # What the task serves: a NIP step or an action plan, once those exist.
    serves_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    serves_id = models.PositiveBigIntegerField(null=True, blank=True)
    serves = GenericForeignKey("serves_type", "serves_id")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(m2m_fields=[supporting_institutions, conventions])

    objects = TaskQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        indexes = [models.Index(fields=["status", "due_date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_date__gte=models.F("start_date")), name="task_due_after_start"
            ),
            models.CheckConstraint(
                condition=Q(percent_complete__lte=100), name="task_percent_at_most_100"
            ),
            models.CheckConstraint(
                condition=~Q(funding_source="donor") | ~Q(donor_name=""),
                name="task_donor_is_named",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("coordination:task-detail", args=[self.pk])

    @staticmethod
    def overdue_q(on: datetime.date | None = None) -> Q:
        """Overdue on ``on`` (today by default): not done or cancelled, and due before that day.
        A condition, for querysets and for counts (``Count(..., filter=Task.overdue_q(on))``)."""
        return ~Q(status__in=Task.CLOSED) & Q(due_date__lt=on or today())

    def is_overdue(self, on: datetime.date | None = None) -> bool:
        """The same rule as ``overdue_q``, for one task in hand."""
        return self.status not in self.CLOSED and self.due_date < (on or today())

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.funding_source == self.Funding.DONOR and not self.donor_name:
            raise ValidationError({"donor_name": _("Name the donor, for example the GEF project.")})
        if self.budget_amount is not None and not self.budget_currency:
            raise ValidationError({"budget_currency": _("Give the currency of the budget.")})


class WorkplanRevision(models.Model):
    """A frozen copy of the plan: drafted, circulated to the members, adopted, superseded."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        CIRCULATED = "circulated", _("Circulated")
        ADOPTED = "adopted", _("Adopted")
        SUPERSEDED = "superseded", _("Superseded")

    workplan = models.ForeignKey(Workplan, on_delete=models.PROTECT, related_name="revisions")
    number = models.PositiveIntegerField(_("revision"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    snapshot = models.JSONField(_("content"), default=dict, editable=False)
    note = models.TextField(_("what changed and why"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    circulated_at = models.DateTimeField(_("circulated at"), null=True, blank=True)
    circulated_to = models.ManyToManyField(
        Institution, verbose_name=_("circulated to"), blank=True, related_name="+"
    )
    adopted_at = models.DateTimeField(_("adopted at"), null=True, blank=True)
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    adoption_ballot = models.ForeignKey(
        "coordination.Ballot",
        verbose_name=_("adopted by ballot"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    superseded_at = models.DateTimeField(_("superseded at"), null=True, blank=True)
    notified_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["workplan", "-number"]
        verbose_name = _("workplan revision")
        verbose_name_plural = _("workplan revisions")
        constraints = [
            models.UniqueConstraint(fields=["workplan", "number"], name="revision_unique_number"),
            models.UniqueConstraint(
                fields=["workplan"],
                condition=Q(status="adopted"),
                name="revision_one_adopted",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.workplan}, rev. {self.number}"

    def get_absolute_url(self) -> str:
        return reverse("coordination:revision-detail", args=[self.pk])

    @property
    def status_tone(self) -> str:
        """The colour of its status badge."""
        tones = {
            self.Status.ADOPTED: "success",
            self.Status.CIRCULATED: "info",
            self.Status.DRAFT: "warning",
        }
        return tones.get(self.status, "secondary")

    def can_circulate(self) -> bool:
        """A draft goes to the members (``revision_circulate``)."""
        return self.status == self.Status.DRAFT

    def can_adopt(self) -> bool:
        """A circulated revision is adopted, at a meeting or by a ballot (``revision_adopt``)."""
        return self.status == self.Status.CIRCULATED


class ReportingRound(models.Model):
    """A call for progress reports on a workplan's tasks, with a due date."""

    workplan = models.ForeignKey(Workplan, on_delete=models.PROTECT, related_name="rounds")
    title = models.CharField(_("title"), max_length=200)
    due_date = models.DateField(_("reports due"))
    tasks = models.ManyToManyField(Task, related_name="rounds", editable=False)
    opened_at = models.DateTimeField(auto_now_add=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        ordering = ["-due_date", "-pk"]
        verbose_name = _("progress reporting round")
        verbose_name_plural = _("progress reporting rounds")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("coordination:round-detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class ProgressReport(models.Model):
    """One institution's report on one task in one round. Stays in the task's history."""

    round = models.ForeignKey(ReportingRound, on_delete=models.PROTECT, related_name="reports")
    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="progress_reports")
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=20, choices=Task.Status.choices)
    percent_complete = models.PositiveSmallIntegerField(
        _("percent complete"), validators=[MaxValueValidator(100)]
    )
    narrative = models.TextField(_("what was done"))
    problems = models.TextField(_("problems met"), blank=True)
    money_spent = models.DecimalField(
        _("money spent"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    submitted_at = models.DateTimeField(auto_now_add=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        constraints = [
            models.UniqueConstraint(fields=["round", "task"], name="progress_one_per_round_task")
        ]

    def __str__(self) -> str:
        return f"{self.task} ({self.round})"

    @property
    def on_time(self) -> bool:
        from django.utils import timezone

        return timezone.localtime(self.submitted_at).date() <= self.round.due_date
