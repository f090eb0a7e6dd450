"""A number too large for the column that stores it is refused on its row, with its column and
a reason, like any other bad cell: it never fails the whole ingest. Each schema learns the
limits from its model's fields, so no column is left without one."""

from decimal import Decimal

import pytest

from inventories.ingest.cells import fits_storage
from inventories.models import CustomsRecord, MonitoringRecord, RejectedRow
from inventories.schemas import NUMBERS, SCHEMAS
from tests.inventories.helpers import csv_bytes, customs_row, receive

pytestmark = pytest.mark.django_db


def test_every_number_column_knows_what_its_table_holds():
    for schema in SCHEMAS.values():
        for column in schema.columns:
            if column.kind in NUMBERS:
                assert column.stored is not None, (schema.dataset_type, column.name)
    customs = SCHEMAS["customs"]
    assert customs.column("net_mass_kg").stored == (Decimal(10) ** 15, 3)  # numeric(18, 3)
    assert customs.column("value").stored == (Decimal(10) ** 16, 2)  # numeric(18, 2)


@pytest.mark.parametrize(
    "digits, fits",
    [
        ("999999999999999.9994", True),  # rounds to …999.999
        ("999999999999999.9995", False),  # rounds up to 10^15, one digit too many
        ("-999999999999999.9996", False),
        ("1e15", False),
        ("1E14", True),
        ("1e400", False),
        ("0.0004", True),
    ],
)
def test_a_number_fits_once_rounded_as_the_database_rounds_it(digits, fits):
    assert fits_storage(digits, Decimal(10) ** 15, 3) is fits


def test_a_number_too_large_for_its_column_is_refused_on_its_row(focal_point, institution):
    rows = [
        customs_row(1, net_mass_kg="999999999999999.9994"),
        customs_row(2, net_mass_kg="1e20"),
        customs_row(3, value="12345678901234567"),
        customs_row(4, net_mass_kg="1 000 000 000 000 000"),
        customs_row(5),
        customs_row(6),
        customs_row(7),
    ]
    version = receive(focal_point, institution, csv_bytes(rows))
    assert version.status in (version.Status.VALIDATED, version.Status.PROBLEMS)
    rejected = {r.row_number: r for r in RejectedRow.objects.filter(version=version)}
    assert set(rejected) == {3, 4, 5}
    assert rejected[3].column == "net_mass_kg" and rejected[3].code == "too_large"
    assert "too large" in rejected[3].reason and "1,000,000,000,000,000" in rejected[3].reason
    assert rejected[4].column == "value" and "10,000,000,000,000,000" in rejected[4].reason
    assert rejected[5].column == "net_mass_kg"
    kept = CustomsRecord.objects.get(version=version, row_number=2)
    assert kept.net_mass_kg == Decimal("999999999999999.999")
    assert version.rows_accepted == 4 and version.rows_rejected == 3


def test_a_censored_result_whose_limit_is_too_large_is_refused_on_its_row(focal_point, institution):
    header = b"sample_id,site,matrix,sampling_start,analyte,value,unit,lod,loq,laboratory\n"
    lines = [
        "W-1,Lake Verde,surface_water,2025-03-02,PFOS,< 0.05,ng/L,0.02,0.05,NEL",
        "W-2,Lake Verde,surface_water,2025-03-03,PFOS,< 1e15,ng/L,0.02,0.05,NEL",
        "W-3,Lake Verde,surface_water,2025-03-04,PFOS,< 999999999999.999999,ng/L,,,NEL",
        "W-4,Lake Verde,surface_water,2025-03-05,PFOS,<1000000000000,ng/L,,,NEL",
        "W-5,Lake Verde,surface_water,2025-03-06,PFOS,0.42,ng/L,0.02,0.05,NEL",
    ]
    content = header + "\n".join(lines).encode() + b"\n"
    version = receive(
        focal_point, institution, content, name="monitoring.csv", dataset_type="monitoring"
    )
    assert version.status in (version.Status.VALIDATED, version.Status.PROBLEMS), version.error
    assert SCHEMAS["monitoring"].column("value").limit_stored == (Decimal(10) ** 12, 6)
    rejected = {r.row_number: r for r in RejectedRow.objects.filter(version=version)}
    assert set(rejected) == {3, 5}
    for number, cell in ((3, "< 1e15"), (5, "<1000000000000")):
        assert rejected[number].column == "value" and rejected[number].code == "too_large"
        assert rejected[number].reason == (
            f"{cell} is too large: this column holds numbers below 1,000,000,000,000."
        )
    limits = dict(
        MonitoringRecord.objects.filter(version=version).values_list("sample_id", "limit")
    )
    assert limits == {
        "W-1": Decimal("0.05"),
        "W-3": Decimal("999999999999.999999"),
        "W-5": None,
    }
    assert version.rows_accepted == 3 and version.rows_rejected == 2


def test_a_whole_number_beyond_any_integer_is_refused_on_its_row(focal_point, institution):
    header = b"owner,site,equipment_type,serial_number,year_made,concentration_class,status\n"
    lines = [
        b"Veridia Power Ltd,North,transformer,TR-1,1978,above_500,in_use",
        b"Veridia Power Ltd,North,transformer,TR-2,1e19,above_500,in_use",
        b"Veridia Power Ltd,North,transformer,TR-3," + b"9" * 25 + b",above_500,in_use",
    ]
    content = header + b"\n".join(lines) + b"\n"
    version = receive(focal_point, institution, content, name="pcb.csv", dataset_type="pcb")
    assert version.status in (version.Status.VALIDATED, version.Status.PROBLEMS), version.error
    rejected = {r.row_number: r for r in RejectedRow.objects.filter(version=version)}
    assert set(rejected) == {3, 4}
    assert {(r.column, r.code) for r in rejected.values()} == {("year_made", "too_large")}
    assert "32,768" in rejected[3].reason
    assert version.rows_accepted == 1
