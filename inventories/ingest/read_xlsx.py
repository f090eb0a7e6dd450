"""A worksheet's rows, read by python-calamine (Rust): the sheet that matches the schema best
when none is named, its header row, its cells as the text a person sees, and formulas whose
results were never computed reported by column."""

from __future__ import annotations

import datetime as dt
import os
import re
import zipfile
from collections.abc import Iterator
from itertools import islice

import python_calamine
from django.utils.translation import gettext_lazy as _

from inventories.ingest.errors import (
    ReadError,
    cell_too_large,
    no_rows_error,
    not_xlsx,
    sheet_too_large,
)
from inventories.ingest.lines import normalize_header, pick_header
from inventories.readers import FORMULA_SAMPLE_ROWS, FileInfo, Table


def _format_cell(value) -> str:
    kind = type(value)
    if kind is str:
        return value
    if kind is float:
        return str(int(value)) if value.is_integer() else repr(value)
    if kind is bool:
        return "TRUE" if value else "FALSE"
    if kind is int:
        return str(value)
    if kind is dt.datetime or kind is dt.date or kind is dt.time:
        return value.isoformat()
    if kind is dt.timedelta:
        seconds = value.total_seconds()
        return str(int(seconds)) if seconds.is_integer() else repr(seconds)
    if value is None:
        return ""
    return str(value)


class XlsxTable(Table):
    def __init__(
        self, path, info: FileInfo, *, sheet, expected_headers, max_cell_chars, header_search_rows
    ):
        self._limit = max_cell_chars
        try:
            workbook = python_calamine.CalamineWorkbook.from_path(os.fspath(path))
        except Exception as exc:
            raise not_xlsx() from exc
        if sheet is not None and sheet not in info.sheets:
            raise ReadError(
                _(
                    "The workbook has no sheet named “%(sheet)s”. Its sheets are: %(sheets)s. "
                    "Choose one of them or rename the sheet, and upload the file again."
                ),
                code="no_sheet",
                params={"sheet": sheet, "sheets": ", ".join(info.sheets)},
            )
        _check_sheet_sizes(path, info.sheets if sheet is None else [sheet])
        try:
            if sheet is None:
                chosen = self._best_sheet(workbook, info, expected_headers, header_search_rows)
            else:
                chosen = workbook.get_sheet_by_name(sheet)
        except ReadError:
            raise
        except Exception as exc:
            raise not_xlsx() from exc
        self.sheet = chosen.name
        self._sheet = chosen
        start = chosen.start
        if start is None:
            raise no_rows_error(chosen.name)

        rows = chosen.iter_rows()
        first = next(rows, None)
        # calamine yields rows from the top of the sheet; guard against it starting at the
        # first non-empty row instead.
        self._offset = start[0] if (start[0] > 0 and first is not None and any(first)) else 0
        self._first_column = start[1] if (start[1] > 0 and first is not None and any(first)) else 0
        candidates = []
        index = 0
        row = first
        while row is not None and len(candidates) < header_search_rows:
            cells = [_format_cell(v) for v in row]
            if any(cells):
                candidates.append((index, cells))
            index += 1
            row = next(rows, None)
        if not candidates:
            raise no_rows_error(chosen.name)
        header_index, header = candidates[pick_header([c[1] for c in candidates], expected_headers)]
        self._header_index = header_index
        self.header = [cell.strip() for cell in header]
        self.header_row = header_index + 1 + self._offset
        self.estimated_rows = max(start[0] + chosen.height - self.header_row, 0)
        has_data = any(c[0] > header_index for c in candidates)
        if not has_data and row is not None:
            while row is not None:
                if any(_format_cell(v) for v in row):
                    has_data = True
                    break
                row = next(rows, None)
        if not has_data:
            raise no_rows_error(chosen.name)
        uncomputed = _uncomputed_formulas(
            path,
            self.sheet,
            first_row=self.header_row + 1,
            last_row=self.header_row + FORMULA_SAMPLE_ROWS,
        )
        if uncomputed:
            raise _formulas_error(uncomputed, self.header, first_column=self._first_column)

    @staticmethod
    def _best_sheet(workbook, info, expected_headers, search_rows):
        """The worksheet whose header row matches the schema best (a cover sheet with a title
        does not); on a tie, or with no match at all, the first visible worksheet with data,
        else the first with data, else the first. At most two sheets are held at a time: the best
        so far and the one being scored."""
        visible = {
            meta.name
            for meta in workbook.sheets_metadata
            if meta.visible == python_calamine.SheetVisibleEnum.Visible
        }
        wanted = {normalize_header(h) for h in expected_headers} - {""}
        best, best_key = None, None
        for order, name in enumerate(sorted(info.sheets, key=lambda n: n not in visible)):
            loaded = workbook.get_sheet_by_name(name)
            if loaded.start is None:
                key = (0, 0, -order)
            else:
                score = 0
                for row in islice(loaded.iter_rows(), search_rows):
                    cells = {normalize_header(_format_cell(v)) for v in row}
                    score = max(score, len(wanted & cells))
                key = (score, 1, -order)
            if best_key is None or key > best_key:
                best, best_key = loaded, key
        return best

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        limit = self._limit
        fmt = _format_cell
        data = islice(self._sheet.iter_rows(), self._header_index + 1, None)
        for number, row in enumerate(data, start=self.header_row + 1):
            cells = [v if type(v) is str else fmt(v) for v in row]
            if not any(cells):
                continue
            if max(map(len, cells)) > limit:
                raise cell_too_large(number, limit)
            yield number, cells


_MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_CELL_REF = re.compile(r"([A-Z]+)(\d+)")


def _check_sheet_sizes(path, names) -> None:
    """Refuse a worksheet larger than ``NCM_WORKBOOK_SHEET_MAX_BYTES`` once unpacked (as the
    workbook's zip declares it), before it is loaded: the workbook reader holds a whole sheet in
    memory (about one and a half times its unpacked size), where a CSV file is read a batch at a
    time."""
    from django.conf import settings

    try:
        with zipfile.ZipFile(path) as archive:
            sizes = {i.filename: i.file_size for i in archive.infolist()}
            members = {name: _sheet_member(archive, name) for name in names}
    except Exception:  # noqa: BLE001 - a damaged workbook: the reader tells what is wrong
        return
    limit = settings.NCM_WORKBOOK_SHEET_MAX_BYTES
    for name, member in members.items():
        size = sizes.get(member, 0) if member else 0
        if size > limit:
            mb = 1024 * 1024
            raise sheet_too_large(name, -(-size // mb), limit // mb)


def _sheet_member(archive, sheet_name):
    """The zip member of a worksheet, from the workbook and its relationships."""
    import posixpath
    import xml.etree.ElementTree as ET  # noqa: N817, S405 - parses the uploader's own workbook

    workbook = ET.fromstring(archive.read("xl/workbook.xml"))  # noqa: S314
    rid = None
    for sheet in workbook.iter(f"{_MAIN_NS}sheet"):
        if sheet.get("name") == sheet_name:
            rid = sheet.get(f"{_REL_NS}id")
    if rid is None:
        return None
    rels = ET.fromstring(archive.read("xl/_rels/workbook.xml.rels"))  # noqa: S314
    for rel in rels:
        if rel.get("Id") == rid:
            target = rel.get("Target", "")
            if target.startswith("/"):
                return target.lstrip("/")
            return posixpath.normpath(posixpath.join("xl", target))
    return None


def _uncomputed_formulas(path, sheet_name, *, first_row, last_row) -> dict[str, int]:
    """Column letter -> formula cells without a computed (cached) value, among the sheet's rows
    first_row..last_row. Workbooks written by scripts hold formulas that no spreadsheet program
    has computed; read as empty cells, each would reject its row."""
    # expat (2.4.1 and later) refuses entity expansion attacks; no external entities are read.
    import xml.etree.ElementTree as ET  # noqa: N817, S405

    found: dict[str, int] = {}
    try:
        with zipfile.ZipFile(path) as archive:
            member = _sheet_member(archive, sheet_name)
            if member is None or member not in archive.namelist():
                return {}
            with archive.open(member) as handle:
                for _event, element in ET.iterparse(handle):  # noqa: S314
                    if element.tag == f"{_MAIN_NS}row":
                        if int(element.get("r") or 0) > last_row:
                            break
                        element.clear()
                    elif element.tag == f"{_MAIN_NS}c":
                        formula = element.find(f"{_MAIN_NS}f")
                        if formula is not None:
                            value = element.find(f"{_MAIN_NS}v")
                            match = _CELL_REF.fullmatch(element.get("r") or "")
                            empty = value is None or not (value.text or "")
                            if empty and match and int(match.group(2)) >= first_row:
                                letter = match.group(1)
                                found[letter] = found.get(letter, 0) + 1
    except (zipfile.BadZipFile, KeyError, ET.ParseError, OSError, ValueError):
        return {}
    return found


def _column_index(letters: str) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - 64
    return index - 1


def _formulas_error(uncomputed: dict[str, int], header: list[str], *, first_column: int):
    named = []
    for letter in sorted(uncomputed, key=_column_index):
        position = _column_index(letter) - first_column
        title = header[position] if 0 <= position < len(header) else ""
        named.append(f"{letter} (“{title}”)" if title else letter)
    return ReadError(
        _(
            "Column %(columns)s holds formulas whose results were never computed (the file "
            "was probably written by a program rather than saved by a spreadsheet program): "
            "open and save the file in a spreadsheet program, or export it as CSV, and upload "
            "it again."
        )
        if len(named) == 1
        else _(
            "Columns %(columns)s hold formulas whose results were never computed (the file "
            "was probably written by a program rather than saved by a spreadsheet program): "
            "open and save the file in a spreadsheet program, or export it as CSV, and upload "
            "it again."
        ),
        code="formulas_not_computed",
        params={"columns": ", ".join(named)},
    )
