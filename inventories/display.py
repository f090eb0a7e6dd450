"""How a dataset record's values read on a page: shared by the version page and the rows behind
a report's figure."""

from html import escape

from django.core.cache import cache
from django.utils import timezone, translation
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, SafeString, mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import gettext

from inventories import selectors
from ncm_portal.fragments import TIMEOUT


def record_cell(record, name, labels=None):
    """A record's value for the page: a censored result reads “< 0.05” or “n.d.”, a coded value
    its label."""
    if name == "value" and getattr(record, "qualifier", ""):
        return record.result_label
    value = getattr(record, name)
    if labels and name in labels and value in labels[name]:
        return labels[name][value]
    return value


def value_labels(schema) -> dict:
    """The labels of a schema's coded columns, by column and code."""
    return {c.name: dict(c.choices) for c in schema.columns if c.kind == "choice"}


def _text(value) -> str:
    """A value as ``{{ value }}`` writes it: in the reader's time zone and locale, escaped."""
    if type(value) is str:
        return escape(value)  # what conditional_escape does with a plain string
    if isinstance(value, SafeData):
        return value
    value = localize(template_localtime(value))
    return conditional_escape(value if isinstance(value, str) else str(value))


def record_rows_html(rows) -> SafeString:
    """The ``<tr>`` of a records table, from ``(row number, cells)`` pairs as ``record_cell``
    gives them: a row's number, then each cell, empty for no value, “yes” or “no” for a boolean.
    Written here rather than by a template loop: a page shows 50 rows of up to 20 columns, and a
    cell costs a fraction of what a template's ``{% if %}`` chain costs."""
    # As the template's {% translate %} writes them: the project's own catalogues, not escaped.
    yes, no = mark_safe(gettext("yes")), mark_safe(gettext("no"))  # noqa: S308
    lines = []
    for number, values in rows:
        cells = []
        for value in values:
            if value is None:
                cells.append("<td></td>")
            elif value is True:
                cells.append(f"<td>{yes}</td>")
            elif value is False:
                cells.append(f"<td>{no}</td>")
            else:
                cells.append(f"<td>{_text(value)}</td>")
        lines.append(f"<tr><td>{_text(number)}</td>{''.join(cells)}</tr>")
    return mark_safe("\n".join(lines))  # noqa: S308 - every value is escaped above


# The rows whose pages are kept rendered: the first few pages of every version.
CACHED_ROWS = 500


def records_table(version, schema, *, after: int) -> dict:
    """One page of a version's accepted rows for its page: the rows' HTML, their numbers and the
    place to continue from (``selectors.records_page``).

    Kept in the cache once built: the rows of one reading of a version never change (a
    correction is a new version, reading the file again is a new attempt, whose rows are read
    anew). The key names that reading (the version's own random key, the attempt and when it
    finished) and what the HTML depends on besides: the page, the language (numbers, dates,
    labels, yes and no) and the time zone. Whoever may open the version sees the same rows.

    Only the first pages are kept (``CACHED_ROWS``): they are the ones people open, and a reader
    walking through a million rows page by page would otherwise fill the cache, which the task
    queue shares."""
    key = ":".join(
        (
            "inventories:records",
            version.key.hex,
            version.attempt,
            version.finished_at.isoformat() if version.finished_at else "",
            str(after),
            translation.get_language() or "",
            timezone.get_current_timezone_name(),
        )
    )
    kept = after < CACHED_ROWS
    found = cache.get(key) if kept else None
    if found is None:
        rows, next_after = selectors.records_page(version, schema.model, after=after)
        names = [c.name for c in schema.columns]
        labels = value_labels(schema)
        cells = [(r.row_number, [record_cell(r, n, labels) for n in names]) for r in rows]
        found = {
            "rows_html": str(record_rows_html(cells)),
            "row_numbers": [number for number, _values in cells],
            "next_after": next_after,
        }
        if kept:
            cache.set(key, found, TIMEOUT)
    return {**found, "rows_html": mark_safe(found["rows_html"])}  # noqa: S308 - built above
