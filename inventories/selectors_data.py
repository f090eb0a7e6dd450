"""Reads for the pages that show what accepted inventory data says.

Only accepted data counts: for each dataset, the rows of its accepted version and no other. Every
read here starts from `accepted_version_ids()`. Each function costs a fixed number of queries,
however many rows the versions hold.

This module reads customs data and the chemicals; the summaries of monitoring, PCB and releases
are in selectors_summaries."""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from inventories.models import (
    Chemical,
    CustomsRecord,
    CustomsTotal,
    Dataset,
    DatasetVersion,
    Flow,
    HSCode,
    Match,
    MonitoringRecord,
    members_label,
)
from inventories.schemas import MONITORING
from inventories.services.customs import MatchIndex
from ncm_portal import charts

LINES_PER_PAGE = 100


def accepted_version_ids(dataset_type: str | None = None) -> QuerySet:
    """The ids of the versions that count: each dataset's accepted version, if it has one."""
    datasets = Dataset.objects.filter(
        accepted_version__isnull=False,
        accepted_version__review_status=DatasetVersion.Review.ACCEPTED,
        accepted_version__status=DatasetVersion.Status.VALIDATED,
    )
    if dataset_type:
        datasets = datasets.filter(dataset_type=dataset_type)
    return datasets.values("accepted_version")


def choice_labels(schema, column: str) -> dict[str, str]:
    return {code: label for c in schema.columns if c.name == column for code, label in c.choices}


def matrix_labels() -> dict[str, str]:
    return choice_labels(MONITORING, "matrix")


# --- Customs ---------------------------------------------------------------------------------


def customs_years() -> list[int]:
    return list(
        CustomsTotal.objects.filter(version_id__in=accepted_version_ids())
        .values_list("year", flat=True)
        .distinct()
        .order_by("-year")
    )


def code_members(keys) -> dict[tuple[str, bool], dict]:
    """For (code, national) pairs: the chemicals the code names, in name order, and its label as
    a group row shows it ("aldrin, chlordane or heptachlor — HS 2903.82"). Two queries."""
    from inventories.models import NationalProductCode

    keys = set(keys)
    found: dict[tuple[str, bool], dict] = {}
    hs = {c for c, national in keys if not national}
    national = {c for c, is_national in keys if is_national}
    ordered = Prefetch("chemicals", queryset=Chemical.objects.order_by("name", "pk"))
    for model, codes, is_national in ((HSCode, hs, False), (NationalProductCode, national, True)):
        if not codes:
            continue
        for code in model.objects.filter(code__in=codes).prefetch_related(ordered):
            members = list(code.chemicals.all())
            found[(code.code, is_national)] = {
                "members": members,
                "description": code.description,
            }
    for code, is_national in keys:
        entry = found.setdefault((code, is_national), {"members": [], "description": ""})
        entry["label"] = group_label(code, is_national, [m.name for m in entry["members"]])
    return found


def group_label(code: str, national: bool, names: list[str]) -> str:
    template = (
        _("%(members)s — national code %(code)s") if national else _("%(members)s — HS %(code)s")
    )
    return template % {"members": members_label(names) or "—", "code": code}


def codes_pointing_to(chemical: Chemical) -> Q:
    """The group and indicative totals whose code names ``chemical``."""
    from inventories.models import NationalProductCode

    hs = HSCode.objects.filter(chemicals=chemical).values("code")
    national = NationalProductCode.objects.filter(chemicals=chemical).values("code")
    return Q(chemical__isnull=True) & (
        Q(national=False, code__in=hs) | Q(national=True, code__in=national)
    )


MATCH_ORDER = {Match.SPECIFIC: 0, Match.GROUP: 1, Match.INDICATIVE: 2}


def lines_query(row: dict, *, slug: str = "", with_partner: bool = True) -> str:
    """The query of the customs lines page for the lines behind a total: those of its chemical
    (specific) or of its code (group, indicative)."""
    from urllib.parse import urlencode

    if row.get("code"):
        query = {"code": row["code"], "national": "1" if row.get("national") else "0"}
    else:
        query = {"chemical": slug or row.get("chemical__slug", "")}
    for key in ("year", "flow", "match"):
        if row.get(key):
            query[key] = row[key]
    if with_partner and "partner_country" in row:
        query["partner"] = row["partner_country"] or ""
    return urlencode(query)


