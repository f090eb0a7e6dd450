"""Transboundary movements of hazardous and other wastes go through the same pipeline as the
other dataset types: waste codes of the Basel Convention's annexes, ISO countries, the
operations of Annex IV."""

import csv
import datetime
import io
from decimal import Decimal

import pytest

from inventories.models import BaselMovementRecord, DatasetVersion, RejectedRow
from inventories.schemas import BASEL_MOVEMENTS
from inventories.services import ingest
from tests.inventories.helpers import csv_bytes, receive

pytestmark = pytest.mark.django_db
Status = DatasetVersion.Status
HEADER = [c.name for c in BASEL_MOVEMENTS.columns]


def movement(n: int, **overrides) -> dict:
    row = {
        "notification_number": f"VR-2025-{n:03d}",
        "movement_document_number": f"VR-2025-{n:03d}/01",
        "waste_code": "Y8",
        "description": "Waste mineral oils",
        "quantity_t": "10.5",
        "export_country": "VR",
        "transit_countries": "",
        "import_country": "DE",
        "operation": "R9",
        "shipped_on": "2025-03-04",
        "received_on": "2025-03-18",
    }
    row.update(overrides)
    return row


def upload(user, institution, rows, **options):
    return receive(
        user,
        institution,
        csv_bytes(rows, header=HEADER),
        name="movements.csv",
        dataset_type="basel_movements",
        **options,
    )


def test_a_good_file_of_movements_is_accepted(focal_point, institution):
    rows = [
        movement(1),
        movement(
            2, waste_code="a1180", transit_countries="FR, be", import_country="NL", operation="r 4"
        ),
        movement(3, waste_code="B1010", operation="D10", received_on=""),
    ]
    version = upload(focal_point, institution, rows)
    assert version.status == Status.VALIDATED, (version.error, version.top_reasons)
    assert (version.rows_accepted, version.rows_rejected) == (3, 0)
    second = BaselMovementRecord.objects.get(version=version, row_number=3)
    assert second.operation == "R4" and second.import_country == "NL"
    assert second.transit_countries == "FR, be"
    third = BaselMovementRecord.objects.get(version=version, row_number=4)
    assert third.received_on is None and third.quantity_t == Decimal("10.5")


def test_bad_rows_are_rejected_with_row_column_and_reason(focal_point, institution, today):
    future = (today + datetime.timedelta(days=30)).isoformat()
    rows = [
        movement(1),
        movement(2, waste_code="Y99"),
        movement(3, waste_code="C1010"),
        movement(4, waste_code="A5010"),
        movement(5, import_country="Germany"),
        movement(6, transit_countries="FR;Belgium"),
        movement(7, import_country="VR"),
        movement(8, received_on="2025-03-01"),
        movement(9, quantity_t="-2"),
        movement(10, shipped_on=future, received_on=""),
        movement(11),
    ]
    version = upload(focal_point, institution, rows)
    rejected = {r.row_number: r for r in RejectedRow.objects.filter(version=version)}
    assert set(rejected) == {3, 4, 5, 6, 7, 8, 9, 10, 11}
    assert rejected[3].column == "waste_code" and "annexes" in rejected[3].reason
    assert rejected[4].column == "waste_code"
    assert rejected[5].column == "waste_code"
    assert rejected[6].column == "import_country" and rejected[6].code == "bad_country"
    assert rejected[7].column == "transit_countries"
    assert rejected[8].column == "import_country" and rejected[8].code == "same_country"
    assert rejected[9].column == "received_on"
    assert rejected[10].column == "quantity_t" and rejected[10].code == "negative"
    assert rejected[11].column == "shipped_on"
    assert version.rows_accepted == 2


def test_rejected_movements_fixed_and_uploaded_again_complete_the_dataset(focal_point, institution):
    rows = [movement(1), movement(2, waste_code="Y99"), movement(3, waste_code="Y49")]
    first = upload(focal_point, institution, rows)
    assert (first.rows_accepted, first.rows_rejected) == (1, 2)
    lines = list(ingest.rejected_rows_csv(first))
    assert lines[0][:3] == ["Row", "Column", "Reason"] and lines[0][3:] == HEADER
    fixed = io.StringIO()
    writer = csv.writer(fixed, lineterminator="\n")
    writer.writerow(lines[0])
    for line in lines[1:]:
        writer.writerow([cell.replace("Y99", "Y9").replace("Y49", "Y48") for cell in line])
    second = receive(
        focal_point,
        institution,
        fixed.getvalue().encode(),
        name="fixed.csv",
        dataset_type="basel_movements",
        corrects=first,
    )
    assert second.status == Status.VALIDATED, (second.error, second.top_reasons)
    assert (second.rows_accepted, second.rows_rejected) == (3, 0)
    codes = dict(
        BaselMovementRecord.objects.filter(version=second).values_list("row_number", "waste_code")
    )
    assert codes == {2: "Y8", 3: "Y9", 4: "Y48"}


def test_the_accepted_movements_page_sums_exports_and_imports(client, secretariat):
    from django.urls import reverse

    from tests.reporting.test_basel_reports import MOVEMENTS, load_movements

    load_movements(MOVEMENTS)
    load_movements(
        [(datetime.date(2025, 2, 1), "Y8", "1000", "VR", "", "DE", "R9")], accepted=False
    )
    url = reverse("inventories:data-waste-movements")
    assert client.get(url).status_code == 302
    client.force_login(secretariat)
    response = client.get(url, {"year": 2025})
    assert response.status_code == 200
    tables = {t["direction"]: t for t in response.context["tables"]}
    assert tables["export"]["tonnes"] == Decimal("29.75")
    assert tables["import"]["tonnes"] == Decimal("27")
    assert tables["transit"]["movements"] == 1
    assert "A1180" in response.content.decode()
