"""Rows written to their table a frame at a time: with COPY on PostgreSQL (CSV that polars
formats, nulls as ``\\N``, every text quoted so that no cell reads as null), with ``executemany``
in batches elsewhere (the embedded SQLite mode). Only this step differs between the two."""

from __future__ import annotations

import io

import polars as pl
from django.db import connection

EXECUTEMANY_ROWS = 2_000


class Writer:
    def __init__(self, model, columns: list[str]):
        self.model = model
        self.columns = columns
        self.use_copy = connection.vendor == "postgresql"
        quote = connection.ops.quote_name
        table = quote(model._meta.db_table)
        names = ", ".join(quote(c) for c in columns)
        if self.use_copy:
            self.sql = f"COPY {table} ({names}) FROM STDIN WITH (FORMAT csv, NULL '\\N')"
        else:
            marks = ", ".join(["%s"] * len(columns))
            self.sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"  # noqa: S608 - ours
        self.written = 0

    def write(self, frame: pl.DataFrame) -> None:
        """``frame`` holds the table's columns, in order."""
        if not frame.height:
            return
        if self.use_copy:
            buffer = io.BytesIO()
            frame.write_csv(buffer, include_header=False, null_value="\\N",
                            quote_style="non_numeric")  # fmt: skip
            buffer.seek(0)
            with connection.cursor() as cursor:
                cursor.cursor.copy_expert(self.sql, buffer, size=1 << 20)
        else:
            dates = [n for n, t in frame.schema.items() if t in (pl.Date, pl.Datetime)]
            if dates:
                frame = frame.with_columns(pl.col(dates).cast(pl.Utf8))
            with connection.cursor() as cursor:
                for chunk in frame.iter_slices(EXECUTEMANY_ROWS):
                    cursor.executemany(self.sql, chunk.rows())
        self.written += frame.height
