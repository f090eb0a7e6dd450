"""CSV against binary COPY of the ingest's checked rows: the cost of each form to the engine
(formatting) and to the database (the copy), alternately, into the real records table.

A customs file of ``--rows`` lines (the one ``bench/ingest.py`` generates) is read, checked and
derived as the ingest does, and its accepted rows kept as frames; then each round formats them
as the ingest does (CSV from polars) or in PostgreSQL's binary format (Arrow columns encoded by
pgpq, numbers rounded as ``numeric(p, s)`` rounds their text), copies them into the customs
records table in one transaction and rolls it back (the table vacuumed before each copy). The
database's CPU seconds are read from its backend process in /proc, so PostgreSQL must run on
this machine. pgpq and pyarrow are not dependencies of the portal (see the README's Benchmarks):

    pip install --target /tmp/pgpq 'pgpq==0.12.*' 'pyarrow==26.*'
    PYTHONPATH=/tmp/pgpq DATABASE_URL=postgres://…/ncm_bench python bench/copy_formats.py

The database must be migrated (``bench/ingest.py`` does it). Prints one JSON line a copy.
"""

import argparse
import decimal
import io
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import polars as pl  # noqa: E402

# Fraction digits that polars' cast of a text to a decimal reads exactly (a longer fraction, or
# a number with an exponent, is read by Python's decimal module instead, rare as they are).
WIDE = 20
INTEGERS = {"smallint": pl.Int16, "integer": pl.Int32, "bigint": pl.Int64}
PLAIN = {"date": pl.Date, "boolean": pl.Boolean, "text": pl.Utf8}


def _exact(cell: str, precision: int, scale: int) -> decimal.Decimal:
    places = decimal.Decimal(1).scaleb(-scale)
    try:
        return decimal.Decimal(cell).quantize(places, rounding=decimal.ROUND_HALF_UP)
    except decimal.InvalidOperation:  # too large for any column: refused as too large
        return decimal.Decimal(10) ** (precision - scale)


def decimals(text: pl.Series, precision: int, scale: int) -> pl.Series:
    """Digits (``-12.5``, ``3e2``) as ``numeric(precision, scale)`` reads them: rounded half away
    from zero (polars' cast alone rounds half to even). A value too large for the column keeps
    its size, and PostgreSQL refuses it with the same error as its text."""
    cell = pl.col("t")
    found = pl.DataFrame({"t": text}).select(
        value=cell.cast(pl.Decimal(38, WIDE), strict=False)
        .round(scale, mode="half_away_from_zero")
        .cast(pl.Decimal(38, scale)),
        odd=(cell.str.len_bytes() > WIDE + 1) | cell.str.contains("[eE]"),
    )
    values, odd = found["value"], found["odd"]
    if odd.any() or values.null_count() != text.null_count():
        at = (odd | (values.is_null() & text.is_not_null())).arg_true()
        exact = [_exact(c, precision, scale) for c in text.gather(at)]
        values = values.scatter(at, pl.Series(exact, dtype=pl.Decimal(38, scale)))
    return values


def _typed(frame: pl.DataFrame, kinds: dict[str, tuple]) -> pl.DataFrame | None:
    columns = []
    for name, kind in kinds.items():
        series = frame[name]
        dtype = series.dtype
        if kind[0] == "decimal" and dtype in (pl.Utf8, pl.Null):
            series = decimals(series.cast(pl.Utf8), kind[1], kind[2])
        elif kind[0] == "integer" and (dtype.is_integer() or dtype == pl.Null):
            cast = series.cast(kind[1], strict=False)
            if cast.null_count() != series.null_count():
                return None  # out of the column's range: PostgreSQL says so from the text
            series = cast
        elif kind[0] in PLAIN and dtype in (PLAIN[kind[0]], pl.Null):
            series = series.cast(PLAIN[kind[0]])
        else:
            return None
        columns.append(series.alias(name))
    return pl.DataFrame(columns)


def payload(frame: pl.DataFrame, kinds: dict[str, tuple]) -> bytes | None:
    """The frame's rows (its columns in the order of ``kinds``) as one COPY ... (FORMAT binary)
    input, or ``None`` when a column is not of the type its table expects."""
    typed = _typed(frame, kinds)
    if typed is None:
        return None
    import pgpq

    table = typed.to_arrow(compat_level=pl.CompatLevel.newest())
    encoder = pgpq.ArrowToPostgresBinaryEncoder(table.schema)
    parts = [encoder.write_header()]
    parts += [encoder.write_batch(batch) for batch in table.to_batches()]
    parts.append(encoder.finish())
    return b"".join(parts)


