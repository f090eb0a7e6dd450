"""Ingestion of one dataset version: read the stored file, validate each row against the schema,
write the valid rows in batches and the rejected ones with their reasons, compute the aggregates,
all inside one transaction. A version is complete or absent, never half-loaded."""

from __future__ import annotations

import csv
import io
import itertools
import json
import logging
import tempfile
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterator
from decimal import Decimal
from functools import lru_cache

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override

from inventories.messages import field, render, stored
from inventories.models import (
    Chemical,
    ColumnMapping,
    Dataset,
    DatasetEvent,
    DatasetType,
    DatasetVersion,
    EmissionFactor,
    RejectedRow,
    SourceCategory,
    UPOPsRelease,
    only_digits,
)
from inventories.readers import FileInfo, ReadError, open_table, sniff
from inventories.schemas import Invalid, Schema, converter, normalise_header, schema_for
from ncm_portal.storage import local_path

log = logging.getLogger(__name__)

BATCH_ROWS = 20_000
PROGRESS_EVERY = 10_000
HEARTBEAT_SECONDS = 120
SAMPLE_ROWS = 2_000  # rows read to find coded values that need mapping
MAX_CELL_CHARS = 4_000_000  # longer cells fail the file; shorter ones over the limit reject the row
Status = DatasetVersion.Status


class AttemptLost(Exception):
    """Another run took the version over; this one leaves nothing behind."""


class IngestFailed(Exception):
    """A failure with a message for the uploader; the version ends failed with this reason."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


# ---------------------------------------------------------------------------------------------
# Progress, kept outside the ingest transaction so the page can show it while rows are read.


def progress_key(version_id: int) -> str:
    return f"inventories:progress:{version_id}"


def progress_get(version: DatasetVersion) -> dict:
    """Rows read and rows estimated: from the running ingest when there is one, else the version."""
    live = cache.get(progress_key(version.pk)) if version.status == Status.VALIDATING else None
    if live:
        return live
    return {"read": version.rows_read, "estimated": version.rows_estimated}


def _progress_set(version_id: int, read: int, estimated: int) -> None:
    cache.set(
        progress_key(version_id),
        {"read": read, "estimated": max(estimated, read), "at": timezone.now().timestamp()},
        HEARTBEAT_SECONDS,
    )


# ---------------------------------------------------------------------------------------------
# Matching customs lines to chemicals.


def hs_chapter_known(hs_code: str) -> bool:
    """Whether the code's chapter exists in the Harmonized System (01–97; 77 is reserved)."""
    chapter = int(only_digits(hs_code)[:2] or 0)
    return 1 <= chapter <= 97 and chapter != 77


@lru_cache(maxsize=1)
def _chemicals_by_cas() -> dict[str, int]:
    found = {}
    for chemical in Chemical.objects.all():
        for cas in chemical.cas_list:
            found.setdefault(cas, chemical.pk)
    return found


@lru_cache(maxsize=1)
def _chemicals_by_name() -> dict[str, int]:
    found = {}
    for chemical in Chemical.objects.all():
        found[normalise_header(chemical.slug)] = chemical.pk
        name = chemical.name.split("(")[0]
        found[normalise_header(name)] = chemical.pk
        if "(" in chemical.name:
            found[normalise_header(chemical.name.split("(")[1].split(")")[0])] = chemical.pk
    return found


def toolkit_categories() -> set[str]:
    return {c.code.lower() for c in SourceCategory.objects.select_related("group")}


def forget_reference_caches() -> None:
    _chemicals_by_cas.cache_clear()
    _chemicals_by_name.cache_clear()


# ---------------------------------------------------------------------------------------------
# Column mapping.


def auto_map(schema: Schema, headers: list[str]) -> dict[str, int]:
    """Schema column → file column index, for headers that match a column's name, label or alias."""
    index = {}
    for position, header in enumerate(headers):
        index.setdefault(normalise_header(header), position)
    mapping = {}
    for column in schema.columns:
        names = [column.name, str(column.label), *column.aliases]
        with override("en"):
            names.append(str(column.label))
        for name in names:
            position = index.get(normalise_header(name))
            if position is not None and position not in mapping.values():
                mapping[column.name] = position
                break
    return mapping


