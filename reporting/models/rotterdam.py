"""Rotterdam Convention import responses as a workflow: for a chemical newly listed in Annex
III, the technical committee drafts the Party's decision on its future import, the steering
committee approves it (a closed ballot that adopted it, or a decision in approved minutes), and
the designated national authority records its transmission, which meets the obligation. Export
notifications received for the chemical are recorded against it."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class ImportResponse(models.Model):
    class Decision(models.TextChoices):
        CONSENT = "consent", _("Consent to import")
        CONSENT_CONDITIONS = "consent_conditions", _("Consent to import under conditions")
        NO_CONSENT = "no_consent", _("No consent to import")
        INTERIM = "interim", _("Interim response")

    class Status(models.TextChoices):
        PREPARING = "preparing", _("Being prepared")
        PROPOSED = "proposed", _("Drafted by the technical committee")
        APPROVED = "approved", _("Approved by the steering committee")
        TRANSMITTED = "transmitted", _("Transmitted to the Secretariat")

    obligation = models.OneToOneField(
        "reporting.ObligationInstance",
        verbose_name=_("obligation"),
        on_delete=models.CASCADE,
        related_name="import_response",
    )
    chemical = models.CharField(_("chemical"), max_length=255)
    hs_codes = models.CharField(
        _("HS codes"),
        max_length=200,
        blank=True,
        help_text=_("The chemical's HS codes, separated by commas, e.g. 2909.30, 3808.93."),
    )
    dgd_dispatched_on = models.DateField(_("decision guidance document dispatched on"))
    technical_committee = models.ForeignKey(
        "coordination.Body",
        verbose_name=_("technical committee"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    steering_committee = models.ForeignKey(
        "coordination.Body",
        verbose_name=_("steering committee"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PREPARING
    )
    decision = models.CharField(_("decision"), max_length=20, choices=Decision.choices, blank=True)
    conditions = models.TextField(_("conditions or interim measures"), blank=True)
    drafted_at = models.DateTimeField(_("drafted at"), null=True, blank=True)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("drafted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    approval_ballot = models.ForeignKey(
        "coordination.Ballot",
        verbose_name=_("approving ballot"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    approval_minutes_item = models.ForeignKey(
        "coordination.MinutesItem",
        verbose_name=_("approving decision in the minutes"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approval recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["dgd_dispatched_on", "pk"]
        verbose_name = _("import response")
        verbose_name_plural = _("import responses")
        constraints = [
            models.CheckConstraint(
                condition=Q(status="preparing") | ~Q(decision=""),
                name="rep_import_response_decided",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["preparing", "proposed"])
                | Q(approval_ballot__isnull=False)
                | Q(approval_minutes_item__isnull=False),
                name="rep_import_response_approval_cited",
            ),
        ]

    def __str__(self) -> str:
        return _("Import response: %(chemical)s") % {"chemical": self.chemical}

    def get_absolute_url(self) -> str:
        return reverse("reporting:import-response", args=[self.pk])

    @property
    def codes(self) -> list[str]:
        return [c.strip() for c in self.hs_codes.split(",") if c.strip()]

    def can_draft(self) -> bool:
        return self.status in (self.Status.PREPARING, self.Status.PROPOSED)

    def can_approve(self) -> bool:
        return self.status == self.Status.PROPOSED

    def can_transmit(self) -> bool:
        return self.status == self.Status.APPROVED


class ExportNotification(models.Model):
    """An export notification received (Article 12) for the chemical of an import response."""

    import_response = models.ForeignKey(
        ImportResponse,
        verbose_name=_("import response"),
        on_delete=models.CASCADE,
        related_name="export_notifications",
    )
    received_on = models.DateField(_("received on"))
    exporting_party = models.CharField(_("exporting Party"), max_length=100)
    reference = models.CharField(_("reference"), max_length=120, blank=True)
    note = models.TextField(_("note"), blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-received_on", "-pk"]
        verbose_name = _("export notification")
        verbose_name_plural = _("export notifications")

    def __str__(self) -> str:
        return f"{self.exporting_party} {self.received_on}"
