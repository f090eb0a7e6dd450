"""Ingestion of one dataset version: read the stored file, validate each row against the schema,
write the valid rows in batches and the rejected ones with their reasons, compute the aggregates,
all inside one transaction. A version is complete or absent, never half-loaded."""

from __future__ import annotations

import contextlib
import logging
import time
import uuid
from collections.abc import Iterator

import polars as pl
from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override

from inventories.ingest.derive import deriver, hs_known
from inventories.ingest.errors import ReadError
from inventories.ingest.mapping import resolve_mapping, samples, saved_mapping, values_to_map
from inventories.ingest.progress import HEARTBEAT_SECONDS, progress_key, progress_set
from inventories.ingest.read import frames
from inventories.ingest.repeats import (
    CANDIDATE_COLUMNS,
    TABLE,
    candidates_table_create,
    candidates_table_drop,
    reject_repeats,
)
from inventories.ingest.validate import Validator
from inventories.ingest.write import REJECTED_COLUMNS, Copier, Writer, rejected_frame
from inventories.messages import render, stored
from inventories.models import Dataset, DatasetEvent, DatasetType, DatasetVersion, RejectedRow
from inventories.readers import FileInfo, open_table, sniff
from inventories.schemas import Schema, schema_for
from inventories.services.aggregates import aggregate
from ncm_portal import background
from ncm_portal.storage import local_path

log = logging.getLogger(__name__)

MAX_CELL_CHARS = 4_000_000  # longer cells fail the file; shorter ones over the limit reject the row
Status = DatasetVersion.Status
timings: dict[str, float] = {}  # seconds of the last ingest in this process, by step


class AttemptLost(Exception):
    """Another run took the version over; this one leaves nothing behind."""


class IngestFailed(Exception):
    """A failure with a message for the uploader; the version ends failed with this reason."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


# ---------------------------------------------------------------------------------------------
# Matching customs lines to chemicals (the expressions are in inventories.ingest.derive).


def hs_chapter_known(hs_code: str) -> bool:
    """Whether the code's chapter exists in the Harmonized System (01–97; 77 is reserved)."""
    return pl.select(hs_known(pl.lit(hs_code, pl.Utf8))).item()


# ---------------------------------------------------------------------------------------------
# Column mapping: in inventories.ingest.mapping (auto_map, resolve_mapping, saved_mapping).
# Progress: in inventories.ingest.progress. Aggregates: in inventories.services.aggregates.


# ---------------------------------------------------------------------------------------------
# The ingest itself.


def _msg(template, **params) -> dict:
    """A message kept as its source text and parameters, shown in the reader's language."""
    return stored(template, params)


def _event(version, action, from_state, to_state, note="", actor=None) -> None:
    """``note`` is a stored message (see :func:`_msg`) or plain text."""
    message = note if isinstance(note, dict) else {}
    DatasetEvent.objects.create(
        version=version,
        actor=actor,
        action=action,
        from_state=from_state,
        to_state=to_state,
        note=render(message, str(note))[:2000],
        message=message,
    )


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
    progress_set(version.pk, 0, version.rows_estimated)
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
                _msg(
                    gettext_lazy(
                        "The file could not be processed because of an internal error. "
                        "Nothing was loaded; the file is kept. The administrators have "
                        "been told."
                    )
                ),
            )
        return Status.FAILED
    finally:
        cache.delete(progress_key(version_id))
    return outcome


def _fail(version: DatasetVersion, attempt: str, message: dict) -> None:
    """``message`` is a stored message; the text in the uploader's language is kept beside it."""
    with transaction.atomic():
        updated = DatasetVersion.objects.filter(pk=version.pk, attempt=attempt).update(
            status=Status.FAILED,
            error=render(message),
            error_message=message,
            finished_at=timezone.now(),
        )
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
            _msg(
                gettext_lazy(
                    "The workbook has no sheet named “%(sheet)s”. Its sheets are: %(sheets)s."
                ),
                sheet=version.sheet,
                sheets=", ".join(info.sheets),
            )
        )
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
    unmapped_values = {} if missing else values_to_map(table, schema, mapping, version.value_map)
    DatasetVersion.objects.filter(pk=version.pk).update(
        sheet=version.sheet,
        encoding=version.encoding,
        delimiter=version.delimiter,
        sheets=version.sheets,
        headers=version.headers,
        header_row=version.header_row,
        rows_estimated=version.rows_estimated,
        column_map=version.column_map,
        value_map=version.value_map,
    )
    if missing or unmapped_values:
        with transaction.atomic():
            updated = DatasetVersion.objects.filter(pk=version.pk, attempt=attempt).update(
                status=Status.NEEDS_MAPPING,
                error="",
                top_reasons=[
                    {
                        "unmapped_values": unmapped_values,
                        "missing": missing,
                        "samples": samples(table, len(version.headers)),
                    }
                ],
            )
            if updated:
                note = ""
                if missing:
                    note = _msg(
                        gettext_lazy("Columns to choose: %(columns)s."),
                        columns=", ".join(str(schema.column(n).label) for n in missing),
                    )
                _event(version, "needs_mapping", Status.VALIDATING, Status.NEEDS_MAPPING, note)
        return Status.NEEDS_MAPPING
    # The table opened above is read again from its first row: Table.rows() starts afresh on
    # each call. Opening it a second time would parse a workbook twice and, while the first
    # stayed referenced, hold both in memory.
    return _load(version, attempt, schema, table, mapping, info)