def resolve_mapping(version: DatasetVersion, schema: Schema) -> tuple[dict[str, int], list[str]]:
    """The file column of each schema column (explicit map first, then names), and the required
    columns that are still missing."""
    headers = version.headers
    positions = {h: i for i, h in reversed(list(enumerate(headers)))}
    mapping = auto_map(schema, headers)
    for name, header in (version.column_map or {}).items():
        if header in positions:
            mapping[name] = positions[header]
        elif header == "":
            mapping.pop(name, None)
    missing = [c.name for c in schema.required if c.name not in mapping]
    return mapping, missing


def saved_mapping(version: DatasetVersion) -> ColumnMapping | None:
    return ColumnMapping.objects.filter(
        institution_id=version.dataset.institution_id, dataset_type=version.dataset.dataset_type
    ).first()


# ---------------------------------------------------------------------------------------------
# Writers: PostgreSQL COPY, or bulk_create elsewhere.


def _copy_text(value) -> str:
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    text = value if isinstance(value, str) else str(value)
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        text = (
            text.replace("\\", "\\\\")
            .replace("\t", "\\t")
            .replace("\n", "\\n")
            .replace("\r", "\\r")
        )
    return text


class Writer:
    """Writes rows of one table: with PostgreSQL COPY, else with bulk_create in batches.

    ``deferred`` rows wait in a spooled temporary file (memory first, then disk) until the end:
    while the accepted rows stream through one COPY, the connection can run nothing else."""

    def __init__(self, model, columns: list[str], *, deferred: bool = False):
        self.model = model
        self.columns = columns
        self.rows: list[tuple] = []
        self.use_copy = connection.vendor == "postgresql"
        self.copy_sql: str | None = None
        self.as_csv = False
        self.written = 0
        self.spool = None
        if deferred and self.use_copy:
            self.copy_sql, self.as_csv = self._copy_sql()
            self.spool = tempfile.SpooledTemporaryFile(  # noqa: SIM115 - closed in flush
                max_size=16 * 1024 * 1024, mode="w+", encoding="utf-8", newline=""
            )
            self.spool_writer = csv.writer(self.spool, lineterminator="\r\n")

    def add(self, row: tuple) -> None:
        if self.spool is not None:
            self.spool_writer.writerow(row)
            self.written += 1
            return
        self.rows.append(row)
        if len(self.rows) >= BATCH_ROWS:
            self.flush()

    def stream(self, rows) -> None:
        """One COPY fed as the rows are produced: the database parses and indexes one chunk
        while Python validates the next."""
        if self.copy_sql is None:
            self.copy_sql, self.as_csv = self._copy_sql()
        source = _CsvSource(rows) if self.as_csv else _CsvSource(rows, text_format=True)
        with connection.cursor() as cursor:
            cursor.cursor.copy_expert(self.copy_sql, source, size=1 << 20)
        self.written += source.count

    def _copy_sql(self) -> tuple[str, bool]:
        """The COPY statement, and whether it reads CSV written by the C csv module (much faster
        than escaping each value in Python). In CSV an unquoted empty field is NULL: columns that
        cannot be NULL read it as an empty string instead. A nullable text column would blur
        the two, so such a table keeps the text format."""
        quote = connection.ops.quote_name
        table = quote(self.model._meta.db_table)
        columns = ", ".join(quote(c) for c in self.columns)
        fields = [self.model._meta.get_field(c) for c in self.columns]
        if any(f.null and f.get_internal_type() in ("CharField", "TextField") for f in fields):
            return f"COPY {table} ({columns}) FROM STDIN", False
        not_null = ", ".join(
            quote(c) for c, f in zip(self.columns, fields, strict=True) if not f.null
        )
        options = f"FORMAT csv, FORCE_NOT_NULL ({not_null})" if not_null else "FORMAT csv"
        return f"COPY {table} ({columns}) FROM STDIN WITH ({options})", True

    def flush(self) -> None:
        if self.spool is not None:
            self.spool.seek(0)
            with connection.cursor() as cursor:
                cursor.cursor.copy_expert(self.copy_sql, self.spool, size=1 << 20)
            self.spool.close()
            self.spool = None
            return
        if not self.rows:
            return
        if self.use_copy:
            if self.copy_sql is None:
                self.copy_sql, self.as_csv = self._copy_sql()
            buffer = io.StringIO()
            if self.as_csv:
                # "\r\n" ends the lines so that cells holding either character are quoted.
                csv.writer(buffer, lineterminator="\r\n").writerows(self.rows)
            else:
                write = buffer.write
                for row in self.rows:
                    write("\t".join(map(_copy_text, row)))
                    write("\n")
            buffer.seek(0)
            with connection.cursor() as cursor:
                cursor.cursor.copy_expert(self.copy_sql, buffer)
        else:
            model, columns = self.model, self.columns
            self.model.objects.bulk_create(
                [model(**dict(zip(columns, row, strict=True))) for row in self.rows],
                batch_size=1000,
            )
        self.written += len(self.rows)
        self.rows = []


