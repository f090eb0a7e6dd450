"""The set-wise engine under the pipeline: batches give the same answers as one pass over the file,
the records tables check their version once, and the migration that made them so keeps the rows."""

import pytest
from django.db import connection

from inventories import readers
from inventories.ingest.unique import KeyFilter
from inventories.models import CustomsRecord, DatasetVersion, RejectedRow
from tests.inventories.helpers import csv_bytes, customs_row, receive

pytestmark = pytest.mark.django_db
Status = DatasetVersion.Status


def _messy_rows():
    rows = [customs_row(n) for n in range(1, 30)]
    rows[3] = customs_row(4, declared_on="31/02/2025")
    rows[5] = customs_row(1)  # the same declaration as row 2, in another batch
    rows[8] = customs_row(9, net_mass_kg="-4")
    rows[11] = customs_row(4)  # the same as a rejected row: that one never counted
    rows[12] = customs_row(13, flow="import", origin_country="")
    rows[14] = customs_row(15, quantity="1 234,5")
    rows[17] = customs_row(16)  # repeated within one batch of three
    rows[20] = customs_row(21, hs_code="12")
    rows[25] = customs_row(26, quantity="5", quantity_unit="")
    return rows


def _outcome(version):
    rejected = [
        (r.row_number, r.column, r.code, r.reason, r.values)
        for r in RejectedRow.objects.filter(version=version).order_by("row_number")
    ]
    accepted = list(
        CustomsRecord.objects.filter(version=version)
        .order_by("row_number")
        .values_list("row_number", "declaration_id", "quantity", "match", "hs_known")
    )
    return rejected, accepted


def test_small_batches_give_the_answers_of_one_pass(focal_point, institution, monkeypatch):
    content = csv_bytes(_messy_rows())
    whole = receive(focal_point, institution, content)
    monkeypatch.setattr(readers, "BATCH_ROWS", 3)
    batched = receive(focal_point, institution, content + b"\n")  # not the same file twice
    assert whole.rows_rejected == batched.rows_rejected == 8
    assert _outcome(whole) == _outcome(batched)
    rejected = {r[0]: r for r in _outcome(batched)[0]}
    assert rejected[7][2] == "duplicate" and "row 2" in rejected[7][3]
    assert rejected[19][2] == "duplicate" and "row 17" in rejected[19][3]
    assert 13 not in rejected  # row 5 was rejected, so its declaration id was free
    assert rejected[16][2] == "not_a_number"  # a thousands space needs a decimal point file
    assert whole.top_reasons == batched.top_reasons


def test_repeats_are_the_same_when_every_row_is_a_candidate(focal_point, institution, monkeypatch):
    from inventories.ingest import unique

    content = csv_bytes(_messy_rows())
    whole = receive(focal_point, institution, content)
    monkeypatch.setattr(unique, "BITS", 8)  # every value sets the bits of every other one
    crowded = receive(focal_point, institution, content + b"\n")
    assert _outcome(whole) == _outcome(crowded)
    assert whole.rows_rejected == crowded.rows_rejected == 8
    assert (whole.rows_accepted, whole.rows_flagged) == (
        crowded.rows_accepted,
        crowded.rows_flagged,
    )
    assert whole.top_reasons == crowded.top_reasons


def test_the_key_filter_never_forgets_a_value_and_rarely_names_a_new_one():
    import polars as pl

    seen = KeyFilter(bits=1 << 16)
    for start in range(0, 1000, 70):
        keys = pl.Series([f"k{n}" for n in range(start, min(start + 70, 1000))]).hash()
        assert not seen.maybe_seen(keys).any() or start > 0
        seen.add(keys)
    assert seen.maybe_seen(pl.Series([f"k{n}" for n in range(1000)]).hash()).all()
    others = seen.maybe_seen(pl.Series([f"x{n}" for n in range(10_000)]).hash())
    assert others.sum() < 100  # eight bits of 65,536 a value: a few values never added


