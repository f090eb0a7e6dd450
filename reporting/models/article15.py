"""National reports of the conventions (named after Article 15, the first they served; see
``reporting/conventions.py`` for each convention's report): the rounds and the structure of
each round's report (reference data that administrators may edit), one country's reports with
their versions, the assignment of sections to institutions, the answers with what the portal
prefilled and its sources, the audit trail of every transition, and the rendered outputs kept
with their hash."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

# The conventions' codes as the registry spells them (coordination.Convention.Code).
CONVENTION_CHOICES = [
    ("basel", _("Basel Convention")),
    ("rotterdam", _("Rotterdam Convention")),
    ("stockholm", _("Stockholm Convention")),
    ("minamata", _("Minamata Convention")),
]


class Round(models.Model):
    """A reporting round of a convention's national report, decided by its Conference of the
    Parties (reference data): Stockholm Article 15 rounds, Minamata Article 21 rounds..."""

    convention = models.CharField(
        _("convention"), max_length=20, choices=CONVENTION_CHOICES, default="stockholm"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    label = models.CharField(_("label"), max_length=80)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    deadline = models.DateField(_("deadline"))
    extended_deadline = models.DateField(_("extended deadline"), null=True, blank=True)
    decision = models.CharField(_("decision"), max_length=60, blank=True)
    considered_at = models.CharField(_("considered at"), max_length=30, blank=True)
    source = models.CharField(_("source"), max_length=255, blank=True)

    class Meta:
        ordering = ["convention", "number"]
        verbose_name = _("reporting round")
        verbose_name_plural = _("reporting rounds")
        constraints = [
            models.UniqueConstraint(fields=["convention", "number"], name="rep_round_number_once"),
        ]

    def __str__(self) -> str:
        return str(self.label)

    @property
    def kind(self):
        """What this convention's national report is called and who approves it."""
        from reporting.conventions import kind_of

        return kind_of(self.convention)

    @property
    def report_name(self) -> str:
        return str(self.kind.report_name)

    @property
    def is_stockholm(self) -> bool:
        return self.convention == "stockholm"

    @property
    def list_url(self) -> str:
        if self.is_stockholm:
            return reverse("reporting:article15-list")
        return reverse("reporting:national-report-list", args=[self.convention])

    @property
    def start_url(self) -> str:
        if self.is_stockholm:
            return reverse("reporting:article15-start", args=[self.number])
        return reverse("reporting:national-report-start", args=[self.convention, self.number])

    @property
    def due(self):
        """The date the report is due: the extended deadline where the COP granted one."""
        return self.extended_deadline or self.deadline