class _CsvSource:
    """A file-like object that COPY reads from, formatting the rows it pulls as it goes."""

    CHUNK_ROWS = 5000

    def __init__(self, rows, *, text_format: bool = False):
        self.rows = iter(rows)
        self.buffer = ""
        self.out = io.StringIO()
        self.writer = None if text_format else csv.writer(self.out, lineterminator="\r\n")
        self.count = 0

    def _more(self) -> bool:
        batch = list(itertools.islice(self.rows, self.CHUNK_ROWS))
        if not batch:
            return False
        if self.writer is not None:
            self.writer.writerows(batch)
        else:
            for row in batch:
                self.out.write("\t".join(map(_copy_text, row)))
                self.out.write("\n")
        self.count += len(batch)
        self.buffer += self.out.getvalue()
        self.out.seek(0)
        self.out.truncate()
        return True

    def read(self, size: int = -1) -> str:
        while (size < 0 or len(self.buffer) < size) and self._more():
            pass
        if size < 0 or size >= len(self.buffer):
            data, self.buffer = self.buffer, ""
        else:
            data, self.buffer = self.buffer[:size], self.buffer[size:]
        return data

    readline = read


# ---------------------------------------------------------------------------------------------
# The ingest itself.


def _msg(template, **params) -> dict:
    """A message kept as its source text and parameters, shown in the reader's language."""
    return stored(template, params)


def _event(version, action, from_state, to_state, note="", actor=None) -> None:
    """``note`` is a stored message (see :func:`_msg`) or plain text."""
    message = note if isinstance(note, dict) else {}
    DatasetEvent.objects.create(
        version=version, actor=actor, action=action, from_state=from_state, to_state=to_state,
        note=render(message, str(note))[:2000], message=message,
    )  # fmt: skip


def _claim(version_id: int) -> str | None:
    """Move a queued version to validating under a fresh attempt token; None when another run
    already has it, or when it is done."""
    attempt = uuid.uuid4().hex
    claimed = DatasetVersion.objects.filter(
        pk=version_id, status__in=[Status.RECEIVED, Status.QUEUED]
    ).update(status=Status.VALIDATING, attempt=attempt, started_at=timezone.now(), rows_read=0)
    return attempt if claimed else None


def version_process(version_id: int) -> str:
    """Take a received or queued version as far as it can go: read its header, map its columns,
    validate and load it. Safe to call any number of times; returns the version's final status."""
    attempt = _claim(version_id)
    version = DatasetVersion.objects.select_related("dataset").get(pk=version_id)
    if attempt is None:
        return version.status
    _progress_set(version.pk, 0, version.rows_estimated)
    language = getattr(version.uploaded_by, "language", "") or settings.LANGUAGE_CODE
    try:
        with override(language):  # reasons and errors in the uploader's language
            outcome = _prepare_and_load(version, attempt)
    except AttemptLost:
        return DatasetVersion.objects.get(pk=version_id).status
    except ReadError as error:
        with override(language):
            _fail(version, attempt, stored(error.template, error.params))
        return Status.FAILED
    except IngestFailed as error:
        with override(language):
            _fail(version, attempt, error.message)
        return Status.FAILED
    except Exception:
        log.exception("Dataset version %s could not be ingested", version_id)
        with override(language):
            _fail(
            version,
            attempt,
            _msg(gettext_lazy("The file could not be processed because of an internal error. "
                              "Nothing was loaded; the file is kept. The administrators have "
                              "been told.")),
        )  # fmt: skip
        return Status.FAILED
    finally:
        cache.delete(progress_key(version_id))
    return outcome


