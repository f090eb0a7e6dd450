"""The rows of a dataset version behind a figure: exactly the row numbers a report's table
names (``?n=2,3,7``), with the total of each quantity column, so that whoever checks a figure
sees what it adds up from. Only those who may see the dataset open it (403 otherwise)."""

from decimal import Decimal

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from inventories import selectors
from inventories.display import record_cell, record_rows_html, value_labels
from inventories.schemas import schema_for


def version_rows(request, pk: int):
    version = selectors.version_get_for_user(user=request.user, pk=pk)
    numbers = selectors.parse_row_numbers(request.GET.get("n", ""))
    if numbers is None:
        raise Http404(_("These rows cannot be found."))
    schema = schema_for(version.dataset.dataset_type)
    records = selectors.records_numbered(version, schema.model, numbers)
    names = [c.name for c in schema.columns]
    labels = value_labels(schema)
    summed = [c for c in schema.columns if c.kind == "decimal" and c.unit]
    totals = [
        {
            "column": column,
            "total": sum((getattr(r, column.name) or Decimal(0) for r in records), Decimal(0)),
        }
        for column in summed
    ]
    found = {r.row_number for r in records}
    rows = [(r.row_number, [record_cell(r, n, labels) for n in names]) for r in records]
    return render(
        request,
        "inventories/version_rows.html",
        {
            "version": version,
            "dataset": version.dataset,
            "columns": schema.columns,
            "rows": rows,
            "rows_html": record_rows_html(rows),
            "totals": totals,
            "asked": numbers,
            "missing": [n for n in numbers if n not in found],
        },
    )
