"""A national report's trail (every transition, answer and override, with who and when) and
the outputs rendered from it (PDF, XLSX, JSON), beside the report in ``article15``."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .article15 import Report, SectionAssignment

EVENT_LABELS = {
    "start": _("Report started"),
    "prefill": _("Prefilled figures computed again"),
    "assign": _("Section assigned"),
    "answer": _("Answer saved"),
    "override": _("Computed figure overridden"),
    "override_withdrawn": _("Override withdrawn"),
    "section_started": _("Section started"),
    "section_submit": _("Section submitted for review"),
    "section_comment": _("Secretariat's comment"),
    "section_return": _("Section returned"),
    "section_accept": _("Section accepted"),
    "approve": _("Approved by the official contact point"),
    "submit": _("Submitted through the ERS"),
    "superseded": _("Superseded by a correction"),
    "correction_start": _("Correction started"),
    "group_attribute": _("Group row attributed to its chemicals"),
    "group_attribution_withdrawn": _("Attribution of a group row withdrawn"),
}


def _state_label(state: str) -> str:
    for choices in (Report.Status, SectionAssignment.Status):
        if state in choices.values:
            return choices(state).label
    return state


class ReportEvent(models.Model):
    """The audit trail of a report: who did what, when, from which state to which, and why."""

    report = models.ForeignKey(
        Report, verbose_name=_("report"), on_delete=models.CASCADE, related_name="events"
    )
    assignment = models.ForeignKey(
        SectionAssignment,
        verbose_name=_("section assignment"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
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
    action = models.CharField(_("action"), max_length=30)
    from_state = models.CharField(_("from"), max_length=20, blank=True)
    to_state = models.CharField(_("to"), max_length=20, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["report", "at", "pk"]
        verbose_name = _("report event")
        verbose_name_plural = _("report events")
        indexes = [models.Index(fields=["report", "at"], name="rep_event_report_at")]

    def __str__(self) -> str:
        return f"{self.action} {self.from_state}→{self.to_state}"

    @property
    def action_label(self) -> str:
        return EVENT_LABELS.get(self.action, self.action)

    @property
    def from_label(self) -> str:
        return _state_label(self.from_state)

    @property
    def to_label(self) -> str:
        return _state_label(self.to_state)


class ReportOutput(models.Model):
    """A rendered PDF, spreadsheet or JSON file of one report version, kept with its hash."""

    class Kind(models.TextChoices):
        PDF = "pdf", _("PDF")
        XLSX = "xlsx", _("Spreadsheet (XLSX)")
        JSON = "json", _("JSON")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RENDERING = "rendering", _("Rendering")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    report = models.ForeignKey(
        Report, verbose_name=_("report"), on_delete=models.PROTECT, related_name="outputs"
    )
    kind = models.CharField(_("kind"), max_length=5, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    file = models.FileField(_("file"), upload_to="reports/article15/", blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    size = models.PositiveBigIntegerField(_("size"), null=True, blank=True)
    pages = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    rendered_at = models.DateTimeField(_("rendered at"), null=True, blank=True)

    class Meta:
        ordering = ["report", "-requested_at", "-pk"]
        verbose_name = _("report output")
        verbose_name_plural = _("report outputs")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="ready") | ~Q(sha256=""),
                name="rep_output_ready_has_hash",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report_id} {self.kind} ({self.status})"

    @property
    def is_pending(self) -> bool:
        """Queued or rendering: the page asks again until it is done."""
        return self.status in (self.Status.QUEUED, self.Status.RENDERING)

    @property
    def is_ready(self) -> bool:
        return self.status == self.Status.READY

    @property
    def has_failed(self) -> bool:
        return self.status == self.Status.FAILED
