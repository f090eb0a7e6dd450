"""What the portal computes for the questions of the other conventions' reports (Minamata's
first), from what the mechanism already holds; ``prefill.compute`` hands these sources over.

- contacts: the round's convention's contacts currently designated in the registry (table);
- mercury: imports and exports of mercury (2805.40) and mercury compounds (2852) from the
  accepted customs datasets (table);
- mercury_products: imports and exports under the codes of mercury-added products (table);
- workplan: the workplan tasks that serve the round's convention, in the round's period or
  while its report is prepared (table).

The mercury codes are the reporting app's own reference table
(``reference/minamata_hs_codes.csv``, with its sources): not the inventories' POPs codes, so
that a mercury line never counts as a POPs match. Each code has one of the three kinds of match
the Article 15 trade table uses: ``specific`` (the code identifies mercury or the product),
``group`` (the code names many compounds and does not say which), ``indicative`` (the goods may
hold no mercury). A customs line is counted once, under the longest code it falls under (8, 6,
then 4 digits), in the row of that code, year, flow and match; specific, group and indicative
rows are never summed together.
"""

import csv
from decimal import Decimal
from functools import cache
from pathlib import Path

from django.db.models import Count, Q, Sum
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import gettext as _

CODES_FILE = Path(__file__).resolve().parent / "reference" / "minamata_hs_codes.csv"
MATCH_ORDER = {"specific": 0, "group": 1, "indicative": 2}
SUBSTANCES = ("mercury", "compounds")
PRODUCTS = ("products",)


def _digits(code: str) -> str:
    return "".join(ch for ch in code or "" if ch.isdigit())


@cache
def mercury_codes() -> dict[str, dict]:
    """The mercury codes by their digits."""
    with CODES_FILE.open(encoding="utf-8", newline="") as handle:
        return {_digits(row["code"]): row for row in csv.DictReader(handle)}


def resolve(hs_code: str) -> dict | None:
    """The code a customs line counts under: its subheading, else its heading; None when no
    mercury code covers it."""
    digits = _digits(hs_code)
    codes = mercury_codes()
    for length in (8, 6, 4):
        found = codes.get(digits[:length]) if len(digits) >= length else None
        if found:
            return found
    return None


def _number(value: Decimal):
    value = float(round(value, 3))
    return int(value) if value.is_integer() else value


def mercury_rows(round_, categories=SUBSTANCES) -> tuple[list[dict], list[dict]]:
    """Import and export in the round's period under the mercury codes of ``categories``,
    summed over the accepted customs versions: one row per code, year, flow and match, with the
    partner States; and those versions."""
    from inventories.models import CustomsRecord
    from inventories.selectors_data import accepted_version_ids
    from reporting.prefill import accepted_versions, version_sources

    codes = [c for c in mercury_codes().values() if c["category"] in categories]
    if not codes:
        return [], []
    heads = Q()
    for head in sorted({_digits(c["code"])[:4] for c in codes}):
        heads |= Q(hs_code__startswith=head)
    grouped = (
        CustomsRecord.objects.filter(version_id__in=accepted_version_ids("customs"))
        .filter(heads)
        .annotate(year=ExtractYear("declared_on"))
        .filter(year__gte=round_.period_start.year, year__lte=round_.period_end.year)
        .values("hs_code", "year", "flow", "origin_country", "consignment_country", "version_id")
        .annotate(lines=Count("ordinal"), kg=Sum("net_mass_kg"))
        .order_by()
    )
    wanted = {_digits(c["code"]) for c in codes}
    rows: dict[tuple, dict] = {}
    version_ids = set()
    for group in grouped:
        found = resolve(group["hs_code"])
        if found is None or _digits(found["code"]) not in wanted:
            continue
        partner = (
            group["origin_country"] if group["flow"] == "import" else group["consignment_country"]
        )
        key = (found["code"], group["year"], group["flow"], found["match"])
        row = rows.setdefault(key, {"code": found, "kg": Decimal(0), "lines": 0, "partners": set()})
        row["kg"] += group["kg"] or Decimal(0)
        row["lines"] += group["lines"]
        if partner:
            row["partners"].add(partner)
        version_ids.add(group["version_id"])
    result = [
        {
            "substance": data["code"]["label"],
            "category": data["code"]["category"],
            "code": code,
            "match": match,
            "year": year,
            "flow": flow,
            "quantity_kg": _number(data["kg"]),
            "lines": data["lines"],
            "partners": ", ".join(sorted(data["partners"])),
        }
        for (code, year, flow, match), data in sorted(
            rows.items(), key=lambda i: (MATCH_ORDER[i[0][3]], i[0][0], i[0][1], i[0][2])
        )
    ]
    sources = version_sources(accepted_versions("customs", round_, ids=version_ids))
    return result, (sources if result else [])


def totals_by_match(rows: list[dict]) -> dict[str, float]:
    """kg per kind of match: the three are kept apart, never added into one figure."""
    totals = dict.fromkeys(MATCH_ORDER, 0.0)
    for row in rows:
        totals[row["match"]] += row["quantity_kg"] or 0
    return totals


def convention_contacts(convention: str) -> tuple[list[dict], list[dict]]:
    """The persons currently designated to the convention's roles in the registry."""
    from coordination.models import Designation

    designations = list(
        Designation.objects.current(timezone.localdate())
        .filter(kind=Designation.Kind.CONVENTION, convention_role__convention__code=convention)
        .select_related("person", "institution", "convention_role")
        .order_by("convention_role__order", "capacity", "start_date")
    )
    rows = [
        {
            "role": d.convention_role.name
            if d.capacity == Designation.Capacity.PRINCIPAL
            else _("%(role)s (alternate)") % {"role": d.convention_role.name},
            "role_code": d.convention_role.code,
            "name": d.person.name,
            "institution": d.institution.name,
            "email": d.person.email,
            "since": d.start_date.isoformat(),
        }
        for d in designations
    ]
    sources = [{"designation": d.pk, "person": d.person.name} for d in designations]
    return rows, sources


def workplan_tasks(round_, convention: str) -> tuple[list[dict], list[dict]]:
    """The tasks that serve the convention and run between the start of the round's period and
    its due date, whatever workplan they belong to."""
    from coordination.models import Task

    tasks = list(
        Task.objects.filter(
            conventions__code=convention,
            start_date__lte=round_.due,
            due_date__gte=round_.period_start,
        )
        .select_related("activity__workplan", "lead_institution")
        .order_by("due_date", "pk")
        .distinct()
    )
    rows = [
        {
            "task": t.title,
            "activity": t.activity.title,
            "workplan": t.activity.workplan.title,
            "lead": t.lead_institution.name if t.lead_institution_id else "",
            "due": t.due_date.isoformat(),
            "status": str(t.get_status_display()),
            "percent": t.percent_complete,
        }
        for t in tasks
    ]
    sources = [{"task": t.pk, "title": t.title} for t in tasks]
    return rows, sources
