"""Spreadsheet exports (CSV and XLSX) that cannot smuggle formulas into a user's spreadsheet."""

import csv
import datetime
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.http import HttpResponse

DANGEROUS_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """A text cell that a spreadsheet would read as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(DANGEROUS_PREFIXES):
        return "'" + value
    return value


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, (int, float, Decimal, datetime.date)):
        return value
    return neutralise(str(value))


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # lets spreadsheet programs detect UTF-8
    writer = csv.writer(response)
    writer.writerow([_cell(h) for h in header])
    for row in rows:
        writer.writerow([_cell(v) for v in row])
    return response


def xlsx_response(
    filename: str, sheet: str, header: Sequence[str], rows: Iterable[Sequence]
) -> HttpResponse:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(title=sheet[:31])
    worksheet.append([_styled(str(h), Font(bold=True), worksheet) for h in header])
    for row in rows:
        worksheet.append([_cell(v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _styled(value, font, worksheet):
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(worksheet, value=neutralise(value))
    cell.font = font
    return cell
