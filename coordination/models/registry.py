"""The registry of the mechanism: conventions, institutions, bodies, memberships, people and
designations. Nothing here is deleted: ended memberships and designations are the mechanism's
memory."""

import datetime

from django.conf import settings
from django.core.validators import FileExtensionValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from coordination.validators import validate_letter_content, validate_letter_size
from ncm_portal.bidi import isolated

LETTER_EXTENSIONS = ["pdf", "doc", "docx", "odt", "rtf", "jpg", "jpeg", "png", "tif", "tiff"]
letter_validators = [
    FileExtensionValidator(LETTER_EXTENSIONS),
    validate_letter_size,
    validate_letter_content,
]


def today() -> datetime.date:
    return timezone.localdate()


def start_of(day: datetime.date) -> datetime.datetime:
    """Midnight at the start of ``day``, in the current time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


class PeriodQuerySet(models.QuerySet):
    """Rows with ``start_date`` and an exclusive ``end_date`` (the day the period ended)."""

    def current(self, on: datetime.date | None = None):
        on = on or today()
        return self.filter(Q(end_date__isnull=True) | Q(end_date__gt=on), start_date__lte=on)

    def past(self, on: datetime.date | None = None):
        return self.filter(end_date__lte=on or today())

    def ending_within(self, days: int, on: datetime.date | None = None):
        on = on or today()
        return self.current(on).filter(end_date__lte=on + datetime.timedelta(days=days))


class PeriodMixin(models.Model):
    start_date = models.DateField(_("from"), default=today)
    end_date = models.DateField(
        _("ended on"),
        null=True,
        blank=True,
        help_text=_("The first day on which it no longer applies. Leave empty while open-ended."),
    )

    class Meta:
        abstract = True

    def is_current(self, on: datetime.date | None = None) -> bool:
        on = on or today()
        return self.start_date <= on and (self.end_date is None or self.end_date > on)

    def overlaps(self, start: datetime.date, end: datetime.date | None) -> bool:
        starts_before_other_ends = end is None or self.start_date < end
        ends_after_other_starts = self.end_date is None or self.end_date > start
        return starts_before_other_ends and ends_after_other_starts


class Convention(models.Model):
    class Code(models.TextChoices):
        BASEL = "basel", _("Basel Convention")
        ROTTERDAM = "rotterdam", _("Rotterdam Convention")
        STOCKHOLM = "stockholm", _("Stockholm Convention")
        MINAMATA = "minamata", _("Minamata Convention")

    code = models.CharField(_("code"), max_length=20, choices=Code.choices, unique=True)
    short_name = models.CharField(_("short name"), max_length=40)
    full_title = models.CharField(_("full title"), max_length=300)
    website = models.URLField(_("website"), blank=True)
    covered = models.BooleanField(
        _("covered by the mechanism"),
        default=True,
        help_text=_("Vacant roles are flagged only for conventions the mechanism covers."),
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("convention")
        verbose_name_plural = _("conventions")

    def __str__(self) -> str:
        return self.get_code_display()


class ConventionRole(models.Model):
    """A role a convention asks each Party to designate (e.g. Stockholm official contact point)."""

    convention = models.ForeignKey(Convention, on_delete=models.PROTECT, related_name="roles")
    code = models.SlugField(_("code"), max_length=60)
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["convention__order", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["convention", "code"], name="conventionrole_unique_code"
            )
        ]
        verbose_name = _("convention role")
        verbose_name_plural = _("convention roles")

    def __str__(self) -> str:
        return f"{self.convention}: {self.name}"


class Mandate(models.Model):
    """A field of responsibility an institution holds (pesticides, border control, ...)."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=120)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("mandate")
        verbose_name_plural = _("mandates")

    def __str__(self) -> str:
        return self.name


