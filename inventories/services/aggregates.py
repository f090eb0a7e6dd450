"""The aggregates computed when a dataset version is loaded, inside its ingest transaction:
customs totals per chemical or code, and UPOPs releases from activities and emission factors."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from inventories.models import (
    DatasetType,
    DatasetVersion,
    EmissionFactor,
    SourceCategory,
    UPOPsRelease,
)
from inventories.schemas import Schema


def aggregate(version: DatasetVersion, schema: Schema) -> None:
    if schema.dataset_type == DatasetType.CUSTOMS:
        aggregate_customs(version)
    elif schema.dataset_type == DatasetType.UPOPS:
        aggregate_releases(version)


def aggregate_customs(version: DatasetVersion) -> None:
    """Totals per chemical or code, year, flow and partner for the lines that point to a listed
    chemical (see ``inventories.services.customs``)."""
    from inventories.services.customs import totals_compute

    totals_compute(version.pk)


def aggregate_releases(version: DatasetVersion) -> None:
    """g TEQ/a = activity (t/a) × factor (µg TEQ/t) × 10⁻⁶, per vector with a factor."""
    from django.db.models import Sum

    from inventories.models import UPOPsActivityRecord

    categories = {c.code.lower(): c for c in SourceCategory.objects.select_related("group")}
    factors: dict[tuple, list[EmissionFactor]] = defaultdict(list)
    for factor in EmissionFactor.objects.all():
        factors[(factor.category_id, factor.class_number)].append(factor)
    grouped = (
        UPOPsActivityRecord.objects.filter(version=version)
        .values("source_category", "class_number", "year")
        .annotate(activity=Sum("activity_rate"))
    )
    releases = []
    for group in grouped:
        category = categories[group["source_category"].lower()]
        for factor in factors.get((category.pk, group["class_number"]), []):
            releases.append(
                UPOPsRelease(
                    version=version,
                    category=category,
                    class_number=group["class_number"],
                    year=group["year"],
                    vector=factor.vector,
                    activity=group["activity"],
                    factor=factor.factor,
                    g_teq=group["activity"] * factor.factor / Decimal(1_000_000),
                )
            )
    UPOPsRelease.objects.bulk_create(releases)
