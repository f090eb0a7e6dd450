"""A cycle's steps: their page, progress, review and approval, checklists and deliverables."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ncm_portal.views import form_page, post_service, run_service
from nip_lifecycle import forms, selectors, services
from nip_lifecycle import permissions as perms
from nip_lifecycle.models import (
    ChecklistItem,
    Deliverable,
)
from nip_lifecycle.views.common import form_service, get_step, upload_document


def step_detail(request, pk):
    step = get_step(request, pk)
    context = selectors.step_detail(step=step)
    can_manage = perms.can_manage_cycle(request.user, step.cycle)
    context.update(
        can_manage=can_manage,
        can_review=perms.can_review(request.user, step.cycle),
        # Where the approval may be put to the steering committee: its coming meetings.
        committee_meetings=selectors.committee_meetings(step) if can_manage else [],
    )
    return render(request, "nip_lifecycle/step_detail.html", context)


@require_http_methods(["GET", "POST"])
def step_update(request, pk):
    step = get_step(request, pk, manage=True)
    form = forms.StepPlanForm(
        request.POST or None,
        initial={
            "responsible_body": step.responsible_body,
            "planned_start": step.planned_start,
            "planned_end": step.planned_end,
        },
    )
    return form_service(
        request,
        form,
        services.step_update,
        success=_("Step planned."),
        then=step,
        step=step,
        title=_("Plan step %(step)s") % {"step": step},
        cancel_url=step.get_absolute_url(),
    )


@require_POST
def step_start(request, pk):
    step = get_step(request, pk, manage=True)
    return post_service(request, services.step_start, step, _("Step started."), step=step)


@require_POST
def step_submit(request, pk):
    step = get_step(request, pk, manage=True)
    return post_service(
        request,
        services.step_submit_for_review,
        step,
        _("Sent to the technical committee for review."),
        step=step,
        note=request.POST.get("note", ""),
    )


@require_POST
def step_complete(request, pk):
    step = get_step(request, pk, manage=True)
    return post_service(request, services.step_complete, step, _("Step completed."), step=step)


@require_http_methods(["GET", "POST"])
def step_review(request, pk):
    step = get_step(request, pk)
    perms.require(perms.can_review(request.user, step.cycle))
    form = forms.ReviewForm(request.POST or None)
    return form_service(
        request,
        form,
        services.step_review,
        success=_("Technical review recorded."),
        then=step,
        step=step,
        title=_("Technical review of step %(step)s") % {"step": step},
        intro=_(
            "Data validation and methodological consistency. Return the step with reasons, "
            "or clear it for the steering committee."
        ),
        cancel_url=step.get_absolute_url(),
    )


@require_http_methods(["GET", "POST"])
def step_approve(request, pk):
    step = get_step(request, pk, manage=True)
    form = forms.ApprovalForm(
        request.POST or None, committee=step.cycle.steering_committee, step=step
    )
    return form_service(
        request,
        form,
        services.step_approve,
        success=_("Approval recorded."),
        then=step,
        step=step,
        title=_("Approval of step %(step)s") % {"step": step},
        intro=_(
            "The steering committee approves by a decision on this step in approved minutes "
            "(under an agenda item about the step), or by a closed ballot on this step that "
            "adopted it. Only those are listed."
        ),
        cancel_url=step.get_absolute_url(),
    )


@require_http_methods(["GET", "POST"])
def checklist_add(request, pk):
    step = get_step(request, pk, manage=True)
    form = forms.ChecklistItemForm(request.POST or None)
    return form_service(
        request,
        form,
        services.checklist_item_add,
        success=_("Checklist item added."),
        then=step,
        step=step,
        title=_("Checklist item for step %(step)s") % {"step": step},
        cancel_url=step.get_absolute_url(),
    )


@require_POST
def checklist_mark(request, pk):
    item = get_object_or_404(ChecklistItem.objects.select_related("step"), pk=pk)
    step = get_step(request, item.step_id, manage=True)
    done = request.POST.get("done") == "1"
    return post_service(
        request, services.checklist_item_mark, step, _("Checklist updated."), item=item, done=done
    )


@require_http_methods(["GET", "POST"])
def deliverable_add(request, pk):
    step = get_step(request, pk, manage=True)
    form = forms.DeliverableForm(request.POST or None)
    return form_service(
        request,
        form,
        services.deliverable_add,
        success=_("Deliverable added."),
        then=step,
        step=step,
        title=_("Deliverable of step %(step)s") % {"step": step},
        cancel_url=step.get_absolute_url(),
    )


@require_http_methods(["GET", "POST"])
def deliverable_attach(request, pk):
    deliverable = get_object_or_404(Deliverable.objects.select_related("step"), pk=pk)
    step = get_step(request, deliverable.step_id, manage=True)
    form = forms.AttachForm(
        request.POST or None, request.FILES or None, initial={"title": deliverable.name}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            document = data["document"] or upload_document(
                request,
                cycle=step.cycle,
                file=data["file"],
                title=data["title"],
                language=data["language"],
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            if run_service(
                form,
                services.deliverable_attach,
                actor=request.user,
                deliverable=deliverable,
                document=document,
            ):
                messages.success(request, _("Document attached."))
                return redirect(step)
    return form_page(
        request,
        form,
        title=_("Document for “%(name)s”") % {"name": deliverable},
        cancel_url=step.get_absolute_url(),
    )


# --- Step 5: priorities, objectives and action plans ----------------------------------------