class Institution(models.Model):
    class Kind(models.TextChoices):
        MINISTRY = "ministry", _("Ministry")
        AGENCY = "agency", _("Agency")
        CUSTOMS = "customs", _("Customs")
        INSPECTORATE = "inspectorate", _("Inspectorate")
        LABORATORY = "laboratory", _("Laboratory")
        UNIVERSITY = "university", _("University or research")
        INDUSTRY = "industry", _("Industry association")
        NGO = "ngo", _("NGO or civil society")
        REGIONAL_CENTRE = "regional_centre", _("Regional centre")
        LOCAL_GOVERNMENT = "local_government", _("Local government")
        STATE_ENTERPRISE = "state_enterprise", _("State enterprise")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=255, unique=True)
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent institution"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    mandates = models.ManyToManyField(
        Mandate, verbose_name=_("mandates"), blank=True, related_name="institutions"
    )
    email = models.EmailField(_("general e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    address = models.TextField(_("address"), blank=True)
    website = models.URLField(_("website"), blank=True)
    active = models.BooleanField(_("active"), default=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(m2m_fields=[mandates])

    class Meta:
        ordering = ["name"]
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")

    def __str__(self) -> str:
        return f"{self.name} ({self.acronym})" if self.acronym else self.name

    def get_absolute_url(self) -> str:
        return reverse("coordination:institution-detail", args=[self.pk])

    def clean(self):
        from django.core.exceptions import ValidationError

        ancestor, seen = self.parent, set()
        while ancestor is not None and ancestor.pk not in seen:
            if self.pk and ancestor.pk == self.pk:
                raise ValidationError(
                    {"parent": _("An institution cannot be placed under itself.")},
                    code="parent_cycle",
                )
            seen.add(ancestor.pk)
            ancestor = ancestor.parent


class Body(models.Model):
    class Kind(models.TextChoices):
        NCM = "ncm", _("National coordination mechanism")
        STEERING = "steering", _("Executive or steering committee")
        TECHNICAL = "technical", _("Technical committee")
        WORKING_GROUP = "working_group", _("Working group")
        INVENTORY_TEAM = "inventory_team", _("Inventory expert team")
        OTHER = "other", _("Other body")

    name = models.CharField(_("name"), max_length=255, unique=True)
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent body"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    mandate = models.TextField(_("mandate"), blank=True)
    terms_of_reference = models.FileField(
        _("terms of reference"),
        upload_to="bodies/terms-of-reference/%Y/",
        blank=True,
        validators=letter_validators,
    )
    conventions = models.ManyToManyField(
        Convention, verbose_name=_("conventions covered"), blank=True, related_name="bodies"
    )
    meetings_per_year = models.PositiveSmallIntegerField(
        _("regular meetings per year"),
        default=2,
        validators=[MaxValueValidator(52)],
        help_text=_("How often the body meets in regular session, e.g. 2 for twice a year."),
    )
    notice_period_days = models.PositiveSmallIntegerField(
        _("notice period (days)"),
        default=14,
        validators=[MaxValueValidator(365)],
        help_text=_("How many days before a meeting the notice must go out."),
    )
    quorum_share = models.DecimalField(
        _("quorum"),
        max_digits=3,
        decimal_places=2,
        default=0.5,
        validators=[MinValueValidator(0.01), MaxValueValidator(1)],
        help_text=_("Share of member institutions that must be present, e.g. 0.50 for half."),
    )
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(m2m_fields=[conventions])

    class Meta:
        ordering = ["name"]
        verbose_name = _("body")
        verbose_name_plural = _("bodies")
        constraints = [
            models.CheckConstraint(
                condition=Q(quorum_share__gt=0) & Q(quorum_share__lte=1),
                name="body_quorum_share_in_range",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("coordination:body-detail", args=[self.pk])


class Membership(PeriodMixin):
    """An institution's seat in a body. Ending a seat closes it; the row stays as history."""

    class Role(models.TextChoices):
        CHAIR = "chair", _("Chair")
        VICE_CHAIR = "vice_chair", _("Vice-chair")
        MEMBER = "member", _("Member")
        OBSERVER = "observer", _("Observer")

    body = models.ForeignKey(
        Body, verbose_name=_("body"), on_delete=models.PROTECT, related_name="memberships"
    )
    institution = models.ForeignKey(
        Institution,
        verbose_name=_("institution"),
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    invitation_letter = models.FileField(
        _("invitation letter"),
        upload_to="memberships/letters/%Y/",
        blank=True,
        validators=letter_validators,
    )
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PeriodQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["body__name", "institution__name", "-start_date"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["body", "institution"],
                condition=Q(end_date__isnull=True),
                name="membership_one_open_seat",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gt=models.F("start_date")),
                name="membership_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.institution} in {self.body} ({self.get_role_display()})"

    @property
    def votes(self) -> bool:
        return self.role != self.Role.OBSERVER


class Person(models.Model):
    name = models.CharField(_("name"), max_length=200)
    title = models.CharField(_("title or position"), max_length=200, blank=True)
    institution = models.ForeignKey(
        Institution,
        verbose_name=_("institution"),
        on_delete=models.PROTECT,
        related_name="people",
    )
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    language = models.CharField(
        _("preferred language"), max_length=10, choices=settings.LANGUAGES, default="en"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
    )
    active = models.BooleanField(
        _("active"), default=True, help_text=_("Clear when the person has left the institution.")
    )
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            models.UniqueConstraint(
                fields=["email"], condition=~Q(email=""), name="person_unique_email"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("coordination:person-detail", args=[self.pk])


class Designation(PeriodMixin):
    """A person designated by an institution for a role. Ending one keeps it, with a handover."""

    class Kind(models.TextChoices):
        REPRESENTATIVE = "representative", _("Representative to a body")
        CONVENTION = "convention", _("Convention role")
        INSTITUTION_FOCAL_POINT = "institution_focal_point", _("Institution focal point")

    class Capacity(models.TextChoices):
        PRINCIPAL = "principal", _("Principal")
        ALTERNATE = "alternate", _("Alternate")

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="designations"
    )
    institution = models.ForeignKey(
        Institution,
        verbose_name=_("designating institution"),
        on_delete=models.PROTECT,
        related_name="designations",
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    capacity = models.CharField(
        _("capacity"), max_length=20, choices=Capacity.choices, default=Capacity.PRINCIPAL
    )
    body = models.ForeignKey(
        Body,
        verbose_name=_("body"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="designations",
    )
    convention_role = models.ForeignKey(
        ConventionRole,
        verbose_name=_("convention role"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="designations",
    )
    letter = models.FileField(
        _("designation letter"),
        upload_to="designations/letters/%Y/",
        blank=True,
        validators=letter_validators,
    )
    designated_by = models.CharField(
        _("designating authority"),
        max_length=255,
        blank=True,
        help_text=_("Who signed the designation, e.g. the Minister of Environment."),
    )
    secretariat_notified = models.BooleanField(_("convention secretariat notified"), default=False)
    secretariat_notified_on = models.DateField(_("notified on"), null=True, blank=True)
    handover_note = models.TextField(_("handover note"), blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ended by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    notified_at = models.DateTimeField(null=True, blank=True, editable=False)
    end_notified_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = PeriodQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-start_date", "-pk"]
        verbose_name = _("designation")
        verbose_name_plural = _("designations")
        indexes = [models.Index(fields=["kind", "end_date"])]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind="representative", body__isnull=False, convention_role__isnull=True)
                    | Q(kind="convention", body__isnull=True, convention_role__isnull=False)
                    | Q(
                        kind="institution_focal_point",
                        body__isnull=True,
                        convention_role__isnull=True,
                    )
                ),
                name="designation_target_matches_kind",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gt=models.F("start_date")),
                name="designation_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.role_label}"

    def get_absolute_url(self) -> str:
        return reverse("coordination:person-detail", args=[self.person_id])

    @property
    def role_label(self) -> str:
        """What the person was designated as, e.g. 'Principal representative to the TC'. The
        body's or institution's name is isolated (Unicode isolates), as the label is shown in
        pages, PDFs and e-mails alike."""
        if self.kind == self.Kind.REPRESENTATIVE:
            body = isolated(self.body)
            if self.capacity == self.Capacity.PRINCIPAL:
                return _("Principal representative to %(body)s") % {"body": body}
            return _("Alternate representative to %(body)s") % {"body": body}
        if self.kind == self.Kind.CONVENTION:
            if self.capacity == self.Capacity.PRINCIPAL:
                return str(self.convention_role)
            return _("%(role)s (alternate)") % {"role": self.convention_role}
        institution = isolated(self.institution)
        if self.capacity == self.Capacity.PRINCIPAL:
            return _("Focal point of %(institution)s") % {"institution": institution}
        return _("Alternate focal point of %(institution)s") % {"institution": institution}

    def slot_filter(self) -> Q:
        """The rows that hold the same seat: at most one principal may hold it at a time."""
        if self.kind == self.Kind.REPRESENTATIVE:
            return Q(kind=self.kind, body_id=self.body_id, institution_id=self.institution_id)
        if self.kind == self.Kind.CONVENTION:
            return Q(kind=self.kind, convention_role_id=self.convention_role_id)
        return Q(kind=self.kind, institution_id=self.institution_id)
