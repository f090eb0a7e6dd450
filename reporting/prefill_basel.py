"""The tables of the Basel annual report computed from the accepted datasets of transboundary
movements of hazardous and other wastes (``inventories`` dataset type ``basel_movements``).

A movement is an export when the Party (``settings.NCM_COUNTRY_CODE``) is its State of export,
an import when it is its State of import; a movement through the Party's territory only is in
neither table. The movements of the round's year (by shipment date) are summed per waste code,
disposal or recovery operation and partner State: each accepted row is counted in exactly one
row of one table, and each table row names the dataset rows behind it (version and row
numbers), so that every figure can be traced to what was uploaded.
"""

from collections import defaultdict
from decimal import Decimal

from django.conf import settings


def _number(value: Decimal):
    value = float(round(value, 3))
    return int(value) if value.is_integer() else value


def _transit(text: str) -> set[str]:
    return {
        part.upper()
        for part in text.replace(";", ",").replace("/", ",").replace(" ", ",").split(",")
        if part
    }


def movement_rows(round_, flow: str) -> tuple[list[dict], list[dict]]:
    """Exports (``flow="export"``) or imports of the round's year, summed over the accepted
    movements datasets: one row per waste code, operation and partner State; and the dataset
    versions used."""
    from inventories.models import BaselMovementRecord
    from inventories.selectors_data import accepted_version_ids
    from reporting.prefill import accepted_versions, version_sources

    party = settings.NCM_COUNTRY_CODE.upper()
    own, partner = (
        ("export_country", "import_country")
        if flow == "export"
        else ("import_country", "export_country")
    )
    records = (
        BaselMovementRecord.objects.filter(
            version_id__in=accepted_version_ids("basel_movements"),
            shipped_on__gte=round_.period_start,
            shipped_on__lte=round_.period_end,
            **{f"{own}__iexact": party},
        )
        .values_list(
            "version_id",
            "row_number",
            "waste_code",
            "operation",
            partner,
            "transit_countries",
            "quantity_t",
        )
        .order_by("version_id", "row_number")
    )
    groups: dict[tuple, dict] = {}
    versions = set()
    for version_id, row_number, code, operation, country, transit, quantity in records:
        key = (code.strip().upper(), operation, country.upper())
        group = groups.setdefault(
            key, {"t": Decimal(0), "movements": 0, "transit": set(), "rows": defaultdict(list)}
        )
        group["t"] += quantity
        group["movements"] += 1
        group["transit"] |= _transit(transit)
        group["rows"][version_id].append(row_number)
        versions.add(version_id)
    rows = [
        {
            "waste_code": code,
            "operation": operation,
            "quantity_t": _number(group["t"]),
            "country": country,
            "transit": ", ".join(sorted(group["transit"])),
            "movements": group["movements"],
            "rows": "; ".join(
                f"v{version}: {', '.join(str(n) for n in numbers)}"
                for version, numbers in sorted(group["rows"].items())
            ),
            "row_refs": [
                {"dataset_version": version, "rows": numbers}
                for version, numbers in sorted(group["rows"].items())
            ],
        }
        for (code, operation, country), group in sorted(groups.items())
    ]
    sources = version_sources(accepted_versions("basel_movements", round_, ids=versions))
    return rows, (sources if rows else [])


def total_tonnes(rows: list[dict]) -> float:
    return sum(row["quantity_t"] for row in rows)