def column_kinds(model, columns: list[str], connection) -> dict[str, tuple]:
    """How each column is encoded, from the model's fields."""
    fields = {f.column: f for f in model._meta.concrete_fields}
    kinds: dict[str, tuple] = {}
    for name in columns:
        field = fields[name]
        db_type = field.db_type(connection) or ""
        if db_type.startswith("numeric"):
            kinds[name] = ("decimal", field.max_digits, field.decimal_places)
        elif db_type in INTEGERS:
            kinds[name] = ("integer", INTEGERS[db_type])
        elif db_type in ("date", "boolean"):
            kinds[name] = (db_type,)
        else:
            kinds[name] = ("text",)
    return kinds


def _backend_cpu(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=4)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ncm_portal.settings")
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-secret-key-0123456789-abcdefghijklmnop")
    import django

    django.setup()
    from django.db import connection, transaction
    from ingest import write_csv

    from inventories.ingest.derive import deriver
    from inventories.ingest.mapping import auto_map
    from inventories.ingest.read import frames
    from inventories.ingest.validate import Validator
    from inventories.models import CustomsRecord
    from inventories.readers import open_table, sniff
    from inventories.schemas import CUSTOMS

    path = Path(tempfile.mkdtemp(prefix="ncm-bench-copy-")) / "customs.csv"
    write_csv(path, args.rows, prefix="F")
    info = sniff(str(path), name=path.name)
    names = [c.name for c in CUSTOMS.columns]
    table = open_table(
        str(path), info, sheet=None, expected_headers=names, max_cell_chars=4_000_000
    )
    width = len(table.header)
    validator = Validator(
        CUSTOMS,
        mapping=auto_map(CUSTOMS, table.header),
        width=width,
        day_first=True,
        decimal=".",
        value_map={},
        header_of={name: name for name in names},
    )
    derive = deriver(CUSTOMS)
    version_id = 2_000_000_000  # no version: the records tables check none, and it is rolled back
    outputs = [
        pl.lit(version_id, pl.Int64).alias("version_id"),
        pl.int_range(pl.len(), dtype=pl.Int64).alias("ordinal"),
        pl.col("_row").alias("row_number"),
        *names,
        *CUSTOMS.derived,
    ]
    batches, placed = [], 0
    for frame in frames(table, width):
        accepted, _rejected = validator.batch(frame)
        accepted, _flagged = derive(accepted)
        batches.append(accepted.select(outputs).with_columns(pl.col("ordinal") + placed))
        placed += batches[-1].height
    path.unlink()

    quote = connection.ops.quote_name
    records = quote(CustomsRecord._meta.db_table)
    columns = batches[0].columns
    listed = ", ".join(quote(c) for c in columns)
    kinds = column_kinds(CustomsRecord, columns, connection)

    def csv(frame):
        buffer = io.BytesIO()
        frame.write_csv(buffer, include_header=False, null_value="\\N", quote_style="non_numeric")
        return buffer.getvalue()

    forms = {
        "csv": (csv, f"COPY {records} ({listed}) FROM STDIN WITH (FORMAT csv, NULL '\\N')"),
        "binary": (
            lambda frame: payload(frame, kinds),
            f"COPY {records} ({listed}) FROM STDIN WITH (FORMAT binary)",
        ),
    }
    for round_ in range(args.rounds):
        for form in ("csv", "binary") if round_ % 2 == 0 else ("binary", "csv"):
            encode, sql = forms[form]
            with connection.cursor() as cursor:
                cursor.execute(f"VACUUM {records}")
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                pid = cursor.fetchone()[0]
                started, clock = time.process_time(), time.perf_counter()
                payloads = [encode(frame) for frame in batches]
                formatted, formatted_wall = (
                    time.process_time() - started,
                    time.perf_counter() - clock,
                )
                server, clock = _backend_cpu(pid), time.perf_counter()
                for data in payloads:
                    cursor.cursor.copy_expert(sql, io.BytesIO(data), size=1 << 20)
                copied, server = time.perf_counter() - clock, _backend_cpu(pid) - server
                transaction.set_rollback(True)
            figures = {
                "form": form,
                "rows": placed,
                "mb": round(sum(len(p) for p in payloads) / 2**20, 1),
                "format_cpu_seconds": round(formatted, 2),
                "copy_seconds": round(copied, 2),
                "database_cpu_seconds": round(server, 2),
                "format_and_copy_seconds": round(formatted_wall + copied, 2),
                "load_average": round(os.getloadavg()[0], 2),
            }
            print(json.dumps(figures), flush=True)


if __name__ == "__main__":
    main()
