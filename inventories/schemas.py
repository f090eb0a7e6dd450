"""The schema of each dataset type: its columns, their types, units and allowed values, and the rules
that tie columns together. One schema drives the documentation page, the downloadable templates,
the column mapping and the validation of every row."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from decimal import Decimal

import polars as pl
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.backends.base.operations import BaseDatabaseOperations
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .models import (
    BaselMovementRecord,
    CustomsRecord,
    DatasetType,
    MonitoringRecord,
    PCBEquipmentRecord,
    PesticideRecord,
    UPOPsActivityRecord,
)


@dataclass(frozen=True)
class Column:
    name: str
    label: Promise
    kind: str  # text, code, decimal, integer, date, choice, boolean, country, hs, cas, year
    required: bool = True
    max_length: int = 255
    unit: Promise | str = ""
    help: Promise | str = ""
    choices: tuple[tuple[str, Promise], ...] = ()
    aliases: tuple[str, ...] = ()
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    example: str = ""
    # For a number: (limit, places), what the records table can hold. The value, rounded to
    # ``places`` decimals as the database rounds it, must lie strictly between -limit and limit.
    # Set by the schema from its model's field (``storage_bound``), never by hand.
    stored: tuple[Decimal, int] | None = None
    # For a result: the same of the field that keeps the limit a censored result gives in its
    # cell ("< 0.05"). Set by the schema from its model's ``limit`` field.
    limit_stored: tuple[Decimal, int] | None = None

    @property
    def coded(self) -> bool:
        return self.kind in ("choice", "boolean")


@dataclass(frozen=True)
class Schema:
    dataset_type: str
    model: type
    columns: tuple[Column, ...]
    rules: tuple[Check, ...] = ()
    # Values a file's rows take from other columns once their cells are valid (the censored
    # results of monitoring), before the rules are checked.
    rewrites: Callable[[], dict] | None = None
    summary: Promise | str = ""
    example_rows: tuple[tuple[str, ...], ...] = ()
    unique: str = ""  # a column whose values may appear only once in a file
    derived: tuple[str, ...] = field(default=())

    def __post_init__(self):
        # Each number column learns from the model what its table can hold, so that a value too
        # large for it is refused on its row rather than failing the whole ingest.
        object.__setattr__(
            self,
            "columns",
            tuple(
                replace(c, stored=storage_bound(self.model, c.name)) if c.kind in NUMBERS else c
                for c in self.columns
            ),
        )
        object.__setattr__(
            self,
            "columns",
            tuple(
                replace(c, limit_stored=storage_bound(self.model, "limit"))
                if c.kind == "result"
                else c
                for c in self.columns
            ),
        )

    @property
    def label(self):
        return DatasetType(self.dataset_type).label

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    @property
    def required(self) -> list[Column]:
        return [c for c in self.columns if c.required]


NUMBERS = ("decimal", "integer", "year", "result")


def storage_bound(model, name: str) -> tuple[Decimal, int] | None:
    """(limit, places) of the model field that stores column ``name``: a decimal field holds
    values below 10^(digits - places) once rounded to its places, an integer field those up to
    its largest value (Django's ranges, the same on every database it supports here)."""
    try:
        found = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    if isinstance(found, models.DecimalField):
        return Decimal(10) ** (found.max_digits - found.decimal_places), found.decimal_places
    ranges = BaseDatabaseOperations.integer_field_ranges
    kind = found.get_internal_type()
    if kind in ranges:
        return Decimal(ranges[kind][1] + 1), 0
    return None


def normalise_header(text: str) -> str:
    """Compare headers without case, accents, spaces, underscores or punctuation."""
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", text.lower())


# ---------------------------------------------------------------------------------------------
# Cross-column rules: each is a condition on a batch of rows whose cells are valid (values by
# column name; numbers also as floats in ``f:<name>``), and the reason given to the rows it holds
# for. The checks of a schema are tried in order; a row is rejected for the first that holds.


@dataclass(frozen=True)
class Check:
    code: str
    message: Promise
    column: str
    when: Callable[[], pl.Expr]  # built once per file
    params: Callable[[dict], dict] = lambda row: {}


def _customs_rules():
    return (
        Check(
            "partner_missing",
            _("An import needs its country of origin."),
            "origin_country",
            lambda: (pl.col("flow") == "import") & (pl.col("origin_country") == ""),
        ),
        Check(
            "partner_missing",
            _("An export needs its country of consignment (destination)."),
            "consignment_country",
            lambda: (pl.col("flow") == "export") & (pl.col("consignment_country") == ""),
        ),
        Check(
            "unit_missing",
            _("A quantity needs its unit."),
            "quantity_unit",
            lambda: pl.col("quantity").is_not_null() & (pl.col("quantity_unit") == ""),
        ),
        Check(
            "currency_missing",
            _("A value needs its currency."),
            "currency",
            lambda: pl.col("value").is_not_null() & (pl.col("currency") == ""),
        ),
    )


def _censored(part: str) -> pl.Expr:
    return pl.col("c:value").struct.field(part)


def _monitoring_results() -> dict[str, pl.Expr]:
    """A censored result keeps its qualifier and its limit, and no value: ``< 0.05`` is below
    0.05, ``<LOQ`` below the row's LOQ, ``ND`` not detected (below the LOD when one is given); the
    below-limit flag with a number means below that number."""
    censored = pl.col("c:value").is_not_null()
    flagged = pl.col("below_limit").fill_null(False)
    value, lod, loq = pl.col("value"), pl.col("lod"), pl.col("loq")
    limit_given = (
        pl.when(_censored("ref") == "lod")
        .then(lod)
        .when(_censored("ref") == "loq")
        .then(loq)
        .when(_censored("qualifier") == "nd")
        .then(lod)
        .when(_censored("limit").is_not_null())
        .then(_censored("limit"))
        .otherwise(pl.coalesce(loq, lod))
    )
    qualifier = (
        pl.when(censored)
        .then(_censored("qualifier"))
        .when(flagged)
        .then(pl.lit("<"))
        .otherwise(pl.lit(""))
    )
    limit = pl.when(censored).then(limit_given).when(flagged).then(pl.coalesce(value, loq, lod))
    return {
        "qualifier": qualifier,
        "limit": limit,
        "value": pl.when(qualifier != "").then(pl.lit(None, pl.Utf8)).otherwise(value),
        "below_limit": qualifier != "",
    }


def _monitoring_rules():
    censored = pl.col("c:value").is_not_null()
    return (
        Check(
            "end_before_start",
            _("Sampling ends before it starts."),
            "sampling_end",
            lambda: pl.col("sampling_end") < pl.col("sampling_start"),
        ),
        Check(
            "lod_above_loq",
            _("The LOD is above the LOQ."),
            "lod",
            lambda: pl.col("f:lod") > pl.col("f:loq"),
        ),
        Check(
            "limit_missing",
            _("The result refers to the %(limit)s, but the row's %(limit)s is empty."),
            "lod",
            lambda: censored & (_censored("ref") == "lod") & pl.col("lod").is_null(),
            lambda row: {"limit": "LOD"},
        ),
        Check(
            "limit_missing",
            _("The result refers to the %(limit)s, but the row's %(limit)s is empty."),
            "loq",
            lambda: censored & (_censored("ref") == "loq") & pl.col("loq").is_null(),
            lambda row: {"limit": "LOQ"},
        ),
        Check(
            "required",
            _("A value is required unless the result is below the limit."),
            "value",
            lambda: (pl.col("qualifier") == "") & pl.col("value").is_null(),
        ),
        Check(
            "limit_missing",
            _(
                "A result below the limit needs the limit: in the cell (“< 0.05”), or its LOD "
                "or LOQ."
            ),
            "lod",
            lambda: (pl.col("qualifier") == "<") & pl.col("limit").is_null(),
        ),
        Check(
            "coordinates",
            _("Give both latitude and longitude, or neither."),
            "longitude",
            lambda: pl.col("latitude").is_null() != pl.col("longitude").is_null(),
        ),
    )


def _pcb_rules():
    status = pl.col("status")
    return (
        Check(
            "date_missing",
            _("Disposed equipment needs the date it was disposed of."),
            "disposed_on",
            lambda: (status == "disposed") & pl.col("disposed_on").is_null(),
        ),
        Check(
            "date_missing",
            _("Decommissioned equipment needs the date it was taken out of service."),
            "decommissioned_on",
            lambda: (status == "decommissioned") & pl.col("decommissioned_on").is_null(),
        ),
        Check(
            "status_dates",
            _("Equipment in use cannot have a decommissioning or disposal date."),
            "status",
            lambda: (
                (status == "in_use")
                & (pl.col("decommissioned_on").is_not_null() | pl.col("disposed_on").is_not_null())
            ),
        ),
        Check(
            "future_year",
            _("The year of manufacture is in the future."),
            "year_made",
            lambda: pl.col("year_made") > timezone.localdate().year,
        ),
    )


def toolkit_categories() -> list[str]:
    from .models import SourceCategory

    return [c.code.lower() for c in SourceCategory.objects.all()]


def _upops_rules():
    return (
        Check(
            "unknown_category",
            _("“%(value)s” is not a Toolkit source category (for example 1a, 6b)."),
            "source_category",
            lambda: ~pl.col("source_category").str.to_lowercase().is_in(toolkit_categories()),
            lambda row: {"value": row["source_category"]},
        ),
    )


ZERO = Decimal(0)

CUSTOMS = Schema(
    dataset_type=DatasetType.CUSTOMS,
    model=CustomsRecord,
    summary=_(
        "One row per declaration line, as extracted from the customs system. Lines are matched to "
        "listed chemicals through their HS code and national code; unknown HS codes are accepted "
        "and flagged."
    ),
    unique="declaration_id",
    derived=("match", "hs_known"),
    columns=(
        Column(
            "declaration_id",
            _("Declaration id"),
            "text",
            max_length=60,
            aliases=(
                "declaration",
                "decl id",
                "declaration number",
                "numero de declaration",
                "sad",
            ),
        ),
        Column(
            "declared_on",
            _("Date"),
            "date",
            aliases=("date", "declaration date", "date de declaration"),
        ),
        Column(
            "flow",
            _("Flow"),
            "choice",
            choices=(("import", _("Import")), ("export", _("Export"))),
            aliases=("direction", "trade flow", "flux", "regime"),
        ),
        Column(
            "hs_code",
            _("HS code"),
            "hs",
            max_length=20,
            aliases=("hs", "commodity code", "tariff code", "code sh"),
        ),
        Column(
            "national_code",
            _("National code"),
            "text",
            required=False,
            max_length=20,
            aliases=("national tariff code", "ntl code", "code national"),
        ),
        Column(
            "description",
            _("Description of goods"),
            "text",
            required=False,
            aliases=("goods description", "designation", "description"),
        ),
        Column(
            "origin_country",
            _("Country of origin"),
            "country",
            required=False,
            max_length=2,
            help=_("Two-letter ISO 3166 code."),
            aliases=("origin", "country of origin", "pays d'origine"),
        ),
        Column(
            "consignment_country",
            _("Country of consignment"),
            "country",
            required=False,
            max_length=2,
            help=_("Two-letter ISO 3166 code; for exports, the destination."),
            aliases=("consignment", "destination", "country of destination", "pays de provenance"),
        ),
        Column(
            "trader",
            _("Trader"),
            "text",
            required=False,
            aliases=("importer", "exporter", "declarant"),
        ),
        Column(
            "quantity",
            _("Quantity"),
            "decimal",
            required=False,
            minimum=ZERO,
            aliases=("qty", "supplementary quantity"),
        ),
        Column(
            "quantity_unit",
            _("Unit of quantity"),
            "text",
            required=False,
            max_length=10,
            aliases=("unit", "uom"),
        ),
        Column(
            "net_mass_kg",
            _("Net mass"),
            "decimal",
            unit="kg",
            minimum=ZERO,
            aliases=("net mass", "net weight", "net weight kg", "poids net"),
        ),
        Column(
            "value",
            _("Value"),
            "decimal",
            required=False,
            minimum=ZERO,
            aliases=("customs value", "statistical value", "valeur"),
        ),
        Column(
            "currency",
            _("Currency"),
            "text",
            required=False,
            max_length=3,
            help=_("ISO 4217 code."),
            aliases=("cur", "devise"),
        ),
    ),
    rules=_customs_rules(),
    example_rows=(
        (
            "VR-2025-000123",
            "2025-03-14",
            "import",
            "3824.82",
            "3824.82.00",
            "Transformer oil, PCB-containing",
            "DE",
            "NL",
            "Veridia Power Ltd",
            "1200",
            "l",
            "1040.5",
            "12500",
            "EUR",
        ),
        (
            "VR-2025-000124",
            "2025-03-15",
            "export",
            "8504.22",
            "",
            "Used transformer",
            "",
            "FR",
            "Recyclers Co",
            "1",
            "u",
            "2300",
            "",
            "",
        ),
    ),
)

MONITORING = Schema(
    dataset_type=DatasetType.MONITORING,
    model=MonitoringRecord,
    summary=_(
        "One row per analytical result. A result below the limit is written as laboratories "
        "write it (“< 0.05”, “<LOQ”, “ND”) or carries the flag with its LOD or LOQ; it is kept "
        "as below the limit, never as zero. Analytes are matched to listed chemicals by CAS "
        "number."
    ),
    derived=("chemical_id", "qualifier", "limit"),
    columns=(
        Column(
            "sample_id",
            _("Sample id"),
            "text",
            max_length=60,
            aliases=("sample", "sample no", "sample number"),
        ),
        Column(
            "site",
            _("Site"),
            "text",
            max_length=160,
            aliases=("station", "site name", "station id"),
        ),
        Column(
            "latitude",
            _("Latitude"),
            "decimal",
            required=False,
            minimum=Decimal(-90),
            maximum=Decimal(90),
            aliases=("lat",),
        ),
        Column(
            "longitude",
            _("Longitude"),
            "decimal",
            required=False,
            minimum=Decimal(-180),
            maximum=Decimal(180),
            aliases=("lon", "long", "lng"),
        ),
        Column(
            "matrix",
            _("Matrix"),
            "choice",
            max_length=20,
            choices=(
                ("air", _("Ambient air")),
                ("human_milk", _("Human milk")),
                ("human_blood", _("Human blood")),
                ("surface_water", _("Surface water")),
                ("sediment", _("Sediment")),
                ("soil", _("Soil")),
                ("biota", _("Biota")),
                ("other", pgettext_lazy("matrix", "Other")),
            ),
            aliases=("medium", "compartment", "tissue"),
        ),
        Column(
            "sampling_start",
            _("Sampling start"),
            "date",
            aliases=("sample date", "sampling date", "start date"),
        ),
        Column("sampling_end", _("Sampling end"), "date", required=False, aliases=("end date",)),
        Column(
            "analyte",
            _("Analyte"),
            "text",
            max_length=160,
            aliases=("parameter", "compound", "substance"),
        ),
        Column(
            "cas",
            _("CAS number"),
            "cas",
            required=False,
            max_length=20,
            aliases=("cas no", "cas number", "cas rn"),
        ),
        Column(
            "value",
            _("Value"),
            "result",
            required=False,
            minimum=ZERO,
            help=_(
                "A number, or a result below the limit as laboratories write it: “< 0.05”, "
                "“<LOQ” (below the row's LOQ), “<LOD”, “ND”, “n.d.”, “not detected”."
            ),
            aliases=("result", "concentration"),
        ),
        Column(
            "unit", _("Unit"), "text", max_length=20, help=_("For example pg/m³, ng/g lipid, ng/L.")
        ),
        Column(
            "basis",
            _("Basis"),
            "text",
            required=False,
            max_length=20,
            help=_("Wet weight, dry weight or lipid weight."),
        ),
        Column(
            "below_limit",
            _("Below limit"),
            "boolean",
            required=False,
            help=_("Yes, or “<”, when the result is below the LOD or LOQ."),
            aliases=("flag", "qualifier", "below lod", "below loq", "censored", "detected flag"),
        ),
        Column(
            "lod", _("LOD"), "decimal", required=False, minimum=ZERO, aliases=("detection limit",)
        ),
        Column(
            "loq",
            _("LOQ"),
            "decimal",
            required=False,
            minimum=ZERO,
            aliases=("quantification limit",),
        ),
        Column("laboratory", _("Laboratory"), "text", max_length=160, aliases=("lab",)),
        Column(
            "method",
            _("Method"),
            "text",
            required=False,
            max_length=160,
            aliases=("method ref", "method reference"),
        ),
    ),
    rules=_monitoring_rules(),
    rewrites=_monitoring_results,
    example_rows=(
        (
            "AIR-2025-01",
            "Mount Verde background station",
            "17.7321",
            "168.3210",
            "air",
            "2025-01-06",
            "2025-03-31",
            "PFOS",
            "1763-23-1",
            "0.42",
            "pg/m³",
            "",
            "no",
            "0.05",
            "0.1",
            "National Environment Laboratory",
            "LC-MS/MS",
        ),
        (
            "MILK-2025-01",
            "Port Veridia pool",
            "",
            "",
            "human_milk",
            "2025-02-10",
            "",
            "HCB",
            "118-74-1",
            "",
            "ng/g",
            "lipid",
            "<",
            "0.2",
            "0.5",
            "National Environment Laboratory",
            "GC-HRMS",
        ),
    ),
)

PESTICIDES = Schema(
    dataset_type=DatasetType.PESTICIDES,
    model=PesticideRecord,
    summary=_("One row per stock of a pesticide product held at a site, with its condition."),
    derived=("chemical_id",),
    columns=(
        Column("holder", _("Holder"), "text", max_length=200, aliases=("owner", "detenteur")),
        Column(
            "holder_role",
            _("Role"),
            "choice",
            max_length=12,
            choices=(
                ("importer", _("Importer")),
                ("formulator", _("Formulator")),
                ("distributor", _("Distributor")),
                ("user", _("User")),
            ),
            aliases=("holder role",),
        ),
        Column("site", _("Site"), "text", max_length=200, aliases=("location", "store")),
        Column(
            "product", _("Product"), "text", max_length=200, aliases=("trade name", "product name")
        ),
        Column(
            "active_ingredient",
            _("Active ingredient"),
            "text",
            max_length=160,
            aliases=("ai", "ingredient", "matiere active"),
        ),
        Column("quantity", _("Quantity"), "decimal", minimum=ZERO, aliases=("qty", "amount")),
        Column(
            "quantity_unit",
            _("Unit"),
            "choice",
            max_length=10,
            choices=(("kg", "kg"), ("l", "l"), ("t", "t")),
            aliases=("unit",),
        ),
        Column(
            "condition",
            _("Condition"),
            "choice",
            max_length=12,
            choices=(
                ("usable", _("Usable")),
                ("obsolete", _("Obsolete")),
                ("leaking", _("Leaking or damaged")),
                ("unknown", _("Unknown")),
            ),
            aliases=("state", "status"),
        ),
        Column(
            "high_risk_area",
            _("High-risk area"),
            "boolean",
            required=False,
            help=_("Yes when the stock is near water, housing, schools or food stores."),
            aliases=("high risk", "sensitive area"),
        ),
    ),
    example_rows=(
        (
            "Ministry of Agriculture",
            "user",
            "Central store, Port Veridia",
            "Dieldrex 20 EC",
            "Dieldrin",
            "450",
            "l",
            "obsolete",
            "yes",
        ),
    ),
)

PCB = Schema(
    dataset_type=DatasetType.PCB,
    model=PCBEquipmentRecord,
    summary=_(
        "One row per piece of equipment that contains or may contain PCB. Parties aim to stop using "
        "equipment with more than 0.05% PCB by 2025 and to manage PCB liquids and equipment soundly "
        "by 2028."
    ),
    columns=(
        Column("owner", _("Owner"), "text", max_length=200, aliases=("holder", "utility")),
        Column("site", _("Site"), "text", max_length=200, aliases=("location", "substation")),
        Column(
            "equipment_type",
            _("Equipment type"),
            "choice",
            max_length=20,
            choices=(
                ("transformer", _("Transformer")),
                ("capacitor", _("Capacitor")),
                ("other", pgettext_lazy("equipment", "Other")),
            ),
            aliases=("type", "equipment"),
        ),
        Column(
            "serial_number",
            _("Serial number"),
            "text",
            max_length=80,
            aliases=("serial", "serial no"),
        ),
        Column(
            "year_made",
            _("Year made"),
            "year",
            required=False,
            minimum=Decimal(1900),
            aliases=("year", "year of manufacture"),
        ),
        Column(
            "oil_volume_l",
            _("Oil volume"),
            "decimal",
            required=False,
            unit="l",
            minimum=ZERO,
            aliases=("oil volume", "volume", "liquid volume"),
        ),
        Column(
            "concentration_class",
            _("PCB concentration"),
            "choice",
            max_length=12,
            choices=(
                ("above_500", _("0.05% (500 ppm) or more")),
                ("50_500", _("50 to 500 ppm")),
                ("below_50", _("Below 50 ppm")),
                ("untested", _("Not tested")),
            ),
            aliases=("pcb class", "concentration", "pcb content"),
        ),
        Column(
            "status",
            _("Status"),
            "choice",
            max_length=16,
            choices=(
                ("in_use", _("In use")),
                ("decommissioned", _("Decommissioned")),
                ("disposed", _("Disposed of")),
            ),
            aliases=("state",),
        ),
        Column(
            "decommissioned_on",
            _("Decommissioned on"),
            "date",
            required=False,
            aliases=("decommissioned", "out of service"),
        ),
        Column(
            "disposed_on",
            _("Disposed of on"),
            "date",
            required=False,
            aliases=("disposed", "disposal date"),
        ),
    ),
    rules=_pcb_rules(),
    example_rows=(
        (
            "Veridia Power Ltd",
            "Substation North",
            "transformer",
            "TR-1978-0042",
            "1978",
            "850",
            "above_500",
            "in_use",
            "",
            "",
        ),
        (
            "Veridia Power Ltd",
            "Substation East",
            "capacitor",
            "CP-1981-0007",
            "1981",
            "12",
            "50_500",
            "disposed",
            "2023-05-01",
            "2024-02-12",
        ),
    ),
)

UPOPS = Schema(
    dataset_type=DatasetType.UPOPS,
    model=UPOPsActivityRecord,
    summary=_(
        "One row per source category and class: the activity rate in a year. Releases in g TEQ per year "
        "are computed for each of the five vectors with the emission factors held in the portal."
    ),
    columns=(
        Column(
            "source_category",
            _("Source category"),
            "text",
            max_length=4,
            help=_("Toolkit group number and category letter, for example 1c or 6b."),
            aliases=("category", "source"),
        ),
        Column(
            "class_number",
            _("Class"),
            "integer",
            minimum=Decimal(1),
            maximum=Decimal(9),
            aliases=("class",),
        ),
        Column(
            "activity_rate",
            _("Activity rate"),
            "decimal",
            minimum=ZERO,
            aliases=("activity", "rate"),
        ),
        Column(
            "activity_unit",
            _("Unit of activity"),
            "text",
            max_length=20,
            help=_("Usually tonnes per year (t)."),
            aliases=("unit",),
        ),
        Column("year", _("Year"), "year", minimum=Decimal(1990), maximum=Decimal(2100)),
    ),
    rules=_upops_rules(),
    example_rows=(("1c", "1", "350", "t", "2025"), ("6b", "1", "12000", "t", "2025")),
)

# ---------------------------------------------------------------------------------------------
# Transboundary movements of hazardous and other wastes (Basel Convention). The waste codes are
# checked by their pattern as the Convention's annexes number them: Y1 to Y48 (Annexes I and II),
# A1010 to A4160 (Annex VIII), B1010 to B4030 (Annex IX), and A and B codes against the reference
# list of those annexes' entries for the lists it holds entirely (``inventories.waste_codes``);
# the operations are those of Annex IV (D1 to D15, R1 to R13), labels paraphrased.

WASTE_CODE = r"(?i)^(Y([1-9]|[1-3][0-9]|4[0-8])|A[1-4][0-9]{3}|B[1-4][0-9]{3})$"
COUNTRY_LIST = r"^([A-Za-z]{2}([ ,;/]+[A-Za-z]{2})*)?$"

ANNEX_IV_OPERATIONS = (
    ("D1", _("D1 Deposit into or onto land (landfill)")),
    ("D2", _("D2 Land treatment")),
    ("D3", _("D3 Deep injection")),
    ("D4", _("D4 Surface impoundment")),
    ("D5", _("D5 Specially engineered landfill")),
    ("D6", _("D6 Release into a water body other than seas or oceans")),
    ("D7", _("D7 Release into seas or oceans")),
    ("D8", _("D8 Biological treatment not specified elsewhere")),
    ("D9", _("D9 Physico-chemical treatment not specified elsewhere")),
    ("D10", _("D10 Incineration on land")),
    ("D11", _("D11 Incineration at sea")),
    ("D12", _("D12 Permanent storage")),
    ("D13", _("D13 Blending or mixing before D1 to D12")),
    ("D14", _("D14 Repackaging before D1 to D13")),
    ("D15", _("D15 Storage pending D1 to D14")),
    ("R1", _("R1 Use as a fuel or other means to generate energy")),
    ("R2", _("R2 Solvent reclamation or regeneration")),
    ("R3", _("R3 Recycling or reclamation of organic substances not used as solvents")),
    ("R4", _("R4 Recycling or reclamation of metals and metal compounds")),
    ("R5", _("R5 Recycling or reclamation of other inorganic materials")),
    ("R6", _("R6 Regeneration of acids or bases")),
    ("R7", _("R7 Recovery of components used for pollution abatement")),
    ("R8", _("R8 Recovery of components from catalysts")),
    ("R9", _("R9 Used oil re-refining or other reuses of previously used oil")),
    ("R10", _("R10 Land treatment of benefit to agriculture or ecological improvement")),
    ("R11", _("R11 Uses of residual materials obtained from R1 to R10")),
    ("R12", _("R12 Exchange of wastes for R1 to R11")),
    ("R13", _("R13 Accumulation of material intended for R1 to R12")),
)


def _unknown_waste_code() -> pl.Expr:
    """An A or B code of a list the reference file holds entirely, that it does not hold."""
    from inventories.waste_codes import checked_lists, known_codes

    code = pl.col("waste_code").str.strip_chars().str.to_uppercase()
    return code.str.slice(0, 1).is_in(checked_lists()) & ~code.is_in(known_codes())


def _basel_rules():
    return (
        Check(
            "bad_waste_code",
            _(
                "The waste code is not a code of the Basel Convention's annexes (Y1 to Y48, "
                "A1010 to A4160, B1010 to B4030)."
            ),
            "waste_code",
            lambda: ~pl.col("waste_code").str.strip_chars().str.contains(WASTE_CODE),
        ),
        Check(
            "unknown_waste_code",
            _(
                "%(code)s is not an entry of Annex VIII (list A) or Annex IX (list B) of the "
                "Basel Convention."
            ),
            "waste_code",
            _unknown_waste_code,
            params=lambda row: {"code": str(row.get("waste_code") or "").strip().upper()},
        ),
        Check(
            "bad_transit",
            _("The countries of transit are two-letter ISO codes separated by commas."),
            "transit_countries",
            lambda: ~pl.col("transit_countries").str.strip_chars().str.contains(COUNTRY_LIST),
        ),
        Check(
            "same_country",
            _("The countries of export and import are the same."),
            "import_country",
            lambda: pl.col("export_country") == pl.col("import_country"),
        ),
        Check(
            "receipt_before_shipment",
            _("The wastes were received before they were shipped."),
            "received_on",
            lambda: pl.col("received_on") < pl.col("shipped_on"),
        ),
        Check(
            "future_date",
            _("The shipment date is in the future."),
            "shipped_on",
            lambda: pl.col("shipped_on") > timezone.localdate(),
        ),
    )


BASEL_MOVEMENTS = Schema(
    dataset_type=DatasetType.BASEL_MOVEMENTS,
    model=BaselMovementRecord,
    summary=_(
        "One row per shipment of hazardous or other wastes across a border, as its movement "
        "document records it: the notification it belongs to, the waste code of the Basel "
        "Convention's annexes, the quantity in tonnes, the States of export, transit and "
        "import, and the disposal or recovery operation of Annex IV. The Basel annual report's "
        "tables of exports and imports are prefilled from these rows."
    ),
    columns=(
        Column(
            "notification_number",
            _("Notification number"),
            "text",
            max_length=40,
            aliases=("notification", "notification no", "notification number"),
        ),
        Column(
            "movement_document_number",
            _("Movement document number"),
            "text",
            max_length=40,
            aliases=("movement document", "movement document no", "shipment number"),
        ),
        Column(
            "waste_code",
            _("Waste code"),
            "text",
            max_length=10,
            help=_("Y code of Annex I or II, A code of Annex VIII or B code of Annex IX."),
            aliases=("basel code", "code", "waste"),
            example="Y8",
        ),
        Column(
            "description",
            _("Description"),
            "text",
            required=False,
            aliases=("waste description", "designation"),
        ),
        Column(
            "quantity_t",
            _("Quantity"),
            "decimal",
            unit="t",
            minimum=ZERO,
            aliases=("quantity", "tonnes", "amount", "quantity t"),
        ),
        Column(
            "export_country",
            _("Country of export"),
            "country",
            aliases=("export", "state of export", "exporter country"),
        ),
        Column(
            "transit_countries",
            _("Countries of transit"),
            "text",
            required=False,
            max_length=60,
            help=_("Two-letter ISO codes separated by commas."),
            aliases=("transit", "states of transit"),
        ),
        Column(
            "import_country",
            _("Country of import"),
            "country",
            aliases=("import", "state of import", "importer country"),
        ),
        Column(
            "operation",
            _("Disposal or recovery operation"),
            "choice",
            max_length=3,
            choices=ANNEX_IV_OPERATIONS,
            aliases=("operation", "d r code", "disposal operation", "recovery operation"),
        ),
        Column(
            "shipped_on",
            _("Shipment date"),
            "date",
            aliases=("shipment date", "shipped", "date of shipment"),
        ),
        Column(
            "received_on",
            _("Receipt date"),
            "date",
            required=False,
            aliases=("receipt date", "received", "date of receipt"),
        ),
    ),
    rules=_basel_rules(),
    example_rows=(
        (
            "VR-2025-001",
            "VR-2025-001/01",
            "Y8",
            "Waste mineral oils",
            "24.5",
            "VR",
            "",
            "DE",
            "R9",
            "2025-03-04",
            "2025-03-18",
        ),
        (
            "VR-2025-002",
            "VR-2025-002/01",
            "A1180",
            "Waste electrical assemblies",
            "12",
            "VR",
            "FR",
            "BE",
            "R4",
            "2025-05-10",
            "2025-05-21",
        ),
    ),
)


SCHEMAS: dict[str, Schema] = {
    s.dataset_type: s for s in (CUSTOMS, MONITORING, PESTICIDES, PCB, UPOPS, BASEL_MOVEMENTS)
}


def schema_for(dataset_type: str) -> Schema:
    return SCHEMAS[dataset_type]
