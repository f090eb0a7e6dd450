"""Rows written to their table a frame at a time: with COPY on PostgreSQL (CSV that polars
formats, nulls as ``\\N``, every text quoted so that no cell reads as null), with ``executemany``
in batches elsewhere (the embedded SQLite mode). Only this step differs between the two.

On PostgreSQL the frames go through a :class:`Copier`: a thread that formats and copies one
frame while the ingest validates the next, on the ingest's own connection and so inside its one
transaction (the ingest's thread leaves the connection to it until :meth:`Copier.close`)."""

from __future__ import annotations

import io
import json
import queue
import threading

import polars as pl
from django.db import connection

from inventories.ingest.validate import cells_json
from inventories.messages import render

EXECUTEMANY_ROWS = 2_000


class Copier:
    def __init__(self):
        connection.ensure_connection()
        self.raw = connection.connection
        self.queue: queue.Queue = queue.Queue(maxsize=1)
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="ingest-copy", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while (item := self.queue.get()) is not None:
            if self.error is not None:
                continue  # drain: the ingest fails as soon as it looks
            sql, frame = item
            try:
                buffer = io.BytesIO()
                frame.write_csv(
                    buffer, include_header=False, null_value="\\N", quote_style="non_numeric"
                )
                buffer.seek(0)
                with self.raw.cursor() as cursor:
                    cursor.copy_expert(sql, buffer, size=1 << 20)
            except BaseException as error:  # noqa: BLE001 - handed to the ingest's thread
                self.error = error

    def put(self, sql: str, frame: pl.DataFrame) -> None:
        if self.error is not None:
            self.close()
        self.queue.put((sql, frame))

    def close(self) -> None:
        """Wait for the frames queued; raise the first error of the copy."""
        if self.thread.is_alive():
            self.queue.put(None)
            self.thread.join()
        if self.error is not None:
            error, self.error = self.error, None
            raise error


class Writer:
    def __init__(self, model, columns: list[str], copier: Copier | None = None):
        """``model`` is a model, or the name of a table."""
        self.model = model
        self.columns = columns
        self.copier = copier
        self.use_copy = connection.vendor == "postgresql"
        quote = connection.ops.quote_name
        table = quote(model if isinstance(model, str) else model._meta.db_table)
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
        self.written += frame.height
        if self.use_copy and self.copier is not None:
            self.copier.put(self.sql, frame)
        elif self.use_copy:
            buffer = io.BytesIO()
            frame.write_csv(
                buffer, include_header=False, null_value="\\N", quote_style="non_numeric"
            )
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


REJECTED_COLUMNS = ["version_id", "row_number", "column", "reason", "code", "values", "message"]


def rejected_frame(version_id: int, rows: list, header_of: dict) -> pl.DataFrame:
    """Rejected rows (:class:`inventories.ingest.validate.Rejected`) as a frame of their table,
    the reason rendered in the active language beside its stored form."""
    return pl.DataFrame(
        {
            "version_id": [version_id] * len(rows),
            "row_number": [r.row_number for r in rows],
            "column": [header_of.get(r.column, r.column) for r in rows],
            "reason": [render(r.message) for r in rows],
            "code": [r.code for r in rows],
            "values": [cells_json(r.cells) for r in rows],
            "message": [json.dumps(r.message, ensure_ascii=False) for r in rows],
        },
        schema={
            "version_id": pl.Int64,
            "row_number": pl.Int64,
            "column": pl.Utf8,
            "reason": pl.Utf8,
            "code": pl.Utf8,
            "values": pl.Utf8,
            "message": pl.Utf8,
        },
    )