def _fail(version: DatasetVersion, attempt: str, message: dict) -> None:
    """``message`` is a stored message; the text in the uploader's language is kept beside it."""
    with transaction.atomic():
        updated = DatasetVersion.objects.filter(pk=version.pk, attempt=attempt).update(
            status=Status.FAILED, error=render(message), error_message=message,
            finished_at=timezone.now(),
        )  # fmt: skip
        if updated:
            _event(version, "failed", Status.VALIDATING, Status.FAILED, message)


def _prepare_and_load(version: DatasetVersion, attempt: str) -> str:
    # On object storage the reader works on a temporary local copy of the raw file.
    with local_path(version.raw_file) as path:
        return _prepare_and_load_path(version, attempt, path)


def _prepare_and_load_path(version: DatasetVersion, attempt: str, path: str) -> str:
    schema = schema_for(version.dataset.dataset_type)
    info = sniff(path, name=version.original_name)
    if info.kind == "xlsx" and version.sheet and version.sheet not in info.sheets:
        raise IngestFailed(
            _msg(gettext_lazy("The workbook has no sheet named “%(sheet)s”. Its sheets are: "
                              "%(sheets)s."),
                 sheet=version.sheet, sheets=", ".join(info.sheets))
        )  # fmt: skip
    expected = [n for c in schema.columns for n in (c.name, str(c.label), *c.aliases)]
    table = open_table(
        path,
        info,
        sheet=version.sheet or None,
        expected_headers=expected,
        max_cell_chars=MAX_CELL_CHARS,
    )
    version.sheet = table.sheet or ""  # the sheet read, when the uploader named none
    version.encoding = info.encoding or ""
    version.delimiter = info.delimiter or ""
    version.sheets = list(info.sheets)
    version.headers = [str(h) for h in table.header]
    version.header_row = table.header_row
    version.rows_estimated = table.estimated_rows
    if not version.column_map and not version.value_map:
        remembered = saved_mapping(version)
        if remembered:
            version.column_map = remembered.column_map
            version.value_map = remembered.value_map
    mapping, missing = resolve_mapping(version, schema)
    unmapped_values = {} if missing else _values_to_map(table, schema, mapping, version.value_map)
    DatasetVersion.objects.filter(pk=version.pk).update(
        sheet=version.sheet, encoding=version.encoding, delimiter=version.delimiter,
        sheets=version.sheets,
        headers=version.headers, header_row=version.header_row,
        rows_estimated=version.rows_estimated, column_map=version.column_map,
        value_map=version.value_map,
    )  # fmt: skip
    if missing or unmapped_values:
        with transaction.atomic():
            updated = DatasetVersion.objects.filter(pk=version.pk, attempt=attempt).update(
                status=Status.NEEDS_MAPPING,
                error="",
                top_reasons=[{"unmapped_values": unmapped_values, "missing": missing,
                              "samples": _samples(table, len(version.headers))}],
            )
            if updated:
                note = ""
                if missing:
                    note = _msg(gettext_lazy("Columns to choose: %(columns)s."),
                                columns=", ".join(str(schema.column(n).label) for n in missing))
                _event(version, "needs_mapping", Status.VALIDATING, Status.NEEDS_MAPPING,
                       note)  # fmt: skip
        return Status.NEEDS_MAPPING
    # The table opened above is read again from its first row: Table.rows() starts afresh on
    # each call. Opening it a second time would parse a workbook twice and, while the first
    # stayed referenced, hold both in memory.
    return _load(version, attempt, schema, table, mapping, info)


SAMPLE_VALUES = 4


def _samples(table, width: int, rows: int = 50) -> list[list[str]]:
    """A few distinct values of each file column, from its first rows, shown beside the choice
    of what the column holds."""
    found: list[list[str]] = [[] for _ in range(width)]
    for count, (_row, cells) in enumerate(table.rows()):
        if count >= rows:
            break
        for position, cell in enumerate(cells[:width]):
            text = cell.strip()[:40]
            if text and text not in found[position] and len(found[position]) < SAMPLE_VALUES:
                found[position].append(text)
    return found


