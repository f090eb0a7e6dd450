"""The summary of accepted transboundary movements of hazardous and other wastes: per year and
direction (export, import, transit through the Party), the tonnes per waste code and Annex IV
operation, and the latest movements. A fixed number of queries, however many rows."""

from django.conf import settings
from django.db.models import Count, Q, Sum
from django.db.models.functions import ExtractYear, Upper
from django.utils.translation import gettext_lazy as _

from inventories.models import BaselMovementRecord
from inventories.schemas import BASEL_MOVEMENTS
from inventories.selectors_data import accepted_version_ids, choice_labels

LATEST = 50


def _direction(party: str) -> dict[str, Q]:
    return {
        "export": Q(export_country__iexact=party),
        "import": Q(import_country__iexact=party),
        "transit": ~Q(export_country__iexact=party) & ~Q(import_country__iexact=party),
    }


DIRECTION_LABELS = {
    "export": _("Exports"),
    "import": _("Imports"),
    "transit": _("Through the Party only"),
}


def waste_movements_summary(*, year: int | None = None) -> dict:
    party = settings.NCM_COUNTRY_CODE.upper()
    accepted = accepted_version_ids("basel_movements")
    rows = BaselMovementRecord.objects.filter(version_id__in=accepted)
    years = sorted(
        rows.annotate(year=ExtractYear("shipped_on")).values_list("year", flat=True).distinct(),
        reverse=True,
    )
    if year is None and years:
        year = years[0]
    in_year = rows.filter(shipped_on__year=year) if year else rows.none()
    operations = choice_labels(BASEL_MOVEMENTS, "operation")
    tables = []
    for direction, condition in _direction(party).items():
        groups = list(
            in_year.filter(condition)
            .annotate(code=Upper("waste_code"))
            .values("code", "operation")
            .annotate(tonnes=Sum("quantity_t"), movements=Count("ordinal"))
            .order_by("code", "operation")
        )
        for group in groups:
            group["operation_label"] = operations.get(group["operation"], group["operation"])
        tables.append(
            {
                "direction": direction,
                "label": DIRECTION_LABELS[direction],
                "groups": groups,
                "tonnes": sum((g["tonnes"] for g in groups), 0),
                "movements": sum(g["movements"] for g in groups),
            }
        )
    latest = list(in_year.order_by("-shipped_on", "-version_id", "-ordinal")[:LATEST])
    return {"year": year, "years": years, "tables": tables, "latest": latest, "party": party}
