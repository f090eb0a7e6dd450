"""The draft NIP, its consultation and comments, the transmission, and the endorsement package."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ncm_portal.views import form_page, post_service, run_service
from nip_lifecycle import forms, selectors, services
from nip_lifecycle import permissions as perms
from nip_lifecycle.models import (
    ConsultationComment,
    DraftSection,
    EndorsementPackage,
)
from nip_lifecycle.views.common import form_service, get_cycle, is_editable, upload_document


def draft_detail(request, pk):
    cycle = get_cycle(request, pk)
    return render(
        request,
        "nip_lifecycle/draft_detail.html",
        {
            "cycle": cycle,
            "sections": selectors.sections_for(cycle),
            "can_manage": is_editable(request, cycle),
        },
    )


def _draft(cycle):
    return reverse("nip_lifecycle:draft-detail", args=[cycle.pk])


def _consultation(cycle):
    return reverse("nip_lifecycle:consultation-detail", args=[cycle.pk])


@require_http_methods(["GET", "POST"])
def section_add(request, pk):
    cycle = get_cycle(request, pk, manage=True)
    form = forms.SectionForm(request.POST or None)
    return form_service(
        request,
        form,
        services.section_add,
        success=_("Section added."),
        then=_draft(cycle),
        cycle=cycle,
        title=_("Section of the draft NIP"),
        cancel_url=_draft(cycle),
    )


@require_http_methods(["GET", "POST"])
def section_revise(request, pk):
    section = get_object_or_404(DraftSection, pk=pk)
    cycle = get_cycle(request, section.cycle_id, manage=True)
    latest = section.versions.order_by("-number").first()
    form = forms.SectionReviseForm(
        request.POST or None, initial={"text": latest.text if latest else ""}
    )
    return form_service(
        request,
        form,
        services.section_revise,
        success=_("New version saved."),
        then=_draft(cycle),
        section=section,
        title=_("Revise “%(section)s”") % {"section": section},
        cancel_url=_draft(cycle),
    )


def consultation_detail(request, pk):
    cycle = get_cycle(request, pk)
    can_comment = perms.can_comment(request.user, cycle) and cycle.consultation_open
    return render(
        request,
        "nip_lifecycle/consultation_detail.html",
        {
            "cycle": cycle,
            "sections": selectors.sections_for(cycle),
            "statistics": selectors.comment_statistics(cycle),
            "can_manage": is_editable(request, cycle),
            "can_comment": can_comment,
            "comment_form": forms.CommentForm() if can_comment else None,
        },
    )


@require_POST
def consultation_toggle(request, pk):
    cycle = get_cycle(request, pk, manage=True)
    opening = request.POST.get("open") == "1"
    return post_service(
        request,
        services.consultation_set_open,
        _consultation(cycle),
        _("The consultation is open.") if opening else _("The consultation is closed."),
        cycle=cycle,
        open=opening,
    )


@require_POST
def comment_add(request, pk):
    section = get_object_or_404(DraftSection.objects.select_related("cycle"), pk=pk)
    cycle = get_cycle(request, section.cycle_id)
    perms.require(perms.can_comment(request.user, cycle))
    form = forms.CommentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write the comment."))
        return redirect(_consultation(cycle))
    return post_service(
        request,
        services.comment_add,
        _consultation(cycle),
        _("Comment sent."),
        section=section,
        text=form.cleaned_data["text"],
    )


@require_http_methods(["GET", "POST"])
def comment_resolve(request, pk):
    comment = get_object_or_404(ConsultationComment.objects.select_related("section"), pk=pk)
    cycle = get_cycle(request, comment.section.cycle_id, manage=True)
    form = forms.ResolveForm(request.POST or None)
    return form_service(
        request,
        form,
        services.comment_resolve,
        success=_("Resolution recorded."),
        then=_consultation(cycle),
        comment=comment,
        title=_("Resolution of a comment by %(institution)s")
        % {"institution": comment.institution},
        intro=comment.text,
        cancel_url=_consultation(cycle),
    )


# --- Step 8 and the package -----------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def transmission_record(request, pk):
    cycle = get_cycle(request, pk, manage=True)
    form = forms.TransmissionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        upload, language = data.pop("acknowledgment"), data.pop("language")
        try:
            acknowledgment = upload and upload_document(
                request,
                cycle=cycle,
                file=upload,
                language=language,
                category="letter",
                title=_("Acknowledgment of the NIP transmission %(ref)s")
                % {"ref": data["reference"]},
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            if run_service(
                form,
                services.transmission_record,
                actor=request.user,
                cycle=cycle,
                acknowledgment=acknowledgment or None,
                **data,
            ):
                messages.success(request, _("Transmission recorded."))
                return redirect(cycle)
    return form_page(
        request,
        form,
        title=_("Transmission to the Secretariat"),
        intro=_("Transmitted by the official contact point after endorsement."),
        cancel_url=cycle.get_absolute_url(),
    )


@require_POST
def package_request(request, pk):
    cycle = get_cycle(request, pk, manage=True)
    return post_service(
        request,
        services.package_request,
        cycle,
        _("The endorsement package is being rendered."),
        cycle=cycle,
    )


def _package(request, pk):
    package = get_object_or_404(EndorsementPackage, pk=pk)
    get_cycle(request, package.cycle_id)
    return package


def package_progress(request, pk):
    package = _package(request, pk)
    return render(request, "nip_lifecycle/partials/_package.html", {"package": package})


def package_download(request, pk):
    package = _package(request, pk)
    if not package.is_ready or not package.file:
        raise Http404
    return FileResponse(
        package.file.open("rb"),
        as_attachment=True,
        filename=f"nip-endorsement-package-{package.pk}.pdf",
        content_type="application/pdf",
    )
