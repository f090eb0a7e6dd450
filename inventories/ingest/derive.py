"""Columns computed from the valid rows of a batch, once per distinct code or name: the customs
match (through the code index the totals use), whether an HS chapter exists, the chemical of a
monitoring result or a pesticide stock. Each returns the frame with its derived columns and the
count of rows flagged for attention."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

import polars as pl

from inventories.models import Chemical, DatasetType
from inventories.schemas import normalise_header


@lru_cache(maxsize=1)
def chemicals_by_cas() -> dict[str, int]:
    found = {}
    for chemical in Chemical.objects.all():
        for cas in chemical.cas_list:
            found.setdefault(cas, chemical.pk)
    return found


@lru_cache(maxsize=1)
def chemicals_by_name() -> dict[str, int]:
    found = {}
    for chemical in Chemical.objects.all():
        found[normalise_header(chemical.slug)] = chemical.pk
        name = chemical.name.split("(")[0]
        found[normalise_header(name)] = chemical.pk
        if "(" in chemical.name:
            found[normalise_header(chemical.name.split("(")[1].split(")")[0])] = chemical.pk
    return found


def forget_reference_caches() -> None:
    chemicals_by_cas.cache_clear()
    chemicals_by_name.cache_clear()


def hs_known(hs_code: pl.Expr) -> pl.Expr:
    """Whether the code's chapter exists in the Harmonized System (01–97; 77 is reserved)."""
    chapter = hs_code.str.replace_all(r"\D", "").str.slice(0, 2).cast(pl.Int32, strict=False)
    chapter = chapter.fill_null(0)
    return (chapter >= 1) & (chapter <= 97) & (chapter != 77)


def _by_pairs(
    frame: pl.DataFrame,
    keys: list[str],
    name: str,
    function: Callable,
    dtype,
    cache: dict,
    **also: pl.Expr,
) -> pl.DataFrame:
    """``frame`` with column ``name``: ``function`` of each distinct combination of ``keys``, and
    the columns ``also`` computed on those combinations too."""
    distinct = frame.select(keys).unique()
    values = []
    for pair in distinct.iter_rows():
        if pair not in cache:
            result = function(*pair)
            if len(cache) >= 100_000:
                cache.clear()
            cache[pair] = result
        values.append(cache[pair])
    distinct = distinct.with_columns(pl.Series(name, values, dtype=dtype), **also)
    return frame.join(distinct, on=keys, how="left", maintain_order="left", nulls_equal=True)


def deriver(schema) -> Callable[[pl.DataFrame], tuple[pl.DataFrame, int]]:
    cache: dict = {}
    if schema.dataset_type == DatasetType.CUSTOMS:
        from inventories.services.customs import MatchIndex

        index = MatchIndex()  # the one resolution the totals and the lines page use too

        def derive(frame):
            frame = _by_pairs(
                frame,
                ["hs_code", "national_code"],
                "match",
                index.match_of,
                pl.Utf8,
                cache,
                hs_known=hs_known(pl.col("hs_code")),
            )
            flagged = frame.select((~pl.col("hs_known") | (pl.col("match") != "")).sum()).item()
            return frame, flagged

        return derive
    if schema.dataset_type == DatasetType.MONITORING:
        by_cas, by_name = chemicals_by_cas(), chemicals_by_name()

        def chemical(cas, analyte):
            return by_cas.get(cas) or by_name.get(normalise_header(analyte))

        def derive(frame):
            frame = _by_pairs(frame, ["cas", "analyte"], "chemical_id", chemical, pl.Int64, cache)
            return frame, frame["chemical_id"].is_not_null().sum()

        return derive
    if schema.dataset_type == DatasetType.PESTICIDES:
        by_name = chemicals_by_name()

        def derive(frame):
            frame = _by_pairs(
                frame,
                ["active_ingredient"],
                "chemical_id",
                lambda name: by_name.get(normalise_header(name)),
                pl.Int64,
                cache,
            )
            return frame, frame["chemical_id"].is_not_null().sum()

        return derive
    return lambda frame: (frame, 0)