def test_the_key_filter_is_sized_by_the_rows_expected_up_to_its_largest():
    from inventories.ingest import unique

    assert KeyFilter(values=10).bits == unique.SMALLEST  # a small file, a small filter
    assert KeyFilter(values=10_000).bits == 1 << 23  # eight words of 64 bits a value, at least
    assert KeyFilter(values=1_000_000).bits == unique.BITS
    assert KeyFilter(values=50_000_000).bits == unique.BITS  # 64 MB whatever the file
    assert KeyFilter(values=None).bits == unique.BITS  # nothing known: the largest


def _version_constraints():
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, CustomsRecord._meta.db_table)
    return [c for c in constraints.values() if c["foreign_key"]]


def test_records_check_their_version_once_and_leave_with_it(focal_point, institution):
    version = receive(focal_point, institution, csv_bytes([customs_row(1), customs_row(2)]))
    assert version.rows_accepted == 2
    assert _version_constraints() == []  # no trigger for each of a million rows
    version.dataset.current_version = None
    version.dataset.save()
    DatasetVersion.objects.filter(pk=version.pk).delete()
    assert not CustomsRecord.objects.filter(version_id=version.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_the_rows(focal_point, institution):
    from django.db.migrations.executor import MigrationExecutor

    version = receive(focal_point, institution, csv_bytes([customs_row(1), customs_row(2)]))
    executor = MigrationExecutor(connection)
    executor.migrate([("inventories", "0005_messages_in_the_readers_language")])
    assert len(_version_constraints()) == 1
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    try:
        executor.migrate([("inventories", "0006_records_version_checked_once_per_ingest")])
        assert _version_constraints() == []
        assert CustomsRecord.objects.filter(version=version).count() == 2
    finally:
        # Leave the schema as every other test expects it: at the latest migration.
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())


FILES = __import__("pathlib").Path(__file__).parent / "files"


MESSY = (
    'a,b,c\r\n1,"x, y",z\r\n\r\n2,"two\r\nlines",z\r\n,,\r\n3,short\r\n4,"say ""hi""",z,extra\r\n'
)


QUOTES = 'a,b,c\n3,"x""y",z\n4, "q",r\n6,"",\n7,x\ty," lead"\n1,a""b,c\n8,"a\tb;c",\n'


@pytest.mark.parametrize(
    "path",
    [
        *sorted(p for p in FILES.glob("*.csv") if "no_line_break" not in p.name),
        "messy",
        "quotes",
        "quotes mid-cell",
    ],
    ids=str,
)
def test_polars_reads_each_csv_file_as_the_csv_module_does(path, tmp_path, monkeypatch):
    import polars as pl

    from inventories.ingest import read

    if path == "messy":  # a record over two lines sends the rest of the file to the csv module
        path = tmp_path / "messy.csv"
        path.write_bytes(MESSY.encode() * 3)
        monkeypatch.setattr(read, "CHUNK_BYTES", 40)
    elif str(path).startswith("quotes"):  # what both parsers read alike, and what only one reads
        path, text = tmp_path / "quotes.csv", QUOTES + ('1,"a" ,c\n' if "mid" in path else "")
        path.write_text(text * 3, encoding="utf-8")

    info = readers.sniff(path, name=path.name)
    table = readers.open_table(path, info)
    width = len(table.header)
    columns = [pl.col(f"c{p}").fill_null("") for p in range(width)]

    def rows(frames):
        frames = list(frames)
        if not frames:
            return []
        frame = pl.concat(frames).select("_row", pl.col("_len").clip(upper_bound=width), *columns)
        return frame.rows()

    slow = rows(read.frame_of(n, r, width) for n, r in table.batches())
    assert rows(read.frames(table, width)) == slow


def test_the_embedded_mode_writes_the_same_rows_with_executemany(
    focal_point, institution, monkeypatch
):
    content = csv_bytes(_messy_rows())
    copied = receive(focal_point, institution, content)
    monkeypatch.setattr(connection, "vendor", "sqlite")  # only the final write differs
    inserted = receive(focal_point, institution, content + b"\n")
    assert inserted.rows_accepted == copied.rows_accepted == 21
    assert _outcome(inserted) == _outcome(copied)
