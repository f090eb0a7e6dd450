"""The schema of each dataset type: its columns, their types, units and allowed values, and the rules
that tie columns together. One schema drives the documentation page, the downloadable templates,
the column mapping and the validation of every row."""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .messages import render, stored
from .models import (
    CustomsRecord,
    DatasetType,
    MonitoringRecord,
    PCBEquipmentRecord,
    PesticideRecord,
    UPOPsActivityRecord,
)
from .readers import parse_date, parse_number

MAX_TEXT = 1000  # no text cell of a dataset is longer than this


class Invalid(Exception):
    """One cell or one row that breaks the schema; the message says what to fix. It is kept as
    its translatable template and parameters, and shown in the reader's language."""

    def __init__(self, code: str, message, column: str = "", params: dict | None = None):
        super().__init__(code)
        self.code = code
        self.template = message
        self.params = params or {}
        self.column = column

    @property
    def stored(self) -> dict:
        return stored(self.template, self.params)

    @property
    def message(self) -> str:
        """In the active language."""
        return render(self.stored)


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

    @property
    def coded(self) -> bool:
        return self.kind in ("choice", "boolean")


@dataclass(frozen=True)
class Schema:
    dataset_type: str
    model: type
    columns: tuple[Column, ...]
    rules: tuple[Callable[[dict], None], ...] = ()
    summary: Promise | str = ""
    example_rows: tuple[tuple[str, ...], ...] = ()
    unique: str = ""  # a column whose values may appear only once in a file
    derived: tuple[str, ...] = field(default=())

    @property
    def label(self):
        return DatasetType(self.dataset_type).label

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    @property
    def required(self) -> list[Column]:
        return [c for c in self.columns if c.required]


def normalise_header(text: str) -> str:
    """Compare headers without case, accents, spaces, underscores or punctuation."""
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", text.lower())


def normalise_value(text: str) -> str:
    return normalise_header(text)


YES = {
    "yes", "y", "true", "1", "x", "oui", "o", "si", "sí", "да", "д", "t", "<", "nd", "n.d.",
    "<lod", "<loq", "< lod", "< loq", "bdl", "below", "below limit",
}  # fmt: skip
NO = {"no", "n", "false", "0", "non", "нет", "н", "f", ""}


# ---------------------------------------------------------------------------------------------
# Converters: text in, value out, Invalid raised with a message that names what is wrong.


def _text(column: Column):
    limit = min(column.max_length, MAX_TEXT)

    def convert(text: str):
        if len(text) > limit:
            raise Invalid(
                "too_long",
                _("The text is %(length)s characters long; at most %(limit)s are allowed."),
                params={"length": len(text), "limit": limit},
            )
        return text

    return convert


def _number(column: Column, *, decimal: str, integer: bool = False):
    minimum, maximum = column.minimum, column.maximum

    def convert(text: str):
        try:
            value = parse_number(text, decimal=decimal)
        except (ValueError, ArithmeticError):
            raise Invalid(
                "not_a_number",
                _("“%(value)s” is not a number."),
                params={"value": text[:40]},
            ) from None
        if not value.is_finite():
            raise Invalid(
                "not_a_number", _("“%(value)s” is not a number."), params={"value": text[:40]}
            )
        if integer:
            if value != value.to_integral_value():
                raise Invalid(
                    "not_an_integer",
                    _("“%(value)s” is not a whole number."),
                    params={"value": text[:40]},
                )
            value = int(value)
        if minimum is not None and value < minimum:
            if minimum == 0:
                raise Invalid(
                    "negative",
                    _("%(value)s is negative; it must be zero or more."),
                    params={"value": text[:40]},
                )
            raise Invalid(
                "too_small",
                _("%(value)s is below the smallest allowed value, %(minimum)s."),
                params={"value": text[:40], "minimum": minimum},
            )
        if maximum is not None and value > maximum:
            raise Invalid(
                "too_large",
                _("%(value)s is above the largest allowed value, %(maximum)s."),
                params={"value": text[:40], "maximum": maximum},
            )
        return value

    return convert


