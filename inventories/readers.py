"""Read uploaded CSV and XLSX files into rows of strings.

This module sniffs a file and opens its table; the tables themselves are in
``inventories.ingest.read_csv`` and ``inventories.ingest.read_xlsx``, the errors in
``inventories.ingest.errors`` and the line handling they share in ``inventories.ingest.lines``.

The ingest task calls :func:`sniff` on the stored file, then :func:`open_table`, then iterates
:meth:`Table.rows`. Every unreadable file becomes a :class:`ReadError` whose ``message`` is a
translatable sentence telling the focal point what to fix. Checking values against a schema is
the validator's job; the two parsing helpers it uses are in ``inventories.ingest.parse``.

Limits (all overridable through parameters):

* XLSX archives are refused as zip bombs, from the declared sizes in the zip directory and
  before anything is decompressed, when their members declare more than
  ``MAX_XLSX_UNCOMPRESSED_BYTES`` (1 GiB) in total, when they hold more than
  ``MAX_XLSX_MEMBERS`` members, or when one member is compressed more than
  ``MAX_XLSX_RATIO``:1 while declaring more than ``RATIO_MIN_BYTES`` (32 MiB).
* A cell may hold at most ``max_cell_chars`` characters (default 1,000,000).
* A CSV file whose first megabyte holds no line break, or with a line longer than
  ``MAX_LINE_BYTES`` (16 MiB), is refused from a scan in 1 MiB chunks, before any line is read
  into memory.
* CSV files that are not UTF-8 or UTF-16 are recognised among the legacy encodings focal points'
  systems write (``LEGACY_ENCODINGS``: Windows-1252, Windows-1251, KOI8-R, Windows-1256) by
  charset-normalizer.
* With no sheet named, the worksheet whose header row matches the schema best is read (a cover
  sheet with a title is not taken). Formula cells whose results were never computed are reported
  by column, from the sheet's XML, rather than read as empty cells.

``csv.field_size_limit`` is process-wide: :meth:`Table.rows` sets it while it runs and restores
the previous value when it finishes.
"""

from __future__ import annotations

import codecs
import csv
import os
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import islice

import python_calamine
from django.utils.translation import gettext_lazy as _

from inventories.ingest.errors import ReadError, binary_error, not_xlsx
from inventories.ingest.lines import split_lines
from ncm_portal.uploads import OLE_SIGNATURE, text_encoding

MAX_XLSX_UNCOMPRESSED_BYTES = 1024 * 1024 * 1024
MAX_XLSX_MEMBERS = 10_000
MAX_XLSX_RATIO = 100
RATIO_MIN_BYTES = 32 * 1024 * 1024
DEFAULT_MAX_CELL_CHARS = 1_000_000
BATCH_ROWS = 20_000

CSV_EXTENSIONS = (".csv", ".txt", ".tsv")
XLSX_EXTENSIONS = (".xlsx",)

ENCODING_SAMPLE_BYTES = 1024 * 1024
MAX_LINE_BYTES = 16 * 1024 * 1024
SCAN_CHUNK_BYTES = 1024 * 1024
LEGACY_ENCODINGS = ("cp1252", "cp1251", "koi8_r", "cp1256")
FORMULA_SAMPLE_ROWS = 200
DIALECT_SAMPLE_BYTES = 64 * 1024
DIALECT_SAMPLE_RECORDS = 100
DELIMITERS = (",", ";", "\t")


@dataclass(frozen=True)
class FileInfo:
    kind: str
    encoding: str | None
    delimiter: str | None
    sheets: tuple[str, ...]
    size: int


# ---------------------------------------------------------------------------------------------
# Sniffing


