"""Pages for datasets: what each type holds and its templates, uploads, their progress and outcome,
column mapping, rejected rows and the technical committee's review. Schedules, reference codes and
API tokens are in views_reference."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coordination.permissions import require
from inventories import permissions as perms
from inventories import selectors, services
from inventories.display import records_table
from inventories.forms import (
    ColumnMapForm,
    RetryForm,
    ReviewForm,
    UploadForm,
)
from inventories.models import (
    DatasetType,
    DatasetVersion,
)
from inventories.schedules import owed
from inventories.schemas import SCHEMAS, schema_for
from ncm_portal.exports import csv_response, csv_streaming_response, xlsx_response
from ncm_portal.uploads import safe_filename
from ncm_portal.views import run_service

Status = DatasetVersion.Status


def index(request):
    user = request.user
    datasets = selectors.dataset_list(user=user)
    context = {
        "schemas": SCHEMAS.values(),
        "datasets": datasets[:15],
        "can_upload": perms.can_upload_any(user),
        "can_review": perms.can_review(user),
        "queue_count": selectors.review_queue().count() if perms.can_review(user) else 0,
        "late": [o for o in owed(on=timezone.localdate(), horizon_days=0) if o.late][:10]
        if selectors.sees_all_datasets(user)
        else [],
    }
    return render(request, "inventories/index.html", context)


# --- Dataset types: documentation and templates --------------------------------------------------


def type_detail(request, dataset_type):
    if dataset_type not in SCHEMAS:
        raise Http404
    return render(request, "inventories/type_detail.html", {"schema": schema_for(dataset_type)})


def type_template(request, dataset_type, fmt):
    if dataset_type not in SCHEMAS or fmt not in ("csv", "xlsx"):
        raise Http404
    schema = schema_for(dataset_type)
    header = [c.name for c in schema.columns]
    rows = [list(r) for r in schema.example_rows]
    name = f"{dataset_type}-template"
    if fmt == "csv":
        return csv_response(f"{name}.csv", header, rows)
    return xlsx_response(f"{name}.xlsx", str(schema.label)[:31], header, rows)


# --- Upload --------------------------------------------------------------------------------------


def upload(request):
    require(perms.can_upload_any(request.user))
    institutions = selectors.institutions_for_upload(request.user)
    prefill = ("institution", "dataset_type", "period_start", "period_end", "corrects")
    initial = {k: request.GET[k] for k in prefill if k in request.GET}
    form = UploadForm(
        request.POST or None, request.FILES or None, institutions=institutions, initial=initial
    )
    corrects = _corrected_version(request)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        version = run_service(
            form,
            services.dataset_receive,
            actor=request.user,
            institution=data["institution"],
            dataset_type=data["dataset_type"],
            period_start=data["period_start"],
            period_end=data["period_end"],
            file=data["file"],
            day_first=data["day_first"],
            decimal_comma=data["decimal_comma"],
            sheet=data["sheet"].strip(),
            corrects=corrects,
        )
        if version is not None:
            if version.is_duplicate:
                messages.info(
                    request,
                    _(
                        "This file was already uploaded on %(date)s as version %(number)s; nothing "
                        "new was stored."
                    )
                    % {
                        "date": timezone.localtime(version.uploaded_at).strftime("%Y-%m-%d %H:%M"),
                        "number": version.number,
                    },
                )
            else:
                messages.success(
                    request,
                    _(
                        "File received (%(size)s). It is being read and validated; this page shows "
                        "the progress."
                    )
                    % {"size": _filesize(version.size)},
                )
            return redirect(version)
    context = {"form": form, "schemas": SCHEMAS.values(), "corrects": corrects}
    return render(request, "inventories/upload.html", context, status=400 if form.errors else 200)


def _corrected_version(request):
    """The version whose rejected rows this upload corrects, if the form says so."""
    pk = request.POST.get("corrects") or request.GET.get("corrects")
    if not pk or not str(pk).isdigit():
        return None
    return selectors.version_get_for_user(user=request.user, pk=int(pk))


def _filesize(size):
    from django.template.defaultfilters import filesizeformat

    return filesizeformat(size)


# --- Datasets and versions -----------------------------------------------------------------------


def dataset_list(request):
    datasets = selectors.dataset_list(user=request.user)
    chosen_type = request.GET.get("type", "")
    if chosen_type in SCHEMAS:
        datasets = datasets.filter(dataset_type=chosen_type)
    review = request.GET.get("review", "")
    if review in DatasetVersion.Review.values:
        datasets = datasets.filter(current_version__review_status=review)
    from django.core.paginator import Paginator

    page = Paginator(datasets, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "inventories/dataset_list.html",
        {
            "page": page,
            "types": DatasetType.choices,
            "chosen_type": chosen_type,
            "reviews": DatasetVersion.Review.choices,
            "chosen_review": review,
            "query": urlencode({k: v for k, v in (("type", chosen_type), ("review", review)) if v}),
        },
    )


def dataset_detail(request, pk):
    dataset = selectors.dataset_get_for_user(user=request.user, pk=pk)
    versions = dataset.versions.select_related("uploaded_by").order_by("-number")
    return render(
        request,
        "inventories/dataset_detail.html",
        {
            "dataset": dataset,
            "versions": versions,
            "schema": schema_for(dataset.dataset_type),
        },
    )


def version_detail(request, pk):
    version = selectors.version_get_for_user(user=request.user, pk=pk)
    services_catch_up(version)
    schema = schema_for(version.dataset.dataset_type)
    context = {
        "version": version,
        "dataset": version.dataset,
        "schema": schema,
        "progress": services.progress_get(version),
        "can_upload": perms.can_upload(request.user, version.dataset.institution),
        "can_review": perms.can_review(request.user),
        "events": version.events.select_related("actor"),
        "hints": _hints(version),
    }
    if version.has_outcome:
        after = _int(request.GET.get("after"), default=-1)
        context.update(
            **records_table(version, schema, after=after),
            after=after if after >= 0 else None,
            columns=schema.columns,
            rejected=version.rejected_rows.all()[:20],
            reasons=_reason_labels(version.top_reasons),
            review_form=ReviewForm(),
            replaced=version.dataset.current_version if version.awaits_confirmation else None,
        )
    if version.awaits_mapping() and context["can_upload"]:
        context["map_form"] = _map_form(version, schema)
    if version.can_read_again and context["can_upload"]:
        context["retry_form"] = RetryForm(
            initial={
                "day_first": "1" if version.day_first else "0",
                "decimal_comma": "1" if version.decimal_comma else "0",
                "sheet": version.sheet,
            },
            sheets=version.sheets,
        )
    return render(request, "inventories/version_detail.html", context)


def _hints(version: DatasetVersion) -> list[dict]:
    """What the reader noticed about the settings, with the button that reads the file again
    with the setting that fits."""
    day_first, decimal_comma = version.day_first, version.decimal_comma
    found = []
    for hint in version.hints or []:
        params = {
            "column": hint.get("column", ""),
            "count": number_format(hint.get("count", 0), force_grouping=True),
        }
        code = hint.get("code")
        if code == "decimal_comma":
            text = (
                _(
                    "The file seems to use a decimal comma: %(count)s values of “%(column)s” "
                    "are numbers if read with a comma as the decimal mark."
                )
                % params
            )
            action, settings = _("Read again with a decimal comma"), (day_first, True)
        elif code == "decimal_point":
            text = (
                _(
                    "The file seems to use a decimal point: %(count)s values of “%(column)s” "
                    "are numbers if read with a point as the decimal mark."
                )
                % params
            )
            action, settings = _("Read again with a decimal point"), (day_first, False)
        elif code == "day_first":
            text = (
                _(
                    "The dates seem to be written day first: %(count)s values of “%(column)s” "
                    "are dates if read day first."
                )
                % params
            )
            action, settings = _("Read again with dates day first"), (True, decimal_comma)
        elif code == "month_first":
            text = (
                _(
                    "The dates seem to be written month first: %(count)s values of “%(column)s” "
                    "are dates if read month first."
                )
                % params
            )
            action, settings = _("Read again with dates month first"), (False, decimal_comma)
        else:
            continue
        found.append(
            {
                "text": text,
                "action": action,
                "day_first": "1" if settings[0] else "0",
                "decimal_comma": "1" if settings[1] else "0",
            }
        )
    return found


def services_catch_up(version: DatasetVersion) -> None:
    """A version left validating by a worker that died is queued again from its own page too."""
    if version.status == Status.VALIDATING and version.started_at:
        age = (timezone.now() - version.started_at).total_seconds()
        if age > 300 and services.resume_stalled(older_than_seconds=300):
            from inventories import tasks

            tasks.process_version.delay(version.pk)
            version.refresh_from_db()


def _int(text, default: int = 0) -> int:
    try:
        return max(default, int(text))
    except (TypeError, ValueError):
        return default


def _reason_labels(top: list) -> list:
    """The most frequent reasons in the reader's language, each under its column: the file's
    header, or the schema's label when the file lacks the column."""
    from inventories.messages import render

    reasons = []
    for reason in top:
        if "code" not in reason:
            continue
        message = reason.get("message") or {"text": reason.get("example", "")}
        field_ref = message.get("field") if isinstance(message, dict) else None
        column = render({"msgid": "%(f)s", "params": {"f": field_ref}}) if field_ref else ""
        reasons.append(
            {
                "column": column or reason.get("column", ""),
                "count": reason["count"],
                "example": render(message),
            }
        )
    return reasons


