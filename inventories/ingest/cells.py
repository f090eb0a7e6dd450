"""What each kind of cell accepts, as columnar expressions on a batch of cells.

Every column of a schema turns its cleaned text (``t:<name>``) into a value (``<name>``) and an
error key (``e:<name>``, null when the cell is valid); :data:`CELL_ERRORS` gives each key its
reason code and message. Numbers, dates, countries, HS codes and lengths are polars expressions;
choices, yes/no cells, CAS numbers and censored results are settled once per distinct spelling in
a batch (a file repeats a few spellings) and joined back to the rows."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

import polars as pl
from django.utils.translation import gettext_lazy as _

from inventories.ingest.parse import parse_number

MAX_TEXT = 1000  # no text cell of a dataset is longer than this
NEUTRALISED = ("=", "+", "-", "@")
# The characters str.strip() removes, so that a cell is trimmed as Python trims it.
WHITESPACE = "".join(chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace())

YES = {
    "yes",
    "y",
    "true",
    "1",
    "x",
    "oui",
    "o",
    "si",
    "sí",
    "да",
    "д",
    "t",
    "<",
    "nd",
    "n.d.",
    "<lod",
    "<loq",
    "< lod",
    "< loq",
    "bdl",
    "below",
    "below limit",
}
NO = {"no", "n", "false", "0", "non", "нет", "н", "f", ""}

COUNTRY = r"^[A-Za-z]{2}$"
HS = r"^\d{4}(?:[.\s]?\d{2}){0,3}$"
ISO_DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
CAS = re.compile(r"^\d{2,7}-\d{2}-\d$")


@dataclass(frozen=True)
class CellError:
    code: str
    template: object
    params: Callable[[str, object], dict] = lambda text, column: {}


def _value(text, column):
    return {"value": text[:40]}


CELL_ERRORS = {
    "required": CellError("required", _("A value is required.")),
    "too_long": CellError(
        "too_long",
        _("The text is %(length)s characters long; at most %(limit)s are allowed."),
        lambda text, column: {"length": len(text), "limit": min(column.max_length, MAX_TEXT)},
    ),
    "not_a_number": CellError("not_a_number", _("“%(value)s” is not a number."), _value),
    "not_an_integer": CellError("not_an_integer", _("“%(value)s” is not a whole number."), _value),
    "negative": CellError("negative", _("%(value)s is negative; it must be zero or more."), _value),
    "too_small": CellError(
        "too_small",
        _("%(value)s is below the smallest allowed value, %(minimum)s."),
        lambda text, column: {"value": text[:40], "minimum": column.minimum},
    ),
    "too_large": CellError(
        "too_large",
        _("%(value)s is above the largest allowed value, %(maximum)s."),
        lambda text, column: {"value": text[:40], "maximum": column.maximum},
    ),
    "too_large_to_store": CellError(
        "too_large",
        _("%(value)s is too large: this column holds numbers below %(limit)s."),
        lambda text, column: {"value": text[:40], "limit": f"{column.stored[0]:,}"},
    ),
    "limit_too_large_to_store": CellError(
        "too_large",
        _("%(value)s is too large: this column holds numbers below %(limit)s."),
        lambda text, column: {"value": text[:40], "limit": f"{column.limit_stored[0]:,}"},
    ),
    "bad_date_dmy": CellError(
        "bad_date",
        _("“%(value)s” is not a date; write it as %(expected)s."),
        lambda text, column: {"value": text[:40], "expected": _("DD/MM/YYYY or YYYY-MM-DD")},
    ),
    "bad_date_mdy": CellError(
        "bad_date",
        _("“%(value)s” is not a date; write it as %(expected)s."),
        lambda text, column: {"value": text[:40], "expected": _("MM/DD/YYYY or YYYY-MM-DD")},
    ),
    "implausible_date": CellError("bad_date", _("%(value)s is not a plausible date."), _value),
    "not_allowed": CellError(
        "not_allowed",
        _("“%(value)s” is not one of the allowed values (%(allowed)s); map it to one of them."),
        lambda text, column: {
            "value": text[:40],
            "allowed": ", ".join(code for code, _label in column.choices),
        },
    ),
    "not_yes_no": CellError("not_yes_no", _("“%(value)s” is not yes or no."), _value),
    "bad_country": CellError(
        "bad_country", _("“%(value)s” is not a two-letter ISO country code."), _value
    ),
    "bad_hs": CellError("bad_hs", _("“%(value)s” is not an HS code (4 to 10 digits)."), _value),
    "bad_cas": CellError("bad_cas", _("“%(value)s” is not a valid CAS number."), _value),
}


def normalise_value(text: str) -> str:
    import unicodedata

    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", text.lower())


def trimmed(source: pl.Expr) -> pl.Expr:
    """The cell trimmed as Python trims it (a missing cell is empty)."""
    return source.fill_null("").str.strip_chars(WHITESPACE)


def unprotected(text: pl.Expr) -> pl.Expr:
    """The trimmed cell without the quote our own exports put before a leading ``=``, ``+``,
    ``-`` or ``@`` to keep spreadsheets from reading it as a formula."""
    protected = text.str.starts_with("'") & text.str.slice(1, 1).is_in(list(NEUTRALISED))
    return pl.when(protected).then(text.str.slice(1)).otherwise(text)


def shape(column, *, decimal: str) -> str | None:
    """The pattern every valid cell of ``column`` matches in its commonest spelling (a plain
    number, an ISO date, an HS code, a country code), when it has one. A cell of that shape has
    nothing to trim, so that only the other cells are trimmed (:func:`shaped_text`), and the
    pattern is tried once a cell."""
    if column.kind in ("decimal", "integer", "year", "result"):
        return _number_patterns(decimal)[0]
    return {"date": ISO_DATE, "hs": HS, "country": COUNTRY}.get(column.kind)


def shaped_text(cells: pl.Series, pattern: str) -> tuple[pl.Series, pl.Series, bool]:
    """The cells trimmed as :func:`trimmed` trims them, whether each trimmed text matches
    ``pattern`` (which matches no text with a space or a quote at either end), and whether a
    text starts with a quote."""
    text = cells.fill_null("")
    shaped = text.str.contains(pattern)
    rough = ~shaped & (text != "")
    if not rough.any():
        return text, shaped, False
    at = rough.arg_true()
    rest = text.gather(at).str.strip_chars(WHITESPACE)
    text = text.scatter(at, rest)
    shaped = shaped.scatter(at, rest.str.contains(pattern))
    return text, shaped, bool(rest.str.starts_with("'").any())


def _first(*cases: tuple[pl.Expr, str | None]) -> pl.Expr:
    """The key of the first case that holds, else null (a case whose key is None stops the
    search there: the cell is valid)."""
    expr = None
    for condition, key in cases:
        expr = (pl.when(condition) if expr is None else expr.when(condition)).then(
            pl.lit(key, pl.Utf8)
        )
    return expr.otherwise(pl.lit(None, pl.Utf8))


def by_distinct(source: pl.Expr, function: Callable, dtype, cache: dict) -> pl.Expr:
    """``function`` applied once to each distinct value of the column (remembered across
    batches in ``cache``, up to 10,000 spellings), the results joined back to the rows."""

    def apply(series: pl.Series) -> pl.Series:
        if series.null_count() == len(series):  # nothing to settle (no number near its limit)
            return pl.repeat(None, len(series), dtype=dtype, eager=True)
        distinct = series.unique().drop_nulls()
        results = []
        for value in distinct.to_list():
            if value in cache:
                results.append(cache[value])
                continue
            result = function(value)
            if len(cache) < 10_000:
                cache[value] = result
            results.append(result)
        mapped = pl.Series(results, dtype=dtype)
        return series.replace_strict(distinct, mapped, default=None, return_dtype=dtype)

    return source.map_batches(apply, return_dtype=dtype)


# ---------------------------------------------------------------------------------------------
# Numbers


def _number_patterns(decimal: str) -> tuple[str, list[tuple[str, str]]]:
    mark = re.escape(decimal)
    plain = r"^[+-]?(?:\d+" + mark + r"?\d*|" + mark + r"\d+)(?:[eE][+-]?\d+)?$"
    other = "," if decimal == "." else "."
    grouped = []
    for separator in (" ", "\u00a0", "\u202f", "'", other):
        sep = re.escape(separator)
        grouped.append(
            (
                r"^[+-]?\d{1,3}(?:" + sep + r"\d{3})+(?:" + mark + r"\d*)?(?:[eE][+-]?\d+)?$",
                separator,
            )
        )
    return plain, grouped


def _fast_then_slow(fast: Callable, slow: Callable, dtype) -> Callable[[pl.Series], pl.Series]:
    """A column function that reads most cells with ``fast`` and only the cells it leaves null
    (and that are not empty) with ``slow``, once per distinct text: what ``slow`` made of a
    text is remembered across batches (up to 10,000 texts), since a file repeats its odd
    spellings (a date written the other way, the same bad cell in every batch)."""
    known: dict = {}

    def apply(series: pl.Series) -> pl.Series:
        result = fast(series)
        if series.dtype == pl.Struct:  # the text and whether it has the column's shape
            series = series.struct.field("t")
        need = result.is_null() & (series != "")
        if need.any():
            at = need.arg_true()
            cells = series.gather(at)
            distinct = cells.unique().to_list()
            new = [text for text in distinct if text not in known]
            fresh: dict = {}
            if new:
                frame = pl.DataFrame({"t": pl.Series(new, dtype=pl.Utf8)})
                values = frame.select(slow(pl.col("t"))).to_series().cast(dtype)
                fresh = dict(zip(new, values.to_list(), strict=True))
                for text in new[: max(0, 10_000 - len(known))]:
                    known[text] = fresh[text]
            read = [known[text] if text in known else fresh[text] for text in distinct]
            values = pl.Series(read, dtype=dtype)
            rest = cells.replace_strict(distinct, values, return_dtype=dtype)
            result = result.scatter(at, rest)
        return result

    return apply


def _with_shape(text: pl.Expr, shaped: pl.Expr | None) -> pl.Expr:
    """The text, with whether it has its column's shape when that is known."""
    if shaped is None:
        return text
    return pl.struct(text.alias("t"), shaped.alias("k"))


