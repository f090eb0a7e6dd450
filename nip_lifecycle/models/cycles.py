"""NIP update cycles and the amendments they answer, with the reference list of COP amendments."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

TRANSMISSION_YEARS = 2  # SC-1/12 annex, para 7: transmit within two years of entry into force


def add_years(day: datetime.date, years: int) -> datetime.date:
    """The same day ``years`` later; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


class ReferenceAmendment(models.Model):
    """An amendment to the annexes adopted by a Conference of the Parties (reference data)."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    meeting = models.CharField(_("meeting"), max_length=60)
    year = models.PositiveSmallIntegerField(_("year"))
    decisions = models.CharField(_("decisions"), max_length=200)
    chemicals = models.TextField(_("chemicals listed"))
    entry_into_force = models.DateField(_("entry into force (general)"), null=True, blank=True)
    date_confirmed = models.BooleanField(_("date confirmed"), default=True)
    note = models.TextField(_("note"), blank=True)
    source = models.TextField(_("source"), blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order"]
        verbose_name = _("reference amendment")
        verbose_name_plural = _("reference amendments")

    def __str__(self) -> str:
        return f"{self.meeting} ({self.year})"

    @property
    def label(self) -> str:
        return f"{self.decisions} ({self.meeting}, {self.year})"


class Cycle(models.Model):
    """One review and update of the National Implementation Plan."""

    class Trigger(models.TextChoices):
        NEW_LISTING = "new_listing", _("New listing of chemicals")
        COP_DECISION = "cop_decision", _("A COP decision")
        NATIONAL_CIRCUMSTANCES = "national_circumstances", _("Changed national circumstances")
        ARTICLE_15 = "article_15", _("Findings of Article 15 reporting")
        INVENTORIES = "inventories", _("Improved inventories")

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", _("In progress")
        TRANSMITTED = "transmitted", _("Transmitted")
        ABANDONED = "abandoned", _("Abandoned")

    title = models.CharField(_("title"), max_length=255)
    trigger = models.CharField(_("trigger"), max_length=30, choices=Trigger.choices)
    description = models.TextField(_("description"), blank=True)
    lead_body = models.ForeignKey(
        "coordination.Body",
        verbose_name=_("lead body"),
        on_delete=models.PROTECT,
        related_name="nip_cycles_led",
    )
    technical_committee = models.ForeignKey(
        "coordination.Body",
        verbose_name=_("technical committee"),
        on_delete=models.PROTECT,
        related_name="nip_cycles_reviewed",
    )
    steering_committee = models.ForeignKey(
        "coordination.Body",
        verbose_name=_("steering committee"),
        on_delete=models.PROTECT,
        related_name="nip_cycles_approved",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.IN_PROGRESS
    )
    article_25_4 = models.BooleanField(
        _("Article 25(4) declaration"),
        default=False,
        help_text=_(
            "The Party is bound by an amendment only after depositing its own ratification: "
            "its dates are entered by hand."
        ),
    )
    deadline_override = models.DateField(_("deadline set by hand"), null=True, blank=True)
    deadline_override_reason = models.TextField(_("why the deadline was set by hand"), blank=True)
    workplan = models.ForeignKey(
        "coordination.Workplan",
        verbose_name=_("workplan for the action plans"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    consultation_open = models.BooleanField(_("consultation open"), default=False)
    transmitted_on = models.DateField(_("transmitted on"), null=True, blank=True)
    transmission_reference = models.CharField(_("reference"), max_length=120, blank=True)
    transmitted_by = models.ForeignKey(
        "coordination.Person",
        verbose_name=_("transmitted by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    acknowledgment = models.ForeignKey(
        "coordination.Document",
        verbose_name=_("acknowledgment"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("NIP update cycle")
        verbose_name_plural = _("NIP update cycles")
        constraints = [
            models.CheckConstraint(
                condition=Q(deadline_override__isnull=True) | ~Q(deadline_override_reason=""),
                name="nip_cycle_override_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status="transmitted")
                | (Q(transmitted_on__isnull=False) & Q(transmitted_by__isnull=False)),
                name="nip_cycle_transmission_complete",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("nip_lifecycle:cycle-detail", args=[self.pk])

    def computed_deadline(self, amendments=None) -> datetime.date | None:
        """Entry into force for this Party of the latest amendment answered, plus two years."""
        amendments = self.amendments.all() if amendments is None else amendments
        dates = [a.party_entry_into_force for a in amendments if a.party_entry_into_force]
        return add_years(max(dates), TRANSMISSION_YEARS) if dates else None

    def deadline(self, amendments=None) -> datetime.date | None:
        return self.deadline_override or self.computed_deadline(amendments)

    @property
    def is_in_progress(self) -> bool:
        """Not yet transmitted: its assessment, draft and consultation may change
        (``services.assessment``), and its deadline still counts down."""
        return self.status == self.Status.IN_PROGRESS

    def can_record_transmission(self) -> bool:
        """The transmission is recorded once (``transmission_record``; it also needs step 7
        completed)."""
        return self.is_in_progress


class CycleAmendment(models.Model):
    """An amendment a cycle answers, with the date it entered into force for this Party."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="amendments")
    reference = models.ForeignKey(
        ReferenceAmendment,
        verbose_name=_("reference amendment"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decision = models.CharField(_("COP decision"), max_length=200)
    chemicals = models.TextField(_("chemicals listed"))
    entry_into_force = models.DateField(_("entry into force (general)"), null=True, blank=True)
    party_entry_into_force = models.DateField(
        _("entry into force for this Party"), null=True, blank=True
    )
    party_date_note = models.CharField(
        _("basis of the Party's date"),
        max_length=255,
        blank=True,
        help_text=_("For an Article 25(4) Party: the deposit of its ratification, plus 90 days."),
    )

    class Meta:
        ordering = ["cycle", "party_entry_into_force", "pk"]
        verbose_name = _("amendment answered")
        verbose_name_plural = _("amendments answered")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "decision"], name="nip_amendment_once"),
        ]

    def __str__(self) -> str:
        return self.decision
