"""A table's rows as frames of text columns, batch by batch, in bounded memory.

Each frame holds ``_i`` (the row's place in the batch), ``_row`` (its row number in the file),
``_len`` (its count of cells, when fewer than the header's) and ``c0`` … ``c<width-1>`` (its
cells, null past the end of a short row).

A CSV file in an encoding that keeps ASCII as it is (UTF-8 and the legacy single-byte ones) is
parsed by polars, in chunks of whole lines, with no Python object per cell. A chunk is handed to
the csv module instead, from its first line to the end of the file, as soon as it holds anything
the two parsers could read differently: a record over several lines, a lone carriage return, a
NUL byte, a byte the encoding refuses, a cell over the size limit or an open quote at its end.
The csv module's reading then gives the same rows, row numbers and errors as it always did.
Workbooks come through their reader's rows."""

from __future__ import annotations

import codecs
import io
from collections.abc import Iterator
from itertools import zip_longest

import polars as pl

from inventories.ingest.read_csv import CsvTable

CHUNK_BYTES = 2 * 1024 * 1024
FAST_ENCODINGS = {"utf-8", "utf-8-sig", "cp1252", "cp1251", "koi8_r", "cp1256", "latin-1"}


def _frame(numbers, lengths, columns: dict[str, pl.Series]) -> pl.DataFrame:
    count = len(numbers)
    return pl.DataFrame(
        {
            "_i": pl.Series(range(count), dtype=pl.Int32),
            "_row": pl.Series(numbers, dtype=pl.Int64),
            "_len": pl.Series(lengths, dtype=pl.Int32),
            **columns,
        }
    )


def frame_of(numbers: list[int], records: list[list[str]], width: int) -> pl.DataFrame:
    """Rows of cells (Python lists) as a frame."""
    columns = list(zip_longest(*records, fillvalue=None)) if records else []
    cells = {}
    for position in range(width):
        values = columns[position] if position < len(columns) else [None] * len(records)
        cells[f"c{position}"] = pl.Series(values, dtype=pl.Utf8)
    return _frame(numbers, list(map(len, records)), cells)


def frames(table, width: int) -> Iterator[pl.DataFrame]:
    if isinstance(table, CsvTable) and table._encoding in FAST_ENCODINGS:
        yield from _csv_frames(table, width)
        return
    for numbers, records in table.batches():
        yield frame_of(numbers, records, width)


def _csv_frames(table, width: int) -> Iterator[pl.DataFrame]:
    lines_before = table.data_lines_before()
    decode = codecs.getdecoder(table._encoding)
    utf8 = table._encoding in ("utf-8", "utf-8-sig")
    schema = {f"c{p}": pl.Utf8 for p in range(width)}
    with open(table._path, "rb") as handle:
        for _line in range(lines_before):
            handle.readline()
        offset = handle.tell()
        if lines_before and not _ends_lines_as_python(table, offset):
            yield from _slow_frames(table, width, offset, lines_before)
            return
        rest = b""
        while True:
            data = handle.read(CHUNK_BYTES)
            buffer = rest + data
            if not buffer:
                return
            cut = buffer.rfind(b"\n") if data else len(buffer) - 1
            if cut < 0:  # a line longer than a chunk: read on
                rest = buffer
                continue
            chunk, rest = buffer[: cut + 1], buffer[cut + 1 :]
            frame = _parse(chunk, table, schema, decode, utf8, lines_before)
            if frame is None:
                yield from _slow_frames(table, width, offset, lines_before)
                return
            lines_before += chunk.count(b"\n") + (0 if chunk.endswith(b"\n") else 1)
            offset += len(chunk)
            frame = frame.filter(
                ~pl.all_horizontal([pl.col(c).is_null() | (pl.col(c) == "") for c in schema])
            )
            if frame.height:
                yield frame.with_columns(_i=pl.int_range(pl.len(), dtype=pl.Int32))
            if not data and not rest:
                return


def _ends_lines_as_python(table, offset: int) -> bool:
    """Whether the lines up to the end of the header row end as the csv module ends them (at a
    line feed; a lone carriage return ends one there too)."""
    with open(table._path, "rb") as handle:
        head = handle.read(offset)
    return head.endswith(b"\n") and head.count(b"\r") == head.count(b"\r\n")


def _parse(chunk: bytes, table, schema, decode, utf8: bool, lines_before: int):
    """The chunk's rows, or None when the csv module must read it."""
    if b"\x00" in chunk or (b"\r" in chunk and chunk.count(b"\r") != chunk.count(b"\r\n")):
        return None
    last_line = chunk[chunk.rfind(b"\n", 0, len(chunk) - 1) + 1 :]
    if last_line.count(b'"') % 2:
        return None
    if not utf8:  # polars refuses bytes that are not UTF-8 by itself
        try:
            chunk = decode(chunk, "strict")[0].encode("utf-8")
        except UnicodeDecodeError:
            return None
    lines = chunk.count(b"\n") + (0 if chunk.endswith(b"\n") else 1)
    try:
        frame = pl.read_csv(
            io.BytesIO(chunk),
            has_header=False,
            schema=schema,
            separator=table._delimiter,
            quote_char='"',
            truncate_ragged_lines=True,
            empty_string_is_null=False,
            raise_if_empty=False,
            low_memory=True,
        )
    except pl.exceptions.PolarsError:
        return None
    if frame.height != lines:
        return None  # a record over several lines
    for length in ("len_bytes", "len_chars"):  # a character takes a byte at least
        longest = frame.select(
            pl.max_horizontal([getattr(pl.col(c).str, length)().max() for c in schema])
        ).item()
        if (longest or 0) <= table._limit:
            break
    else:
        return None
    return frame.with_columns(
        _row=pl.int_range(lines_before + 1, lines_before + 1 + pl.len(), dtype=pl.Int64),
        _len=_cell_counts(chunk, table._delimiter, frame, len(schema)),
    ).select("_row", "_len", *schema)


def _cell_counts(chunk: bytes, delimiter: str, frame: pl.DataFrame, width: int) -> pl.Series:
    """The cells of each line, where it matters: a line whose last cell is empty may be short
    (polars reads a missing cell as an empty one), so its delimiters outside quoted cells are
    counted; the others have the header's width at least."""
    counts = pl.Series([width] * frame.height, dtype=pl.Int32)
    maybe_short = (frame[f"c{width - 1}"] == "").arg_true()
    if len(maybe_short):
        lines = pl.Series([chunk], dtype=pl.Binary).cast(pl.Utf8).str.split("\n").explode()
        found = (
            lines.gather(maybe_short)
            .str.replace_all(r'"[^"]*"', "")
            .str.count_matches(delimiter, literal=True)
            .cast(pl.Int32)
            + 1
        )
        counts = counts.scatter(maybe_short, found)
    return counts


def _slow_frames(table, width: int, offset: int, lines_before: int) -> Iterator[pl.DataFrame]:
    with open(table._path, "rb") as raw:
        raw.seek(offset)
        handle = io.TextIOWrapper(raw, encoding=table._encoding, newline="")
        batches = table.batches_from(handle, skip=0, lines_before=lines_before)
        for numbers, records in batches:
            yield frame_of(numbers, records, width)
