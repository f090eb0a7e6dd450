"""Spreadsheet exports (CSV and XLSX) that cannot smuggle formulas into a user's spreadsheet.

Every CSV and XLSX the portal writes goes through this module: workplans, dataset templates,
rejected rows, the Article 15 workbook. A text cell that begins with ``=``, ``+``, ``-``, ``@``
(or their full-width forms ``＝ ＋ － ＠``, which some spreadsheets fold to the plain ones), a
tab or a carriage return, which a spreadsheet would run as a formula, gets a leading
apostrophe; numbers, booleans and dates stay what they are (a negative number written as a
number is a number, not a formula).

In CSV, a spreadsheet may split a cell again on its own list separator (``;`` in French,
Spanish and Russian settings, a tab when pasted): so there, every piece of text after ``,``,
``;``, a tab or a line break that begins with one of those characters gets an apostrophe too
(``x;=1+1`` is written ``x;'=1+1``).
"""

import csv
import datetime
import io
import json
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header

# ASCII, full-width (＝ ＋ － ＠) and small (﹦ ﹢ ﹣ ﹫) forms, which some spreadsheets fold.
FORMULA_STARTS = "=+-@\uff1d\uff0b\uff0d\uff20\ufe66\ufe62\ufe63\ufe6b"
DANGEROUS_PREFIXES = (*FORMULA_STARTS, "\t", "\r")
# A piece of the cell after a separator a spreadsheet may split on, starting a formula.
_SEGMENT = re.compile(r"([,;\t\r\n][ \u3000]*)(?=[" + re.escape(FORMULA_STARTS) + "])")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def neutralise(value, *, separators: bool = False):
    """A text cell that a spreadsheet would read as a formula gets a leading apostrophe; with
    ``separators`` (CSV), so does every piece of it after a separator."""
    if not isinstance(value, str):
        return value
    if separators:
        value = _SEGMENT.sub(r"\1'", value)
    if value.lstrip(" \u3000").startswith(DANGEROUS_PREFIXES):
        return "'" + value
    return value


def cell(value, *, separators: bool = False):
    """One spreadsheet cell: None empty; numbers, booleans and dates as themselves (aware times
    in the current time zone, as spreadsheets hold no zone); lists and mappings as JSON text;
    everything else as text, neutralised."""
    if value is None:
        return None
    if isinstance(value, (bool, int, float, Decimal)):
        return value
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return value.replace(tzinfo=None)
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, (list, tuple, dict)):
        text = json.dumps(value, ensure_ascii=False, cls=DjangoJSONEncoder)
        return neutralise(text, separators=separators)
    return neutralise(str(value), separators=separators)


def row(values: Iterable) -> list:
    return [cell(v) for v in values]


def csv_row(values: Iterable) -> list:
    return ["" if (c := cell(v, separators=True)) is None else c for v in values]


def attachment(response, filename: str):
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response.write("\ufeff")  # lets spreadsheet programs detect UTF-8
    writer = csv.writer(response)
    writer.writerow(csv_row(header))
    for values in rows:
        writer.writerow(csv_row(values))
    return attachment(response, filename)


class _Echo:
    def write(self, value):
        return value


def csv_streaming_response(filename: str, rows: Iterable[Sequence]) -> StreamingHttpResponse:
    """A CSV written as it is sent, for files too long to hold (the first row is the header)."""
    writer = csv.writer(_Echo())
    response = StreamingHttpResponse(
        ("\ufeff" if i == 0 else "") + writer.writerow(csv_row(values))
        for i, values in enumerate(rows)
    )
    response["Content-Type"] = "text/csv; charset=utf-8"
    return attachment(response, filename)


def xlsx_workbook():
    """A workbook in write-only (streaming) mode."""
    from openpyxl import Workbook

    return Workbook(write_only=True)


def xlsx_header(worksheet, labels: Iterable) -> None:
    """A bold first row."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    bold = Font(bold=True)
    cells = []
    for label in labels:
        header_cell = WriteOnlyCell(worksheet, value=cell(None if label is None else str(label)))
        header_cell.font = bold
        cells.append(header_cell)
    worksheet.append(cells)


def xlsx_bytes(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_response(
    filename: str, sheet: str, header: Sequence[str], rows: Iterable[Sequence]
) -> HttpResponse:
    workbook = xlsx_workbook()
    worksheet = workbook.create_sheet(title=sheet[:31])
    xlsx_header(worksheet, header)
    for values in rows:
        worksheet.append(row(values))
    response = HttpResponse(xlsx_bytes(workbook), content_type=XLSX_CONTENT_TYPE)
    return attachment(response, filename)
