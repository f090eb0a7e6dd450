"""The summaries of accepted inventory data: monitoring results by analyte and matrix, the PCB
equipment against the elimination goals, and the releases of unintentional POPs. Only accepted
data counts, as in selectors_data."""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Avg, Count, Max, Min, Q, Sum
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from inventories.models import (
    MonitoringRecord,
    PCBEquipmentRecord,
    UPOPsRelease,
    Vector,
)
from inventories.models.records import result_label
from inventories.schemas import MONITORING, PCB
from inventories.selectors_data import accepted_version_ids, choice_labels
from ncm_portal import charts


def monitoring_choices() -> dict:
    pairs = list(
        MonitoringRecord.objects.filter(version_id__in=accepted_version_ids())
        .values_list("analyte", "matrix")
        .distinct()
        .order_by("analyte", "matrix")
    )
    return {
        "analytes": sorted({a for a, _m in pairs}),
        "matrices": sorted({m for _a, m in pairs}),
        "pairs": pairs,
    }


def monitoring_summary(*, analyte: str = "", matrix: str = "") -> dict:
    """Per analyte, matrix, site, unit and year: samples, detected results, results below the
    limit, the minimum, maximum and mean of the detected values, and the median of all results
    with censored values reported as such (see :func:`censored_median`). With an analyte and a
    matrix, a line chart of the mean per year, one line per site. Two queries."""
    records = MonitoringRecord.objects.filter(version_id__in=accepted_version_ids())
    if analyte:
        records = records.filter(analyte=analyte)
    if matrix:
        records = records.filter(matrix=matrix)
    detected = Q(below_limit=False, value__isnull=False)
    rows = list(
        records.annotate(year=ExtractYear("sampling_start"))
        .values("analyte", "matrix", "site", "unit", "year")
        .annotate(
            samples=Count("ordinal"),
            detected=Count("ordinal", filter=detected),
            minimum=Min("value", filter=detected),
            maximum=Max("value", filter=detected),
            mean=Avg("value", filter=detected),
            below_limit=Count("ordinal", filter=~Q(qualifier="")),
        )
        .order_by("analyte", "matrix", "site", "unit", "year")
    )
    medians = _medians(records)
    matrices = choice_labels(MONITORING, "matrix")
    for row in rows:
        row["matrix_label"] = matrices.get(row["matrix"], row["matrix"])
        key = (row["analyte"], row["matrix"], row["site"], row["unit"], row["year"])
        row["median"] = medians.get(key, (None, "", None))
        row["median_label"] = result_label(*row["median"])
    chart = None
    if analyte and matrix and rows:
        # One unit per chart: the unit most results are given in.
        units = defaultdict(int)
        for row in rows:
            units[row["unit"]] += row["samples"]
        unit = max(sorted(units), key=lambda u: units[u])
        years = sorted({row["year"] for row in rows if row["unit"] == unit})
        by_site: dict[str, dict] = defaultdict(dict)
        for row in rows:
            if row["unit"] == unit and row["mean"] is not None:
                by_site[row["site"]][row["year"]] = row["mean"]
        chart = charts.line_chart(
            categories=years,
            series=sorted(by_site.items()),
            title=str(_("Mean of detected values per year and site")),
            unit=unit,
        )
    return {"rows": rows, "chart": chart}


def censored_median(detected: list, limits: list, not_detected: int) -> tuple:
    """The median of results some of which are below the limit, as ``(value, qualifier,
    limit)``. Censored results rank below every detected one; when the middle falls among them
    the median is itself censored: ``< L``, L the highest limit among them (``n.d.`` when none
    was given), never a number substituted for them."""
    censored = len(limits) + not_detected
    total = censored + len(detected)
    if not total:
        return None, "", None
    low, high = (total - 1) // 2, total // 2
    if high < censored:
        if limits:
            return None, "<", max(limits)
        return None, "nd", None
    if low < censored:  # the middle pair straddles the censored and the detected results
        return None, "<", detected[high - censored]
    return (detected[low - censored] + detected[high - censored]) / 2, "", None


