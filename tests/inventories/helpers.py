"""Builders of dataset files and uploads for the inventories tests."""

import csv
import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase

from inventories import services
from inventories.models import DatasetVersion
from inventories.schemas import CUSTOMS

CUSTOMS_HEADER = [c.name for c in CUSTOMS.columns]


def customs_row(n: int, **overrides) -> dict:
    row = {
        "declaration_id": f"VR-2025-{n:06d}",
        "declared_on": "2025-03-14",
        "flow": "import",
        "hs_code": "3824.82",
        "national_code": "",
        "description": "Transformer oil",
        "origin_country": "DE",
        "consignment_country": "NL",
        "trader": "Veridia Power Ltd",
        "quantity": "10",
        "quantity_unit": "l",
        "net_mass_kg": "100.5",
        "value": "1000",
        "currency": "EUR",
    }
    row.update(overrides)
    return row


def csv_bytes(rows: list[dict], *, header=None, delimiter=",", encoding="utf-8") -> bytes:
    header = header or CUSTOMS_HEADER
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header, delimiter=delimiter, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def receive(
    user,
    institution,
    content: bytes,
    *,
    name="customs.csv",
    dataset_type="customs",
    start=datetime.date(2025, 1, 1),
    end=datetime.date(2025, 12, 31),
    **options,
) -> DatasetVersion:
    with committed():
        version = services.dataset_receive(
            actor=user,
            institution=institution,
            dataset_type=dataset_type,
            period_start=start,
            period_end=end,
            file=SimpleUploadedFile(name, content),
            **options,
        )
    duplicate = version.is_duplicate
    version.refresh_from_db()
    version.is_duplicate = duplicate
    return version


def committed():
    """Run what the services schedule on commit, as the end of a request would."""
    return TestCase.captureOnCommitCallbacks(execute=True)