def _shaped(series: pl.Series, pattern: str) -> pl.DataFrame:
    """``t`` the text and ``k`` whether it matches ``pattern``, from a text column or from the
    struct of :func:`_with_shape`."""
    if series.dtype == pl.Struct:
        return series.struct.unnest()
    return pl.DataFrame({"t": series}).with_columns(k=pl.col("t").str.contains(pattern))


def number_text(text: pl.Expr, decimal: str, shaped: pl.Expr | None = None) -> pl.Expr:
    """The number a person typed, as plain digits with a point (null when it is no number):
    thousands separators only between groups of three digits, ``decimal`` as the mark.
    ``shaped`` tells, when known, which texts are plain numbers."""
    plain, grouped = _number_patterns(decimal)

    def fast(series: pl.Series) -> pl.Series:
        found = _shaped(series, plain).select(pl.when(pl.col("k")).then(pl.col("t")))
        return found.to_series()

    def slow(cells: pl.Expr) -> pl.Expr:
        expr = pl.when(cells.str.contains(plain)).then(cells)
        for pattern, separator in grouped:
            expr = expr.when(cells.str.contains(pattern)).then(
                cells.str.replace_all(separator, "", literal=True)
            )
        return expr.otherwise(pl.lit(None, pl.Utf8))

    digits = _with_shape(text, shaped).map_batches(
        _fast_then_slow(fast, slow, pl.Utf8), return_dtype=pl.Utf8
    )
    if decimal == ",":
        digits = digits.str.replace(",", ".", literal=True)
    return digits


