"""Rows written to their table a frame at a time: with COPY on PostgreSQL (CSV that polars
formats), with ``executemany`` in batches elsewhere (the embedded SQLite mode). Only this step
differs between the two.

On PostgreSQL the frames go through a :class:`Copier`, on the ingest's own connection and so
inside its one transaction (the ingest's thread leaves the connection to the copier until
:meth:`Copier.close`). The copier's thread formats and sends the batches of one table (the
records) as one COPY that lasts the whole ingest, while the next batch is read and checked. The
database never waits for a statement to start between two batches: the rows it has not read yet
keep it busy while the copier's thread formats the next batch or waits for its turn to run.
The other tables' rows (rejected rows, repeated-value candidates: few, as a rule) are kept in a
temporary file, in memory until it grows, and copied when the stream ends."""

from __future__ import annotations

import io
import json
import queue
import tempfile
import threading

import polars as pl
from django.db import connection

from inventories.ingest.validate import cells_json
from inventories.messages import render

EXECUTEMANY_ROWS = 2_000
QUEUED = 2  # batches waiting for the stream: a few MB, enough to ride out a slow one
SPOOL_BYTES = 8 * 1024 * 1024  # a spooled table's rows stay in memory up to this size


def copy_text(frame: pl.DataFrame) -> bytes:
    """``frame`` as COPY reads it (``FORMAT csv`` with its defaults): a null as an empty field,
    an empty text as ``""``, a text quoted only where it must be, so that nothing but a null
    reads as one."""
    buffer = io.BytesIO()
    frame.write_csv(buffer, include_header=False, quote_style="necessary")
    return buffer.getvalue()


class _Stream:
    """The file COPY reads: the frames queued for it, formatted one a read, until the end."""

    def __init__(self, batches: queue.Queue):
        self.batches = batches
        self.ended = False

    def read(self, size: int = -1) -> bytes:
        frame = self.batches.get()
        if frame is None:
            self.ended = True
            return b""
        return copy_text(frame)


class Copier:
    def __init__(self):
        connection.ensure_connection()
        self.raw = connection.connection
        self.queue: queue.Queue = queue.Queue(maxsize=QUEUED)
        self.error: BaseException | None = None
        self.thread: threading.Thread | None = None
        self.streamed: str | None = None
        self.spools: dict[str, tempfile.SpooledTemporaryFile] = {}

    def _run(self, sql: str) -> None:
        stream = _Stream(self.queue)
        try:
            with self.raw.cursor() as cursor:
                cursor.copy_expert(sql, stream)
        except BaseException as error:  # noqa: BLE001 - handed to the ingest's thread
            self.error = error
            # Take what is still put until the end comes, so that the ingest's thread never
            # waits on a full queue: it fails as soon as it looks.
            while not stream.ended:
                stream.read()

    def put(self, sql: str, frame: pl.DataFrame, *, spool: bool = False) -> None:
        """Queue the rows of ``frame`` for ``sql``. One statement is streamed: the first one put
        without ``spool``; the others are kept until :meth:`close`."""
        if self.error is not None:
            self.close()
        if spool or self.streamed not in (None, sql):
            if sql not in self.spools:
                # closed by close(), whatever happens
                self.spools[sql] = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115
            self.spools[sql].write(copy_text(frame))
            return
        if self.thread is None:
            self.streamed = sql
            self.thread = threading.Thread(
                target=self._run, args=(sql,), name="ingest-copy", daemon=True
            )
            self.thread.start()
        self.queue.put(frame)

    def close(self, *, copy_spooled: bool = True) -> None:
        """End the stream and copy the rows kept aside (unless ``copy_spooled`` is false: the
        ingest failed); raise the first error of the copy."""
        if self.thread is not None and self.thread.is_alive():
            self.queue.put(None)
            self.thread.join()
        spools, self.spools = self.spools, {}
        try:
            if self.error is not None:
                error, self.error = self.error, None
                raise error
            if copy_spooled:
                with self.raw.cursor() as cursor:
                    for sql, spool in spools.items():
                        spool.seek(0)
                        cursor.copy_expert(sql, spool, size=1 << 20)
        finally:
            for spool in spools.values():
                spool.close()


class Writer:
    def __init__(
        self, model, columns: list[str], copier: Copier | None = None, *, spool: bool = False
    ):
        """``model`` is a model, or the name of a table; with ``spool``, the copier keeps the
        rows aside until it closes (see :class:`Copier`)."""
        self.model = model
        self.columns = columns
        self.copier = copier
        self.spool = spool
        self.use_copy = connection.vendor == "postgresql"
        quote = connection.ops.quote_name
        table = quote(model if isinstance(model, str) else model._meta.db_table)
        names = ", ".join(quote(c) for c in columns)
        if self.use_copy:
            self.sql = f"COPY {table} ({names}) FROM STDIN WITH (FORMAT csv)"
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
            self.copier.put(self.sql, frame, spool=self.spool)
        elif self.use_copy:
            with connection.cursor() as cursor:
                cursor.cursor.copy_expert(self.sql, io.BytesIO(copy_text(frame)), size=1 << 20)
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