def _date(column: Column, *, day_first: bool):
    def convert(text: str):
        try:
            value = parse_date(text, day_first=day_first)
        except ValueError:
            expected = _("DD/MM/YYYY or YYYY-MM-DD") if day_first else _("MM/DD/YYYY or YYYY-MM-DD")
            raise Invalid(
                "bad_date",
                _("“%(value)s” is not a date; write it as %(expected)s."),
                params={"value": text[:40], "expected": expected},
            ) from None
        if not datetime.date(1950, 1, 1) <= value <= datetime.date(2100, 12, 31):
            raise Invalid(
                "bad_date", _("%(value)s is not a plausible date."), params={"value": text[:40]}
            )
        return value

    return convert


def _choice(column: Column, value_map: dict[str, str]):
    lookup = {}
    for code, label in column.choices:
        lookup[normalise_value(code)] = code
        lookup[normalise_value(str(label))] = code
    for source, target in value_map.items():
        if target:  # an empty target means: reject the rows with this value
            lookup[normalise_value(source)] = target
    allowed = ", ".join(code for code, _label in column.choices)
    spellings: dict[str, str] = {}  # cells already looked up: a file repeats a few spellings

    def convert(text: str):
        code = spellings.get(text)
        if code is not None:
            return code
        code = lookup.get(normalise_value(text))
        if code is None:
            raise Invalid(
                "not_allowed",
                _(
                    "“%(value)s” is not one of the allowed values (%(allowed)s); map it to one of them."
                ),
                params={"value": text[:40], "allowed": allowed},
            )
        if len(spellings) < 10_000:
            spellings[text] = code
        return code

    return convert


def _boolean(column: Column, value_map: dict[str, str]):
    mapped = {normalise_value(k): v for k, v in value_map.items()}

    def convert(text: str):
        key = text.strip().lower()
        if normalise_value(text) in mapped:
            return mapped[normalise_value(text)] in ("yes", "true", "1")
        if key in YES:
            return True
        if key in NO:
            return False
        raise Invalid("not_yes_no", _("“%(value)s” is not yes or no."), params={"value": text[:40]})

    return convert


NEUTRALISED = ("=", "+", "-", "@")
COUNTRY = re.compile(r"^[A-Za-z]{2}$")
HS = re.compile(r"^\d{4}(?:[.\s]?\d{2}){0,3}$")
CAS = re.compile(r"^\d{2,7}-\d{2}-\d$")


def _pattern(regex, code, message):
    def convert(text: str):
        if not regex.match(text):
            raise Invalid(code, message, params={"value": text[:40]})
        return text.upper() if regex is COUNTRY else text

    return convert


def _cas_valid(cas: str) -> bool:
    digits = cas.replace("-", "")
    check = int(digits[-1])
    total = sum(int(d) * (i + 1) for i, d in enumerate(reversed(digits[:-1])))
    return total % 10 == check


def _cas(column: Column):
    def convert(text: str):
        if not CAS.match(text) or not _cas_valid(text):
            raise Invalid(
                "bad_cas", _("“%(value)s” is not a valid CAS number."), params={"value": text[:40]}
            )
        return text

    return convert


class Censored(tuple):
    """A laboratory result below the limit: ``(qualifier, limit, ref)``. The qualifier is ``<``
    (below the limit) or ``nd`` (not detected); the limit is the number given in the cell, if
    any; ``ref`` names the row's column that holds the limit (``lod`` or ``loq``) instead."""

    __slots__ = ()

    def __new__(cls, qualifier: str, limit: Decimal | None = None, ref: str = ""):
        return super().__new__(cls, (qualifier, limit, ref))

    qualifier = property(lambda self: self[0])
    limit = property(lambda self: self[1])
    ref = property(lambda self: self[2])


def _squash(text: str) -> str:
    return re.sub(r"[\s.]+", "", text.casefold())


# How laboratories write "not detected" and "below the limit", in the portal's languages.
NOT_DETECTED = {
    _squash(word)
    for word in (
        "nd", "n.d.", "n.d", "not detected", "non detected", "none detected", "bdl", "-", "—",
        "–", "non détecté", "non detecte", "non décelé", "no detectado", "no detectable",
        "не обнаружено", "не обн", "н.о.", "н/о", "غير مكتشف", "未检出", "nn",
    )
}  # fmt: skip
LOD_WORDS = {_squash(w) for w in ("lod", "ld", "dl", "mdl", "ldm", "lde", "по", "لكشف")}
LOQ_WORDS = {_squash(w) for w in ("loq", "lq", "ql", "lc", "lcm", "mql", "пко", "по к")}
_BELOW = re.compile(r"^(?:<|&lt;|≤|<=|‹)\s*(.*)$", re.S)


