"""Datasets: what an institution submits for a type and a period, each upload a version that is
either complete or absent, its rejected rows, its review, and the schedules that say what
is owed."""

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class DatasetType(models.TextChoices):
    CUSTOMS = "customs", _("Customs declarations")
    MONITORING = "monitoring", _("Monitoring results")
    PESTICIDES = "pesticides", _("Pesticide inventory")
    PCB = "pcb", _("PCB equipment inventory")
    UPOPS = "upops", _("Unintentional POPs activity data")
    BASEL_MOVEMENTS = "basel_movements", _("Transboundary movements of hazardous and other wastes")


def raw_upload_path(version: "DatasetVersion", filename: str) -> str:
    # The stored name never comes from the user: the original name is kept in a field.
    return f"datasets/raw/{version.key.hex[:2]}/{version.key.hex}"


class Dataset(models.Model):
    """One institution's data of one type for one period; its uploads are its versions."""

    institution = models.ForeignKey(
        "coordination.Institution",
        verbose_name=_("institution"),
        on_delete=models.PROTECT,
        related_name="datasets",
    )
    dataset_type = models.CharField(_("type"), max_length=20, choices=DatasetType.choices)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    current_version = models.ForeignKey(
        "DatasetVersion",
        verbose_name=_("current version"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    accepted_version = models.ForeignKey(
        "DatasetVersion",
        verbose_name=_("accepted version"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-period_end", "institution__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "dataset_type", "period_start", "period_end"],
                name="dataset_unique_period",
            ),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="dataset_period_order",
            ),
        ]
        permissions = [("review_dataset", "Can review datasets for the technical committee")]
        verbose_name = _("dataset")
        verbose_name_plural = _("datasets")

    def __str__(self) -> str:
        period = f"{self.period_start}–{self.period_end}"
        return f"{self.get_dataset_type_display()}: {self.institution} {period}"

    def get_absolute_url(self) -> str:
        return reverse("inventories:dataset-detail", args=[self.pk])


