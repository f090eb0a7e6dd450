"""The rows of accepted files, one table per dataset type, and the aggregates computed when a
version is ingested so that pages stay fast on a million rows."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .reference import Match, Vector


class RecordManager(models.Manager):
    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        _place(self.model, objs)
        return super().bulk_create(objs, *args, **kwargs)


def _place(model, records) -> None:
    """Give the records created through the ORM without a place the next places of their
    version, in the order given (the ingest numbers its rows itself)."""
    unplaced = [r for r in records if r.ordinal is None]
    following: dict[int, int] = {}
    for record in unplaced:
        if record.version_id not in following:
            last = model.objects.filter(version_id=record.version_id).aggregate(
                last=models.Max("ordinal")
            )["last"]
            following[record.version_id] = -1 if last is None else last
        following[record.version_id] += 1
        record.ordinal = following[record.version_id]


class Record(models.Model):
    """A row of an accepted file, keyed by its version and its place in it (``ordinal``: 0, 1, …
    in the order the ingest wrote the rows: a correction's rows carried over first, then the
    file's). The row number is the file's, kept for the reader: a correction's rows keep the
    numbers of the file they fix, so two rows of one version may share one.

    The version is checked once per ingest (its row is locked while the rows are copied in)
    rather than by a constraint trigger on each of a million rows; rows leave with their version
    through the ORM's cascade, as before."""

    pk = models.CompositePrimaryKey("version", "ordinal")
    version = models.ForeignKey(
        "inventories.DatasetVersion",
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    ordinal = models.PositiveIntegerField(_("place in the version"), editable=False)
    row_number = models.PositiveIntegerField(_("row"))

    objects = RecordManager()

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.row_number}"

    def save(self, *args, **kwargs):
        if self.ordinal is None:
            _place(type(self), [self])
        super().save(*args, **kwargs)


class Flow(models.TextChoices):
    IMPORT = "import", _("Import")
    EXPORT = "export", _("Export")


class CustomsRecord(Record):
    declaration_id = models.CharField(_("declaration"), max_length=60)
    declared_on = models.DateField(_("date"))
    flow = models.CharField(_("flow"), max_length=6, choices=Flow.choices)
    hs_code = models.CharField(_("HS code"), max_length=20)
    national_code = models.CharField(_("national code"), max_length=20, blank=True)
    description = models.TextField(_("description"), blank=True)
    origin_country = models.CharField(_("country of origin"), max_length=2, blank=True)
    consignment_country = models.CharField(_("country of consignment"), max_length=2, blank=True)
    trader = models.CharField(_("trader"), max_length=255, blank=True)
    quantity = models.DecimalField(_("quantity"), max_digits=18, decimal_places=3, null=True)
    quantity_unit = models.CharField(_("unit"), max_length=10, blank=True)
    net_mass_kg = models.DecimalField(_("net mass (kg)"), max_digits=18, decimal_places=3)
    value = models.DecimalField(_("value"), max_digits=18, decimal_places=2, null=True)
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    match = models.CharField(_("POPs match"), max_length=12, choices=Match.choices, blank=True)
    hs_known = models.BooleanField(_("HS code known"), default=True)

    class Meta(Record.Meta):
        indexes = [
            # The lines that point to a listed chemical (about one in fifty of a customs
            # extract): the totals read these alone, not the whole version.
            models.Index(fields=["version"], condition=~models.Q(match=""), name="customs_matched"),
        ]


class CustomsTotal(models.Model):
    """Imports or exports in one year with one partner country, from one version: of one chemical
    (the lines whose code identifies it: a specific match), or under one code (the lines whose code
    names a group of chemicals or only may hold one: a group or indicative match). Each matched
    line is counted in exactly one total."""

    version = models.ForeignKey(
        "inventories.DatasetVersion", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    chemical = models.ForeignKey(
        "inventories.Chemical", on_delete=models.PROTECT, related_name="+", null=True
    )
    code = models.CharField(max_length=20, blank=True)
    national = models.BooleanField(default=False)
    year = models.PositiveSmallIntegerField()
    flow = models.CharField(max_length=6, choices=Flow.choices)
    partner_country = models.CharField(max_length=2, blank=True)
    match = models.CharField(max_length=12, choices=Match.choices)
    lines = models.PositiveIntegerField()
    net_mass_kg = models.DecimalField(max_digits=20, decimal_places=3)

    class Meta:
        indexes = [models.Index(fields=["version", "chemical", "year"])]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(match="specific", chemical__isnull=False, code="")
                    | (
                        models.Q(match__in=["group", "indicative"], chemical__isnull=True)
                        & ~models.Q(code="")
                    )
                ),
                name="customs_total_chemical_or_code",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.g_teq if hasattr(self, 'g_teq') else self.net_mass_kg}"


class Qualifier(models.TextChoices):
    DETECTED = "", _("Detected")
    BELOW = "<", _("Below the limit")
    NOT_DETECTED = "nd", _("Not detected")