def fits_storage(digits: str, limit: Decimal, places: int) -> bool:
    """Whether a number (plain digits with a point, perhaps an exponent) still lies between
    -limit and limit once rounded to ``places`` decimals, as the database rounds it."""
    try:
        value = Decimal(digits).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    except InvalidOperation:  # more digits than any column holds
        return False
    return abs(value) < limit


def number_checks(
    column, text: pl.Expr, digits: pl.Expr, *, integer: bool, cache: dict | None = None
) -> pl.Expr:
    number = digits.cast(pl.Float64, strict=False)
    cases = [(text == "", "required")] if column.required else []
    cases += [(text == "", None), (number.is_null() | number.is_infinite(), "not_a_number")]
    if integer:
        cases.append((number != number.floor(), "not_an_integer"))
    if column.minimum is not None:
        cases.append(
            (number < float(column.minimum), "negative" if column.minimum == 0 else "too_small")
        )
    if column.maximum is not None:
        cases.append((number > float(column.maximum), "too_large"))
    if column.stored is not None:
        # Only the cells near the limit are read exactly (floats blur the last digits there).
        limit, places = column.stored
        near = number.abs() >= float(limit) * 0.999
        fits = by_distinct(
            pl.when(near).then(digits),
            lambda cell: fits_storage(cell, limit, places),
            pl.Boolean,
            {} if cache is None else cache.setdefault(("stored", limit, places), {}),
        )
        cases.append((near & ~fits.fill_null(True), "too_large_to_store"))
    return _first(*cases)