def _load(version, attempt, schema: Schema, table, mapping: dict[str, int], info: FileInfo) -> str:
    header_of = {
        c.name: (version.headers[mapping[c.name]] if c.name in mapping else str(c.label))
        for c in schema.columns
    }
    width = len(version.headers)
    validator = Validator(
        schema,
        mapping=mapping,
        width=width,
        day_first=version.day_first,
        decimal="," if version.decimal_comma else ".",
        value_map=version.value_map,
        header_of=header_of,
        expected_rows=version.rows_estimated,
    )
    derive = deriver(schema)
    extra = [h for i, h in enumerate(version.headers) if i not in mapping.values() and h]
    version_id = version.pk
    timings.clear()
    with transaction.atomic():
        _hold_version(version_id)
        if schema.unique:
            candidates_table_create()
        copier = Copier() if connection.vendor == "postgresql" else None
        writer = Writer(schema.model, _db_columns(schema), copier)
        rejected = Writer(RejectedRow, REJECTED_COLUMNS, copier, spool=True)
        candidates = Writer(TABLE, CANDIDATE_COLUMNS, copier, spool=True)
        try:
            read, flagged, below_limit, carried = _load_rows(
                version, schema, table, mapping, validator, derive, writer, rejected, candidates
            )
        except BaseException:
            if copier is not None:
                with contextlib.suppress(Exception):  # the first error is the one to tell
                    copier.close(copy_spooled=False)
            raise
        if copier is not None:
            started = time.perf_counter()
            copier.close()
            _time("write", started)
        if schema.unique:
            started = time.perf_counter()
            found = candidates.written and reject_repeats(
                version_id, schema, validator, writer, rejected
            )
            if found:
                flagged, below_limit = _count_flags(schema, version_id)
            candidates_table_drop()
            _time("repeats", started)
            log.info(
                "Version %s: %s rows may repeat a value, %s do",
                version_id,
                candidates.written,
                found,
            )
        if read == 0:
            raise IngestFailed(_msg(gettext_lazy("The file has a header but no rows of data.")))
        progress_set(version_id, read, read)
        started = time.perf_counter()
        aggregate(version, schema)
        _time("aggregates", started)
        examples = validator.examples
        top = [
            {
                "code": code,
                "column": header_of.get(column, column),
                "field": column if column in mapping else "",
                "count": count,
                "example": render(examples[(code, column)]),
                "message": examples[(code, column)],
            }
            for (code, column), count in validator.reasons.most_common(5)
        ]
        hints, hinted = [], set()
        for (hint, column), count in validator.misread.most_common():
            if count * 2 > read and hint not in hinted:
                hinted.add(hint)
                column_label = header_of.get(column, column)
                hints.append({"code": hint, "column": column_label, "count": count})
        now = timezone.now()
        note = {}
        if extra:
            note = _msg(
                gettext_lazy("Columns ignored: %(columns)s."), columns=", ".join(extra[:20])
            )
        accepted = carried + writer.written
        # A version with no accepted row, or with more than half of its rows rejected, is held
        # back: it replaces the current data only once its uploader or the secretariat confirms.
        held = accepted == 0 or (not version.corrects_id and rejected.written * 2 > read)
        status = Status.PROBLEMS if held else Status.VALIDATED
        updated = DatasetVersion.objects.filter(pk=version_id, attempt=attempt).update(
            status=status,
            rows_read=read,
            rows_estimated=read,
            rows_accepted=accepted,
            rows_rejected=rejected.written,
            rows_flagged=flagged,
            rows_below_limit=below_limit,
            top_reasons=top,
            hints=hints,
            error=render(note),
            error_message=note,
            finished_at=now,
        )
        if not updated:
            raise AttemptLost
        if not held:
            _supersede(version, now)
        _event(
            version,
            status,
            Status.VALIDATING,
            status,
            _msg(
                gettext_lazy("%(accepted)s rows accepted, %(rejected)s rejected."),
                accepted=writer.written,
                rejected=rejected.written,
            ),
        )
    return status


