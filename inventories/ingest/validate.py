"""A batch of rows checked against a schema, set-wise: every cell of a column at once, then the
schema's cross-column rules, then repeated values of its unique column across the whole file.

:class:`Validator` takes the rows a reader hands over (row numbers and lists of cells) and returns
the accepted rows as a frame in the order of the records table, and the rejected ones with the
reason of each (the first cell or rule that fails, as the row-by-row reading of the same file
would name it)."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass

import polars as pl
from django.utils.translation import gettext_lazy

from inventories.ingest.cells import CELL_ERRORS, column_exprs, trimmed, unprotected
from inventories.ingest.unique import SeenKeys
from inventories.messages import field, stored

HINT_SAMPLES = 2_000  # failing cells per column tried with the other decimal mark or date order
SHORT_ROW = gettext_lazy("The row has %(cells)s columns; the header has %(header)s.")
DUPLICATE = gettext_lazy("Same %(column)s “%(value)s” as row %(row)s.")


@dataclass
class Rejected:
    row_number: int
    column: str
    code: str
    message: dict
    cells: list[str]


class Validator:
    def __init__(self, schema, *, mapping: dict[str, int], width: int, day_first: bool,
                 decimal: str, value_map: dict, header_of: dict[str, str]):  # fmt: skip
        self.schema = schema
        self.mapping = mapping
        self.width = width
        self.header_of = header_of
        self.names = [c.name for c in schema.columns]
        self.day_first, self.decimal = day_first, decimal
        self.cache: dict = {}
        self.exprs = self._column_exprs(day_first=day_first, decimal=decimal,
                                        value_map=value_map)  # fmt: skip
        self.checks = list(schema.rules)
        self.check_exprs = [check.when() for check in self.checks]
        self.seen = SeenKeys() if schema.unique else None
        self.reasons: Counter = Counter()
        self.examples: dict[tuple, dict] = {}
        self.misread: Counter = Counter()  # (hint, column) -> failing cells read the other way
        self.tried: Counter = Counter()
        self.other = self._other_readings(value_map)

    def _column_exprs(self, *, day_first, decimal, value_map, columns=None):
        """The columns' expressions in stages: a stage reads what the ones before it wrote."""
        stages: list[dict] = [{}, {}, {}]
        for column in columns or self.schema.columns:
            own = column_exprs(column, day_first=day_first, decimal=decimal,
                               value_map=value_map.get(column.name, {}), cache=self.cache)
            for offset, exprs in enumerate(own):  # the last stage of each column goes last
                stages[3 - len(own) + offset].update(exprs)
        return [stage for stage in stages if stage]

    def _other_readings(self, value_map) -> dict[str, tuple[str, pl.Expr]]:
        """For each mapped number or date column: the hint, and its error key read with the other
        decimal mark or date order, to tell a misread file from bad cells."""
        other = {}
        for column in self.schema.columns:
            if column.name not in self.mapping:
                continue
            if column.kind in ("decimal", "result"):
                hint = "decimal_point" if self.decimal == "," else "decimal_comma"
                exprs = self._column_exprs(
                    day_first=self.day_first, decimal="." if self.decimal == "," else ",",
                    value_map={}, columns=[column],
                )  # fmt: skip
            elif column.kind == "date":
                hint = "month_first" if self.day_first else "day_first"
                exprs = self._column_exprs(day_first=not self.day_first, decimal=".",
                                           value_map={}, columns=[column])  # fmt: skip
            else:
                continue
            other[column.name] = (hint, exprs)
        return other

    def _text(self, name: str) -> pl.Expr:
        position = self.mapping.get(name)
        if position is None or position >= self.width:
            return trimmed(pl.lit(None, pl.Utf8))
        return trimmed(pl.col(f"c{position}"))

    def seed(self, values: list[str], rows: list[int]) -> None:
        """Values of the unique column already held by the version (a correction's rows)."""
        if self.seen is not None and values:
            self.seen.add(pl.Series(values, dtype=pl.Utf8).hash(), pl.Series(rows, dtype=pl.Int64))

    def batch(self, frame: pl.DataFrame):
        """(accepted rows as a frame with the schema's columns, rejected rows) of a frame from
        :func:`inventories.ingest.read.frames`."""
        checked = self._checked(frame).collect()  # one query: shared sub-expressions run once
        errors = checked["_error"]
        kept = ["_row", *self.names, *[n for n in self.schema.derived if n in checked.columns],
                *[f"c{p}" for p in range(self.width)]]  # fmt: skip
        failing = errors.null_count() < len(errors)
        if failing:
            failed = checked.filter(errors.is_not_null())
            accepted = checked.filter(errors.is_null()).select(kept)
        else:
            failed, accepted = None, checked.select(kept)
        duplicates = None
        if self.seen is not None and accepted.height:
            accepted, duplicates = self._unique(accepted)
        rejected = self._rejected(failed) if failing else []
        if duplicates is not None and duplicates.height:
            rejected += self._duplicates(duplicates)
            rejected.sort(key=lambda r: r.row_number)
        return accepted, rejected

    def _checked(self, frame: pl.DataFrame) -> pl.LazyFrame:
        """The frame with each column's text, value and error key, and ``_error``: the place of
        the first failing cell or rule (cells first, in the schema's order), null when none."""
        texts = {f"t:{n}": self._text(n) for n in self.names}
        protected = frame.select(
            pl.any_horizontal([pl.col(c).str.contains("'", literal=True).any()
                               for c in frame.columns if c.startswith("c")] or [pl.lit(False)])
        ).item()  # a quote anywhere: the batch's cells are looked at closely
        if protected:
            texts = {name: unprotected(text) for name, text in texts.items()}
        lazy = frame.lazy().with_columns(**texts)
        for stage in self.exprs:
            lazy = lazy.with_columns(**stage)
        if self.schema.rewrites is not None:
            lazy = lazy.with_columns(**self.schema.rewrites())
        cells = len(self.names)
        failures = [pl.when(pl.col(f"e:{name}").is_not_null()).then(pl.lit(i))
                    for i, name in enumerate(self.names)]  # fmt: skip
        failures += [pl.when(expr).then(pl.lit(cells + i))
                     for i, expr in enumerate(self.check_exprs)]  # fmt: skip
        return lazy.with_columns(_error=pl.coalesce(failures) if failures else pl.lit(None))

    def _unique(self, accepted: pl.DataFrame):
        """Rows whose unique value an earlier row of the file already holds."""
        name = self.schema.unique
        keys = accepted[name].hash()
        first_in_batch = keys.is_first_distinct()
        earlier = self.seen.lookup(keys)  # the row of an earlier batch, or null
        if first_in_batch.all():
            within = pl.Series([None] * len(keys), dtype=pl.Int64)
        else:
            within = accepted.select(pl.col("_row").first().over(keys.rename("_k")))["_row"]
        first = pl.select(
            pl.when(earlier.is_not_null()).then(earlier)
            .when(~first_in_batch).then(within)
            .otherwise(pl.lit(None, pl.Int64))
        ).to_series()  # fmt: skip
        duplicate = first.is_not_null()
        new = ~duplicate & first_in_batch
        self.seen.add(keys.filter(new), accepted["_row"].filter(new))
        if not duplicate.any():
            return accepted, None
        return accepted.filter(~duplicate), accepted.filter(duplicate).with_columns(
            _first=first.filter(duplicate)
        )

    def _cells(self, rows: pl.DataFrame) -> list[list[str]]:
        """The rows' cells as the file has them, padded to the header's width."""
        columns = [pl.col(f"c{p}").fill_null("") for p in range(self.width)]
        return [list(cells) for cells in rows.select(columns).iter_rows()]

    def _message(self, code: str, template, column: str, params: dict) -> dict:
        message = stored(template, params)
        if column and column not in self.mapping:
            message["field"] = field(self.schema.dataset_type, column)
        self.reasons[(code, column)] += 1
        self.examples.setdefault((code, column), message)
        return message

    def _rejected(self, failed: pl.DataFrame) -> list[Rejected]:
        cells_count = len(self.names)
        if self.other:
            other = {}
            for name, (_hint, stages) in self.other.items():
                again = failed.select(f"t:{name}")
                for stage in stages:
                    again = again.with_columns(**stage)
                other[f"o:{name}"] = again[f"e:{name}"]
        rows = failed.select(
            "_row", "_len", "_error", *[f"t:{n}" for n in self.names],
            *[f"e:{n}" for n in self.names],
            *[n for n in self.names if self.schema.column(n).kind == "text"],
        ).to_dicts()  # fmt: skip
        out = []
        all_cells = self._cells(failed)
        for position, row in enumerate(rows):
            error = row["_error"]
            if error < cells_count:
                name = self.names[error]
                column = self.schema.column(name)
                cell_error = CELL_ERRORS[row[f"e:{name}"]]
                code, template = cell_error.code, cell_error.template
                params = cell_error.params(row[f"t:{name}"], column)
                if name in self.other and self.tried[name] < HINT_SAMPLES:
                    self.tried[name] += 1
                    if other[f"o:{name}"][position] is None:
                        self.misread[(self.other[name][0], name)] += 1
            else:
                check = self.checks[error - cells_count]
                name, code, template = check.column, check.code, check.message
                params = check.params({n: row.get(n, row.get(f"t:{n}")) for n in self.names})
            length = row["_len"]
            place = self.mapping.get(name, -1)
            if length < self.width and place >= length:
                code, template = "short_row", SHORT_ROW
                params = {"cells": length, "header": self.width}
            number = row["_row"]
            message = self._message(code, template, name, params)
            out.append(Rejected(number, name, code, message, all_cells[position]))
        return out

    def _duplicates(self, duplicates: pl.DataFrame) -> list[Rejected]:
        name = self.schema.unique
        out = []
        all_cells = self._cells(duplicates)
        for position, row in enumerate(duplicates.select("_row", "_first", name).to_dicts()):
            params = {"column": self.header_of[name], "value": row[name], "row": row["_first"]}
            message = self._message("duplicate", DUPLICATE, name, params)
            number = row["_row"]
            out.append(
                Rejected(number, name, "duplicate", message, all_cells[position])
            )
        return out


def cells_json(cells: list[str]) -> str:
    return json.dumps(list(cells), ensure_ascii=False)
