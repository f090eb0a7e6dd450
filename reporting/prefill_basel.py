"""The tables of the Basel annual report computed from the accepted datasets of transboundary
movements of hazardous and other wastes (``inventories`` dataset type ``basel_movements``).

A movement is an export when the Party (``settings.NCM_COUNTRY_CODE``) is its State of export,
an import when it is its State of import, and a transit movement when it is neither (the Party
is then only a State of transit: the movement is through its territory). The movements of the
round's year (by shipment date) are summed per waste code, disposal or recovery operation and
partner State (exports, imports), or per waste code and pair of States of export and import
(transit): each accepted row is counted in exactly one row of one table, and each table row
names the dataset rows behind it (version and row numbers), so that every figure can be traced
to what was uploaded.
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


FLOWS = ("export", "import", "transit")


def _records(round_, flow: str):
    """The accepted movements of the round's year in one direction: ``flow`` is ``export``,
    ``import`` or ``transit`` (neither State of export nor State of import is the Party)."""
    from django.db.models import Q

    from inventories.models import BaselMovementRecord
    from inventories.selectors_data import accepted_version_ids

    party = settings.NCM_COUNTRY_CODE.upper()
    direction = {
        "export": Q(export_country__iexact=party),
        "import": Q(import_country__iexact=party),
        "transit": ~Q(export_country__iexact=party) & ~Q(import_country__iexact=party),
    }[flow]
    return BaselMovementRecord.objects.filter(
        direction,
        version_id__in=accepted_version_ids("basel_movements"),
        shipped_on__gte=round_.period_start,
        shipped_on__lte=round_.period_end,
    )


def _refs(rows_by_version: dict) -> tuple[str, list[dict]]:
    text = "; ".join(
        f"v{version}: {', '.join(str(n) for n in numbers)}"
        for version, numbers in sorted(rows_by_version.items())
    )
    refs = [
        {"dataset_version": version, "rows": numbers}
        for version, numbers in sorted(rows_by_version.items())
    ]
    return text, refs


# The columns of each table's rows, in order: the fields a row is summed by, "quantity_t" where
# the total goes, then what every row carries.
_COLUMNS = {
    "export": ("waste_code", "operation", "quantity_t", "country"),
    "import": ("waste_code", "operation", "quantity_t", "country"),
    "transit": ("waste_code", "export_country", "import_country", "quantity_t"),
}


def movement_rows(round_, flow: str) -> tuple[list[dict], list[dict]]:
    """Exports (``flow="export"``), imports or transit movements of the round's year, summed
    over the accepted movements datasets: one row per waste code, operation and partner State
    (exports, imports) or per waste code and States of export and import (transit), with the
    other States of transit named; and the dataset versions used."""
    from reporting.prefill import accepted_versions, version_sources

    party = settings.NCM_COUNTRY_CODE.upper()
    partner = "import_country" if flow == "export" else "export_country"
    # The record fields each key column is read from (exports and imports name their partner
    # State "country").
    fields = {"country": partner}
    keys = [c for c in _COLUMNS[flow] if c != "quantity_t"]
    records = (
        _records(round_, flow)
        .values_list(
            "version_id",
            "row_number",
            "transit_countries",
            "quantity_t",
            *(fields.get(k, k) for k in keys),
        )
        .order_by("version_id", "row_number")
    )
    groups: dict[tuple, dict] = {}
    versions = set()
    for version_id, row_number, transit, quantity, *values in records:
        pairs = zip(keys, values, strict=True)
        key = tuple(v if k == "operation" else v.strip().upper() for k, v in pairs)
        group = groups.setdefault(
            key, {"t": Decimal(0), "movements": 0, "transit": set(), "rows": defaultdict(list)}
        )
        group["t"] += quantity
        group["movements"] += 1
        # Through the Party only, the Party is one of the States of transit: name the others.
        group["transit"] |= _transit(transit) - ({party} if flow == "transit" else set())
        group["rows"][version_id].append(row_number)
        versions.add(version_id)
    rows = []
    for key, group in sorted(groups.items()):
        text, refs = _refs(group["rows"])
        named = dict(zip(keys, key, strict=True))
        row = {c: _number(group["t"]) if c == "quantity_t" else named[c] for c in _COLUMNS[flow]}
        row.update(
            transit=", ".join(sorted(group["transit"])),
            movements=group["movements"],
            rows=text,
            row_refs=refs,
        )
        rows.append(row)
    sources = version_sources(accepted_versions("basel_movements", round_, ids=versions))
    return rows, (sources if rows else [])


def total_tonnes(rows: list[dict]) -> float:
    return sum(row["quantity_t"] for row in rows)