def parse_censored(text: str, *, decimal: str) -> Censored | None:
    """The censored value a cell holds (``< 0.05``, ``<LOQ``, ``ND``, ``n.d.``, ``не обнаружено``),
    or None when it holds something else."""
    squashed = _squash(text)
    if squashed in NOT_DETECTED:
        return Censored("nd")
    match = _BELOW.match(text.strip())
    if match is None:
        return None
    rest = match.group(1).strip()
    word = _squash(rest)
    if not word:
        return Censored("<")
    if word in LOD_WORDS:
        return Censored("<", ref="lod")
    if word in LOQ_WORDS:
        return Censored("<", ref="loq")
    for mark in (decimal, "," if decimal == "." else "."):
        try:
            limit = parse_number(rest, decimal=mark)
        except (ValueError, ArithmeticError):
            continue
        if limit.is_finite() and limit >= 0:
            return Censored("<", limit)
    return None


def _result(column: Column, *, decimal: str):
    number = _number(column, decimal=decimal)

    def convert(text: str):
        try:
            return number(text)
        except Invalid:
            censored = parse_censored(text, decimal=decimal)
            if censored is None:
                raise
            return censored

    return convert


def converter(column: Column, *, day_first: bool, decimal: str, value_map: dict[str, str]):
    """The function that turns one cell of this column into its value."""
    kind = column.kind
    if kind == "text":
        inner = _text(column)
    elif kind == "decimal":
        inner = _number(column, decimal=decimal)
    elif kind == "result":
        inner = _result(column, decimal=decimal)
    elif kind in ("integer", "year"):
        inner = _number(column, decimal=decimal, integer=True)
    elif kind == "date":
        inner = _date(column, day_first=day_first)
    elif kind == "choice":
        inner = _choice(column, value_map)
    elif kind == "boolean":
        inner = _boolean(column, value_map)
    elif kind == "country":
        inner = _pattern(
            COUNTRY, "bad_country", _("“%(value)s” is not a two-letter ISO country code.")
        )
    elif kind == "hs":
        inner = _pattern(HS, "bad_hs", _("“%(value)s” is not an HS code (4 to 10 digits)."))
    elif kind == "cas":
        inner = _cas(column)
    else:  # pragma: no cover - a schema mistake
        raise ValueError(kind)
    required = column.required
    empty = False if kind == "boolean" else None
    if kind in ("text", "country", "hs", "cas", "choice"):
        empty = ""

    if kind == "text":  # most cells are text: the same steps, with the length check inline
        limit = min(column.max_length, MAX_TEXT)

        def convert(text: str):
            text = text.strip()
            if text[:1] == "'" and text[1:2] in NEUTRALISED:
                text = text[1:]  # a cell our own exports protected from spreadsheet formulas
            if not text:
                if required:
                    raise Invalid("required", _("A value is required."))
                return ""
            if len(text) > limit:
                return inner(text)  # raises too_long
            return text

        return convert

    def convert(text: str):
        text = text.strip()
        if text[:1] == "'" and text[1:2] in NEUTRALISED:
            text = text[1:]  # a cell our own exports protected from spreadsheet formulas
        if not text:
            if required:
                raise Invalid("required", _("A value is required."))
            return empty
        return inner(text)

    return convert


# ---------------------------------------------------------------------------------------------
# Cross-column rules. Each receives the row's values by column name and raises Invalid.


def _customs_partner(row):
    flow, origin, consignment = row["flow"], row["origin_country"], row["consignment_country"]
    if flow == "import" and not origin:
        raise Invalid(
            "partner_missing", _("An import needs its country of origin."), "origin_country"
        )
    if flow == "export" and not consignment:
        raise Invalid(
            "partner_missing",
            _("An export needs its country of consignment (destination)."),
            "consignment_country",
        )