class Section(models.Model):
    """A part or section of a round's report format; the structure is data, not code."""

    round = models.ForeignKey(
        Round, verbose_name=_("round"), on_delete=models.CASCADE, related_name="sections"
    )
    part = models.CharField(_("part"), max_length=4)
    code = models.CharField(_("code"), max_length=12)
    title = models.CharField(_("title"), max_length=255)
    intro = models.TextField(_("introduction"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"))

    class Meta:
        ordering = ["round", "order"]
        verbose_name = _("report section")
        verbose_name_plural = _("report sections")
        constraints = [
            models.UniqueConstraint(fields=["round", "code"], name="rep_section_code_once"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Question(models.Model):
    """One question of a section, of a kind; a TABLE question has columns and rows."""

    class Kind(models.TextChoices):
        YES_NO = "yes_no", _("Yes or no")
        TEXT = "text", _("Text")
        NUMBER = "number", _("Number")
        DATE = "date", _("Date")
        CHOICE = "choice", _("Choice")
        TABLE = "table", _("Table")

    class Prefill(models.TextChoices):
        NONE = "", _("Not prefilled")
        PARTY = "party", _("Party and official contact point")
        NIP = "nip", _("NIP update cycles")
        TRADE = "trade", _("Production, import and export (accepted customs datasets)")
        RELEASES = "releases", _("Unintentional releases")
        PCB = "pcb", _("PCB inventory")
        MONITORING = "monitoring", _("Monitoring")
        CONTACTS = "contacts", _("The convention's contacts in the registry")
        MERCURY = "mercury", _("Mercury and mercury compounds (accepted customs datasets)")
        MERCURY_PRODUCTS = (
            "mercury_products",
            _("Mercury-added products (accepted customs datasets)"),
        )
        WORKPLAN = "workplan", _("Workplan tasks on the convention")
        BASEL_EXPORTS = "basel_exports", _("Exports of wastes (accepted movements datasets)")
        BASEL_IMPORTS = "basel_imports", _("Imports of wastes (accepted movements datasets)")
        BASEL_TRANSIT = (
            "basel_transit",
            _("Movements of wastes through the Party only (accepted movements datasets)"),
        )

    section = models.ForeignKey(
        Section, verbose_name=_("section"), on_delete=models.CASCADE, related_name="questions"
    )
    code = models.CharField(_("code"), max_length=20)
    text = models.TextField(_("text"))
    help = models.TextField(_("help"), blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    choices = models.JSONField(_("choices"), default=list, blank=True)
    columns = models.JSONField(_("columns"), default=list, blank=True)
    prefill = models.CharField(
        _("prefilled from"), max_length=20, choices=Prefill.choices, blank=True
    )
    order = models.PositiveSmallIntegerField(_("order"))

    class Meta:
        ordering = ["section", "order"]
        verbose_name = _("report question")
        verbose_name_plural = _("report questions")
        constraints = [
            models.UniqueConstraint(fields=["section", "code"], name="rep_question_code_once"),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def is_table(self) -> bool:
        return self.kind == self.Kind.TABLE

    @property
    def is_yes_no(self) -> bool:
        return self.kind == self.Kind.YES_NO

    @property
    def is_number(self) -> bool:
        return self.kind == self.Kind.NUMBER


class Report(models.Model):
    """One version of the country's national report for a round, under the round's convention
    (``NationalReport`` is the same model under its general name)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        APPROVED = "approved", _("Approved")
        SUBMITTED = "submitted", _("Submitted")
        SUPERSEDED = "superseded", _("Superseded")

    round = models.ForeignKey(
        Round, verbose_name=_("round"), on_delete=models.PROTECT, related_name="reports"
    )
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    corrects = models.ForeignKey(
        "self",
        verbose_name=_("corrects"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
    )
    correction_reason = models.TextField(_("reason for the correction"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
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
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    submission_reference = models.CharField(_("submission reference"), max_length=120, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-round__number", "-version"]
        verbose_name = _("national report")
        verbose_name_plural = _("national reports")
        permissions = [
            ("manage_report", "Can assign, review and submit Article 15 national reports")
        ]
        constraints = [
            models.UniqueConstraint(fields=["round", "version"], name="rep_report_version_once"),
            models.CheckConstraint(
                condition=~Q(status="submitted") | Q(submitted_on__isnull=False),
                name="rep_report_submitted_has_date",
            ),
        ]

    def __str__(self) -> str:
        return _("%(round)s national report, version %(version)s") % {
            "round": self.round.label,
            "version": self.version,
        }

    def get_absolute_url(self) -> str:
        return reverse("reporting:article15-detail", args=[self.pk])

    @property
    def report_name(self) -> str:
        return self.round.report_name

    @property
    def is_locked(self) -> bool:
        """Approved, submitted or superseded: nothing in it changes any more (the services
        refuse; ``can_approve`` and ``can_edit_report`` in ``permissions`` ask this too)."""
        return self.status != self.Status.DRAFT

    @property
    def is_superseded(self) -> bool:
        return self.status == self.Status.SUPERSEDED

    @property
    def status_tone(self) -> str:
        """The colour of its status badge."""
        tones = {
            self.Status.DRAFT: "info",
            self.Status.APPROVED: "primary",
            self.Status.SUBMITTED: "success",
        }
        return tones.get(self.status, "secondary")

    def can_mark_submitted(self) -> bool:
        """An approved report's submission is recorded (``report_mark_submitted``)."""
        return self.status == self.Status.APPROVED

    def can_correct(self) -> bool:
        """An approved or submitted report is corrected by a new version (``report_correct``)."""
        return self.status in (self.Status.APPROVED, self.Status.SUBMITTED)


NationalReport = Report


class SectionAssignment(models.Model):
    """Which institution answers a section of a report, and where that work stands."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        SUBMITTED = "submitted", _("Submitted for review")
        RETURNED = "returned", _("Returned")
        ACCEPTED = "accepted", _("Accepted")

    report = models.ForeignKey(
        Report, verbose_name=_("report"), on_delete=models.CASCADE, related_name="assignments"
    )
    section = models.ForeignKey(
        Section, verbose_name=_("section"), on_delete=models.PROTECT, related_name="+"
    )
    institution = models.ForeignKey(
        "coordination.Institution",
        verbose_name=_("institution"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Left empty, the secretariat answers the section itself."),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.NOT_STARTED
    )
    due_on = models.DateField(_("due on"), null=True, blank=True)
    comment = models.TextField(_("secretariat's comment"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["report", "section__order"]
        verbose_name = _("section assignment")
        verbose_name_plural = _("section assignments")
        constraints = [
            models.UniqueConstraint(fields=["report", "section"], name="rep_assignment_once"),
        ]

    def __str__(self) -> str:
        return f"{self.section.code} ({self.get_status_display()})"

    OPEN = (Status.NOT_STARTED, Status.IN_PROGRESS, Status.RETURNED)

    @property
    def is_returned(self) -> bool:
        return self.status == self.Status.RETURNED

    @property
    def status_tone(self) -> str:
        """The colour of its status badge."""
        tones = {
            self.Status.ACCEPTED: "success",
            self.Status.SUBMITTED: "primary",
            self.Status.RETURNED: "warning",
            self.Status.IN_PROGRESS: "info",
        }
        return tones.get(self.status, "secondary")

    def is_open(self) -> bool:
        """Not started, in progress or returned: its answers may change and it may be submitted
        (``answer_save``, ``section_submit``; ``permissions.can_answer`` adds who and the
        report's lock)."""
        return self.status in self.OPEN

    def can_reassign(self) -> bool:
        """Given to another institution, unless accepted (``section_assign``)."""
        return self.status != self.Status.ACCEPTED

    def can_return(self) -> bool:
        """Returned by the secretariat once submitted, or accepted to correct it
        (``section_review``, action "return"). Its review form is offered then."""
        return self.status in (self.Status.SUBMITTED, self.Status.ACCEPTED)

    def can_accept(self) -> bool:
        """``section_review``, action "accept"."""
        return self.status == self.Status.SUBMITTED


class Answer(models.Model):
    """The answer to one question: what the portal computed, what a person entered, and why a
    person replaced a computed figure."""

    report = models.ForeignKey(
        Report, verbose_name=_("report"), on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.PROTECT, related_name="+"
    )
    value = models.JSONField(_("value"), null=True, blank=True)
    prefilled = models.JSONField(_("prefilled value"), null=True, blank=True)
    sources = models.JSONField(_("sources"), default=list, blank=True)
    overridden = models.BooleanField(_("overridden"), default=False)
    override_reason = models.TextField(_("reason for the override"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    prefilled_at = models.DateTimeField(_("prefilled at"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["report", "question__section__order", "question__order"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["report", "question"], name="rep_answer_once"),
            models.CheckConstraint(
                condition=Q(overridden=False) | ~Q(override_reason=""),
                name="rep_answer_override_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report_id}/{self.question_id}"

    @property
    def effective(self):
        return self.value if self.value is not None else self.prefilled


class GroupAttribution(models.Model):
    """A group row of the trade table (the customs lines under a code that names several listed
    chemicals, in one year and flow) attributed to its chemicals: all to one, or split with
    quantities, by whom and why. Kept with the answer, as an override is; applied each time the
    figures are computed again, as long as the quantities still add up to the row."""

    answer = models.ForeignKey(
        Answer, verbose_name=_("answer"), on_delete=models.CASCADE, related_name="attributions"
    )
    code = models.CharField(_("code"), max_length=20)
    national = models.BooleanField(_("national code"), default=False)
    year = models.PositiveSmallIntegerField(_("year"))
    flow = models.CharField(_("flow"), max_length=10)
    shares = models.JSONField(_("shares"), default=list)
    quantity_kg = models.DecimalField(
        _("quantity of the row (kg)"), max_digits=20, decimal_places=3
    )
    reason = models.TextField(_("reason"))
    attributed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("attributed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    attributed_at = models.DateTimeField(_("attributed at"))

    class Meta:
        ordering = ["answer", "code", "year", "flow"]
        verbose_name = _("attribution of a group row")
        verbose_name_plural = _("attributions of group rows")
        constraints = [
            models.UniqueConstraint(
                fields=["answer", "code", "national", "year", "flow"], name="rep_attribution_once"
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="rep_attribution_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.year} {self.flow}"

    @property
    def all_to_one(self) -> bool:
        return len(self.shares) == 1 and self.shares[0].get("kg") is None

    def shares_for(self, quantity):
        """(slug, name, kg) for each chemical, for a row of ``quantity`` kg; None when a split
        no longer adds up to the row (its declarations changed since it was attributed)."""
        from decimal import Decimal

        if self.all_to_one:
            return [(self.shares[0]["slug"], self.shares[0]["name"], quantity)]
        if abs(Decimal(str(self.quantity_kg)) - Decimal(str(quantity))) > Decimal("0.0005"):
            return None
        return [(s["slug"], s["name"], Decimal(str(s["kg"]))) for s in self.shares]