def _values_to_map(table, schema: Schema, mapping: dict[str, int], value_map: dict) -> dict:
    """Values of coded columns, in the first rows, that neither the schema nor the mapping knows."""
    coded = [c for c in schema.columns if c.kind == "choice" and c.name in mapping]
    if not coded:
        return {}
    converters = {
        c.name: converter(c, day_first=True, decimal=".", value_map=value_map.get(c.name, {}))
        for c in coded
    }
    decided = {
        name: {normalise_header(v) for v in values} for name, values in value_map.items()
    }  # values the uploader already mapped, or chose to have rejected
    unknown: dict[str, set[str]] = defaultdict(set)
    for count, (_row, cells) in enumerate(table.rows()):
        if count >= SAMPLE_ROWS:
            break
        for column in coded:
            position = mapping[column.name]
            text = cells[position].strip() if position < len(cells) else ""
            if not text:
                continue
            try:
                converters[column.name](text)
            except Invalid:
                if normalise_header(text) in decided.get(column.name, ()):
                    continue
                if len(unknown[column.name]) < 50:
                    unknown[column.name].add(text[:60])
    return {name: sorted(values) for name, values in unknown.items()}


HINT_SAMPLES = 2_000  # failing cells per column tried with the other decimal mark or date order


def _load(version, attempt, schema: Schema, table, mapping: dict[str, int], info: FileInfo) -> str:
    decimal = "," if version.decimal_comma else "."
    plan = [
        (
            column.name,
            mapping.get(column.name),
            converter(
                column,
                day_first=version.day_first,
                decimal=decimal,
                value_map=version.value_map.get(column.name, {}),
            ),
        )  # fmt: skip
        for column in schema.columns
    ]
    names = [c.name for c in schema.columns]
    header_of = {c.name: (version.headers[mapping[c.name]] if c.name in mapping else str(c.label))
                 for c in schema.columns}  # fmt: skip
    derive = _deriver(schema)
    db_columns = ["version_id", "row_number", *names, *schema.derived]
    writer = Writer(schema.model, db_columns)
    rejected = Writer(
        RejectedRow,
        ["version_id", "row_number", "column", "reason", "code", "values", "message"],
        deferred=True,
    )
    reasons: Counter = Counter()
    examples: dict[tuple, str] = {}
    seen: dict[int, int] = {}  # hash of the unique column's value -> the row that holds it
    unique_position = names.index(schema.unique) if schema.unique else None
    rules = [rule() if getattr(rule, "per_file", False) else rule for rule in schema.rules]
    rewrites = schema.dataset_type == DatasetType.MONITORING  # its rule settles censored values
    extra = [h for i, h in enumerate(version.headers) if i not in mapping.values() and h]
    read = 0
    flagged = 0
    below_limit = 0
    version_id = version.pk
    estimated = version.rows_estimated
    other_reading = _other_reading(schema, version, mapping)
    misread: Counter = Counter()  # (hint, column) -> failing cells the other setting would read
    tried: Counter = Counter()

    def reject(row_number, error, cells):
        column_name, error_code = error.column, error.code
        message = error.stored
        if column_name and column_name not in mapping:
            message["field"] = field(schema.dataset_type, column_name)
        reasons[(error_code, column_name)] += 1
        examples.setdefault((error_code, column_name), message)
        if rejected.use_copy:
            kept, message_json = _json_cells(cells), json.dumps(message, ensure_ascii=False)
        else:
            kept, message_json = list(cells), message
        rejected.add(
            (version_id, row_number, header_of.get(column_name, column_name), render(message),
             error_code, kept, message_json)
        )  # fmt: skip

    def notice(error, cells):
        """Whether the other decimal mark or date order would have read the failing cell."""
        key = error.column
        if key not in other_reading or tried[key] >= HINT_SAMPLES:
            return
        tried[key] += 1
        hint, position, convert = other_reading[key]
        text = cells[position] if position < len(cells) else ""
        try:
            convert(text)
        except Invalid:
            return
        misread[(hint, key)] += 1

    width = len(version.headers)
    fast_plan = [
        (width if position is None or position >= width else position, convert)
        for _name, position, convert in plan
    ]
    carried = offset = 0
    numbered_by_file = False
    with transaction.atomic():
        if version.corrects_id:
            # Corrections: the accepted rows of the corrected version come along unchanged, and
            # the rows of this file keep the row numbers they had there (its first column).
            carried = _carry_over(schema, version, db_columns)
            flagged, below_limit = _count_flags(schema, version_id)
            if unique_position is not None:
                previous = schema.model.objects.filter(version_id=version_id)
                pairs = previous.values_list(schema.unique, "row_number").iterator(5000)
                for value, number in pairs:
                    seen.setdefault(hash(value), number)
            numbered_by_file = 0 not in mapping.values()
            if not numbered_by_file:
                last = schema.model.objects.filter(version_id=version_id).order_by("-row_number")
                offset = last.values_list("row_number", flat=True).first() or 0

        def accepted_rows():
            nonlocal read, flagged, below_limit
            for row_number, cells in table.rows():
                read += 1
                if numbered_by_file and cells and cells[0].strip().isdigit():
                    row_number = int(cells[0])
                elif offset:
                    row_number += offset
                if read % PROGRESS_EVERY == 0:
                    _progress_set(version_id, read, estimated)
                # A column the file lacks reads the empty cell appended at index ``width``.
                length = len(cells)
                if length < width:
                    cells.extend([""] * (width - length))
                cells.append("")
                try:
                    try:
                        values = [convert(cells[position]) for position, convert in fast_plan]
                    except Invalid:
                        error = _first_invalid(plan, cells, width)
                        if other_reading:
                            notice(error, cells)
                        raise error from None
                    row = dict(zip(names, values, strict=True))
                    for rule in rules:
                        rule(row)
                    if rewrites:
                        values = [row[name] for name in names]
                        below_limit += bool(row["qualifier"])
                    if unique_position is not None:
                        key = hash(values[unique_position])
                        first = seen.get(key)
                        if first is not None:
                            raise Invalid(
                                "duplicate",
                                gettext_lazy("Same %(column)s “%(value)s” as row %(row)s."),
                                schema.unique,
                                params={"column": header_of[schema.unique],
                                        "value": values[unique_position], "row": first},
                            )  # fmt: skip
                        seen[key] = row_number
                    derived, flag = derive(row)
                    flagged += flag
                except Invalid as error:
                    if length < width and _position_of(mapping, error.column) >= length:
                        error = Invalid(
                            "short_row",
                            gettext_lazy("The row has %(cells)s columns; the header has "
                                         "%(header)s."),
                            error.column,
                            params={"cells": length, "header": width},
                        )  # fmt: skip
                    reject(row_number, error, cells[:width])
                    continue
                yield (version_id, row_number, *values, *derived)

        if writer.use_copy:
            writer.stream(accepted_rows())
        else:
            for row in accepted_rows():
                writer.add(row)
            writer.flush()
        rejected.flush()
        if read == 0:
            raise IngestFailed(_msg(gettext_lazy("The file has a header but no rows of data.")))
        _progress_set(version_id, read, read)
        _aggregate(version, schema)
        top = [
            {
                "code": code,
                "column": header_of.get(column, column),
                "field": column if column in mapping else "",
                "count": count,
                "example": render(examples[(code, column)]),
                "message": examples[(code, column)],
            }
            for (code, column), count in reasons.most_common(5)
        ]
        hints, hinted = [], set()
        for (hint, column), count in misread.most_common():
            if count * 2 > read and hint not in hinted:
                hinted.add(hint)
                column_label = header_of.get(column, column)
                hints.append({"code": hint, "column": column_label, "count": count})
        now = timezone.now()
        note = {}
        if extra:
            note = _msg(gettext_lazy("Columns ignored: %(columns)s."),
                        columns=", ".join(extra[:20]))  # fmt: skip
        accepted = carried + writer.written
        # A version with no accepted row, or with more than half of its rows rejected, is held
        # back: it replaces the current data only once its uploader or the secretariat confirms.
        held = accepted == 0 or (not version.corrects_id and rejected.written * 2 > read)
        status = Status.PROBLEMS if held else Status.VALIDATED
        updated = DatasetVersion.objects.filter(pk=version_id, attempt=attempt).update(
            status=status, rows_read=read, rows_estimated=read,
            rows_accepted=accepted, rows_rejected=rejected.written,
            rows_flagged=flagged, rows_below_limit=below_limit,
            top_reasons=top, hints=hints, error=render(note), error_message=note,
            finished_at=now,
        )  # fmt: skip
        if not updated:
            raise AttemptLost
        if not held:
            _supersede(version, now)
        _event(version, status, Status.VALIDATING, status,
               _msg(gettext_lazy("%(accepted)s rows accepted, %(rejected)s rejected."),
                    accepted=writer.written, rejected=rejected.written))  # fmt: skip
    return status


