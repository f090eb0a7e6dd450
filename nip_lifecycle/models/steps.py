"""The eight steps of a cycle: templates, checklists, deliverables, the two-stage gate and the
audit trail of every transition."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .cycles import Cycle


class StepTemplate(models.Model):
    """What every cycle's step N starts with (reference data, DOMAIN section 4.2)."""

    number = models.PositiveSmallIntegerField(
        _("step"), unique=True, validators=[MinValueValidator(1), MaxValueValidator(8)]
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("typical sub-activities"), blank=True)
    needs_technical_review = models.BooleanField(_("reviewed by the technical committee"))
    needs_approval = models.BooleanField(_("approved by the steering committee"))
    checklist = models.JSONField(_("default checklist"), default=list)
    deliverables = models.JSONField(_("expected deliverables"), default=list)

    class Meta:
        ordering = ["number"]
        verbose_name = _("step template")
        verbose_name_plural = _("step templates")

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"


class Step(models.Model):
    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        UNDER_TECHNICAL_REVIEW = "under_technical_review", _("Under technical review")
        RETURNED = "returned", _("Returned")
        CLEARED = "cleared", _("Cleared, awaiting approval")
        APPROVED = "approved", _("Approved")
        COMPLETED = "completed", _("Completed")

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="steps")
    number = models.PositiveSmallIntegerField(_("step"))
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("typical sub-activities"), blank=True)
    needs_technical_review = models.BooleanField(_("reviewed by the technical committee"))
    needs_approval = models.BooleanField(_("approved by the steering committee"))
    responsible_body = models.ForeignKey(
        "coordination.Body",
        verbose_name=_("responsible body"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    planned_start = models.DateField(_("planned start"), null=True, blank=True)
    planned_end = models.DateField(_("planned end"), null=True, blank=True)
    actual_start = models.DateField(_("actual start"), null=True, blank=True)
    actual_end = models.DateField(_("actual end"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=30, choices=Status.choices, default=Status.NOT_STARTED
    )
    # The steering committee's approval: a decision in approved minutes, or an adopted ballot.
    approval_minutes_item = models.ForeignKey(
        "coordination.MinutesItem",
        verbose_name=_("decision in minutes"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    approval_ballot = models.ForeignKey(
        "coordination.Ballot",
        verbose_name=_("ballot"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["cycle", "number"]
        verbose_name = _("step")
        verbose_name_plural = _("steps")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "number"], name="nip_step_once"),
            models.CheckConstraint(
                condition=Q(planned_end__isnull=True)
                | Q(planned_start__isnull=True)
                | Q(planned_end__gte=models.F("planned_start")),
                name="nip_step_planned_end_after_start",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["approved", "completed"], needs_approval=True)
                | Q(approval_minutes_item__isnull=False)
                | Q(approval_ballot__isnull=False),
                name="nip_step_approval_recorded",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("nip_lifecycle:step-detail", args=[self.pk])

    @property
    def needs_gate(self) -> bool:
        return self.needs_technical_review or self.needs_approval

    @property
    def is_completed(self) -> bool:
        return self.status == self.Status.COMPLETED

    # What may happen to the step now: the services' guards (services.steps) and the step page
    # ask these.

    def can_start(self) -> bool:
        """``step_start``."""
        return self.status == self.Status.NOT_STARTED

    def can_submit_for_review(self) -> bool:
        """In progress or returned, and reviewed by the technical committee
        (``step_submit_for_review``)."""
        return self.needs_technical_review and self.status in (
            self.Status.IN_PROGRESS,
            self.Status.RETURNED,
        )

    def awaits_review(self) -> bool:
        """With the technical committee (``step_review``)."""
        return self.status == self.Status.UNDER_TECHNICAL_REVIEW

    def can_approve(self) -> bool:
        """The steering committee approves a step it must approve once the technical committee
        cleared it, or, without a review, while it is in progress (``step_approve``)."""
        ready = self.Status.CLEARED if self.needs_technical_review else self.Status.IN_PROGRESS
        return self.needs_approval and self.status == ready

    def deliverables_open(self) -> bool:
        """Documents may be attached to its deliverables: not once under review, cleared,
        approved or completed, since what was reviewed is what is annexed
        (``deliverable_attach``)."""
        return self.status in (
            self.Status.NOT_STARTED,
            self.Status.IN_PROGRESS,
            self.Status.RETURNED,
        )

    def can_complete(self) -> bool:
        """Started and not completed: completing it may be tried (``step_complete`` then
        refuses with whatever else blocks it, from ``rules.step_blockers``)."""
        return self.status not in (self.Status.NOT_STARTED, self.Status.COMPLETED)


class ChecklistItem(models.Model):
    step = models.ForeignKey(Step, on_delete=models.CASCADE, related_name="checklist")
    order = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(_("item"), max_length=300)
    required = models.BooleanField(_("required"), default=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["step", "order", "pk"]
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")

    def __str__(self) -> str:
        return self.text

    @property
    def done(self) -> bool:
        return self.done_at is not None


class Deliverable(models.Model):
    """An expected deliverable of a step, and the library document that delivers it."""

    step = models.ForeignKey(Step, on_delete=models.CASCADE, related_name="deliverables")
    order = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(_("deliverable"), max_length=200)
    required = models.BooleanField(_("required"), default=True)
    document = models.ForeignKey(
        "coordination.Document",
        verbose_name=_("document"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    attached_at = models.DateTimeField(null=True, blank=True)
    attached_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["step", "order", "pk"]
        verbose_name = _("deliverable")
        verbose_name_plural = _("deliverables")
        constraints = [
            models.UniqueConstraint(fields=["step", "name"], name="nip_deliverable_once"),
        ]

    def __str__(self) -> str:
        return self.name


class TechnicalReview(models.Model):
    """The technical committee's record on a step: comments, a return with reasons, or
    clearance (data validation and methodological consistency)."""

    class Outcome(models.TextChoices):
        COMMENTS = "comments", _("Comments")
        RETURNED = "returned", _("Returned")
        CLEARED = "cleared", _("Cleared")

    step = models.ForeignKey(Step, on_delete=models.CASCADE, related_name="reviews")
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    text = models.TextField(_("comments or reasons"), blank=True)
    reviewed_at = models.DateTimeField(_("reviewed at"))
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["step", "reviewed_at", "pk"]
        verbose_name = _("technical review")
        verbose_name_plural = _("technical reviews")
        constraints = [
            models.CheckConstraint(
                condition=~Q(outcome="returned") | ~Q(text=""), name="nip_return_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.step}: {self.get_outcome_display()}"

    @property
    def outcome_tone(self) -> str:
        """The colour of its outcome badge."""
        tones = {self.Outcome.RETURNED: "danger", self.Outcome.CLEARED: "success"}
        return tones.get(self.outcome, "secondary")


EVENT_LABELS = {
    "cycle_created": _("Cycle created"),
    "amendment_added": _("Amendment added"),
    "deadline_set": _("Deadline set"),
    "transmitted": _("Transmission recorded"),
    "step_planned": _("Step planned"),
    "step_started": _("Step started"),
    "checklist_item_added": _("Checklist item added"),
    "checklist_item_done": _("Checklist item done"),
    "checklist_item_undone": _("Checklist item reopened"),
    "deliverable_added": _("Deliverable added"),
    "deliverable_attached": _("Document attached"),
    "submitted_for_review": _("Sent to the technical committee"),
    "review_comments": _("Technical committee commented"),
    "review_returned": _("Returned by the technical committee"),
    "review_cleared": _("Cleared by the technical committee"),
    "approved": _("Approved by the steering committee"),
    "completed": _("Step completed"),
    "weights_set": _("Criteria weights set"),
    "issue_added": _("Priority issue added"),
    "issue_scored": _("Priority issue scored"),
    "objective_added": _("Objective added"),
    "workplan_set": _("Workplan chosen"),
    "action_added": _("Action plan activity added"),
    "section_added": _("Draft section added"),
    "section_revised": _("Draft section revised"),
    "consultation_opened": _("Consultation opened"),
    "consultation_closed": _("Consultation closed"),
    "comment_added": _("Comment received"),
    "comment_resolved": _("Comment resolved"),
    "package_requested": _("Endorsement package requested"),
    "package_rendered": _("Endorsement package rendered"),
}


def _status_label(value: str) -> str:
    from .assessment import ConsultationComment

    for choices in (Step.Status, Cycle.Status, ConsultationComment.Resolution):
        if value in choices.values:
            return choices(value).label
    return value


class CycleEvent(models.Model):
    """The audit trail: who did what, when, from which state to which, and why."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="events")
    step = models.ForeignKey(
        Step, on_delete=models.CASCADE, null=True, blank=True, related_name="events"
    )
    kind = models.CharField(max_length=40)
    from_status = models.CharField(max_length=30, blank=True)
    to_status = models.CharField(max_length=30, blank=True)
    reason = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_email = models.CharField(max_length=254, blank=True)  # kept if the user goes

    class Meta:
        ordering = ["cycle", "at", "pk"]
        verbose_name = _("cycle event")
        verbose_name_plural = _("cycle events")
        indexes = [models.Index(fields=["cycle", "at"], name="nip_event_cycle_at")]

    def __str__(self) -> str:
        return f"{self.kind} {self.from_status}→{self.to_status}"

    @property
    def kind_label(self) -> str:
        return EVENT_LABELS.get(self.kind, self.kind)

    @property
    def from_label(self) -> str:
        return _status_label(self.from_status)

    @property
    def to_label(self) -> str:
        return _status_label(self.to_status)
