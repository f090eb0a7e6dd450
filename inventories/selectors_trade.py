"""Customs lines read by HS code for pages outside inventories (the Rotterdam import responses):
only the lines of accepted customs datasets count."""

import datetime

from django.db.models import Count, Q, QuerySet, Sum, Value
from django.db.models.functions import Replace

from inventories.models import CustomsRecord
from inventories.selectors_data import accepted_version_ids


def digits(code: str) -> str:
    return "".join(c for c in code if c.isdigit())


def customs_lines_under(codes: list[str], *, since: datetime.date) -> QuerySet[CustomsRecord]:
    """The accepted customs lines declared on or after ``since`` whose HS code falls under one
    of ``codes`` (compared digit by digit, whatever the dots), newest first."""
    prefixes = [d for d in (digits(c) for c in codes) if len(d) >= 4]
    if not prefixes:
        return CustomsRecord.objects.none()
    under = Q()
    for prefix in prefixes:
        under |= Q(hs_digits__startswith=prefix)
    return (
        CustomsRecord.objects.filter(
            version_id__in=accepted_version_ids("customs"), declared_on__gte=since
        )
        .annotate(hs_digits=Replace("hs_code", Value("."), Value("")))
        .filter(under)
        .order_by("-declared_on", "pk")
    )


def customs_totals_under(codes: list[str], *, since: datetime.date) -> list[dict]:
    """Per flow: the number of lines and their net mass."""
    return list(
        customs_lines_under(codes, since=since)
        .order_by("flow")
        .values("flow")
        .annotate(lines=Count("ordinal"), net_mass_kg=Sum("net_mass_kg"))
    )