def _position_of(mapping: dict[str, int], column: str) -> int:
    position = mapping.get(column)
    return -1 if position is None else position


def _other_reading(schema: Schema, version: DatasetVersion, mapping: dict[str, int]) -> dict:
    """For each mapped number or date column: the hint, the file position and a converter with
    the other decimal mark or date order, to tell a misread file from bad cells."""
    other = {}
    for column in schema.columns:
        position = mapping.get(column.name)
        if position is None:
            continue
        if column.kind in ("decimal", "result"):
            hint = "decimal_point" if version.decimal_comma else "decimal_comma"
            decimal = "." if version.decimal_comma else ","
            other[column.name] = (
                hint, position,
                converter(column, day_first=version.day_first, decimal=decimal, value_map={}),
            )  # fmt: skip
        elif column.kind == "date":
            hint = "month_first" if version.day_first else "day_first"
            other[column.name] = (
                hint, position,
                converter(column, day_first=not version.day_first, decimal=".", value_map={}),
            )  # fmt: skip
    return other


def _count_flags(schema: Schema, version_id: int) -> tuple[int, int]:
    """Flagged rows and results below the limit among a version's rows already written."""
    rows = schema.model.objects.filter(version_id=version_id)
    if schema.dataset_type == DatasetType.CUSTOMS:
        return rows.filter(Q(hs_known=False) | ~Q(match="")).count(), 0
    if schema.dataset_type == DatasetType.MONITORING:
        return (
            rows.filter(chemical__isnull=False).count(),
            rows.exclude(qualifier="").count(),
        )
    if schema.dataset_type == DatasetType.PESTICIDES:
        return rows.filter(chemical__isnull=False).count(), 0
    return 0, 0


