"""What the NIP cycle pages share: a cycle or step fetched with the access check, a form bound to
one service, uploads."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse

from coordination.documents.services import document_upload
from ncm_portal.views import form_page, run_service
from nip_lifecycle import permissions as perms
from nip_lifecycle import selectors
from nip_lifecycle.models import (
    Step,
)


def get_cycle(request, pk, manage=False):
    return selectors.cycle_get_for_user(user=request.user, pk=pk, manage=manage)


def get_step(request, pk, manage=False):
    step = get_object_or_404(Step.objects.select_related("cycle"), pk=pk)
    step.cycle = get_cycle(request, step.cycle_id, manage=manage)
    return step


def form_service(
    request,
    form,
    service,
    *,
    success: str,
    then,
    title: str,
    cancel_url: str,
    intro: str = "",
    data=None,
    **kwargs,
):
    """On a valid POST, call the service with the form's data (its refusals become form
    errors), then say so and redirect; otherwise show the form page."""
    if request.method == "POST" and form.is_valid():
        fields = data() if data else form.cleaned_data
        if run_service(form, service, actor=request.user, **kwargs, **fields):
            messages.success(request, success)
            return redirect(then)
    return form_page(request, form, title=title, cancel_url=cancel_url, intro=intro)


def is_editable(request, cycle) -> bool:
    """Whether the user may change the cycle's assessment, draft and consultation now."""
    return cycle.is_in_progress and perms.can_manage_cycle(request.user, cycle)


def upload_document(request, *, cycle, file, title, language, category="report"):
    return document_upload(
        actor=request.user,
        title=title or file.name,
        category=category,
        audience="signed_in",
        file=file,
        language=language,
        body=cycle.lead_body,
    )


# --- Cycles -----------------------------------------------------------------------------------


def list_url():
    return reverse("nip_lifecycle:cycle-list")