def _medians(records) -> dict:
    groups: dict[tuple, tuple[list, list, list]] = defaultdict(lambda: ([], [], [0]))
    results = (
        records.annotate(year=ExtractYear("sampling_start"))
        .values_list("analyte", "matrix", "site", "unit", "year", "qualifier", "value", "limit")
        .order_by("value")
    )
    for *key, qualifier, value, limit in results.iterator(chunk_size=5000):
        detected, limits, not_detected = groups[tuple(key)]
        if qualifier and limit is not None:
            limits.append(limit)
        elif qualifier or value is None:
            not_detected[0] += 1
        else:
            detected.append(value)
    return {
        key: censored_median(detected, limits, not_detected[0])
        for key, (detected, limits, not_detected) in groups.items()
    }


# --- PCB equipment ---------------------------------------------------------------------------

PCB_CLASSES = ("above_500", "50_500", "below_50", "untested")
PCB_STATUSES = ("in_use", "decommissioned", "disposed")
AT_LEAST_50_PPM = ("above_500", "50_500")


@dataclass(frozen=True)
class PCBGoals:
    on: datetime.date
    above_500_total: int
    above_500_in_use: int
    above_500_in_use_litres: Decimal
    goal_2025_missed: bool
    percent_2025: int
    at_least_50_total: int
    at_least_50_not_disposed: int
    at_least_50_not_disposed_litres: Decimal
    percent_2028: int
    goal_2028_missed: bool


def _percent(done: int, total: int) -> int:
    return 100 if not total else int(100 * done / total)


def pcb_summary(*, on: datetime.date | None = None) -> dict:
    """Equipment of accepted versions by concentration class and status (counts and oil volume),
    progress toward the 2025 and 2028 goals, and stacked bars per class. One query.

    2025: no equipment with 0.05% PCB (500 ppm) or more in use. 2028: environmentally sound
    management, read here as disposal, of equipment with 0.005% (50 ppm) or more.
    """
    on = on or timezone.localdate()
    rows = list(
        PCBEquipmentRecord.objects.filter(version_id__in=accepted_version_ids())
        .values("concentration_class", "status")
        .annotate(count=Count("ordinal"), litres=Sum("oil_volume_l"))
        .order_by("concentration_class", "status")
    )
    cells = {(r["concentration_class"], r["status"]): r for r in rows}
    class_labels = choice_labels(PCB, "concentration_class")
    status_labels = choice_labels(PCB, "status")
    classes = list(PCB_CLASSES) + sorted(
        {r["concentration_class"] for r in rows} - set(PCB_CLASSES)
    )
    statuses = list(PCB_STATUSES) + sorted({r["status"] for r in rows} - set(PCB_STATUSES))
    table = []
    for klass in classes:
        row_cells = []
        for status in statuses:
            cell = cells.get((klass, status), {})
            row_cells.append(
                {"count": cell.get("count", 0), "litres": cell.get("litres") or Decimal(0)}
            )
        table.append(
            {
                "key": klass,
                "label": class_labels.get(klass, klass),
                "cells": row_cells,
                "count": sum(c["count"] for c in row_cells),
                "litres": sum((c["litres"] for c in row_cells), Decimal(0)),
            }
        )

    def count(classes_, statuses_=None):
        return sum(
            r["count"]
            for r in rows
            if r["concentration_class"] in classes_
            and (statuses_ is None or r["status"] in statuses_)
        )

    def litres(classes_, statuses_):
        return sum(
            (
                r["litres"] or Decimal(0)
                for r in rows
                if r["concentration_class"] in classes_ and r["status"] in statuses_
            ),
            Decimal(0),
        )

    not_disposed = [s for s in statuses if s != "disposed"]
    above_total = count(("above_500",))
    above_in_use = count(("above_500",), ("in_use",))
    at_least_50_total = count(AT_LEAST_50_PPM)
    at_least_50_open = count(AT_LEAST_50_PPM, not_disposed)
    goals = PCBGoals(
        on=on,
        above_500_total=above_total,
        above_500_in_use=above_in_use,
        above_500_in_use_litres=litres(("above_500",), ("in_use",)),
        goal_2025_missed=on > datetime.date(2025, 12, 31) and above_in_use > 0,
        percent_2025=_percent(above_total - above_in_use, above_total),
        at_least_50_total=at_least_50_total,
        at_least_50_not_disposed=at_least_50_open,
        at_least_50_not_disposed_litres=litres(AT_LEAST_50_PPM, not_disposed),
        percent_2028=_percent(at_least_50_total - at_least_50_open, at_least_50_total),
        goal_2028_missed=on > datetime.date(2028, 12, 31) and at_least_50_open > 0,
    )
    chart = charts.stacked_bars(
        categories=[str(class_labels.get(k, k)) for k in classes],
        series=[(s, status_labels.get(s, s)) for s in statuses],
        values={
            (
                str(class_labels.get(r["concentration_class"], r["concentration_class"])),
                r["status"],
            ): r["count"]
            for r in rows
        },
        title=str(_("Equipment by PCB concentration and status")),
        unit=str(_("pieces of equipment")),
        value_unit="",
    )
    return {
        "table": table,
        "statuses": [{"key": s, "label": status_labels.get(s, s)} for s in statuses],
        "goals": goals,
        "chart": chart,
        "total": sum(r["count"] for r in rows),
    }


