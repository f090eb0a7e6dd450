"""Which customs lines count for which chemical, and the totals that say so.

A line's national code is matched first, then its HS code at 8, 6 and 4 digits. The code found
gives the line one of three matches (``Match``): a code that identifies one chemical counts the
line towards that chemical (specific); a code that names a group of listed chemicals (2903.82:
aldrin, chlordane or heptachlor) or whose goods only may hold one (8504.22: transformers) counts
the line once, under the code (group, indicative), never once for each chemical it may hold. A
national subdivision that points at one chemical therefore resolves the lines of a group code.

The totals (``CustomsTotal``) are computed when a version is ingested, and again for every
accepted version when the secretariat changes a national code, so that a new subdivision applies
to the data already accepted."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction

from inventories import permissions as perms
from inventories.models import Match, only_digits


@dataclass(frozen=True)
class CodeMatch:
    """What a line's codes say: the match, the chemicals (ids, by name), and the code that said
    it, as the reference writes it, with whether it is a national code."""

    match: str
    chemicals: tuple[int, ...]
    code: str
    national: bool

    @property
    def chemical(self) -> int | None:
        """The one chemical a specific match counts the line for."""
        return self.chemicals[0] if self.match == Match.SPECIFIC and self.chemicals else None


def _model(get, name: str):
    if get is not None:
        return get("inventories", name)
    from django.apps import apps

    return apps.get_model("inventories", name)


class MatchIndex:
    """HS and national codes with the chemicals they point to, loaded once (two queries).
    ``get`` is ``apps.get_model`` in a migration."""

    def __init__(self, get=None):
        self.hs: dict[str, CodeMatch] = {}
        self.national: dict[str, CodeMatch] = {}
        for model, national, table in (
            ("HSCode", False, self.hs),
            ("NationalProductCode", True, self.national),
        ):
            for code in _model(get, model).objects.prefetch_related("chemicals"):
                chemicals = tuple(
                    c.pk for c in sorted(code.chemicals.all(), key=lambda c: (c.name, c.pk))
                )
                if not chemicals or not code.match:
                    continue
                table[only_digits(code.code)] = CodeMatch(
                    Match.of(code.match, len(chemicals)), chemicals, code.code, national
                )

    def resolve(self, hs_code: str, national_code: str) -> CodeMatch | None:
        """The strongest match of a line: its national code, else its HS subheading, else its
        heading; None when no code points to a listed chemical."""
        if national_code:
            found = self.national.get(only_digits(national_code))
            if found:
                return found
        digits = only_digits(hs_code)
        for length in (8, 6, 4):
            found = self.hs.get(digits[:length])
            if found:
                return found
        return None

    def match_of(self, hs_code: str, national_code: str) -> str:
        """The kind of match stored on a line ("" when no code points to a listed chemical)."""
        found = self.resolve(hs_code, national_code)
        return found.match if found else ""


def total_key(found: CodeMatch) -> tuple[int | None, str, bool, str]:
    """(chemical, code, national, match) of the total that counts a line: the chemical for a
    specific match, the code for a group or indicative one."""
    if found.match == Match.SPECIFIC:
        return found.chemical, "", False, found.match
    return None, found.code, found.national, found.match


def totals_compute(
    version_id: int, *, index: MatchIndex | None = None, reconcile: bool = False, get=None
) -> int:
    """Replace the totals of one customs version: net mass and lines per chemical or code, year,
    flow and partner. With ``reconcile``, each line's stored match is first brought in line with
    the codes as they are now (a national code added since ingestion). Grouped in the database,
    so a million rows cost a few queries. Returns the number of totals."""
    from django.db.models import Count, Sum
    from django.db.models.functions import ExtractYear

    CustomsRecord = _model(get, "CustomsRecord")
    CustomsTotal = _model(get, "CustomsTotal")
    index = index or MatchIndex(get)
    records = CustomsRecord.objects.filter(version_id=version_id)
    if reconcile:
        pairs = records.values_list("hs_code", "national_code", "match").distinct().order_by()
        for hs_code, national_code, stored in list(pairs):
            found = index.resolve(hs_code, national_code)
            match = found.match if found else ""
            if match != stored:
                records.filter(hs_code=hs_code, national_code=national_code).exclude(
                    match=match
                ).update(match=match)
    grouped = (
        records.exclude(match="")
        .annotate(year=ExtractYear("declared_on"))
        .values("hs_code", "national_code", "year", "flow", "origin_country", "consignment_country")
        .annotate(lines=Count("*"), mass=Sum("net_mass_kg"))
        .order_by()
    )
    totals: dict[tuple, list] = {}
    for group in grouped:
        found = index.resolve(group["hs_code"], group["national_code"])
        if found is None:
            continue
        partner = (
            group["origin_country"] if group["flow"] == "import" else group["consignment_country"]
        )
        key = (*total_key(found), group["year"], group["flow"], partner)
        entry = totals.setdefault(key, [0, Decimal(0)])
        entry[0] += group["lines"]
        entry[1] += group["mass"] or 0
    CustomsTotal.objects.filter(version_id=version_id).delete()
    CustomsTotal.objects.bulk_create(
        [
            CustomsTotal(
                version_id=version_id,
                chemical_id=chemical,
                code=code,
                national=national,
                match=match,
                year=year,
                flow=flow,
                partner_country=partner,
                lines=lines,
                net_mass_kg=mass,
            )
            for (chemical, code, national, match, year, flow, partner), (lines, mass) in sorted(
                totals.items(), key=lambda item: tuple(str(part) for part in item[0])
            )
        ],
        batch_size=1000,
    )
    return len(totals)


def customs_version_ids(get=None) -> list[int]:
    """The customs versions whose lines are loaded (validated, or held back for a confirmation),
    accepted or not yet."""
    DatasetVersion = _model(get, "DatasetVersion")
    return list(
        DatasetVersion.objects.filter(
            dataset__dataset_type="customs", status__in=["validated", "problems"]
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def totals_rebuild(get=None) -> int:
    """Compute again the totals of every loaded customs version with the codes as they are now.
    Idempotent. Returns the number of versions."""
    index = MatchIndex(get)
    ids = customs_version_ids(get)
    for version_id in ids:
        with transaction.atomic():
            totals_compute(version_id, index=index, reconcile=True, get=get)
    return len(ids)


@transaction.atomic
def national_code_save(*, form, actor):
    """Save a national product code from its validated form and compute the customs totals
    again once committed, so that a subdivision that points at one chemical resolves the lines
    of its group code in the data already accepted."""
    if not perms.can_manage_reference(actor):
        raise PermissionDenied
    code = form.save(commit=False)
    code._history_user = actor
    code.full_clean()
    code.save()
    form.save_m2m()
    from inventories.tasks import rebuild_customs_totals

    transaction.on_commit(rebuild_customs_totals.delay)
    return code
