"""A batch of rows checked against a schema, set-wise: every cell of a column at once, then the
schema's cross-column rules, in one polars query.

:class:`Validator` takes the rows a reader hands over (row numbers and lists of cells) and returns
the accepted rows as a frame in the order of the records table, and the rejected ones with the
reason of each (the first cell or rule that fails, as the row-by-row reading of the same file
would name it). The accepted rows that may repeat the value of the schema's unique column wait in
``candidates`` for the database to settle them (:mod:`inventories.ingest.repeats`)."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass

import polars as pl
from django.utils.translation import gettext_lazy

from inventories.ingest.cells import (
    CELL_ERRORS,
    column_exprs,
    shape,
    shaped_text,
    trimmed,
    unprotected,
)
from inventories.ingest.unique import KeyFilter
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
    def __init__(
        self,
        schema,
        *,
        mapping: dict[str, int],
        width: int,
        day_first: bool,
        decimal: str,
        value_map: dict,
        header_of: dict[str, str],
        expected_rows: int | None = None,
    ):
        """``expected_rows``, the file's rows as estimated before it is read, sizes the filter
        of values seen (:class:`~inventories.ingest.unique.KeyFilter`)."""
        self.schema = schema
        self.mapping = mapping
        self.width = width
        self.header_of = header_of
        self.names = [c.name for c in schema.columns]
        self.day_first, self.decimal = day_first, decimal
        self.cache: dict = {}
        # The mapped columns whose valid cells mostly have one shape, with its pattern.
        self.shapes = {
            c.name: pattern
            for c in schema.columns
            if (pattern := shape(c, decimal=decimal)) and self._position(c.name) is not None
        }
        self.exprs = self._column_exprs(
            day_first=day_first, decimal=decimal, value_map=value_map, shaped=True
        )
        self.checks = list(schema.rules)
        self.check_exprs = [check.when() for check in self.checks]
        self.rewrites = schema.rewrites() if schema.rewrites is not None else None
        self.error = self._first_error()
        self.seen = KeyFilter(values=expected_rows) if schema.unique else None
        self.candidates: pl.DataFrame | None = None  # of the last batch, see _unique
        self.seq = 0  # accepted rows so far
        self.reasons: Counter = Counter()
        self.examples: dict[tuple, dict] = {}
        self.misread: Counter = Counter()  # (hint, column) -> failing cells read the other way
        self.tried: Counter = Counter()
        self.rows = 0  # rows checked so far
        self.other = self._other_readings(value_map)

    def _column_exprs(self, *, day_first, decimal, value_map, columns=None, shaped=False):
        """The columns' expressions in stages: a stage reads what the ones before it wrote."""
        stages: list[dict] = [{}, {}, {}]
        for column in columns or self.schema.columns:
            own = column_exprs(
                column,
                day_first=day_first,
                decimal=decimal,
                value_map=value_map.get(column.name, {}),
                cache=self.cache,
                shaped=shaped and column.name in self.shapes,
            )
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
                    day_first=self.day_first,
                    decimal="." if self.decimal == "," else ",",
                    value_map={},
                    columns=[column],
                )
            elif column.kind == "date":
                hint = "month_first" if self.day_first else "day_first"
                exprs = self._column_exprs(
                    day_first=not self.day_first, decimal=".", value_map={}, columns=[column]
                )
            else:
                continue
            other[column.name] = (hint, exprs)
        return other

    def _position(self, name: str) -> int | None:
        position = self.mapping.get(name)
        return None if position is None or position >= self.width else position

    def _text(self, name: str) -> pl.Expr:
        position = self._position(name)
        if position is None:
            return trimmed(pl.lit(None, pl.Utf8))
        return trimmed(pl.col(f"c{position}"))

    def _texts(self, frame: pl.DataFrame) -> tuple[pl.DataFrame, bool]:
        """The frame with each column's trimmed text ``t:<name>``, and ``k:<name>`` whether it
        has the column's shape (a cell of that shape is left as it is: it has nothing to trim);
        and whether a text starts with a quote, as a cell our own exports protected from
        spreadsheets does once trimmed (only then are the texts looked at closely). No text of
        a column's shape starts with one."""
        shaped = {}
        quoted = []
        for name, pattern in self.shapes.items():
            text, known, starts = shaped_text(frame[f"c{self._position(name)}"], pattern)
            shaped[f"t:{name}"], shaped[f"k:{name}"] = text, known
            quoted.append(starts)
        plain = [n for n in self.names if n not in self.shapes]
        texts = frame.with_columns(**{f"t:{n}": self._text(n) for n in plain})
        protected = any(quoted) or bool(
            plain
            and texts.select(
                pl.any_horizontal([pl.col(f"t:{n}").str.starts_with("'").any() for n in plain])
            ).item()
        )
        return texts.with_columns(**shaped), protected

    def seed(self, values: list[str]) -> None:
        """Values of the unique column already held by the version (a correction's rows)."""
        if self.seen is not None and values:
            self.seen.add(pl.Series(values, dtype=pl.Utf8).hash())

    def batch(self, frame: pl.DataFrame):
        """(accepted rows as a frame with the schema's columns, rejected rows) of a frame from
        :func:`inventories.ingest.read.frames`."""
        checked = self._checked(frame).collect()  # one query: shared sub-expressions run once
        self.rows += frame.height
        errors = checked["_error"]
        kept = ["_row", *self.names, *[n for n in self.schema.derived if n in checked.columns]]
        failing = errors.null_count() < len(errors)
        if failing:  # the accepted rows keep only their columns before they are filtered
            failed = checked.filter(errors.is_not_null())
            passed = errors.is_null()
            accepted = checked.select(kept).filter(passed)
            places = passed.arg_true()  # of the accepted rows in the frame
        else:
            failed, accepted, places = None, checked.select(kept), None
        self.candidates = None
        if self.seen is not None and accepted.height:
            self._unique(accepted, frame, places)
        return accepted, self._rejected(failed) if failing else []

    def _checked(self, frame: pl.DataFrame) -> pl.LazyFrame:
        """The frame with each column's text, value and error key, and ``_error``: the place of
        the first failing cell or rule (cells first, in the schema's order), null when none."""
        texts, protected = self._texts(frame)
        names = [f"t:{n}" for n in self.names]
        lazy = texts.lazy()
        if protected:
            lazy = lazy.with_columns(**{n: unprotected(pl.col(n)) for n in names})
            lazy = lazy.with_columns(
                **{f"k:{n}": pl.col(f"t:{n}").str.contains(p) for n, p in self.shapes.items()}
            )
        for stage in self.exprs:
            lazy = lazy.with_columns(**stage)
        if self.rewrites is not None:
            lazy = lazy.with_columns(**self.rewrites)
        return lazy.with_columns(_error=self.error)

    def _first_error(self) -> pl.Expr:
        """The place of a row's first failing cell or rule, built once for every batch."""
        cells = len(self.names)
        failures = [
            pl.when(pl.col(f"e:{name}").is_not_null()).then(pl.lit(i))
            for i, name in enumerate(self.names)
        ]
        failures += [
            pl.when(expr).then(pl.lit(cells + i)) for i, expr in enumerate(self.check_exprs)
        ]
        return pl.coalesce(failures) if failures else pl.lit(None)

    def _unique(self, accepted: pl.DataFrame, frame: pl.DataFrame, places) -> None:
        """The accepted rows that may repeat the unique value of an earlier row, with their cells
        (:mod:`inventories.ingest.unique`), in ``self.candidates``. ``places`` are those of the
        accepted rows in ``frame`` (None when it has no other rows): only these rows' cells are
        taken from it."""
        name = self.schema.unique
        keys = accepted[name].hash()
        maybe = self.seen.seen_then_add(keys) | ~keys.is_first_distinct()
        if maybe.any():
            at = maybe.arg_true()
            rows = accepted[at]
            cells = frame[at if places is None else places.gather(at)]
            self.candidates = pl.DataFrame(
                {
                    "seq": (at.cast(pl.Int64) + self.seq),
                    "row_number": rows["_row"],
                    "value": rows[name],
                    "cells": [cells_json(c) for c in self._cells(cells)],
                },
                schema={
                    "seq": pl.Int64,
                    "row_number": pl.Int64,
                    "value": pl.Utf8,
                    "cells": pl.Utf8,
                },
            )
        self.seq += accepted.height

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
        # A hint needs more than half of the file's rows misread, and at most HINT_SAMPLES are
        # counted: past twice that many rows, none can be given any more.
        hinting = self.other and self.rows < 2 * HINT_SAMPLES
        if hinting:  # the failing rows read the other way, every column in one query
            readings = []
            for name, (_hint, stages) in self.other.items():
                again = failed.lazy().select(f"t:{name}")
                for stage in stages:
                    again = again.with_columns(**stage)
                readings.append(again.select(pl.col(f"e:{name}").alias(f"o:{name}")))
            other = pl.concat(readings, how="horizontal").collect()
        rows = failed.select(
            "_row",
            "_len",
            "_error",
            *[f"t:{n}" for n in self.names],
            *[f"e:{n}" for n in self.names],
            *[n for n in self.names if self.schema.column(n).kind == "text"],
        ).to_dicts()
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
                if hinting and name in self.other and self.tried[name] < HINT_SAMPLES:
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

    def duplicate(self, number: int, value: str, first: int, cells: list[str]) -> Rejected:
        """A row whose unique value the row ``first`` already holds."""
        name = self.schema.unique
        params = {"column": self.header_of[name], "value": value, "row": first}
        message = self._message("duplicate", DUPLICATE, name, params)
        return Rejected(number, name, "duplicate", message, cells)


def cells_json(cells: list[str]) -> str:
    return json.dumps(list(cells), ensure_ascii=False)
