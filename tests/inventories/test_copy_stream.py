"""The rows the ingest copies reach the database as they left the checks: every text as it is
(a text that reads like a null, quotes, delimiters, line breaks), a null as a null, whether the
rows were streamed in the one COPY of the records or kept aside and copied at the end; a copy
that fails is told to the ingest, which never waits on it for ever."""

from decimal import Decimal

import polars as pl
import pytest
from django.db import connection, transaction

from inventories.ingest import write
from inventories.ingest.write import Copier, Writer
from inventories.models import CustomsRecord, DatasetVersion, RejectedRow
from inventories.schemas import CUSTOMS
from inventories.services.ingest import _db_columns
from tests.inventories.helpers import csv_bytes, customs_row, receive

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="COPY is PostgreSQL's; SQLite inserts"
    ),
]

TEXTS = [
    "",
    "\\N",
    "NULL",
    " spaced ",
    'a "quoted" word',
    '"',
    "comma, inside",
    "line\nbreak",
    "carriage\rreturn",
    "\\.",
    "tab\there",
    "é ü 中文 العربية",
]


def _records(version_id: int) -> pl.DataFrame:
    count = len(TEXTS)
    values = {
        "version_id": [version_id] * count,
        "ordinal": list(range(count)),
        "row_number": list(range(2, count + 2)),
        "declaration_id": [f"D-{n}" for n in range(count)],
        "declared_on": ["2025-03-14"] * count,
        "flow": ["import"] * count,
        "hs_code": ["3824.82"] * count,
        "national_code": [""] * count,
        "description": TEXTS,
        "origin_country": ["DE"] * count,
        "consignment_country": [""] * count,
        "trader": list(reversed(TEXTS)),
        "quantity": [None if n % 2 else "1.5" for n in range(count)],
        "quantity_unit": ["l"] * count,
        "net_mass_kg": ["100.500"] * count,
        "value": [None] * count,
        "currency": [""] * count,
        "match": [""] * count,
        "hs_known": [True] * count,
    }
    return pl.DataFrame(values).select(_db_columns(CUSTOMS))


def _read_back(version_id: int) -> list[tuple]:
    return list(
        CustomsRecord.objects.filter(version_id=version_id)
        .order_by("ordinal")
        .values_list("description", "trader", "quantity", "value", "consignment_country")
    )


def _expected() -> list[tuple]:
    return [
        (text, other, None if n % 2 else Decimal("1.500"), None, "")
        for n, (text, other) in enumerate(zip(TEXTS, reversed(TEXTS), strict=True))
    ]


@pytest.mark.parametrize("spool", [False, True], ids=["streamed", "kept aside"])
def test_every_text_arrives_as_it_is_and_a_null_as_a_null(spool):
    version_id = 900_001 if spool else 900_002
    copier = Copier()
    writer = Writer(CustomsRecord, _db_columns(CUSTOMS), copier, spool=spool)
    writer.write(_records(version_id))
    copier.close()
    assert _read_back(version_id) == _expected()


def test_rows_copied_without_a_copier_arrive_the_same():
    Writer(CustomsRecord, _db_columns(CUSTOMS)).write(_records(900_003))
    assert _read_back(900_003) == _expected()


def test_a_copy_that_fails_is_told_and_the_ingest_never_waits_on_it():
    bad = _records(900_004).with_columns(pl.lit("not a number").alias("net_mass_kg"))
    with pytest.raises(Exception, match="numeric") as raised, transaction.atomic():
        copier = Copier()
        writer = Writer(CustomsRecord, _db_columns(CUSTOMS), copier)
        for _batch in range(write.QUEUED + 5):  # more than the queue holds: nothing blocks
            writer.write(bad)
        copier.close()
    assert "invalid input syntax" in str(raised.value)
    assert not CustomsRecord.objects.filter(version_id=900_004).exists()


def test_the_rows_kept_aside_arrive_whatever_their_size(focal_point, institution, monkeypatch):
    from inventories import readers

    rows = [customs_row(n) for n in range(1, 40)]
    for n in range(0, 39, 3):
        rows[n] = customs_row(n + 1, net_mass_kg="-4", description=f'bad "{n}", \\N')
    content = csv_bytes(rows)
    whole = receive(focal_point, institution, content)
    monkeypatch.setattr(readers, "BATCH_ROWS", 4)
    monkeypatch.setattr(write, "SPOOL_BYTES", 64)  # the rejected rows go to disk at once
    spooled = receive(focal_point, institution, content + b"\n")
    assert whole.rows_rejected == spooled.rows_rejected == 13
    assert whole.rows_accepted == spooled.rows_accepted == 26

    def rejected(version: DatasetVersion) -> list[tuple]:
        return list(
            RejectedRow.objects.filter(version=version)
            .order_by("row_number")
            .values_list("row_number", "column", "code", "values")
        )

    assert rejected(whole) == rejected(spooled)
    first = rejected(spooled)[0]
    assert (first[0], first[2]) == (2, "negative")
    assert 'bad "0", \\N' in first[3]  # the cell as it was in the file