class DatasetVersion(models.Model):
    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        NEEDS_MAPPING = "needs_mapping", _("Columns to map")
        QUEUED = "queued", _("Queued")
        VALIDATING = "validating", _("Validating")
        VALIDATED = "validated", _("Validated")
        PROBLEMS = "problems", _("Validated with problems")
        FAILED = "failed", _("Failed")
        DUPLICATE = "duplicate", _("Same file as an earlier upload")

    class Review(models.TextChoices):
        NOT_SUBMITTED = "not_submitted", _("Not submitted")
        SUBMITTED = "submitted", _("Submitted for review")
        UNDER_REVIEW = "under_review", _("Under review")
        RETURNED = "returned", _("Returned with comments")
        ACCEPTED = "accepted", _("Accepted")

    class Source(models.TextChoices):
        WEB = "web", _("Upload in the portal")
        API = "api", _("Pushed through the API")

    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    dataset = models.ForeignKey(
        Dataset, verbose_name=_("dataset"), on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    raw_file = models.FileField(_("file"), upload_to=raw_upload_path, max_length=200)
    original_name = models.CharField(_("original file name"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    size = models.BigIntegerField(_("size in bytes"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    source = models.CharField(
        _("through"), max_length=4, choices=Source.choices, default=Source.WEB
    )
    corrects = models.ForeignKey(
        "self",
        verbose_name=_("corrects the rejected rows of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
        help_text=_("Its accepted rows are carried over; this file brings the corrected rows."),
    )
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("same file as"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # How to read the file: what the uploader said, and what the reader found.
    day_first = models.BooleanField(_("dates are written day first"), default=True)
    decimal_comma = models.BooleanField(_("decimal comma"), default=False)
    sheet = models.CharField(_("sheet"), max_length=120, blank=True)
    encoding = models.CharField(_("encoding"), max_length=20, blank=True)
    delimiter = models.CharField(_("delimiter"), max_length=2, blank=True)
    header_row = models.PositiveIntegerField(_("header row"), null=True, blank=True)
    headers = models.JSONField(_("headers found"), default=list, blank=True)
    sheets = models.JSONField(_("sheets found"), default=list, blank=True)
    column_map = models.JSONField(_("column mapping"), default=dict, blank=True)
    value_map = models.JSONField(_("value mapping"), default=dict, blank=True)
    # Ingestion.
    status = models.CharField(
        _("status"), max_length=14, choices=Status.choices, default=Status.RECEIVED
    )
    attempt = models.CharField(max_length=36, blank=True, editable=False)
    rows_estimated = models.PositiveIntegerField(_("rows estimated"), default=0)
    rows_read = models.PositiveIntegerField(_("rows read"), default=0)
    rows_accepted = models.PositiveIntegerField(_("rows accepted"), default=0)
    rows_rejected = models.PositiveIntegerField(_("rows rejected"), default=0)
    rows_flagged = models.PositiveIntegerField(_("rows flagged"), default=0)
    rows_below_limit = models.PositiveIntegerField(_("results below the limit"), default=0)
    top_reasons = models.JSONField(_("most frequent reasons"), default=list, blank=True)
    # What the reader noticed about the settings, e.g. a decimal comma read with "point" chosen.
    hints = models.JSONField(_("reading hints"), default=list, blank=True)
    error = models.TextField(_("why it failed"), blank=True)
    # The same, kept as its source text and parameters to be shown in the reader's language.
    error_message = models.JSONField(default=dict, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    superseded_at = models.DateTimeField(_("superseded"), null=True, blank=True)
    # Review by the technical committee.
    review_status = models.CharField(
        _("review"), max_length=14, choices=Review.choices, default=Review.NOT_SUBMITTED
    )
    review_comment = models.TextField(_("reviewer's comments"), blank=True)

    class Meta:
        ordering = ["dataset", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["dataset", "number"], name="dataset_version_number"),
        ]
        verbose_name = _("dataset version")
        verbose_name_plural = _("dataset versions")

    def __str__(self) -> str:
        return f"{self.dataset} v{self.number}"

    def get_absolute_url(self) -> str:
        return reverse("inventories:version-detail", args=[self.pk])

    @property
    def percent(self) -> int:
        if self.status == self.Status.VALIDATED:
            return 100
        if not self.rows_estimated:
            return 0
        return min(99, int(100 * self.rows_read / self.rows_estimated))

    @property
    def is_running(self) -> bool:
        return self.status in (self.Status.RECEIVED, self.Status.QUEUED, self.Status.VALIDATING)

    @property
    def is_waiting(self) -> bool:
        """Running, but no worker has started reading it yet."""
        return self.status in (self.Status.RECEIVED, self.Status.QUEUED)

    @property
    def is_validated(self) -> bool:
        return self.status == self.Status.VALIDATED

    @property
    def has_failed(self) -> bool:
        return self.status == self.Status.FAILED

    @property
    def status_tone(self) -> str:
        """The colour of its status badge."""
        tones = {
            self.Status.VALIDATED: "success",
            self.Status.FAILED: "danger",
            self.Status.NEEDS_MAPPING: "warning",
            self.Status.PROBLEMS: "warning",
        }
        return tones.get(self.status, "info")

    def awaits_mapping(self) -> bool:
        """Some columns or values wait to be mapped (``version_map_columns``)."""
        return self.status == self.Status.NEEDS_MAPPING

    @property
    def error_text(self) -> str:
        """Why it failed (or what was ignored), in the reader's language."""
        from inventories.messages import render

        return render(self.error_message, self.error)

    @property
    def encoding_label(self) -> str:
        from inventories.ingest.errors import encoding_label

        return encoding_label(self.encoding)

    @property
    def has_outcome(self) -> bool:
        """Its rows were read and its accepted and rejected rows are kept."""
        return self.status in (self.Status.VALIDATED, self.Status.PROBLEMS)

    @property
    def awaits_confirmation(self) -> bool:
        """Held back from replacing the dataset's current version until someone confirms it."""
        return self.status == self.Status.PROBLEMS and not self.superseded_at

    @property
    def can_read_again(self) -> bool:
        """Its stored file may be read again with other settings: any version not yet accepted,
        not replaced and not being read."""
        if self.is_running or self.superseded_at or self.status == self.Status.DUPLICATE:
            return False
        return self.review_status in (self.Review.NOT_SUBMITTED, self.Review.RETURNED)

    # The technical committee's review: each action, the review states it starts from and the
    # one it leads to (``version_review``).
    REVIEW_MOVES = {
        "submit": ({Review.NOT_SUBMITTED, Review.RETURNED}, Review.SUBMITTED),
        "start": ({Review.SUBMITTED}, Review.UNDER_REVIEW),
        "return": ({Review.SUBMITTED, Review.UNDER_REVIEW}, Review.RETURNED),
        "accept": ({Review.SUBMITTED, Review.UNDER_REVIEW}, Review.ACCEPTED),
    }

    def allows_review(self, action: str) -> bool:
        """The review ``action`` is possible now: a validated version not replaced, in one of
        the review states the action starts from (``version_review``; it also checks who)."""
        return (
            self.status == self.Status.VALIDATED
            and not self.superseded_at
            and self.review_status in self.REVIEW_MOVES[action][0]
        )

    def can_submit_for_review(self) -> bool:
        return self.allows_review("submit")

    def can_start_review(self) -> bool:
        return self.allows_review("start")

    def can_decide_review(self) -> bool:
        """Accepted, or returned with comments (the same states allow both)."""
        return self.allows_review("accept")


class DatasetEvent(models.Model):
    """Every transition of a version: who, when, from which state to which, and why."""

    version = models.ForeignKey(DatasetVersion, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=30)
    from_state = models.CharField(max_length=20, blank=True)
    to_state = models.CharField(max_length=20, blank=True)
    note = models.TextField(blank=True)
    message = models.JSONField(default=dict, blank=True)  # the note, shown in the reader's language

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.action} {self.at:%Y-%m-%d %H:%M}"

    @property
    def note_text(self) -> str:
        from inventories.messages import render

        return render(self.message, self.note)

    @property
    def action_label(self) -> str:
        return str(EVENT_ACTIONS.get(self.action, self.action.replace("_", " ")))

    @property
    def from_label(self) -> str:
        return _state_label(self.from_state)

    @property
    def to_label(self) -> str:
        return _state_label(self.to_state)


EVENT_ACTIONS = {
    "received": _("received"),
    "needs_mapping": _("columns to map"),
    "mapped": _("columns mapped"),
    "retried": _("read again"),
    "validated": _("validated"),
    "problems": _("validated with problems"),
    "failed": _("failed"),
    "requeued": _("queued again"),
    "superseded": _("replaced"),
    "replacement_confirmed": _("replacement confirmed"),
    "review_submit": _("submitted for review"),
    "review_start": _("review started"),
    "review_return": _("returned with comments"),
    "review_accept": _("accepted"),
}


def _state_label(state: str) -> str:
    for choices in (DatasetVersion.Status, DatasetVersion.Review):
        if state in choices.values:
            return str(choices(state).label)
    return state.replace("_", " ")


class RejectedRow(models.Model):
    version = models.ForeignKey(
        DatasetVersion, on_delete=models.CASCADE, related_name="rejected_rows"
    )
    row_number = models.PositiveIntegerField(_("row"))
    column = models.CharField(_("column"), max_length=120, blank=True)
    reason = models.TextField(_("reason"))
    code = models.CharField(max_length=30)
    values = models.JSONField(_("values"), default=list)
    # The reason as its source text and parameters, shown in the reader's language; rows stored
    # before it existed show ``reason`` as it was written.
    message = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["version", "row_number", "pk"]
        indexes = [models.Index(fields=["version", "code"])]

    def __str__(self) -> str:
        return f"{self.row_number}: {self.reason}"

    @property
    def reason_text(self) -> str:
        from inventories.messages import render

        message = self.message
        if isinstance(message, str):  # written by COPY into a JSON column as text
            import json

            message = json.loads(message) if message else {}
        return render(message, self.reason)

    @property
    def column_label(self) -> str:
        """The file's header of the column, or the schema's label when the file lacks it."""
        from inventories.messages import render

        message = self.message if isinstance(self.message, dict) else {}
        if "field" in message:
            return render({"msgid": "%(f)s", "params": {"f": message["field"]}})
        return self.column

    @property
    def cells(self) -> list[str]:
        values = self.values
        if isinstance(values, str):  # written by COPY into a JSON column as text
            import json

            values = json.loads(values)
        return values


class ColumnMapping(models.Model):
    """How one institution's files of one type name their columns and coded values."""

    institution = models.ForeignKey(
        "coordination.Institution", on_delete=models.CASCADE, related_name="column_mappings"
    )
    dataset_type = models.CharField(max_length=20, choices=DatasetType.choices)
    column_map = models.JSONField(default=dict)
    value_map = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "dataset_type"], name="column_mapping_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.institution_id} {self.dataset_type}"


class SubmissionSchedule(models.Model):
    """What an institution owes: a dataset of one type for each period, due some days after
    it ends."""

    class Frequency(models.TextChoices):
        MONTHLY = "monthly", _("Monthly")
        QUARTERLY = "quarterly", _("Quarterly")
        YEARLY = "yearly", _("Yearly")

    institution = models.ForeignKey(
        "coordination.Institution",
        verbose_name=_("institution"),
        on_delete=models.PROTECT,
        related_name="submission_schedules",
    )
    dataset_type = models.CharField(_("type"), max_length=20, choices=DatasetType.choices)
    frequency = models.CharField(_("frequency"), max_length=10, choices=Frequency.choices)
    days_after_period = models.PositiveSmallIntegerField(
        _("days allowed after the period ends"), default=30
    )
    starts_on = models.DateField(_("first period starts"))
    ends_on = models.DateField(_("last period ends"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["institution__name", "dataset_type"]
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "dataset_type", "frequency"], name="schedule_unique"
            ),
        ]
        verbose_name = _("submission schedule")
        verbose_name_plural = _("submission schedules")

    def __str__(self) -> str:
        kind, frequency = self.get_dataset_type_display(), self.get_frequency_display()
        return f"{self.institution}: {kind} ({frequency})"


class ApiToken(models.Model):
    """A key with which an institution's own system pushes files. Only its hash is stored."""

    institution = models.ForeignKey(
        "coordination.Institution",
        verbose_name=_("institution"),
        on_delete=models.PROTECT,
        related_name="api_tokens",
    )
    name = models.CharField(_("name"), max_length=120)
    prefix = models.CharField(max_length=8, unique=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["institution__name", "-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
