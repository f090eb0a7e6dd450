"""A CSV file's rows, read by the csv module after the sniffing in :mod:`inventories.readers`:
the header row found among the first records, then the rows with their physical line numbers,
and every unreadable spot turned into a :class:`~inventories.ingest.errors.ReadError`."""

from __future__ import annotations

import codecs
import csv
from collections import deque
from collections.abc import Iterator
from itertools import islice

from django.utils.translation import gettext_lazy as _

from inventories import readers
from inventories.ingest.errors import (
    ReadError,
    cell_too_large,
    encoding_error,
    no_rows_error,
    truncated_error,
)
from inventories.ingest.lines import (
    count_breaks,
    field_size_limit,
    locate_decode_error,
    pick_header,
    split_lines,
)
from inventories.readers import DIALECT_SAMPLE_BYTES, FileInfo, Table


class CsvTable(Table):
    def __init__(
        self, path, info: FileInfo, *, expected_headers, max_cell_chars, header_search_rows
    ):
        self.sheet = None
        self._path = path
        self._encoding = info.encoding
        self._delimiter = info.delimiter
        self._limit = max_cell_chars
        self._size = info.size

        candidates = []  # (records read so far, start line, cells)
        first_data = None
        with field_size_limit(self._limit), self._open() as handle:
            reader = csv.reader(handle, delimiter=self._delimiter)
            last = 0
            records = 0
            iterator = self._guard(reader, lambda: last + 1)
            for cells in iterator:
                records += 1
                start, last = last + 1, reader.line_num
                if cells and any(cells):
                    candidates.append((records, start, cells))
                    if len(candidates) >= header_search_rows:
                        break
            if not candidates:
                raise no_rows_error()
            skip, header_row, header = candidates[
                pick_header([c[2] for c in candidates], expected_headers)
            ]
            self._skip = skip
            self.header = [cell.strip() for cell in header]
            self.header_row = header_row
            first_data = next((c for c in candidates if c[0] > skip), None)
            if first_data is None:
                for cells in iterator:
                    records += 1
                    if cells and any(cells):
                        first_data = cells
                        break
            if first_data is None:
                raise no_rows_error()
        self.estimated_rows = self._estimate_rows()

    def _open(self):
        return open(self._path, encoding=self._encoding, newline="")

    def _guard(self, reader, current_row):
        """Iterate ``reader`` for the header search, translating low-level errors."""
        try:
            yield from reader
        except UnicodeDecodeError as exc:
            raise encoding_error(
                locate_decode_error(self._path, self._encoding), self._encoding
            ) from exc
        except csv.Error as exc:
            raise self._csv_error(exc, current_row()) from exc

    def _csv_error(self, exc, row):
        if "field larger than field limit" in str(exc):
            return cell_too_large(row, self._limit)
        return ReadError(
            _(
                "Row %(row)s could not be read as CSV (%(detail)s). Export the data as CSV "
                "again from your spreadsheet program and upload it again."
            ),
            code="binary" if "NUL" in str(exc) else "truncated",
            row=row,
            params={"detail": str(exc)},
        )

    def _estimate_rows(self):
        with open(self._path, "rb") as handle:
            sample = handle.read(DIALECT_SAMPLE_BYTES)
        text = codecs.decode(sample, self._tail_codec(), "replace")
        breaks = count_breaks(text)
        if len(sample) >= self._size:
            lines = breaks + (0 if text.endswith(("\n", "\r")) else 1)
        else:
            lines = round(breaks * self._size / max(len(sample), 1))
        return max(lines - self.header_row, 1)

    def _tail_codec(self):
        if self._encoding == "utf-16":
            with open(self._path, "rb") as handle:
                bom = handle.read(2)
            return "utf-16-be" if bom == codecs.BOM_UTF16_BE else "utf-16-le"
        if self._encoding == "utf-8-sig":
            return "utf-8"
        return self._encoding

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        for starts, records in self.batches():
            yield from zip(starts, records, strict=True)

    def batches(self, size: int | None = None) -> Iterator[tuple[list[int], list[list[str]]]]:
        with self._open() as handle:
            yield from self.batches_from(handle, skip=self._skip, lines_before=0, size=size)

    def data_lines_before(self) -> int:
        """The physical lines up to the end of the header row."""
        with field_size_limit(self._limit), self._open() as handle:
            reader = csv.reader(handle, delimiter=self._delimiter)
            for _skipped in islice(reader, self._skip):
                pass
            return reader.line_num

    def batches_from(self, handle, *, skip: int, lines_before: int, size: int | None = None):
        """The rows of the text ``handle`` after ``skip`` records, which starts after
        ``lines_before`` physical lines of the file."""
        size = size or readers.BATCH_ROWS
        previous_limit = csv.field_size_limit(self._limit)
        try:
            reader = csv.reader(handle, delimiter=self._delimiter)
            for _skipped in islice(reader, skip):
                pass
            last = reader.line_num + lines_before
            start = last + 1
            cells = None
            try:
                while True:
                    starts, records = [], []
                    count = 0
                    for cells in reader:
                        start = last + 1
                        last = reader.line_num + lines_before
                        if cells and (cells[0] or any(cells)):
                            starts.append(start)
                            records.append(cells)
                        count += 1
                        if count >= size:
                            break
                    if records:
                        yield starts, records
                    if count < size:
                        break
            except UnicodeDecodeError as exc:
                raise encoding_error(
                    locate_decode_error(self._path, self._encoding), self._encoding
                ) from exc
            except csv.Error as exc:
                raise self._csv_error(exc, last + 1) from exc
            if cells and self._ends_inside_quotes(cells, start, last):
                raise truncated_error(start)
        finally:
            csv.field_size_limit(previous_limit)

    def _ends_inside_quotes(self, cells, start, last):
        """Whether the file's last record ended at end of file inside a quoted field.

        The lenient csv reader accepts an unterminated quote at end of file; re-reading the raw
        lines of the last record with a strict reader tells the two cases apart. Only done when
        the file does not end with a line break or the last cell ends with one.
        """
        codec = self._tail_codec()
        unit = 2 if codec.startswith("utf-16") else 1
        with open(self._path, "rb") as handle:
            handle.seek(max(self._size - 2 * unit, 0))
            ending = codecs.decode(handle.read(), codec, "replace")
        if ending.endswith(("\n", "\r")) and not cells[-1].endswith(("\n", "\r")):
            return False
        wanted = last - start + 1
        tail = None
        span = max(sum(len(c) for c in cells) * 4 + 4096, 64 * 1024)
        if span < self._size:
            with open(self._path, "rb") as handle:
                offset = self._size - span
                offset -= offset % unit
                handle.seek(offset)
                text = codecs.decode(handle.read(), codec, "replace")
            lines = split_lines(text)
            if len(lines) > wanted:
                tail = "".join(lines[-wanted:])
        if tail is None:
            with self._open() as handle:
                tail = "".join(deque(handle, maxlen=wanted))
        try:
            for _record in csv.reader(split_lines(tail), delimiter=self._delimiter, strict=True):
                pass
        except csv.Error as exc:
            return "unexpected end of data" in str(exc)
        return False
