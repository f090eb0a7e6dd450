"""Electronic votes: ballots with frozen electorates, one voice per elector, secret ballots that
keep who voted apart from what was chosen, and an append-only, hash-chained audit trail."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from coordination.models.registry import Body, Institution, Person


class Ballot(models.Model):
    class Kind(models.TextChoices):
        YES_NO = "yes_no", _("Yes / no / abstain")
        CHOICE = "choice", _("Choose one of several options")
        SILENCE = "silence", _("Silence procedure")

    class Electorate(models.TextChoices):
        INSTITUTIONS = "institutions", _("One vote per member institution")
        PERSONS = "persons", _("One vote per designated person")

    class Majority(models.TextChoices):
        SIMPLE = "simple", _("Simple majority of votes cast (abstentions excluded)")
        ABSOLUTE = "absolute", _("Absolute majority of the electorate")
        TWO_THIRDS = "two_thirds", _("Two thirds of votes cast")
        UNANIMITY = "unanimity", _("Unanimity")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SCHEDULED = "scheduled", _("Scheduled")
        OPEN = "open", pgettext_lazy("ballot status", "Open")
        CLOSED = "closed", _("Closed")
        CANCELLED = "cancelled", pgettext_lazy("ballot status", "Cancelled")

    body = models.ForeignKey(
        Body, verbose_name=_("body"), on_delete=models.PROTECT, related_name="ballots"
    )
    question = models.CharField(_("question"), max_length=300)
    explanation = models.TextField(_("explanation"), blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.YES_NO)
    electorate = models.CharField(
        _("electorate"), max_length=20, choices=Electorate.choices, default=Electorate.INSTITUTIONS
    )
    quorum_share = models.DecimalField(
        _("quorum"),
        max_digits=3,
        decimal_places=2,
        default=0.5,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text=_("Share of the electorate that must take part, e.g. 0.50."),
    )
    majority = models.CharField(
        _("majority"), max_length=20, choices=Majority.choices, default=Majority.SIMPLE
    )
    abstentions_count_for_quorum = models.BooleanField(
        _("abstentions count toward the quorum"), default=True
    )
    secret = models.BooleanField(
        _("secret ballot"),
        default=False,
        help_text=_("The record shows who took part, never who chose what."),
    )
    results_while_open = models.BooleanField(
        _("show results while open"),
        default=False,
        help_text=_("Named ballots only; a secret ballot shows its result when it closes."),
    )
    allow_change = models.BooleanField(
        _("voters may change their vote while open"),
        default=False,
        help_text=_("Named ballots only; the last vote counts and every change is recorded."),
    )
    opens_at = models.DateTimeField(_("opens"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    # What the ballot decides: an agenda item, minutes, a workplan revision, later a NIP gate.
    decides_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decides_id = models.PositiveBigIntegerField(null=True, blank=True)
    decides = GenericForeignKey("decides_type", "decides_id")
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    result = models.JSONField(null=True, blank=True, editable=False)
    record = models.FileField(_("record (PDF)"), upload_to="ballots/records/", blank=True)
    record_sha256 = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__isnull=True)
                | Q(opens_at__isnull=True)
                | Q(closes_at__gt=models.F("opens_at")),
                name="ballot_closes_after_opening",
            ),
            models.CheckConstraint(
                condition=~Q(secret=True, allow_change=True), name="ballot_secret_is_final"
            ),
            models.CheckConstraint(
                condition=~Q(secret=True, results_while_open=True),
                name="ballot_secret_result_at_close",
            ),
        ]

    def __str__(self) -> str:
        return self.question

    def get_absolute_url(self) -> str:
        return reverse("coordination:ballot-detail", args=[self.pk])

    @property
    def shows_results_while_open(self) -> bool:
        """A running tally beside the "voted by" list would tell who chose what: never for a
        secret ballot."""
        return self.results_while_open and not self.secret

    @property
    def everyone_voted(self) -> bool:
        """Every elector has voted: the secretariat may then close the ballot before its
        deadline."""
        electors = self.electors.count()
        return electors > 0 and self.participations.count() >= electors

    # What may happen to the ballot now: the services' guards and the page's buttons ask these.

    @property
    def votes_by_institution(self) -> bool:
        return self.electorate == self.Electorate.INSTITUTIONS

    @property
    def is_silence(self) -> bool:
        return self.kind == self.Kind.SILENCE

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED

    def is_before_opening(self) -> bool:
        """A draft or scheduled ballot: no electorate yet, its window and documents may change
        (``ballot_schedule``, ``document_upload``)."""
        return self.status in (self.Status.DRAFT, self.Status.SCHEDULED)

    def accepts_documents(self) -> bool:
        return self.is_before_opening()

    def can_open_now(self) -> bool:
        """The secretariat opens a draft at once (``ballot_open`` with an actor; it also needs a
        closing time in the future)."""
        return self.status == self.Status.DRAFT

    def is_due_to_open(self, now=None) -> bool:
        """Scheduled, and its opening time has come (``ballot_open`` without an actor, the
        sweep)."""
        from django.utils import timezone

        return self.status == self.Status.SCHEDULED and self.opens_at <= (now or timezone.now())

    def can_cancel(self) -> bool:
        """Anything not yet closed or cancelled (``ballot_cancel``)."""
        return self.status not in (self.Status.CLOSED, self.Status.CANCELLED)

    def accepts_votes(self, now=None) -> bool:
        """Open and before its deadline (``vote_cast``; it also checks who votes for whom)."""
        from django.utils import timezone

        return self.is_open and self.closes_at > (now or timezone.now())

    def can_close(self, now=None) -> bool:
        """Open and past its deadline (``ballot_close``, the sweep)."""
        from django.utils import timezone

        return self.is_open and self.closes_at <= (now or timezone.now())

    def can_close_early(self) -> bool:
        """Open, and every elector has voted (``ballot_close_early``)."""
        return self.is_open and self.everyone_voted


class BallotOption(models.Model):
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="options")
    order = models.PositiveSmallIntegerField(default=0)
    code = models.CharField(max_length=20, blank=True)  # "yes", "no", "abstain", "object"
    label = models.CharField(_("option"), max_length=200)

    class Meta:
        ordering = ["ballot", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["ballot", "order"], name="option_unique_order")
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def is_abstention(self) -> bool:
        return self.code == "abstain"


class Elector(models.Model):
    """One voice in a ballot, frozen at opening: an institution, or a designated person."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="electors")
    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["ballot", "institution"],
                condition=Q(institution__isnull=False),
                name="elector_one_per_institution",
            ),
            models.UniqueConstraint(
                fields=["ballot", "person"],
                condition=Q(institution__isnull=True),
                name="elector_one_per_person",
            ),
        ]

    def __str__(self) -> str:
        return str(self.institution or self.person)


