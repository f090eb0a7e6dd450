"""The values of a file's unique column seen so far, in bounded memory: 16 bytes a row (the
value's 64-bit hash and its row), in sorted runs merged as they grow, so that each batch is
looked up in logarithmic time however long the file."""

from __future__ import annotations

import polars as pl


class SeenKeys:
    def __init__(self):
        self.runs: list[pl.DataFrame] = []  # sorted by key, each at most half the previous

    def lookup(self, keys: pl.Series) -> pl.Series:
        """The row that first held each key, or null."""
        keys = keys.cast(pl.UInt64)
        found = pl.Series("row", [None] * len(keys), dtype=pl.Int64)
        for run in self.runs:
            at = run["key"].search_sorted(keys, side="left").clip(upper_bound=run.height - 1)
            hit = run["key"].gather(at) == keys
            rows = pl.select(pl.when(hit).then(run["row"].gather(at))).to_series()
            found = found.fill_null(rows)
        return found

    def add(self, keys: pl.Series, rows: pl.Series) -> None:
        if not len(keys):
            return
        run = pl.DataFrame({"key": keys.cast(pl.UInt64), "row": rows.cast(pl.Int64)})
        run = run.sort("key")
        while self.runs and self.runs[-1].height <= 2 * run.height:
            run = pl.concat([self.runs.pop(), run]).sort("key")
        self.runs.append(run)
