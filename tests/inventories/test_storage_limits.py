"""A number too large for the column that stores it is refused on its row, with its column and
a reason, like any other bad cell: it never fails the whole ingest. Each schema learns the
limits from its model's fields, so no column is left without one."""

from decimal import Decimal

import pytest

from inventories.ingest.cells import fits_storage
from inventories.models import CustomsRecord, RejectedRow
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