def customs_totals(
    *,
    year: int | None = None,
    flow: str | None = None,
    chemical: Chemical | None = None,
    match: str | None = None,
) -> dict:
    """Net mass and number of lines summed over the accepted versions, per year, flow, partner
    country and match: per chemical for the specific matches, per code for the group and
    indicative ones, each in its own table, so that every matched line is counted once. With a
    chemical, its own totals and those of the codes that name it. A chart of net mass per year
    and flow for one chemical's specific matches. Three queries."""
    totals = CustomsTotal.objects.filter(version_id__in=accepted_version_ids())
    if year:
        totals = totals.filter(year=year)
    if flow:
        totals = totals.filter(flow=flow)
    if chemical:
        totals = totals.filter(Q(chemical=chemical) | codes_pointing_to(chemical))
    rows = list(
        totals.values(
            "chemical_id",
            "chemical__slug",
            "chemical__name",
            "code",
            "national",
            "year",
            "flow",
            "partner_country",
            "match",
        )
        .annotate(lines_sum=Sum("lines"), mass_sum=Sum("net_mass_kg"))
        .order_by("chemical__name", "code", "-year", "flow", "partner_country", "match")
    )
    flows = dict(Flow.choices)
    members = code_members((r["code"], r["national"]) for r in rows if r["code"])
    for row in rows:
        row["flow_label"] = flows.get(row["flow"], row["flow"])
        if row["code"]:
            entry = members[(row["code"], row["national"])]
            row["label"] = entry["label"]
            row["members"] = entry["members"]
        else:
            row["label"] = row["chemical__name"]
        row["lines_query"] = lines_query(row)
    specific = [r for r in rows if r["match"] == Match.SPECIFIC]
    groups = [r for r in rows if r["match"] == Match.GROUP]
    indicative = [r for r in rows if r["match"] == Match.INDICATIVE]
    mass_by_chemical: dict[int, Decimal] = defaultdict(Decimal)
    for row in specific:
        mass_by_chemical[row["chemical_id"]] += row["mass_sum"] or 0
    charted = chemical.pk if chemical else None
    if charted is None and mass_by_chemical:
        charted = max(sorted(mass_by_chemical), key=lambda pk: mass_by_chemical[pk])
    chart_name = chemical.name if chemical else ""
    chart_name = chart_name or next(
        (r["chemical__name"] for r in specific if r["chemical_id"] == charted), ""
    )
    by_year: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for row in specific:
        if row["chemical_id"] == charted:
            by_year[(str(row["year"]), row["flow"])] += row["mass_sum"] or 0
    years = sorted({key[0] for key in by_year})
    chart = charts.grouped_bars(
        categories=years,
        series=[(value, label) for value, label in Flow.choices],
        values=dict(by_year),
        title=str(
            _("%(chemical)s: net mass per year, specific matches") % {"chemical": chart_name}
        ),
        unit="kg",
    )
    tables = []
    for key, table_rows in (
        (Match.SPECIFIC, specific),
        (Match.GROUP, groups),
        (Match.INDICATIVE, indicative),
    ):
        if match and match != key:
            continue
        tables.append(
            {
                "match": key,
                "label": key.label,
                "rows": table_rows,
                "lines": sum(r["lines_sum"] or 0 for r in table_rows),
                "mass": sum((r["mass_sum"] or Decimal(0) for r in table_rows), Decimal(0)),
            }
        )
    return {"tables": tables, "chart": chart, "chart_chemical": chart_name}


def _year_range(year: int) -> Q:
    return Q(
        declared_on__gte=datetime.date(year, 1, 1), declared_on__lte=datetime.date(year, 12, 31)
    )


def customs_lines_for_total(
    *,
    chemical: Chemical | None = None,
    code: str | None = None,
    national: bool = False,
    year: int | None = None,
    flow: str | None = None,
    partner: str | None = None,
    match: str | None = None,
) -> QuerySet:
    """The declaration lines of accepted versions that a customs total counts: those whose codes
    point to ``chemical`` (national code first, else the HS code at 8, 6 then 4 digits, as at
    ingestion), or those counted under ``code`` (a group or indicative code; ``national`` for a
    national code), in ``year``, of ``flow``, with ``partner`` (origin for imports, consignment
    for exports; None for any) and ``match`` (None for any).

    The distinct code pairs of the candidate lines are few; they are matched in Python with the
    ingestion's index, and the lines are then filtered on those exact pairs, which works alike on
    SQLite and PostgreSQL. Five queries to build, none evaluated yet for the lines.
    """
    lines = CustomsRecord.objects.filter(version_id__in=accepted_version_ids()).exclude(match="")
    if year:
        lines = lines.filter(_year_range(year))
    if flow:
        lines = lines.filter(flow=flow)
    if partner is not None:
        if flow == Flow.EXPORT:
            lines = lines.filter(consignment_country=partner)
        elif flow == Flow.IMPORT:
            lines = lines.filter(origin_country=partner)
        else:
            lines = lines.filter(
                Q(flow=Flow.IMPORT, origin_country=partner)
                | Q(flow=Flow.EXPORT, consignment_country=partner)
            )
    pairs = set(lines.values_list("hs_code", "national_code").distinct().order_by())
    # The same matching as the totals, so that the lines behind a total add up to it.
    index = MatchIndex()
    wanted: dict[str, list[str]] = defaultdict(list)
    for hs_code, national_code in pairs:
        found = index.resolve(hs_code, national_code)
        if found is None or (match and found.match != match):
            continue
        if code:
            if (found.code, found.national) != (code, national) or found.match == Match.SPECIFIC:
                continue
        elif chemical is None or chemical.pk not in found.chemicals:
            continue
        wanted[national_code].append(hs_code)
    if not wanted:
        return lines.none()
    condition = Q()
    for national_code, hs_codes in sorted(wanted.items()):
        condition |= Q(national_code=national_code, hs_code__in=sorted(hs_codes))
    return lines.filter(condition)


