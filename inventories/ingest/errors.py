"""What the readers say when a file cannot be read: :class:`ReadError`, with its message kept
as a translatable template and its parameters so that it can be stored and rendered later in the
reader's language, and the errors the CSV and XLSX tables share."""

from __future__ import annotations

from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

_ENCODING_LABELS = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8",
    "utf-16": "UTF-16",
    "utf-16-le": "UTF-16",
    "utf-16-be": "UTF-16",
    "cp1252": "Windows-1252",
    "latin-1": "ISO-8859-1",
    "cp1251": "Windows-1251",
    "koi8_r": "KOI8-R",
    "cp1256": "Windows-1256",
}


def encoding_label(encoding: str) -> str:
    """The name people know an encoding by (``cp1251`` is Windows-1251)."""
    return _ENCODING_LABELS.get(encoding, encoding)


def _interpolate(template, params):
    return str(template) % params if params else str(template)


_interpolate_lazy = lazy(_interpolate, str)


class ReadError(Exception):
    """A file that cannot be read.

    ``message`` is a translatable, user-facing sentence that says what to fix; it is rendered in
    the language active when it is turned into a string. ``params`` holds the values interpolated
    into it, so a caller may store ``code`` and ``params`` and render the message later.
    """

    def __init__(
        self,
        message,
        *,
        code: str,
        row: int | None = None,
        column: str | None = None,
        params: dict | None = None,
    ):
        self.template = message
        self.params = dict(params or {})
        if row is not None:
            self.params.setdefault("row", row)
        if column is not None:
            self.params.setdefault("column", column)
        self.message = _interpolate_lazy(message, self.params) if self.params else message
        self.code = code
        self.row = row
        self.column = column
        super().__init__(self.message)

    def __str__(self):
        return str(self.message)

    def __repr__(self):
        return f"ReadError(code={self.code!r}, row={self.row!r}, column={self.column!r})"

    def __reduce__(self):
        # Celery pickles exceptions; rebuild from the keyword arguments.
        return (
            _rebuild_read_error,
            (self.template, self.code, self.row, self.column, self.params),
        )


def _rebuild_read_error(template, code, row, column, params):
    return ReadError(template, code=code, row=row, column=column, params=params)


def not_xlsx(message=None):
    return ReadError(
        message
        or _(
            "The file is not a valid Excel workbook (.xlsx), or it is damaged. Open it in your "
            "spreadsheet program, save it as “Excel Workbook (.xlsx)” and upload it again."
        ),
        code="not_xlsx",
    )


def sheet_too_large(sheet: str, size_mb: int, limit_mb: int):
    return ReadError(
        _(
            "The sheet “%(sheet)s” holds %(size)s MB of data once unpacked; workbooks are read "
            "whole, up to %(limit)s MB a sheet. Save the sheet as “CSV UTF-8” in your spreadsheet "
            "program and upload that file instead: a CSV file is read a part at a time, whatever "
            "its size."
        ),
        code="sheet_too_large",
        params={"sheet": sheet, "size": size_mb, "limit": limit_mb},
    )


def binary_error():
    return ReadError(
        _(
            "The file is not a text CSV file (it looks like an image, a PDF, an Excel workbook or "
            "another binary file). Export the data as CSV, or upload the workbook with the "
            ".xlsx extension."
        ),
        code="binary",
    )


def no_rows_error(sheet=None):
    if sheet is None:
        return ReadError(
            _("The file has no data rows under the header row. Add the data and upload it again."),
            code="no_rows",
        )
    return ReadError(
        _(
            "The sheet “%(sheet)s” has no data rows under the header row. Add the data, or "
            "choose the sheet that holds it, and upload it again."
        ),
        code="no_rows",
        params={"sheet": sheet},
    )


def cell_too_large(row, limit):
    return ReadError(
        _(
            "Row %(row)s has a cell longer than %(limit)s characters. Check that the row's "
            "quotes are balanced and shorten the cell, then upload the file again."
        ),
        code="cell_too_large",
        row=row,
        params={"limit": limit},
    )


def encoding_error(row, encoding):
    return ReadError(
        _(
            "Row %(row)s could not be decoded as %(encoding)s. Save the file as CSV UTF-8 "
            "and upload it again."
        ),
        code="encoding",
        row=row,
        params={"encoding": encoding_label(encoding)},
    )


def truncated_error(row):
    return ReadError(
        _(
            "The file ends inside a quoted cell that starts on row %(row)s; it may have been cut "
            "off. Check the quotes on that row or upload the complete file again."
        ),
        code="truncated",
        row=row,
    )
