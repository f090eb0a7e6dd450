"""Rows that repeat the unique value of an earlier row, settled by the database once the rows
are written: the candidates the engine found (:mod:`inventories.ingest.unique`) wait with their
cells in a temporary table beside the records; one query tells which of them really repeat an
earlier row of the version (a correction's rows come first, then the file's, in the order they were
written), with the row that first held the value, and the ingest moves them to the rejected rows
with the reason a row-by-row reading would give."""

from __future__ import annotations

import json
from collections.abc import Iterator

from django.db import connection

from inventories.ingest.write import rejected_frame

TABLE = "inventories_ingest_candidates"
CANDIDATE_COLUMNS = ["seq", "row_number", "value", "cells"]


def candidates_table_create() -> None:
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {quote(TABLE)}")
        cursor.execute(
            f"CREATE TEMPORARY TABLE {quote(TABLE)} "
            "(seq bigint, row_number bigint, value text, cells text)"
        )


def candidates_table_drop() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {connection.ops.quote_name(TABLE)}")


def repeats(model, column: str, version_id: int) -> Iterator[tuple[int, int, str, int, list]]:
    """(place, row, value, first row with the value, cells) of each written row that repeats
    the value of an earlier row of the version, in the order the rows were written.

    The candidates of a value are its rows in the order written, save perhaps the first: matched
    to the records of the value by place, counted from the last."""
    quote = connection.ops.quote_name
    table, value, candidates = quote(model._meta.db_table), quote(column), quote(TABLE)
    row = quote("row_number")
    sql = f"""
        WITH rec AS (
            SELECT ordinal, {row} AS row_number, {value} AS value,
                   ROW_NUMBER() OVER (PARTITION BY {value} ORDER BY ordinal) AS pos,
                   COUNT(*) OVER (PARTITION BY {value}) AS n,
                   FIRST_VALUE({row}) OVER (PARTITION BY {value} ORDER BY ordinal) AS first_row
            FROM {table}
            WHERE version_id = %s AND {value} IN (SELECT value FROM {candidates})
        ), cand AS (
            SELECT value, cells,
                   ROW_NUMBER() OVER (PARTITION BY value ORDER BY seq) AS pos,
                   COUNT(*) OVER (PARTITION BY value) AS n
            FROM {candidates}
        )
        SELECT rec.ordinal, rec.row_number, rec.value, rec.first_row, cand.cells
        FROM rec JOIN cand ON cand.value = rec.value AND rec.pos = cand.pos + rec.n - cand.n
        WHERE rec.pos > 1
        ORDER BY rec.ordinal
    """  # noqa: S608 - the names are ours
    with connection.cursor() as cursor:
        cursor.execute(sql, [version_id])
        while chunk := cursor.fetchmany(5_000):
            for place, number, text, first, cells in chunk:
                yield place, number, text, first, json.loads(cells)


def records_delete(model, version_id: int, places: list[int]) -> None:
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        for start in range(0, len(places), 500):
            part = places[start : start + 500]
            marks = ", ".join(["%s"] * len(part))
            cursor.execute(
                f"DELETE FROM {table} WHERE version_id = %s AND ordinal IN ({marks})",  # noqa: S608
                [version_id, *part],
            )


def reject_repeats(version_id: int, schema, validator, writer, rejected) -> int:
    """Move the written rows that repeat the unique value of an earlier row to the rejected ones;
    returns how many. ``writer`` and ``rejected`` are the ingest's writers, the copy done."""
    rejected.copier = None  # the copy thread is done: write on this one
    found = 0
    rows, places = [], []
    for place, number, value, first, cells in repeats(schema.model, schema.unique, version_id):
        rows.append(validator.duplicate(number, value, first, cells))
        places.append(place)
        if len(rows) >= 5_000:
            rejected.write(rejected_frame(version_id, rows, validator.header_of))
            found += len(rows)
            rows = []
    if rows:
        rejected.write(rejected_frame(version_id, rows, validator.header_of))
        found += len(rows)
    records_delete(schema.model, version_id, places)
    writer.written -= found
    return found
