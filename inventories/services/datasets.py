"""Writes on datasets: receiving an upload, mapping its columns, retrying, the technical committee's
review, submission schedules and API tokens. Every transition writes a DatasetEvent."""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coordination.models import Institution, User
from coordination.permissions import require
from inventories import permissions as perms
from inventories.messages import stored
from inventories.models import (
    ApiToken,
    ColumnMapping,
    Dataset,
    DatasetEvent,
    DatasetType,
    DatasetVersion,
    SubmissionSchedule,
)
from inventories.schemas import schema_for
from inventories.services.ingest import retire_older_versions
from ncm_portal.uploads import check_content, safe_filename

Status = DatasetVersion.Status
Review = DatasetVersion.Review
EXTENSIONS = {"csv", "txt", "tsv", "xlsx"}


def _event(version, action, from_state, to_state, *, actor=None, note="") -> None:
    """``note`` is plain text or a stored message, shown in the reader's language."""
    from inventories.messages import render

    message = note if isinstance(note, dict) else {}
    DatasetEvent.objects.create(
        version=version,
        actor=actor,
        action=action,
        from_state=from_state,
        to_state=to_state,
        note=render(message, str(note)),
        message=message,
    )


def _enqueue(version: DatasetVersion) -> None:
    from inventories import tasks

    transaction.on_commit(lambda: tasks.process_version.delay(version.pk))


def _check_file(upload) -> str:
    limit = settings.NCM_DATASET_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            {
                "file": _(
                    "The file is %(size)s; the largest accepted is %(limit)s. Split it by "
                    "period and upload each part."
                )
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
            },
            code="too_large",
        )
    if upload.size == 0:
        raise ValidationError({"file": _("The file is empty.")}, code="empty")
    name = safe_filename(upload.name, default="dataset")
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in EXTENSIONS:
        raise ValidationError(
            {
                "file": _("Files of type “.%(ext)s” are not accepted. Upload a CSV or XLSX file.")
                % {"ext": extension or "?"}
            },
            code="refused_type",
        )
    # An image or a PDF named .csv, a renamed or password-protected workbook: refused at once,
    # with the reason, rather than stored and failed by the reader.
    check_content(upload, extension, name=name)
    return name


def _sha256(upload) -> str:
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def find_duplicate(*, institution: Institution, dataset_type: str, sha256: str):
    """An earlier upload of the very same file by this institution for this type (failed ones are
    not counted: the same file may be tried again with other settings)."""
    return (
        DatasetVersion.objects.filter(
            dataset__institution=institution,
            dataset__dataset_type=dataset_type,
            sha256=sha256,
            duplicate_of__isnull=True,
        )
        .exclude(status=Status.FAILED)
        .select_related("dataset")
        .order_by("pk")
        .first()
    )


@transaction.atomic
def dataset_receive(
    *,
    actor: User | None,
    institution: Institution,
    dataset_type: str,
    period_start: datetime.date,
    period_end: datetime.date,
    file,
    day_first: bool = True,
    decimal_comma: bool = False,
    sheet: str = "",
    source: str = DatasetVersion.Source.WEB,
    token: ApiToken | None = None,
    corrects: DatasetVersion | None = None,
) -> DatasetVersion:
    """Store the file untouched, with its hash and size, as a new version in state received; a
    task reads it. Nothing is parsed here. The same file uploaded again is recognised by its hash:
    the earlier version is returned and nothing new is stored."""
    if token is not None:
        if token.institution_id != institution.pk or token.revoked_at:
            raise PermissionDenied
    else:
        require(perms.can_upload(actor, institution))
    if dataset_type not in DatasetType.values:
        raise ValidationError({"dataset_type": _("Unknown dataset type.")}, code="unknown_type")
    if period_end < period_start:
        raise ValidationError(
            {"period_end": _("The period must end on or after the day it starts.")},
            code="period_order",
        )
    name = _check_file(file)
    digest = _sha256(file)
    earlier = find_duplicate(institution=institution, dataset_type=dataset_type, sha256=digest)
    if earlier is not None:
        earlier.is_duplicate = True
        return earlier
    dataset, _created = Dataset.objects.get_or_create(
        institution=institution,
        dataset_type=dataset_type,
        period_start=period_start,
        period_end=period_end,
    )
    dataset = Dataset.objects.select_for_update().get(pk=dataset.pk)
    if corrects is not None and (corrects.dataset_id != dataset.pk or not corrects.has_outcome):
        raise ValidationError(
            _(
                "Corrections must be for a validated version of the same dataset (same "
                "institution, type and period)."
            ),
            code="corrects",
        )
    number = (dataset.versions.aggregate(m=Max("number"))["m"] or 0) + 1
    version = DatasetVersion(
        dataset=dataset,
        number=number,
        original_name=name[:255],
        sha256=digest,
        size=file.size,
        uploaded_by=actor,
        source=source,
        day_first=day_first,
        decimal_comma=decimal_comma,
        sheet=sheet[:120],
        corrects=corrects,
    )
    version.raw_file.save(name, file, save=False)
    version.save()
    _event(
        version,
        "received",
        "",
        Status.RECEIVED,
        actor=actor,
        note=f"{name} ({version.size} B, sha256 {digest})",
    )
    _enqueue(version)
    version.is_duplicate = False
    return version