def _customs_quantity_unit(row):
    if row["quantity"] is not None and not row["quantity_unit"]:
        raise Invalid("unit_missing", _("A quantity needs its unit."), "quantity_unit")
    if row["value"] is not None and not row["currency"]:
        raise Invalid("currency_missing", _("A value needs its currency."), "currency")


def _monitoring_dates(row):
    end = row["sampling_end"]
    if end and end < row["sampling_start"]:
        raise Invalid("end_before_start", _("Sampling ends before it starts."), "sampling_end")


def _monitoring_limits(row):
    """A censored result keeps its qualifier and its limit, and no value: ``< 0.05`` is below
    0.05, ``<LOQ`` below the row's LOQ, ``ND`` not detected (below the LOD when one is given); the
    below-limit flag with a number means below that number."""
    value, lod, loq = row["value"], row["lod"], row["loq"]
    if lod is not None and loq is not None and lod > loq:
        raise Invalid("lod_above_loq", _("The LOD is above the LOQ."), "lod")
    qualifier, limit = "", None
    if isinstance(value, Censored):
        qualifier, limit = value.qualifier, value.limit
        if value.ref:
            limit = row[value.ref]
            if limit is None:
                raise Invalid(
                    "limit_missing",
                    _("The result refers to the %(limit)s, but the row's %(limit)s is empty."),
                    value.ref,
                    params={"limit": "LOQ" if value.ref == "loq" else "LOD"},
                )
        elif qualifier == "nd":
            limit = lod
        elif limit is None:
            limit = loq if loq is not None else lod
    elif row["below_limit"]:
        qualifier = "<"
        limit = value if value is not None else (loq if loq is not None else lod)
    elif value is None:
        raise Invalid(
            "required", _("A value is required unless the result is below the limit."), "value"
        )
    if qualifier == "<" and limit is None:
        raise Invalid(
            "limit_missing",
            _("A result below the limit needs the limit: in the cell (“< 0.05”), or its LOD "
              "or LOQ."),
            "lod",
        )  # fmt: skip
    if qualifier:
        row["value"] = None
    row["below_limit"] = bool(qualifier)
    row["qualifier"] = qualifier
    row["limit"] = limit


def _monitoring_coordinates(row):
    if (row["latitude"] is None) != (row["longitude"] is None):
        raise Invalid(
            "coordinates", _("Give both latitude and longitude, or neither."), "longitude"
        )


def _pcb_dates(row):
    status = row["status"]
    if status == "disposed" and not row["disposed_on"]:
        raise Invalid(
            "date_missing",
            _("Disposed equipment needs the date it was disposed of."),
            "disposed_on",
        )
    if status == "decommissioned" and not row["decommissioned_on"]:
        raise Invalid(
            "date_missing",
            _("Decommissioned equipment needs the date it was taken out of service."),
            "decommissioned_on",
        )
    if status == "in_use" and (row["decommissioned_on"] or row["disposed_on"]):
        raise Invalid(
            "status_dates",
            _("Equipment in use cannot have a decommissioning or disposal date."),
            "status",
        )
    made = row["year_made"]
    if made and made > timezone.localdate().year:
        raise Invalid("future_year", _("The year of manufacture is in the future."), "year_made")


def _upops_category():
    """A rule built once per file: the Toolkit's categories are read from the database once."""
    from .services.ingest import toolkit_categories

    known = toolkit_categories()

    def rule(row):
        if row["source_category"].lower() not in known:
            raise Invalid(
                "unknown_category",
                _("“%(value)s” is not a Toolkit source category (for example 1a, 6b)."),
                "source_category",
                params={"value": row["source_category"]},
            )

    return rule


_upops_category.per_file = True


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
    rules=(_customs_partner, _customs_quantity_unit),
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
    rules=(_monitoring_dates, _monitoring_limits, _monitoring_coordinates),
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
    rules=(_pcb_dates,),
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
    rules=(_upops_category,),
    example_rows=(("1c", "1", "350", "t", "2025"), ("6b", "1", "12000", "t", "2025")),
)

SCHEMAS: dict[str, Schema] = {
    s.dataset_type: s for s in (CUSTOMS, MONITORING, PESTICIDES, PCB, UPOPS)
}


def schema_for(dataset_type: str) -> Schema:
    return SCHEMAS[dataset_type]