# --- Unintentional POPs releases -------------------------------------------------------------


def release_summary(*, year: int | None = None) -> dict:
    """g TEQ per year, Toolkit source group and vector from the accepted versions, with totals
    per vector, and stacked bars per group (one segment per vector) for one year. One query."""
    rows = list(
        UPOPsRelease.objects.filter(version_id__in=accepted_version_ids())
        .values("year", "category__group__number", "category__group__name", "vector")
        .annotate(g_teq=Sum("g_teq"))
        .order_by("-year", "category__group__number", "vector")
    )
    years = sorted({r["year"] for r in rows}, reverse=True)
    if year not in years:
        year = years[0] if years else None
    vectors = list(Vector.choices)
    groups: dict[tuple[int, int], dict] = {}
    for r in rows:
        key = (r["year"], r["category__group__number"])
        group = groups.setdefault(
            key,
            {
                "year": r["year"],
                "number": r["category__group__number"],
                "name": r["category__group__name"],
                "by_vector": defaultdict(Decimal),
            },
        )
        group["by_vector"][r["vector"]] += r["g_teq"] or 0
    table = []
    for group in groups.values():
        group["cells"] = [group["by_vector"].get(v, Decimal(0)) for v, _label in vectors]
        group["total"] = sum(group["cells"], Decimal(0))
        table.append(group)
    per_year = {}
    for y in years:
        per_vector = [
            sum((g["by_vector"].get(v, Decimal(0)) for g in table if g["year"] == y), Decimal(0))
            for v, _label in vectors
        ]
        per_year[y] = {"year": y, "cells": per_vector, "total": sum(per_vector, Decimal(0))}
    chosen = [g for g in table if g["year"] == year]
    chart = charts.stacked_bars(
        categories=[str(g["number"]) for g in chosen],
        series=[(v, label) for v, label in vectors],
        values={
            (str(g["number"]), v): g["by_vector"].get(v, 0) for g in chosen for v, _l in vectors
        },
        title=str(_("Releases per source group and vector")),
        unit="g TEQ",
    )
    return {
        "vectors": [{"key": v, "label": label} for v, label in vectors],
        "table": table,
        "years": years,
        "year": year,
        "per_year": [per_year[y] for y in years],
        "chosen": chosen,
        "chart": chart,
    }


# --- Reference -------------------------------------------------------------------------------