def sniff(
    path,
    *,
    name: str,
    max_uncompressed_bytes: int = MAX_XLSX_UNCOMPRESSED_BYTES,
    max_ratio: int = MAX_XLSX_RATIO,
    ratio_min_bytes: int = RATIO_MIN_BYTES,
    max_members: int = MAX_XLSX_MEMBERS,
) -> FileInfo:
    """Decide what the stored file at ``path`` is, from its content and the uploaded ``name``."""
    extension = os.path.splitext(name)[1].lower()
    if extension not in CSV_EXTENSIONS + XLSX_EXTENSIONS:
        raise ReadError(
            _(
                "Files of type “%(extension)s” cannot be imported. Upload a CSV file (.csv) "
                "or an Excel workbook (.xlsx)."
            ),
            code="unsupported_type",
            params={"extension": extension or name},
        )
    size = os.path.getsize(path)
    if size == 0:
        raise ReadError(
            _("The file is empty. Check that you chose the right file and upload it again."),
            code="empty",
        )
    with open(path, "rb") as handle:
        head = handle.read(ENCODING_SAMPLE_BYTES)
    if extension in XLSX_EXTENSIONS:
        return _sniff_xlsx(
            path,
            head,
            size,
            max_uncompressed_bytes=max_uncompressed_bytes,
            max_ratio=max_ratio,
            ratio_min_bytes=ratio_min_bytes,
            max_members=max_members,
        )
    _check_lines(path, head, size)
    return _sniff_csv(head, size, extension)


def _check_lines(path, head, size, *, max_line_bytes=None):
    """Refuse a file without line breaks, or with a line too long to be a row, reading it in
    chunks: a 150 MB file without a newline is refused in well under a second, in 1 MiB."""
    max_line_bytes = max_line_bytes or MAX_LINE_BYTES
    too_long = ReadError(
        _(
            "The file has a line of more than %(limit)s without a line break, so it cannot be "
            "read as rows. Check that it was exported as CSV with one row per line, and upload "
            "it again."
        ),
        code="line_too_long",
        params={"limit": f"{max_line_bytes // (1024 * 1024)} MB"},
    )
    if size > len(head) and b"\n" not in head and b"\r" not in head:
        raise ReadError(
            _(
                "The file has no line break in its first megabyte, so it cannot be read as "
                "rows. Check that it was exported as CSV with one row per line, and upload it "
                "again."
            ),
            code="no_line_break",
        )
    if size <= max_line_bytes:
        return
    current = 0
    with open(path, "rb") as handle:
        while chunk := handle.read(SCAN_CHUNK_BYTES):
            first = min((i for i in (chunk.find(b"\n"), chunk.find(b"\r")) if i >= 0), default=-1)
            if first < 0:
                current += len(chunk)
                if current > max_line_bytes:
                    raise too_long
                continue
            if current + first > max_line_bytes:
                raise too_long
            last = max(chunk.rfind(b"\n"), chunk.rfind(b"\r"))
            current = len(chunk) - last - 1


def _sniff_xlsx(
    path, head, size, *, max_uncompressed_bytes, max_ratio, ratio_min_bytes, max_members
):
    if head.startswith(OLE_SIGNATURE):
        raise not_xlsx(
            _(
                "The workbook is password-protected or saved in the old Excel 97–2003 format. "
                "Remove the password, save it as “Excel Workbook (.xlsx)” and upload it again."
            )
        )
    if not head.startswith(b"PK\x03\x04"):
        raise not_xlsx()
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise not_xlsx() from exc

    bomb = ReadError(
        _(
            "The workbook expands to far more data than its size suggests and was refused for "
            "safety. Save it again from your spreadsheet program as “Excel Workbook (.xlsx)”, "
            "or upload the data as CSV."
        ),
        code="zip_bomb",
    )
    if len(members) > max_members:
        raise bomb
    total = 0
    for member in members:
        total += member.file_size
        if member.file_size > ratio_min_bytes and member.file_size > max_ratio * max(
            member.compress_size, 1
        ):
            raise bomb
    if total > max_uncompressed_bytes:
        raise bomb

    names = {member.filename for member in members}
    if "xl/workbook.xml" not in names:
        raise not_xlsx()
    try:
        workbook = python_calamine.CalamineWorkbook.from_path(os.fspath(path))
    except Exception as exc:  # calamine raises several error types for damaged files
        raise not_xlsx() from exc
    with workbook:
        sheets = tuple(
            meta.name
            for meta in workbook.sheets_metadata
            if meta.typ == python_calamine.SheetTypeEnum.WorkSheet
        )
    if not sheets:
        raise ReadError(
            _("The workbook has no worksheets. Add a sheet with the data and upload it again."),
            code="no_sheet",
        )
    return FileInfo(kind="xlsx", encoding=None, delimiter=None, sheets=sheets, size=size)


def _detect_encoding(head, whole):
    """Return the codec for a CSV sample, or raise ``binary`` (the test uploads share). A sample
    that is neither UTF-8 nor UTF-16 is matched against the plausible legacy encodings."""
    encoding = text_encoding(head, whole=whole)
    if encoding is None:
        raise binary_error()
    if encoding == "cp1252":
        encoding = _legacy_encoding(head) or encoding
    return encoding