class MonitoringRecord(Record):
    sample_id = models.CharField(_("sample"), max_length=60)
    site = models.CharField(_("site"), max_length=160)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True)
    matrix = models.CharField(_("matrix"), max_length=20)
    sampling_start = models.DateField(_("sampling start"))
    sampling_end = models.DateField(_("sampling end"), null=True)
    analyte = models.CharField(_("analyte"), max_length=160)
    cas = models.CharField(_("CAS"), max_length=20, blank=True)
    chemical = models.ForeignKey(
        "inventories.Chemical", on_delete=models.PROTECT, null=True, related_name="+"
    )
    value = models.DecimalField(_("value"), max_digits=18, decimal_places=6, null=True)
    unit = models.CharField(_("unit"), max_length=20)
    basis = models.CharField(_("basis"), max_length=20, blank=True)
    below_limit = models.BooleanField(_("below limit"), default=False)
    # A censored result: below the limit (``<``, with the limit when known) or not detected; its
    # value is then empty, never zero.
    qualifier = models.CharField(
        _("qualifier"), max_length=2, choices=Qualifier.choices, blank=True, default=""
    )
    limit = models.DecimalField(_("limit"), max_digits=18, decimal_places=6, null=True)
    lod = models.DecimalField(_("LOD"), max_digits=18, decimal_places=6, null=True)
    loq = models.DecimalField(_("LOQ"), max_digits=18, decimal_places=6, null=True)
    laboratory = models.CharField(_("laboratory"), max_length=160)
    method = models.CharField(_("method"), max_length=160, blank=True)

    class Meta(Record.Meta):
        indexes = [
            models.Index(
                fields=["version", "analyte", "matrix"], name="monitoring_version_analyte"
            ),
        ]

    @property
    def result_label(self) -> str:
        """The result as a reader expects it: the value, “< 0.05” or “n.d.”."""
        return result_label(self.value, self.qualifier, self.limit)


def plain_number(value) -> str:
    """A decimal in the reader's locale without trailing zeros (0.050000 → 0.05)."""
    from django.utils.formats import number_format

    if value is None:
        return ""
    text = format(value.normalize(), "f") if hasattr(value, "normalize") else str(value)
    places = len(text.split(".")[1]) if "." in text else 0
    return number_format(value, decimal_pos=places)


def result_label(value, qualifier: str, limit) -> str:
    from django.utils.translation import pgettext

    if qualifier == Qualifier.NOT_DETECTED:
        return pgettext("not detected", "n.d.")
    if qualifier == Qualifier.BELOW:
        return f"< {plain_number(limit)}" if limit is not None else pgettext("below", "< limit")
    return plain_number(value)


class PesticideRecord(Record):
    holder = models.CharField(_("holder"), max_length=200)
    holder_role = models.CharField(_("role"), max_length=12)
    site = models.CharField(_("site"), max_length=200)
    product = models.CharField(_("product"), max_length=200)
    active_ingredient = models.CharField(_("active ingredient"), max_length=160)
    chemical = models.ForeignKey(
        "inventories.Chemical", on_delete=models.PROTECT, null=True, related_name="+"
    )
    quantity = models.DecimalField(_("quantity"), max_digits=18, decimal_places=3)
    quantity_unit = models.CharField(_("unit"), max_length=10)
    condition = models.CharField(_("condition"), max_length=12)
    high_risk_area = models.BooleanField(_("in a high-risk area"), default=False)


class PCBEquipmentRecord(Record):
    owner = models.CharField(_("owner"), max_length=200)
    site = models.CharField(_("site"), max_length=200)
    equipment_type = models.CharField(_("equipment type"), max_length=20)
    serial_number = models.CharField(_("serial number"), max_length=80)
    year_made = models.PositiveSmallIntegerField(_("year made"), null=True)
    oil_volume_l = models.DecimalField(
        _("oil volume (l)"), max_digits=12, decimal_places=2, null=True
    )
    concentration_class = models.CharField(_("PCB concentration"), max_length=12)
    status = models.CharField(_("status"), max_length=16)
    decommissioned_on = models.DateField(_("decommissioned"), null=True)
    disposed_on = models.DateField(_("disposed of"), null=True)


class UPOPsActivityRecord(Record):
    source_category = models.CharField(_("source category"), max_length=4)
    class_number = models.PositiveSmallIntegerField(_("class"))
    activity_rate = models.DecimalField(_("activity rate"), max_digits=18, decimal_places=3)
    activity_unit = models.CharField(_("unit"), max_length=20)
    year = models.PositiveSmallIntegerField(_("year"))


class UPOPsRelease(models.Model):
    """g TEQ per year for one category, class, year and vector, computed from one version with the
    emission factors in force when it was ingested (the factor is kept with the result)."""

    version = models.ForeignKey(
        "inventories.DatasetVersion", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    category = models.ForeignKey(
        "inventories.SourceCategory", on_delete=models.PROTECT, related_name="+"
    )
    class_number = models.PositiveSmallIntegerField()
    year = models.PositiveSmallIntegerField()
    vector = models.CharField(max_length=10, choices=Vector.choices)
    activity = models.DecimalField(max_digits=20, decimal_places=3)
    factor = models.DecimalField(max_digits=14, decimal_places=4)
    g_teq = models.DecimalField(max_digits=20, decimal_places=6)

    class Meta:
        indexes = [models.Index(fields=["version", "year"])]

    def __str__(self) -> str:
        return f"{self.year} {self.g_teq if hasattr(self, 'g_teq') else self.net_mass_kg}"


class BaselMovementRecord(Record):
    """One transboundary movement of hazardous or other wastes under the Basel Convention: a
    shipment under a notification, with its movement document."""

    notification_number = models.CharField(_("notification number"), max_length=40)
    movement_document_number = models.CharField(_("movement document number"), max_length=40)
    waste_code = models.CharField(_("waste code"), max_length=10)
    description = models.CharField(_("description"), max_length=255, blank=True)
    quantity_t = models.DecimalField(_("quantity (t)"), max_digits=18, decimal_places=3)
    export_country = models.CharField(_("country of export"), max_length=2)
    transit_countries = models.CharField(_("countries of transit"), max_length=60, blank=True)
    import_country = models.CharField(_("country of import"), max_length=2)
    operation = models.CharField(_("disposal or recovery operation"), max_length=3)
    shipped_on = models.DateField(_("shipment date"))
    received_on = models.DateField(_("receipt date"), null=True)
