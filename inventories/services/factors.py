"""Importing emission factors from a CSV the secretariat prepared from the Toolkit workbook."""

import csv
import io
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from coordination.permissions import require
from inventories import permissions as perms
from inventories.ingest.errors import ReadError
from inventories.models import EmissionFactor, SourceCategory, Vector
from inventories.readers import sniff

COLUMNS = ["category", "class", "class_description", "vector", "factor", "unit", "source"]


@transaction.atomic
def import_factors(*, actor, file) -> int:
    """All rows or none: a bad row names itself and nothing is saved."""
    require(perms.can_manage_reference(actor))
    raw = file.read()
    import tempfile

    with tempfile.NamedTemporaryFile(suffix=".csv") as handle:
        handle.write(raw)
        handle.flush()
        try:
            info = sniff(handle.name, name="factors.csv")
        except ReadError as error:
            raise ValidationError(error.message) from None
    text = raw.decode(info.encoding or "utf-8")
    reader = csv.DictReader(io.StringIO(text), delimiter=info.delimiter or ",")
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise ValidationError(
            _("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)}, code="columns"
        )
    categories = {c.code.lower(): c for c in SourceCategory.objects.select_related("group")}
    count = 0
    for number, row in enumerate(reader, start=2):
        category = categories.get(row["category"].strip().lower())
        vector = row["vector"].strip().lower()
        try:
            factor = Decimal(row["factor"].strip().replace(",", "."))
            class_number = int(row["class"])
        except (InvalidOperation, ValueError):
            factor = None
            class_number = None
        if category is None or vector not in Vector.values or factor is None or factor < 0:
            raise ValidationError(
                _("Row %(row)s: check the category, class, vector and factor.") % {"row": number},
                code="row",
            )
        obj, _created = EmissionFactor.objects.update_or_create(
            category=category,
            class_number=class_number,
            vector=vector,
            defaults={
                "class_description": row["class_description"].strip()[:255],
                "factor": factor,
                "activity_unit": row["unit"].strip()[:40] or "t",
                "source": row["source"].strip()[:255] or _("Imported"),
                "entered_by": actor,
            },
        )
        count += 1
    return count