def _legacy_encoding(head):
    """Windows-1252, Windows-1251, KOI8-R or Windows-1256, as charset-normalizer judges the
    sample; None when it cannot tell."""
    import charset_normalizer

    sample = head[:DIALECT_SAMPLE_BYTES]
    if len(head) > len(sample):  # do not end inside a line
        cut = max(sample.rfind(b"\n"), sample.rfind(b"\r"))
        if cut > 0:
            sample = sample[: cut + 1]
    best = charset_normalizer.from_bytes(
        sample, cp_isolation=list(LEGACY_ENCODINGS), preemptive_behaviour=False
    ).best()
    if best is None:
        return None
    name = codecs.lookup(best.encoding).name
    known = {codecs.lookup(e).name: e for e in LEGACY_ENCODINGS}
    return known.get(name)


def _sniff_csv(head, size, extension):
    whole = len(head) >= size
    encoding = _detect_encoding(head, whole)
    sample = head[:DIALECT_SAMPLE_BYTES]
    text = codecs.getincrementaldecoder(encoding)("replace").decode(
        sample, final=whole and len(sample) == len(head)
    )
    if not text.strip():
        raise ReadError(
            _(
                "The file contains no data. Check that you chose the right file and upload it "
                "again."
            ),
            code="empty",
        )
    delimiter = _detect_delimiter(
        text, truncated=len(sample) < size, prefer_tab=extension == ".tsv"
    )
    return FileInfo(kind="csv", encoding=encoding, delimiter=delimiter, sheets=(), size=size)


def _detect_delimiter(text, *, truncated, prefer_tab=False):
    """Pick the delimiter giving the most consistent number of fields over the first records.

    Parsing each candidate with the csv module keeps quoted fields that contain other delimiters
    or line breaks from skewing the counts.
    """
    if truncated:
        cut = max(text.rfind("\n"), text.rfind("\r"))
        if cut > 0:
            text = text[: cut + 1]
    best = None
    for delimiter in DELIMITERS:
        try:
            records = list(
                islice(
                    csv.reader(split_lines(text), delimiter=delimiter),
                    DIALECT_SAMPLE_RECORDS,
                )
            )
        except csv.Error:
            continue
        counts = [len(record) for record in records if any(record)]
        if not counts:
            continue
        mode = max(set(counts), key=lambda n: (counts.count(n), n))
        if mode < 2:
            continue
        consistency = counts.count(mode) / len(counts)
        score = (consistency, mode, prefer_tab and delimiter == "\t")
        if best is None or score > best[0]:
            best = (score, delimiter)
    if best is None:
        return "\t" if prefer_tab else ","
    return best[1]


# ---------------------------------------------------------------------------------------------
class Table:
    """Rows of one CSV file or one worksheet, after the header row."""

    sheet: str | None  # the worksheet read (XLSX only)
    header: list[str]
    header_row: int
    estimated_rows: int

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        raise NotImplementedError

    def batches(self, size: int | None = None) -> Iterator[tuple[list[int], list[list[str]]]]:
        """The rows in lists of at most ``size``: their row numbers, and their cells."""
        size = size or BATCH_ROWS
        rows = self.rows()
        while batch := list(islice(rows, size)):
            numbers, cells = zip(*batch, strict=True)
            yield list(numbers), list(cells)


def open_table(
    path,
    info: FileInfo,
    *,
    sheet: str | None = None,
    expected_headers: Sequence[str] = (),
    max_cell_chars: int = DEFAULT_MAX_CELL_CHARS,
    header_search_rows: int = 20,
) -> Table:
    """Open the CSV file or worksheet described by ``info`` and find its header row."""
    from inventories.ingest.read_csv import CsvTable
    from inventories.ingest.read_xlsx import XlsxTable

    if info.kind == "csv":
        return CsvTable(
            path,
            info,
            expected_headers=expected_headers,
            max_cell_chars=max_cell_chars,
            header_search_rows=header_search_rows,
        )
    if info.kind == "xlsx":
        return XlsxTable(
            path,
            info,
            sheet=sheet,
            expected_headers=expected_headers,
            max_cell_chars=max_cell_chars,
            header_search_rows=header_search_rows,
        )
    raise ValueError(f"unknown file kind {info.kind!r}")