# ---------------------------------------------------------------------------------------------
# Dates

_TIME_ISO = r"(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?)?"
_TIME = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?)?"


def _date_parts(text: pl.Expr, *, day_first: bool) -> pl.Expr:
    parts = []  # (pattern, year group, month group, day group)
    parts.append((r"^(\d{4})-(\d{1,2})-(\d{1,2})" + _TIME_ISO + "$", 1, 2, 3))
    for sep in ("/", r"\."):
        parts.append((r"^(\d{4})" + sep + r"(\d{1,2})" + sep + r"(\d{1,2})$", 1, 2, 3))
    for sep in ("/", r"\.", "-"):
        pattern = r"^(\d{1,2})" + sep + r"(\d{1,2})" + sep + r"(\d{4})" + _TIME + "$"
        parts.append((pattern, 3, 2, 1) if day_first else (pattern, 3, 1, 2))
    year = pl.coalesce([text.str.extract(p, y) for p, y, _m, _d in parts])
    month = pl.coalesce([text.str.extract(p, m) for p, _y, m, _d in parts])
    day = pl.coalesce([text.str.extract(p, d) for p, _y, _m, d in parts])
    iso = pl.concat_str([year, pl.lit("-"), month.str.zfill(2), pl.lit("-"), day.str.zfill(2)])
    parsed = iso.str.to_date("%Y-%m-%d", strict=False)
    return pl.when(year.cast(pl.Int32, strict=False) > 0).then(parsed).otherwise(None)


def _iso_dates(series: pl.Series) -> pl.Series:
    return (
        _shaped(series, ISO_DATE)
        .select(
            pl.when(pl.col("k") & ~pl.col("t").str.starts_with("0000")).then(
                pl.col("t").str.to_date("%Y-%m-%d", strict=False)
            )
        )
        .to_series()
    )


def date_value(text: pl.Expr, *, day_first: bool, shaped: pl.Expr | None = None) -> pl.Expr:
    """An ISO date (or datetime, keeping the date), Y/M/D, or D/M/Y (``day_first``) or M/D/Y,
    with ``/``, ``.`` or ``-``; null when the cell is no date. Plain ISO dates take a shortcut
    (``shaped`` tells, when known, which texts are plain ISO dates)."""
    apply = _fast_then_slow(_iso_dates, lambda t: _date_parts(t, day_first=day_first), pl.Date)
    return _with_shape(text, shaped).map_batches(apply, return_dtype=pl.Date)


def date_checks(column, text: pl.Expr, value: pl.Expr, *, day_first: bool) -> pl.Expr:
    import datetime

    cases = []
    if column.required:
        cases.append((text == "", "required"))
    bad = "bad_date_dmy" if day_first else "bad_date_mdy"
    cases += [
        (text == "", None),
        (value.is_null(), bad),
        (
            ~value.is_between(datetime.date(1950, 1, 1), datetime.date(2100, 12, 31)),
            "implausible_date",
        ),
    ]
    return _first(*cases)


# ---------------------------------------------------------------------------------------------
# Choices, yes/no, CAS numbers, censored results: once per distinct spelling