class EligibleVoter(models.Model):
    """Who may cast an elector's vote: the principal, or the alternate if the principal has
    not (frozen at opening)."""

    elector = models.ForeignKey(Elector, on_delete=models.CASCADE, related_name="voters")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    capacity = models.CharField(max_length=20)  # "principal" or "alternate"

    class Meta:
        constraints = [models.UniqueConstraint(fields=["elector", "person"], name="eligible_once")]

    def __str__(self) -> str:
        return f"{self.person} for {self.elector}"


class Participation(models.Model):
    """That an elector voted, by whom and when. One per elector: the database says so."""

    ballot = models.ForeignKey(Ballot, on_delete=models.PROTECT, related_name="participations")
    elector = models.ForeignKey(Elector, on_delete=models.PROTECT, related_name="+")
    cast_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    cast_at = models.DateTimeField(auto_now_add=True)
    changes = models.PositiveSmallIntegerField(default=0)
    # A secret ballot's receipt: proof of taking part, published at the close; says nothing of
    # the choice (a named ballot keeps its receipt beside the choice).
    receipt = models.CharField(max_length=20, blank=True, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["ballot", "elector"], name="one_vote_per_elector")
        ]

    def __str__(self) -> str:
        return f"{self.elector} voted"


class NamedVote(models.Model):
    """The choice of a named ballot, beside its participation."""

    participation = models.OneToOneField(
        Participation, on_delete=models.PROTECT, related_name="named_vote"
    )
    option = models.ForeignKey(BallotOption, on_delete=models.PROTECT, related_name="+")
    receipt = models.CharField(max_length=20, unique=True)

    def __str__(self) -> str:
        return f"{self.participation}: {self.option}"


class SecretTally(models.Model):
    """How many chose one option of a secret ballot: a counter, never a row per vote.

    Every vote adds to every counter of its ballot (one, or nothing), so that all of them carry
    the same system columns whatever was chosen; the close rewrites them all once more, so that
    afterwards they carry the close and no vote's transaction."""

    ballot = models.ForeignKey(Ballot, on_delete=models.PROTECT, related_name="secret_tallies")
    option = models.OneToOneField(BallotOption, on_delete=models.PROTECT, related_name="+")
    votes = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["ballot", "option"], name="secret_tally_per_option")
        ]

    def __str__(self) -> str:
        return f"{self.option}: {self.votes}"


class BallotEvent(models.Model):
    """The audit trail: append-only, each entry carrying the hash of the one before it."""

    ballot = models.ForeignKey(Ballot, on_delete=models.PROTECT, related_name="events")
    sequence = models.PositiveIntegerField()
    kind = models.CharField(max_length=30)
    at = models.DateTimeField()
    actor = models.CharField(max_length=254, blank=True)  # e-mail, kept even if the user goes
    data = models.JSONField(default=dict)
    previous_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["ballot", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["ballot", "sequence"], name="ballot_event_sequence")
        ]

    def __str__(self) -> str:
        return f"{self.ballot_id}#{self.sequence} {self.kind}"
