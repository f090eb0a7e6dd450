"""Outputs of an Article 15 report: request one, poll its progress, download it. Everyone who
may read the report may do all three; the file is served through the portal, never from a
public media address."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from reporting.article15_formats import CONTENT_TYPES
from reporting.models import Report, ReportOutput
from reporting.services import outputs as services

ITEM_TEMPLATE = "reporting/article15/_outputs_item.html"


def _readable_output(request, pk: int) -> ReportOutput:
    output = get_object_or_404(ReportOutput.objects.select_related("report__round"), pk=pk)
    if not services.can_read(request.user, output.report):
        raise PermissionDenied
    return output


@require_POST
def output_request(request, pk: int, kind: str):
    report = get_object_or_404(Report.objects.select_related("round"), pk=pk)
    try:
        output = services.output_request(report=report, kind=kind, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(report)
    if request.htmx:
        return render(request, ITEM_TEMPLATE, {"output": output})
    messages.success(
        request,
        _("The %(kind)s of the report is being prepared.") % {"kind": output.get_kind_display()},
    )
    return redirect(f"{report.get_absolute_url()}#report-outputs")


@require_GET
def output_status(request, pk: int):
    return render(request, ITEM_TEMPLATE, {"output": _readable_output(request, pk)})


@require_GET
def output_download(request, pk: int):
    output = _readable_output(request, pk)
    if not output.is_ready or not output.file:
        raise Http404
    return FileResponse(
        output.file.open("rb"),
        as_attachment=True,
        filename=services.output_filename(output),
        content_type=CONTENT_TYPES[output.kind],
    )