def _hold_version(version_id: int) -> None:
    """The records tables check their version here, once, rather than with a constraint on each
    row: the version's row is locked against deletion until the rows are committed."""
    if connection.vendor != "postgresql":
        return
    table = connection.ops.quote_name(DatasetVersion._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT 1 FROM {table} WHERE id = %s FOR KEY SHARE", [version_id])  # noqa: S608
        if cursor.fetchone() is None:
            raise AttemptLost


def _time(step: str, started: float) -> None:
    timings[step] = timings.get(step, 0.0) + time.perf_counter() - started


def _load_rows(version, schema, table, mapping, validator, derive, writer, rejected, candidates):
    """Read, check and write the rows: (read, flagged, below the limit, carried over)."""
    names = [c.name for c in schema.columns]
    version_id = version.pk
    estimated = version.rows_estimated
    width = validator.width
    read = flagged = below_limit = carried = offset = 0
    numbered_by_file = False
    if version.corrects_id:
        # Corrections: the accepted rows of the corrected version come along unchanged, and
        # the rows of this file keep the row numbers they had there (its first column).
        carried = _carry_over(schema, version)
        flagged, below_limit = _count_flags(schema, version_id)
        kept = schema.model.objects.filter(version_id=version_id)
        if schema.unique:  # in no order: the filter of values seen has none (no sort of the rows)
            validator.seed(list(kept.values_list(schema.unique, flat=True)))
        numbered_by_file = 0 not in mapping.values()
        if not numbered_by_file:
            offset = kept.aggregate(last=Max("row_number"))["last"] or 0
    outputs = [
        pl.lit(version_id, pl.Int64).alias("version_id"),
        pl.int_range(pl.len(), dtype=pl.Int64).alias("ordinal"),
        pl.col("_row").alias("row_number"),
        *names,
        *schema.derived,
    ]
    placed = carried  # the place of the next row written: the rows carried over come first
    batches = frames(table, width)
    while True:
        started = time.perf_counter()
        frame = next(batches, None)
        _time("read", started)
        if frame is None:
            break
        started = time.perf_counter()
        if numbered_by_file:
            first = pl.col("c0").str.strip_chars()
            frame = frame.with_columns(
                _row=pl.when(first.str.contains(r"^[0-9]+$"))
                .then(first.cast(pl.Int64, strict=False))
                .otherwise(pl.col("_row"))
            )
        elif offset:
            frame = frame.with_columns(_row=pl.col("_row") + offset)
        read += frame.height
        accepted, bad = validator.batch(frame)
        if accepted.height:
            accepted, flags = derive(accepted)
            flagged += flags
            if schema.rewrites is not None:
                below_limit += accepted.select((pl.col("qualifier") != "").sum()).item()
        _time("validate", started)
        started = time.perf_counter()
        if accepted.height:
            frame = accepted.select(outputs)
            if placed:
                frame = frame.with_columns(pl.col("ordinal") + placed)
            writer.write(frame)
            placed += frame.height
        if bad:
            rejected.write(rejected_frame(version_id, bad, validator.header_of))
        if validator.candidates is not None:
            candidates.write(validator.candidates)
        _time("write", started)
        progress_set(version_id, read, estimated)
        background.yield_cpu()  # a waiting page runs before the next batch
    return read, flagged, below_limit, carried


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


def _db_columns(schema: Schema) -> list[str]:
    """The columns of the records table, in the order the ingest writes them."""
    return [
        "version_id",
        "ordinal",
        "row_number",
        *(c.name for c in schema.columns),
        *schema.derived,
    ]


def _carry_over(schema: Schema, version: DatasetVersion) -> int:
    """Copy the corrected version's rows into this one in one statement, at the first places in
    the order they had there."""
    quote = connection.ops.quote_name
    table = quote(schema.model._meta.db_table)
    columns = ", ".join(quote(c) for c in _db_columns(schema)[2:])
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (version_id, ordinal, {columns}) "  # noqa: S608 - names are ours
            f"SELECT %s, ROW_NUMBER() OVER (ORDER BY ordinal) - 1, {columns} FROM {table} "
            "WHERE version_id = %s",
            [version.pk, version.corrects_id],
        )
        return cursor.rowcount


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