@transaction.atomic
def version_map_columns(
    *,
    actor: User,
    version: DatasetVersion,
    column_map: dict[str, str],
    value_map: dict[str, dict[str, str]],
    remember: bool = True,
) -> DatasetVersion:
    """Record which file column holds each schema column, and what the file's coded values mean;
    remember it for the institution's next file of this type; queue the version."""
    require(perms.can_upload(actor, version.dataset.institution))
    version = DatasetVersion.objects.select_for_update().get(pk=version.pk)
    if not version.awaits_mapping():
        raise ValidationError(_("This version is not waiting for a column mapping."), code="state")
    schema = schema_for(version.dataset.dataset_type)
    known = {c.name for c in schema.columns}
    headers = set(version.headers)
    bad = [h for n, h in column_map.items() if n not in known or (h and h not in headers)]
    if bad:
        raise ValidationError(
            _("The mapping names columns that are not in the file."), code="bad_map"
        )
    chosen = [h for h in column_map.values() if h]
    if len(chosen) != len(set(chosen)):
        raise ValidationError(
            _("One file column is mapped to two fields; map each file column once."),
            code="twice",
        )
    missing = [str(c.label) for c in schema.required if not column_map.get(c.name)]
    if missing:
        raise ValidationError(
            _("Choose a file column for each required field: %(fields)s.")
            % {"fields": ", ".join(missing)},
            code="missing",
        )
    allowed = {c.name: {code for code, _label in c.choices} for c in schema.columns if c.coded}
    for field, values in value_map.items():
        options = allowed.get(field, set()) | (
            {"yes", "no"} if field in allowed and not allowed[field] else set()
        )
        if field not in allowed or any(v and v not in options for v in values.values()):
            raise ValidationError(
                _("A value is mapped to something the field does not allow."), code="bad_value"
            )
    version.column_map = column_map
    version.value_map = value_map
    version.status = Status.QUEUED
    version.top_reasons = []
    version.save(update_fields=["column_map", "value_map", "status", "top_reasons"])
    if remember:
        ColumnMapping.objects.update_or_create(
            institution=version.dataset.institution,
            dataset_type=version.dataset.dataset_type,
            defaults={"column_map": column_map, "value_map": value_map, "updated_by": actor},
        )
    _event(version, "mapped", Status.NEEDS_MAPPING, Status.QUEUED, actor=actor)
    _enqueue(version)
    return version


@transaction.atomic
def version_retry(
    *, actor: User, version: DatasetVersion, day_first: bool, decimal_comma: bool, sheet: str = ""
) -> DatasetVersion:
    """Read a version's stored file again with other settings (date order, decimal mark, sheet):
    any version not yet accepted or replaced. What an earlier reading loaded is set aside in the
    same transaction; the file itself is never replaced."""
    require(perms.can_upload(actor, version.dataset.institution))
    Dataset.objects.select_for_update().filter(pk=version.dataset_id).first()
    version = DatasetVersion.objects.select_for_update().get(pk=version.pk)
    if not version.can_read_again:
        raise ValidationError(
            _(
                "This version can no longer be read again: it is being read, has been replaced, "
                "or is with the technical committee."
            ),
            code="state",
        )
    previous = version.status
    if version.has_outcome:
        _forget_reading(version)
    version.day_first, version.decimal_comma, version.sheet = day_first, decimal_comma, sheet
    version.status = Status.QUEUED
    version.error = ""
    version.error_message = {}
    version.hints = []
    version.save(
        update_fields=[
            "day_first",
            "decimal_comma",
            "sheet",
            "status",
            "error",
            "error_message",
            "hints",
        ]
    )
    _event(version, "retried", previous, Status.QUEUED, actor=actor)
    _enqueue(version)
    return version


def _forget_reading(version: DatasetVersion) -> None:
    """Remove the rows, rejected rows and aggregates of a version's earlier reading. If it was
    the dataset's current version, the version it replaced becomes current again."""
    from inventories.models import CustomsTotal, UPOPsRelease

    schema = schema_for(version.dataset.dataset_type)
    schema.model.objects.filter(version=version).delete()
    version.rejected_rows.all().delete()
    CustomsTotal.objects.filter(version=version).delete()
    UPOPsRelease.objects.filter(version=version).delete()
    dataset = version.dataset
    dataset.refresh_from_db(fields=["current_version"])
    if dataset.current_version_id == version.pk:
        replaced = (
            dataset.versions.filter(status=Status.VALIDATED, number__lt=version.number)
            .exclude(superseded_at=None)
            .order_by("-number")
            .first()
        )
        if replaced is not None:
            DatasetVersion.objects.filter(pk=replaced.pk).update(superseded_at=None)
        Dataset.objects.filter(pk=dataset.pk).update(current_version=replaced)
    version.rows_read = version.rows_accepted = version.rows_rejected = 0
    version.rows_flagged = version.rows_below_limit = 0
    version.top_reasons = []
    version.save(
        update_fields=[
            "rows_read",
            "rows_accepted",
            "rows_rejected",
            "rows_flagged",
            "rows_below_limit",
            "top_reasons",
        ]
    )