def choice_lookup(column, value_map: dict[str, str]) -> Callable[[str], str | None]:
    lookup = {}
    for code, label in column.choices:
        lookup[normalise_value(code)] = code
        lookup[normalise_value(str(label))] = code
    for source, target in value_map.items():
        if target:  # an empty target means: reject the rows with this value
            lookup[normalise_value(source)] = target
    return lambda text: lookup.get(normalise_value(text))


def boolean_lookup(value_map: dict[str, str]) -> Callable[[str], bool | None]:
    mapped = {normalise_value(k): v for k, v in value_map.items()}

    def convert(text: str):
        if normalise_value(text) in mapped:
            return mapped[normalise_value(text)] in ("yes", "true", "1")
        key = text.strip().lower()
        if key in YES:
            return True
        if key in NO:
            return False
        return None

    return convert


def cas_valid(text: str) -> bool:
    if not CAS.match(text):
        return False
    digits = text.replace("-", "")
    check = int(digits[-1])
    total = sum(int(d) * (i + 1) for i, d in enumerate(reversed(digits[:-1])))
    return total % 10 == check


def _squash(text: str) -> str:
    return re.sub(r"[\s.]+", "", text.casefold())


# How laboratories write "not detected" and "below the limit", in the portal's languages.
NOT_DETECTED = {
    _squash(word)
    for word in (
        "nd",
        "n.d.",
        "n.d",
        "not detected",
        "non detected",
        "none detected",
        "bdl",
        "-",
        "—",
        "–",
        "non détecté",
        "non detecte",
        "non décelé",
        "no detectado",
        "no detectable",
        "не обнаружено",
        "не обн",
        "н.о.",
        "н/о",
        "غير مكتشف",
        "未检出",
        "nn",
    )
}
LOD_WORDS = {_squash(w) for w in ("lod", "ld", "dl", "mdl", "ldm", "lde", "по", "لكشف")}
LOQ_WORDS = {_squash(w) for w in ("loq", "lq", "ql", "lc", "lcm", "mql", "пко", "по к")}
_BELOW = re.compile(r"^(?:<|&lt;|≤|<=|‹)\s*(.*)$", re.S)
CENSORED = pl.Struct({"qualifier": pl.Utf8, "limit": pl.Utf8, "ref": pl.Utf8})


def parse_censored(text: str, *, decimal: str) -> dict | None:
    """The censored value a cell holds (``< 0.05``, ``<LOQ``, ``ND``, ``n.d.``, ``не обнаружено``)
    as qualifier (``<`` or ``nd``), limit given in the cell and the row's column holding the
    limit instead (``lod`` or ``loq``); None when it holds something else."""
    squashed = _squash(text)
    if squashed in NOT_DETECTED:
        return {"qualifier": "nd", "limit": None, "ref": ""}
    match = _BELOW.match(text.strip())
    if match is None:
        return None
    rest = match.group(1).strip()
    word = _squash(rest)
    if not word:
        return {"qualifier": "<", "limit": None, "ref": ""}
    if word in LOD_WORDS:
        return {"qualifier": "<", "limit": None, "ref": "lod"}
    if word in LOQ_WORDS:
        return {"qualifier": "<", "limit": None, "ref": "loq"}
    for mark in (decimal, "," if decimal == "." else "."):
        try:
            limit = parse_number(rest, decimal=mark)
        except (ValueError, ArithmeticError):
            continue
        if limit.is_finite() and limit >= 0:
            return {"qualifier": "<", "limit": str(limit), "ref": ""}
    return None


# ---------------------------------------------------------------------------------------------
# One column


def _limit_error(column, limit: pl.Expr, cache: dict) -> pl.Expr:
    """The error key of a censored result: none, unless the limit its cell gives (``< 1e20``)
    is too large for the field that keeps it."""
    if column.limit_stored is None:
        return pl.lit(None, pl.Utf8)
    bound, places = column.limit_stored
    fits = by_distinct(
        limit,
        lambda digits: fits_storage(digits, bound, places),
        pl.Boolean,
        cache.setdefault(("stored", bound, places), {}),
    )
    return pl.when(~fits.fill_null(True)).then(pl.lit("limit_too_large_to_store", pl.Utf8))


def _matches(text: pl.Expr, known: pl.Expr | None, pattern: str) -> pl.Expr:
    return text.str.contains(pattern) if known is None else known