def _carry_over(schema: Schema, version: DatasetVersion, db_columns: list[str]) -> int:
    """Copy the corrected version's rows into this one in one statement."""
    table = connection.ops.quote_name(schema.model._meta.db_table)
    columns = [connection.ops.quote_name(c) for c in db_columns[1:]]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (version_id, {', '.join(columns)}) "  # noqa: S608 - names are ours
            f"SELECT %s, {', '.join(columns)} FROM {table} WHERE version_id = %s",
            [version.pk, version.corrects_id],
        )
        return cursor.rowcount


def _first_invalid(plan, cells: list[str], width: int) -> Invalid:
    """The first cell of a rejected row that breaks the schema, named by its column."""
    for name, position, convert in plan:
        try:
            convert(cells[width if position is None or position >= width else position])
        except Invalid as error:
            error.column = name
            return error
    raise AssertionError("a converter refused a value it accepts")  # pragma: no cover


def _json_cells(cells: list[str]) -> str:
    import json

    return json.dumps(list(cells), ensure_ascii=False)


def _supersede(version: DatasetVersion, now) -> None:
    dataset = Dataset.objects.select_for_update().get(pk=version.dataset_id)
    previous = dataset.current_version_id
    if previous and previous != version.pk:
        DatasetVersion.objects.filter(pk=previous).update(superseded_at=now)
        _event(
            dataset.current_version,
            "superseded",
            "",
            "",
            _msg(gettext_lazy("Replaced by version %(n)s."), n=version.number),
        )
    dataset.current_version = version
    dataset.save(update_fields=["current_version"])
    retire_older_versions(version, now)


def retire_older_versions(version: DatasetVersion, now) -> int:
    """Once a version is the dataset's current data, the older versions that never became current
    (held back, failed, waiting for a mapping) are out of play: confirming or reading one of them
    again would put older data over newer."""
    return (
        DatasetVersion.objects.filter(
            dataset_id=version.dataset_id, number__lt=version.number, superseded_at=None
        )
        .exclude(pk=version.pk)
        .update(superseded_at=now)
    )


