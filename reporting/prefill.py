"""What the portal computes for a report's questions, from what the mechanism already holds.

Each question names its source (``Question.prefill``); what the source gives depends on the
question's kind, and a table takes the figures its columns name:

- party: the Party's name (text), the Stockholm Convention contacts currently designated
  (table), whether a national focal point is designated (yes/no);
- nip: whether a NIP was transmitted (yes/no), the latest transmission (date), every update
  cycle (table);
- trade: production, import and export per Annex A and B chemical, year and flow, with the
  partner States, from the accepted customs datasets only (table);
- releases: g TEQ per year, Toolkit source group and vector from accepted inventories (table);
- pcb: equipment by concentration class and status, or progress to 2025 and 2028 (table);
- monitoring: whether monitoring data exist (yes/no), results per analyte, matrix, site and year
  (table): samples, detected results, results below the limit, the mean of detected values and
  the median, which reads ``< limit`` or ``n.d.`` when it falls among results below the limit
  (those are never counted as zero);
- contacts, mercury, mercury_products, workplan: the other conventions' tables, computed in
  ``prefill_conventions``; basel_exports, basel_imports, basel_transit: the Basel annual report's
  tables of movements, computed in ``prefill_basel``.

Only years within the round's period count. Each value comes with its sources: the dataset
versions used, each with its institution and SHA-256, or the registry rows read. A source is
read once per report, whatever number of questions uses it.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from reporting import prefill_basel as basel
from reporting import prefill_conventions as conventions
from reporting.models import Question, Round

Kind = Question.Kind
Prefill = Question.Prefill
# Tables of the other conventions' reports, computed in ``prefill_conventions``.
CONVENTION_TABLES = (
    Prefill.CONTACTS,
    Prefill.MERCURY,
    Prefill.MERCURY_PRODUCTS,
    Prefill.WORKPLAN,
    Prefill.BASEL_EXPORTS,
    Prefill.BASEL_IMPORTS,
    Prefill.BASEL_TRANSIT,
)


def _number(value) -> float | int | None:
    if value is None:
        return None
    if isinstance(value, Decimal):
        value = float(round(value, 6))
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _in_period(year: int | None, round_: Round) -> bool:
    return year is not None and round_.period_start.year <= year <= round_.period_end.year


def version_sources(versions) -> list[dict]:
    """The dataset versions used, as an answer records them."""
    return [
        {
            "dataset_version": v.pk,
            "dataset": f"{v.dataset.get_dataset_type_display()} "
            f"{v.dataset.period_start.isoformat()}–{v.dataset.period_end.isoformat()}",
            "institution": v.dataset.institution.name,
            "sha256": v.sha256,
            "rows": v.rows_accepted,
        }
        for v in sorted(versions, key=lambda v: (v.dataset.institution.name, v.pk))
    ]


def accepted_versions(dataset_type: str, round_: Round, ids=None):
    from inventories.models import DatasetVersion
    from inventories.selectors_data import accepted_version_ids

    versions = DatasetVersion.objects.filter(pk__in=accepted_version_ids(dataset_type))
    if ids is not None:
        versions = versions.filter(pk__in=ids)
    else:
        versions = versions.filter(
            dataset__period_start__lte=round_.period_end,
            dataset__period_end__gte=round_.period_start,
        )
    return list(versions.select_related("dataset__institution"))


# --- Sources, each read once ---------------------------------------------------------------


def trade_rows(round_: Round) -> tuple[list[dict], list[dict]]:
    """Import and export in the round's period, summed over the accepted customs versions, with
    the partner States: one row per Annex A or B chemical, year and flow for the lines whose code
    identifies that chemical (specific), and one row per code, year and flow for the lines whose
    code names a group of chemicals or only may hold one (group, indicative), labelled with the
    chemicals it names. Every matched line is in exactly one row; and those versions."""
    from inventories.models import CustomsTotal
    from inventories.selectors_data import accepted_version_ids, code_members

    totals = list(
        CustomsTotal.objects.filter(
            version_id__in=accepted_version_ids("customs"),
            year__gte=round_.period_start.year,
            year__lte=round_.period_end.year,
        )
        .filter(Q(chemical__isnull=True) | Q(chemical__annex_a=True) | Q(chemical__annex_b=True))
        .values(
            "chemical__name",
            "chemical__slug",
            "code",
            "national",
            "year",
            "flow",
            "match",
            "partner_country",
            "version_id",
        )
        .annotate(kg=Sum("net_mass_kg"), line_count=Sum("lines"))
        .order_by()
    )
    members = code_members((t["code"], t["national"]) for t in totals if t["code"])
    grouped: dict[tuple, dict] = {}
    version_ids = set()
    for t in totals:
        if t["code"]:
            entry = members[(t["code"], t["national"])]
            if not any(m.annex_a or m.annex_b for m in entry["members"]):
                continue
            name, slug = entry["label"], ""
        else:
            name, slug = t["chemical__name"], t["chemical__slug"]
        key = (name, slug, t["code"], t["national"], t["year"], t["flow"], t["match"])
        row = grouped.setdefault(key, {"kg": Decimal(0), "lines": 0, "partners": set()})
        row["kg"] += t["kg"] or Decimal(0)
        row["lines"] += t["line_count"] or 0
        if t["partner_country"]:
            row["partners"].add(t["partner_country"])
        version_ids.add(t["version_id"])
    order = {"specific": 0, "group": 1, "indicative": 2}
    rows = []
    for (name, slug, code, national, year, flow, match), data in sorted(
        grouped.items(), key=lambda i: (order.get(i[0][6], 9), i[0][0], i[0][4], i[0][5])
    ):
        row = {
            "chemical": name,
            "chemical_slug": slug,
            "year": year,
            "flow": flow,
            "quantity_kg": _number(round(data["kg"], 3)),
            "partners": ", ".join(sorted(data["partners"])),
            "estimate": False,
            "lines": data["lines"],
            "match": match,
        }
        if code:
            row.update(
                code=code,
                national=national,
                members=[m.slug for m in members[(code, national)]["members"]],
            )
        rows.append(row)
    sources = version_sources(accepted_versions("customs", round_, ids=version_ids))
    return rows, sources


def group_key(row: dict) -> tuple:
    """What names a group row of the trade table: its code, year and flow."""
    return (row.get("code", ""), bool(row.get("national")), row.get("year"), row.get("flow"))


def apply_attributions(rows: list[dict], attributions) -> list[dict]:
    """The trade rows with each attributed group row replaced by one row per chemical it was
    attributed to, each with its share of the quantity. An attribution whose quantities no longer
    add up to its row (the data changed since) is not applied: the row stays a group row, marked
    for review. The quantities of the table are unchanged either way."""
    by_key = {(a.code, a.national, a.year, a.flow): a for a in attributions}
    if not by_key:
        return rows
    result = []
    for row in rows:
        attribution = by_key.get(group_key(row)) if row.get("match") == "group" else None
        if attribution is None:
            result.append(row)
            continue
        shares = attribution.shares_for(Decimal(str(row["quantity_kg"] or 0)))
        if shares is None:
            result.append({**row, "attribution_stale": True})
            continue
        for slug, name, kg in shares:
            result.append(
                {
                    **{k: v for k, v in row.items() if k != "members"},
                    "chemical": _("%(chemical)s (attributed from %(group)s)")
                    % {"chemical": name, "group": row["chemical"]},
                    "chemical_slug": slug,
                    "quantity_kg": _number(kg),
                    "attributed": True,
                }
            )
    return result


def release_rows(round_: Round) -> tuple[list[dict], list[dict]]:
    from inventories.models import Vector
    from inventories.selectors_summaries import release_summary

    summary = release_summary()
    vectors = [v for v, _label in Vector.choices]
    rows = []
    for group in sorted(summary["table"], key=lambda g: (g["year"], g["number"])):
        if not _in_period(group["year"], round_):
            continue
        row = {"year": group["year"], "group": group["number"], "group_name": group["name"]}
        for vector, value in zip(vectors, group["cells"], strict=True):
            row[vector] = _number(value)
        row["total"] = _number(group["total"])
        rows.append(row)
    sources = version_sources(accepted_versions("upops", round_)) if rows else []
    return rows, sources


def pcb_figures(round_: Round) -> tuple[dict, list[dict]]:
    from inventories.selectors_summaries import pcb_summary

    summary = pcb_summary(on=min(timezone.localdate(), round_.due))
    statuses = [s["key"] for s in summary["statuses"]]
    inventory = []
    for klass in summary["table"]:
        cells = dict(zip(statuses, klass["cells"], strict=True))
        if not klass["count"]:
            continue
        inventory.append(
            {
                "concentration_class": str(klass["label"]),
                "in_use": cells.get("in_use", {}).get("count", 0),
                "in_use_litres": _number(cells.get("in_use", {}).get("litres")),
                "decommissioned": cells.get("decommissioned", {}).get("count", 0),
                "disposed": cells.get("disposed", {}).get("count", 0),
                "total": klass["count"],
            }
        )
    goals = summary["goals"]
    progress = []
    if summary["total"]:
        progress = [
            {
                "goal": _("2025: no equipment with 0.05 % PCB or more in use"),
                "total": goals.above_500_total,
                "remaining": goals.above_500_in_use,
                "percent": goals.percent_2025,
            },
            {
                "goal": _("2028: equipment with 0.005 % PCB or more disposed of"),
                "total": goals.at_least_50_total,
                "remaining": goals.at_least_50_not_disposed,
                "percent": goals.percent_2028,
            },
        ]
    sources = version_sources(accepted_versions("pcb", round_, ids=None)) if inventory else []
    return {"inventory": inventory, "progress": progress}, sources


def _median_text(value, qualifier: str, limit) -> str:
    """A median as a report holds it: ``0.42``, ``< 0.05`` or ``n.d.``; a censored median is
    never written as a number."""

    def plain(number):
        return format(Decimal(number).normalize(), "f")

    if qualifier == "nd":
        return "n.d."
    if qualifier == "<":
        return f"< {plain(limit)}" if limit is not None else "< LOD"
    return plain(value) if value is not None else ""


def monitoring_rows(round_: Round) -> tuple[list[dict], list[dict]]:
    from inventories.selectors_summaries import monitoring_summary

    rows = [
        {
            "analyte": r["analyte"],
            "matrix": str(r["matrix_label"]),
            "site": r["site"],
            "year": r["year"],
            "samples": r["samples"],
            "detected": r["detected"],
            "below_limit": r["below_limit"],
            "mean": _number(r["mean"]),
            "median": _median_text(*r["median"]),
            "unit": r["unit"],
        }
        for r in monitoring_summary()["rows"]
        if _in_period(r["year"], round_)
    ]
    sources = version_sources(accepted_versions("monitoring", round_)) if rows else []
    return rows, sources


def nip_cycles() -> tuple[list[dict], list[dict]]:
    from nip_lifecycle.models import Cycle

    cycles = list(
        Cycle.objects.exclude(status=Cycle.Status.ABANDONED)
        .prefetch_related("amendments")
        .order_by("created_at", "pk")
    )
    rows = [
        {
            "cycle": c.title,
            "trigger": str(c.get_trigger_display()),
            "status": str(c.get_status_display()),
            "deadline": c.deadline().isoformat() if c.deadline() else "",
            "transmitted_on": c.transmitted_on.isoformat() if c.transmitted_on else "",
            "reference": c.transmission_reference,
        }
        for c in cycles
    ]
    sources = [{"nip_cycle": c.pk, "title": c.title} for c in cycles]
    return rows, sources


def party_contacts() -> tuple[list[dict], list[dict]]:
    """The Party's Stockholm contacts: the persons designated to the Convention's roles."""
    return conventions.convention_contacts("stockholm")


@dataclass
class Sources:
    """The sources of one report, each read the first time a question asks for it."""

    round: Round
    _cache: dict = field(default_factory=dict)

    def get(self, name: str):
        if name not in self._cache:
            self._cache[name] = {
                "trade": lambda: trade_rows(self.round),
                "releases": lambda: release_rows(self.round),
                "pcb": lambda: pcb_figures(self.round),
                "monitoring": lambda: monitoring_rows(self.round),
                "nip": nip_cycles,
                "party": party_contacts,
                "contacts": lambda: conventions.convention_contacts(self.round.convention),
                "mercury": lambda: conventions.mercury_rows(self.round, conventions.SUBSTANCES),
                "mercury_products": lambda: conventions.mercury_rows(
                    self.round, conventions.PRODUCTS
                ),
                "workplan": lambda: conventions.workplan_tasks(self.round, self.round.convention),
                "basel_exports": lambda: basel.movement_rows(self.round, "export"),
                "basel_imports": lambda: basel.movement_rows(self.round, "import"),
                "basel_transit": lambda: basel.movement_rows(self.round, "transit"),
            }[name]()
        return self._cache[name]


def _table(rows: list[dict], columns: list[dict]) -> dict | None:
    """Rows limited to the question's columns (a TRADE row keeps its link keys); None when the
    source has no rows, so that what people enter is an answer, not an override."""
    if not rows:
        return None
    keys = {c["key"] for c in columns} | {
        "chemical_slug",
        "code",
        "national",
        "attributed",
        "attribution_stale",
    }
    return {"rows": [{k: v for k, v in row.items() if k in keys} for row in rows], "note": ""}


def compute(question: Question, sources: Sources, attributions=()) -> tuple[object, list[dict]]:
    """The prefilled value of a question and the sources behind it; (None, []) when its source
    says nothing for its kind. ``attributions``: those of the trade table's group rows."""
    kind, source = question.kind, question.prefill
    if source == Prefill.PARTY:
        rows, used = sources.get("party")
        if kind == Kind.TEXT:
            return settings.NCM_COUNTRY_NAME, [{"registry": "country", "title": "NCM_COUNTRY_NAME"}]
        if kind == Kind.YES_NO:
            if not rows:
                return None, []
            focal = [r for r in rows if r["role_code"] == "national-focal-point"]
            return bool(focal), used
        if kind == Kind.TABLE:
            return _table(rows, question.columns), used
    elif source == Prefill.NIP:
        rows, used = sources.get("nip")
        transmitted = sorted(r["transmitted_on"] for r in rows if r["transmitted_on"])
        if kind == Kind.YES_NO:
            return (bool(transmitted) if rows else None), used
        if kind == Kind.DATE:
            return (transmitted[-1] if transmitted else None), used
        if kind == Kind.TABLE:
            return _table(rows, question.columns), used
    elif source == Prefill.TRADE and kind == Kind.TABLE:
        rows, used = sources.get("trade")
        rows = apply_attributions(rows, attributions)
        return _table(rows, question.columns), (used if rows else [])
    elif source == Prefill.RELEASES and kind == Kind.TABLE:
        rows, used = sources.get("releases")
        return _table(rows, question.columns), (used if rows else [])
    elif source == Prefill.PCB and kind == Kind.TABLE:
        figures, used = sources.get("pcb")
        keys = {c["key"] for c in question.columns}
        rows = figures["progress"] if "goal" in keys else figures["inventory"]
        return _table(rows, question.columns), (used if rows else [])
    elif source in CONVENTION_TABLES and kind == Kind.TABLE:
        rows, used = sources.get(source)
        return _table(rows, question.columns), (used if rows else [])
    elif source == Prefill.MONITORING:
        rows, used = sources.get("monitoring")
        if kind == Kind.YES_NO:
            return (True if rows else None), used
        if kind == Kind.TABLE:
            return _table(rows, question.columns), used
    return None, []


def trade_totals_by_chemical(rows: list[dict]) -> dict:
    """(chemical slug, or group or indicative code, year, flow) -> kg: for checks and
    summaries. Each line is in one row, so these add up to the declarations' net mass."""
    totals: dict = defaultdict(float)
    for row in rows:
        key = row.get("chemical_slug") or row.get("code", "")
        totals[(key, row["year"], row["flow"])] += row["quantity_kg"] or 0
    return dict(totals)