def column_exprs(
    column, *, day_first: bool, decimal: str, value_map: dict, cache: dict, shaped: bool = False
):
    """Stages of ``{output name: expression}`` for one schema column, on ``t:<name>`` (and,
    with ``shaped``, on ``k:<name>``: whether the text has the column's :func:`shape`): first
    what is parsed (``p:<name>``), last its value, its error key ``e:<name>``, and for numbers
    ``f:<name>`` (the value as a float, for rules that compare) and for results ``c:<name>``
    (the censored reading)."""
    name, kind = column.name, column.kind
    text = pl.col(f"t:{name}")
    pattern = shape(column, decimal=decimal)
    known = pl.col(f"k:{name}") if shaped and pattern else None
    parsed = pl.col(f"p:{name}")
    empty = text == ""
    required = (empty, "required") if column.required else None

    def finish(*cases):
        cases = [c for c in (required, *cases) if c is not None]
        return _first(*cases)

    if kind == "text":
        limit = min(column.max_length, MAX_TEXT)
        return [{name: text, f"e:{name}": finish((text.str.len_chars() > limit, "too_long"))}]
    if kind in ("decimal", "integer", "year", "result"):
        parse = {f"p:{name}": number_text(text, decimal, known)}
        integer = kind in ("integer", "year")
        number = parsed.cast(pl.Float64, strict=False)
        error = number_checks(column, text, parsed, integer=integer, cache=cache)
        # A whole number beyond 64 bits is refused as too large (above), not failing the batch.
        whole = number.cast(pl.Int64, strict=False)
        out = {name: whole if integer else parsed, f"f:{name}": number}
        if kind == "result":  # a cell that is no number may be a censored result
            censored = by_distinct(
                pl.when(parsed.is_null() & ~empty).then(text),
                lambda t: parse_censored(t, decimal=decimal),
                CENSORED,
                cache.setdefault(("censored", decimal), {}),
            )
            found = pl.col(f"c:{name}")
            out[f"e:{name}"] = (
                pl.when(error.is_not_null() & found.is_not_null())
                .then(_limit_error(column, found.struct.field("limit"), cache))
                .otherwise(error)
            )
            return [parse, {f"c:{name}": censored}, out]
        out[f"e:{name}"] = error
        return [parse, out]
    if kind == "date":
        parse = {f"p:{name}": date_value(text, day_first=day_first, shaped=known)}
        error = date_checks(column, text, parsed, day_first=day_first)
        return [parse, {name: parsed, f"e:{name}": error}]
    if kind == "choice":
        key = ("choice", name, tuple(sorted(value_map.items())))
        code = by_distinct(
            text, choice_lookup(column, value_map), pl.Utf8, cache.setdefault(key, {})
        )
        return [
            {f"p:{name}": code},
            {
                name: pl.when(empty).then(pl.lit("")).otherwise(parsed),
                f"e:{name}": finish((~empty & parsed.is_null(), "not_allowed")),
            },
        ]
    if kind == "boolean":
        key = ("boolean", name, tuple(sorted(value_map.items())))
        flag = by_distinct(text, boolean_lookup(value_map), pl.Boolean, cache.setdefault(key, {}))
        return [
            {f"p:{name}": flag},
            {
                name: pl.when(empty).then(pl.lit(False)).otherwise(parsed),
                f"e:{name}": finish((~empty & parsed.is_null(), "not_yes_no")),
            },
        ]
    if kind == "country":
        return [
            {
                name: text.str.to_uppercase(),
                f"e:{name}": finish((~empty & ~_matches(text, known, COUNTRY), "bad_country")),
            }
        ]
    if kind == "hs":
        bad = ~empty & ~_matches(text, known, HS)
        return [{name: text, f"e:{name}": finish((bad, "bad_hs"))}]
    if kind == "cas":
        valid = by_distinct(text, cas_valid, pl.Boolean, cache.setdefault("cas", {}))
        return [
            {f"p:{name}": valid},
            {name: text, f"e:{name}": finish((~empty & ~parsed.fill_null(False), "bad_cas"))},
        ]
    raise ValueError(kind)  # pragma: no cover - a schema mistake