@transaction.atomic
def version_confirm_replacement(*, actor: User, version: DatasetVersion) -> DatasetVersion:
    """Make a version held back for its many rejected rows the dataset's current version, as its
    uploader or the secretariat confirms it should replace the one in use."""
    require(perms.can_upload(actor, version.dataset.institution))
    dataset = Dataset.objects.select_for_update().get(pk=version.dataset_id)
    version = DatasetVersion.objects.select_for_update().get(pk=version.pk)
    if not version.awaits_confirmation:
        raise ValidationError(_("This version is not waiting for a confirmation."), code="state")
    now = timezone.now()
    replaced = dataset.current_version
    if replaced is not None and replaced.pk != version.pk:
        DatasetVersion.objects.filter(pk=replaced.pk).update(superseded_at=now)
        note = stored(gettext_lazy("Replaced by version %(n)s."), {"n": version.number})
        _event(replaced, "superseded", "", "", actor=actor, note=note)
    dataset.current_version = version
    dataset.save(update_fields=["current_version"])
    version.status = Status.VALIDATED
    version.save(update_fields=["status"])
    retire_older_versions(version, now)
    _event(version, "replacement_confirmed", Status.PROBLEMS, Status.VALIDATED, actor=actor)
    return version


# ---------------------------------------------------------------------------------------------
# Review by the technical committee.

REVIEW_MOVES = DatasetVersion.REVIEW_MOVES


@transaction.atomic
def version_review(
    *, actor: User, version: DatasetVersion, action: str, comment: str = ""
) -> DatasetVersion:
    """submit (the institution), start, return with comments, accept (the reviewers). An accepted
    version becomes the one inventories and reports use for its dataset."""
    version = (
        DatasetVersion.objects.select_for_update().select_related("dataset").get(pk=version.pk)
    )
    if action == "submit":
        require(perms.can_upload(actor, version.dataset.institution))
    else:
        require(perms.can_review(actor))
    target = REVIEW_MOVES[action][1]
    if version.status != Status.VALIDATED:
        raise ValidationError(_("Only a validated version can be reviewed."), code="state")
    if version.superseded_at:
        raise ValidationError(
            _("A newer version of this dataset has replaced this one."), code="superseded"
        )
    if not version.allows_review(action):
        raise ValidationError(
            _("This version is “%(status)s”; that step is not possible now.")
            % {"status": version.get_review_status_display()},
            code="state",
        )
    if action == "return" and not comment.strip():
        raise ValidationError({"comment": _("Say what the institution must fix.")}, code="reason")
    if action == "submit" and version.rows_accepted == 0:
        raise ValidationError(
            _("A version with no accepted rows cannot be submitted."), code="empty"
        )
    previous = version.review_status
    version.review_status = target
    if comment.strip():
        version.review_comment = comment.strip()
    version.save(update_fields=["review_status", "review_comment"])
    if target == Review.ACCEPTED:
        Dataset.objects.filter(pk=version.dataset_id).update(accepted_version=version)
    _event(version, f"review_{action}", previous, target, actor=actor, note=comment.strip())
    return version


# ---------------------------------------------------------------------------------------------
# Schedules and tokens.


def schedule_save(
    *, actor: User, schedule: SubmissionSchedule | None = None, **fields
) -> SubmissionSchedule:
    require(perms.can_manage_schedules(actor))
    schedule = schedule or SubmissionSchedule()
    for name, value in fields.items():
        setattr(schedule, name, value)
    schedule.full_clean()
    try:
        with transaction.atomic():
            schedule.save()
    except IntegrityError:
        raise ValidationError(
            _("This institution already has a schedule of this type and frequency."), code="unique"
        ) from None
    return schedule


def token_create(*, actor: User, institution: Institution, name: str) -> tuple[ApiToken, str]:
    """A new API key for one institution. The key is shown once; only its hash is stored."""
    require(perms.can_upload(actor, institution))
    secret = secrets.token_urlsafe(32)
    prefix = secret[:8]
    token = ApiToken.objects.create(
        institution=institution,
        name=name.strip()[:120] or _("API key"),
        prefix=prefix,
        key_hash=hashlib.sha256(secret.encode()).hexdigest(),
        created_by=actor,
    )
    return token, secret


def token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    require(perms.can_upload(actor, token.institution))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def token_authenticate(secret: str) -> ApiToken | None:
    if not secret:
        return None
    digest = hashlib.sha256(secret.encode()).hexdigest()
    token = (
        ApiToken.objects.select_related("institution")
        .filter(key_hash=digest, revoked_at__isnull=True)
        .first()
    )
    if token is not None:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token