def version_progress(request, pk):
    """The progress bar, polled by the page while the file is read; it stops polling when done."""
    version = selectors.version_get_for_user(user=request.user, pk=pk)
    response = render(
        request,
        "inventories/partials/_progress.html",
        {
            "version": version,
            "progress": services.progress_get(version),
        },
    )
    if not version.is_running and request.headers.get("HX-Request"):
        # Reload the whole page once, to show the outcome.
        response["HX-Refresh"] = "true"
    return response


def _map_form(version, schema, data=None):
    from inventories.ingest.mapping import auto_map, resolve_mapping

    mapping, _missing = resolve_mapping(version, schema)
    auto = auto_map(schema, version.headers)
    initial = {name: version.headers[i] for name, i in {**auto, **mapping}.items()}
    pending = (version.top_reasons or [{}])[0] if version.top_reasons else {}
    return ColumnMapForm(
        data,
        schema=schema,
        headers=version.headers,
        initial_map=initial,
        unmapped_values=pending.get("unmapped_values", {}),
        value_map=version.value_map,
        samples=pending.get("samples", []),
    )


def version_map(request, pk):
    version = selectors.version_get_for_user(user=request.user, pk=pk)
    require(perms.can_upload(request.user, version.dataset.institution))
    if not version.awaits_mapping():
        return redirect(version)
    schema = schema_for(version.dataset.dataset_type)
    form = _map_form(version, schema, request.POST or None)
    if request.method == "POST" and form.is_valid():
        column_map, value_map = form.mapping()
        done = run_service(
            form,
            services.version_map_columns,
            actor=request.user,
            version=version,
            column_map=column_map,
            value_map=value_map,
            remember=form.cleaned_data["remember"],
        )
        if done is not None:
            messages.success(request, _("Mapping saved. The file is being validated."))
            return redirect(version)
    pending = (version.top_reasons or [{}])[0]
    samples = pending.get("samples", []) if isinstance(pending, dict) else []
    columns = [(h, samples[i] if i < len(samples) else []) for i, h in enumerate(version.headers)]
    return render(
        request,
        "inventories/version_map.html",
        {"version": version, "form": form, "schema": schema, "file_columns": columns},
    )