def _deriver(schema: Schema):
    """Columns computed from a valid row (the customs match, the chemical of a result) and whether
    the row is flagged for attention."""
    if schema.dataset_type == DatasetType.CUSTOMS:
        from inventories.services.customs import MatchIndex

        index = MatchIndex()  # the one resolution the totals and the lines page use too
        seen: dict[tuple[str, str], tuple[tuple[str, bool], bool]] = {}  # files repeat codes

        def derive(row):
            codes = (row["hs_code"], row["national_code"])
            found = seen.get(codes)
            if found is None:
                match = index.match_of(*codes)
                known = hs_chapter_known(codes[0])
                found = (match, known), (not known) or bool(match)
                if len(seen) < 100_000:
                    seen[codes] = found
            return found

        return derive
    if schema.dataset_type == DatasetType.MONITORING:
        by_cas, by_name = _chemicals_by_cas(), _chemicals_by_name()

        def derive(row):
            chemical = by_cas.get(row["cas"]) or by_name.get(normalise_header(row["analyte"]))
            return (chemical, row["qualifier"], row["limit"]), chemical is not None

        return derive
    if schema.dataset_type == DatasetType.PESTICIDES:
        by_name = _chemicals_by_name()

        def derive(row):
            chemical = by_name.get(normalise_header(row["active_ingredient"]))
            return (chemical,), chemical is not None

        return derive
    return lambda row: ((), False)


def _aggregate(version: DatasetVersion, schema: Schema) -> None:
    if schema.dataset_type == DatasetType.CUSTOMS:
        _aggregate_customs(version)
    elif schema.dataset_type == DatasetType.UPOPS:
        _aggregate_releases(version)


def _aggregate_customs(version: DatasetVersion) -> None:
    """Totals per chemical or code, year, flow and partner for the lines that point to a listed
    chemical (see ``inventories.services.customs``)."""
    from inventories.services.customs import totals_compute

    totals_compute(version.pk)


def _aggregate_releases(version: DatasetVersion) -> None:
    """g TEQ/a = activity (t/a) × factor (µg TEQ/t) × 10⁻⁶, per vector with a factor."""
    from django.db.models import Sum

    from inventories.models import UPOPsActivityRecord

    categories = {c.code.lower(): c for c in SourceCategory.objects.select_related("group")}
    factors: dict[tuple, list[EmissionFactor]] = defaultdict(list)
    for factor in EmissionFactor.objects.all():
        factors[(factor.category_id, factor.class_number)].append(factor)
    grouped = (
        UPOPsActivityRecord.objects.filter(version=version)
        .values("source_category", "class_number", "year")
        .annotate(activity=Sum("activity_rate"))
    )
    releases = []
    for group in grouped:
        category = categories[group["source_category"].lower()]
        for factor in factors.get((category.pk, group["class_number"]), []):
            releases.append(
                UPOPsRelease(
                    version=version,
                    category=category,
                    class_number=group["class_number"],
                    year=group["year"],
                    vector=factor.vector,
                    activity=group["activity"],
                    factor=factor.factor,
                    g_teq=group["activity"] * factor.factor / Decimal(1_000_000),
                )  # fmt: skip
            )
    UPOPsRelease.objects.bulk_create(releases)


def rejected_rows_csv(version: DatasetVersion) -> Iterator[list[str]]:
    """The rejected rows as the uploader sent them, with the row number and the reason first, so
    the file can be fixed and uploaded again."""
    yield [_("Row"), _("Column"), _("Reason"), *version.headers]
    for row in version.rejected_rows.order_by("row_number", "pk").iterator(chunk_size=2000):
        yield [str(row.row_number), row.column_label, row.reason_text, *row.cells]


def resume_stalled(*, older_than_seconds: int = HEARTBEAT_SECONDS) -> list[int]:
    """Versions left validating by a worker that died: their transaction rolled back, so nothing
    of them is in the database. Queue them again. Returns the ids queued."""
    cutoff = timezone.now() - timezone.timedelta(seconds=older_than_seconds)
    stalled = []
    for version in DatasetVersion.objects.filter(status=Status.VALIDATING, started_at__lt=cutoff):
        if cache.get(progress_key(version.pk)):
            continue  # still beating
        with transaction.atomic():
            if DatasetVersion.objects.filter(
                pk=version.pk, status=Status.VALIDATING, attempt=version.attempt
            ).update(status=Status.QUEUED, attempt=""):
                note = _msg(
                    gettext_lazy("The worker stopped during validation; the file is read again.")
                )
                _event(version, "requeued", Status.VALIDATING, Status.QUEUED, note)
                stalled.append(version.pk)
    return stalled