def flagged_lines() -> QuerySet:
    """Lines of accepted versions whose HS chapter does not exist."""
    return CustomsRecord.objects.filter(version_id__in=accepted_version_ids(), hs_known=False)


def keyset_page(lines: QuerySet, *, after: str | None, per_page: int = LINES_PER_PAGE) -> dict:
    """One page of lines in key order (version, place) after ``after``, the sum and count of all
    of them, and the key to continue from (``"<version>-<place>"``). Two queries, whatever the
    number of lines."""
    summary = lines.aggregate(count=Count("ordinal"), mass=Sum("net_mass_kg"))
    page = lines.order_by("pk").select_related("version__dataset__institution")
    if after:
        version_id, place = (int(part) for part in after.split("-"))
        page = page.filter(pk__gt=(version_id, place))
    rows = list(page[: per_page + 1])
    more = len(rows) > per_page
    rows = rows[:per_page]
    return {
        "lines": rows,
        "count": summary["count"],
        "mass": summary["mass"] or Decimal(0),
        "page_mass": sum((r.net_mass_kg for r in rows), Decimal(0)),
        "next_after": f"{rows[-1].version_id}-{rows[-1].ordinal}" if more else None,
        "after": after,
    }


# --- Monitoring ------------------------------------------------------------------------------


def chemical_list() -> QuerySet:
    return Chemical.objects.order_by("listed_year", "name")


def chemical_detail(*, slug: str) -> dict:
    """A listed chemical, the HS and national codes that point to it, and what accepted customs
    and monitoring data hold about it. Five queries."""
    chemical = get_object_or_404(Chemical, slug=slug)
    hs_codes = list(chemical.hs_codes.order_by("code"))
    national_codes = list(chemical.national_codes.select_related("hs_code").order_by("code"))
    customs = list(
        CustomsTotal.objects.filter(version_id__in=accepted_version_ids())
        .filter(Q(chemical=chemical) | codes_pointing_to(chemical))
        .values("year", "flow", "match", "code", "national")
        .annotate(lines_sum=Sum("lines"), mass_sum=Sum("net_mass_kg"))
        .order_by("-year", "flow", "match", "code")
    )
    flows = dict(Flow.choices)
    matches = dict(Match.choices)
    members = code_members((r["code"], r["national"]) for r in customs if r["code"])
    customs.sort(key=lambda r: (-r["year"], r["flow"], MATCH_ORDER.get(r["match"], 9), r["code"]))
    for row in customs:
        row["flow_label"] = flows.get(row["flow"], row["flow"])
        row["match_label"] = matches.get(row["match"], row["match"])
        row["label"] = members[(row["code"], row["national"])]["label"] if row["code"] else ""
        row["lines_query"] = lines_query(row, slug=chemical.slug)
    monitoring = list(
        MonitoringRecord.objects.filter(version_id__in=accepted_version_ids(), chemical=chemical)
        .values("analyte", "matrix")
        .annotate(samples=Count("ordinal"))
        .order_by("analyte", "matrix")
    )
    matrices = choice_labels(MONITORING, "matrix")
    for row in monitoring:
        row["matrix_label"] = matrices.get(row["matrix"], row["matrix"])
    return {
        "chemical": chemical,
        "specific_hs": [c for c in hs_codes if c.match == Match.SPECIFIC],
        "group_hs": [c for c in hs_codes if c.match == Match.GROUP],
        "indicative_hs": [c for c in hs_codes if c.match == Match.INDICATIVE],
        "national_codes": national_codes,
        "customs": customs,
        "monitoring": monitoring,
    }


def hs_code_list() -> QuerySet:
    return HSCode.objects.prefetch_related(
        Prefetch("chemicals", queryset=Chemical.objects.order_by("name"))
    ).order_by("code")


def group_codes_without_subdivision() -> list[dict]:
    """The group HS codes, each with the chemicals it names that no national code under it
    identifies alone: their lines stay group rows until the tariff has such a subdivision.
    Two queries."""
    from inventories.models import NationalProductCode

    covered: dict[int, set[int]] = defaultdict(set)
    for code in NationalProductCode.objects.filter(
        match=Match.SPECIFIC, hs_code__match=Match.GROUP
    ).prefetch_related("chemicals"):
        chemicals = list(code.chemicals.all())
        if len(chemicals) == 1:
            covered[code.hs_code_id].add(chemicals[0].pk)
    result = []
    ordered = Prefetch("chemicals", queryset=Chemical.objects.order_by("name", "pk"))
    for code in HSCode.objects.filter(match=Match.GROUP).prefetch_related(ordered):
        missing = [c for c in code.chemicals.all() if c.pk not in covered[code.pk]]
        if missing:
            result.append({"code": code, "missing": missing})
    return result