@require_POST
def version_retry(request, pk):
    version = selectors.version_get_for_user(user=request.user, pk=pk)
    form = RetryForm(request.POST, sheets=version.sheets)
    if form.is_valid():
        try:
            services.version_retry(
                actor=request.user,
                version=version,
                day_first=form.cleaned_data["day_first"],
                decimal_comma=form.cleaned_data["decimal_comma"],
                sheet=form.cleaned_data.get("sheet", "") or "",
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The stored file is being read again."))
    return redirect(version)


@require_POST
def version_confirm(request, pk):
    """The uploader or the secretariat confirms that a version held back for its rejected rows
    replaces the dataset's current version."""
    version = selectors.version_get_for_user(user=request.user, pk=pk)
    try:
        services.version_confirm_replacement(actor=request.user, version=version)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("This version is now the dataset's current version."))
    return redirect(version)


@require_POST
def version_review(request, pk, action):
    if action not in services.datasets.REVIEW_MOVES:
        raise Http404
    version = selectors.version_get_for_user(user=request.user, pk=pk)
    form = ReviewForm(request.POST)
    form.is_valid()
    try:
        services.version_review(
            actor=request.user,
            version=version,
            action=action,
            comment=form.cleaned_data.get("comment", ""),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            {
                "submit": _("Submitted to the technical committee."),
                "start": _("Review started."),
                "return": _("Returned to the institution with your comments."),
                "accept": _("Accepted: this version now feeds inventories and reports."),
            }[action],
        )
    return redirect(version)


def version_rejected_csv(request, pk):
    """Every rejected row with its row number, column and reason, then the cells as sent."""
    version = selectors.version_get_for_user(user=request.user, pk=pk)
    stem = slugify(version.original_name.rsplit(".", 1)[0])[:60] or "dataset"
    return csv_streaming_response(
        f"{stem}-v{version.number}-rejected.csv", services.rejected_rows_csv(version)
    )


def version_raw(request, pk):
    """The file exactly as it was uploaded, under its original name."""
    version = selectors.version_get_for_user(user=request.user, pk=pk)
    return FileResponse(
        version.raw_file.open("rb"),
        as_attachment=True,
        filename=safe_filename(version.original_name, default="dataset"),
        content_type="application/octet-stream",
    )


def review_queue(request):
    require(perms.can_review(request.user))
    return render(request, "inventories/review_queue.html", {"versions": selectors.review_queue()})


# --- Schedules -----------------------------------------------------------------------------------
