"""Outputs of an Article 15 national report (PDF, XLSX, JSON): requested by anyone who may read
the report, rendered by a Celery task from one assembled document, stored with SHA-256 and size
(and, for a PDF, its number of pages) so that what was sent can be shown again byte for byte.

A report that is approved or submitted (locked) can still be rendered: rendering reads, it never
changes an answer."""

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from coordination.models import User
from reporting.models import Report, ReportEvent, ReportOutput

logger = logging.getLogger(__name__)

Status = ReportOutput.Status
Kind = ReportOutput.Kind
IN_FLIGHT = (Status.QUEUED, Status.RENDERING)
EXTENSIONS = {Kind.PDF: "pdf", Kind.XLSX: "xlsx", Kind.JSON: "json"}


def can_read(user, report: Report) -> bool:
    from reporting import permissions

    return permissions.can_view_report(user, report)


def output_filename(output: ReportOutput) -> str:
    """The name a download carries: which round, which version, which output."""
    report = output.report
    return (
        f"article15-round{report.round.number}-v{report.version}-{output.pk}."
        f"{EXTENSIONS[output.kind]}"
    )


@transaction.atomic
def output_request(*, report: Report, kind: str, actor: User) -> ReportOutput:
    """Queue one output of the report. While the same kind is already queued or rendering for
    the report, that one is returned instead of a second."""
    from reporting import tasks

    if kind not in Kind.values:
        raise ValidationError(
            _("Unknown kind of output: %(kind)s") % {"kind": kind}, code="invalid_kind"
        )
    if not can_read(actor, report):
        raise PermissionDenied
    report = Report.objects.select_for_update().get(pk=report.pk)
    pending = (
        ReportOutput.objects.filter(report=report, kind=kind, status__in=IN_FLIGHT)
        .order_by("-pk")
        .first()
    )
    if pending is not None:
        return pending
    output = ReportOutput.objects.create(report=report, kind=kind, requested_by=actor)
    ReportEvent.objects.create(
        report=report, actor=actor, action="output_requested", note=f"{kind} #{output.pk}"
    )
    pk = output.pk
    transaction.on_commit(lambda: tasks.article15_output_render.delay(pk))
    return output


def _progress(output_id: int, percent: int) -> None:
    ReportOutput.objects.filter(pk=output_id, status=Status.RENDERING).update(progress=percent)


def _render(kind: str, document) -> tuple[bytes, int | None]:
    from reporting import article15_formats as formats

    if kind == Kind.PDF:
        return formats.render_pdf(document)
    if kind == Kind.XLSX:
        return formats.render_xlsx(document), None
    return formats.render_json(document), None


def _readable(error: Exception) -> str:
    text = str(error).strip() or error.__class__.__name__
    return text[:2000]


def _requester_settings(user):
    """Render in the requester's language and time zone, as the page would show it."""
    import zoneinfo

    language = getattr(user, "language", "") or None
    zone = None
    name = getattr(user, "time_zone", "")
    if name:
        try:
            zone = zoneinfo.ZoneInfo(name)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            zone = None
    return language, zone


def output_render(*, output_id: int) -> ReportOutput:
    """Render a queued output. Idempotent: only the run that moves it from queued to rendering
    works; a second run, or a retry once it is ready, changes nothing. Progress is written as it
    goes, outside one transaction, so that the page sees it."""
    from ncm_portal.pdf import sha256
    from reporting.document import report_document

    claimed = ReportOutput.objects.filter(pk=output_id, status=Status.QUEUED).update(
        status=Status.RENDERING, progress=5, error=""
    )
    output = ReportOutput.objects.select_related("report__round", "requested_by").get(pk=output_id)
    if not claimed:
        return output
    language, zone = _requester_settings(output.requested_by)
    try:
        with translation.override(language), timezone.override(zone):
            document = report_document(output.report_id)
            _progress(output_id, 40)
            data, pages = _render(output.kind, document)
        _progress(output_id, 85)
        digest = sha256(data)
        with transaction.atomic():
            output = (
                ReportOutput.objects.select_for_update()
                .select_related("report__round")
                .get(pk=output_id)
            )
            report = output.report
            output.file.save(
                f"article15-r{report.round.number}-v{report.version}-{output.pk}-{digest[:12]}"
                f".{EXTENSIONS[output.kind]}",
                ContentFile(data),
                save=False,
            )
            output.sha256, output.size, output.pages = digest, len(data), pages
            output.status, output.progress = Status.READY, 100
            output.rendered_at = timezone.now()
            output.save(
                update_fields=[
                    "file",
                    "sha256",
                    "size",
                    "pages",
                    "status",
                    "progress",
                    "rendered_at",
                ]
            )
            ReportEvent.objects.create(
                report=report,
                action="output_rendered",
                note=f"{output.kind} #{output.pk} sha256 {digest} ({len(data)} bytes)",
            )
    except OSError:
        # Transient (storage, fonts): back in the queue, so that the task's retry renders it.
        ReportOutput.objects.filter(pk=output_id).update(status=Status.QUEUED, progress=0)
        raise
    except Exception as error:  # the page shows what went wrong
        logger.exception("Article 15 output %s failed", output_id)
        output_fail(output_id=output_id, error=error)
        raise
    return output


def output_fail(*, output_id: int, error: Exception) -> None:
    """Record that an output could not be rendered (also once a transient error outlasts the
    retries), with a message a person can read."""
    ReportOutput.objects.filter(pk=output_id).exclude(status=Status.READY).update(
        status=Status.FAILED, error=_readable(error)
    )
