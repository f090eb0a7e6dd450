"""NIP cycle pages. Each view fetches what it needs through a selector that checks access, binds
a form and calls one service."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from coordination.services.meetings import document_upload
from coordination.views import form_page, post_service, run_service
from nip_lifecycle import forms, selectors, services
from nip_lifecycle import permissions as perms
from nip_lifecycle.models import (
    ChecklistItem,
    ConsultationComment,
    Cycle,
    Deliverable,
    DraftSection,
    EndorsementPackage,
    Objective,
    PriorityIssue,
    Step,
)


def _cycle(request, pk, manage=False):
    return selectors.cycle_get_for_user(user=request.user, pk=pk, manage=manage)


def _step(request, pk, manage=False):
    step = get_object_or_404(Step.objects.select_related("cycle"), pk=pk)
    step.cycle = _cycle(request, step.cycle_id, manage=manage)
    return step


def _form_service(
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


def _editable(request, cycle) -> bool:
    """Whether the user may change the cycle's assessment, draft and consultation now."""
    return cycle.status == Cycle.Status.IN_PROGRESS and perms.can_manage_cycle(request.user, cycle)


def _upload(request, *, cycle, file, title, language, category="report"):
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


def cycle_list(request):
    perms.require(perms.can_view_cycle(request.user))
    cycles = list(selectors.cycle_list(user=request.user))
    today = timezone.localdate()
    rows = []
    for cycle in cycles:
        deadline = cycle.deadline(cycle.amendments.all())
        steps = sorted(cycle.steps.all(), key=lambda s: s.number)
        rows.append(
            {
                "cycle": cycle,
                "deadline": deadline,
                "days_left": selectors.days_left(deadline, today),
                "days_late": -(selectors.days_left(deadline, today) or 0),
                "current": next((s for s in steps if not s.is_completed), None),
                "completed": sum(1 for s in steps if s.is_completed),
            }
        )
    return render(
        request,
        "nip_lifecycle/cycle_list.html",
        {"rows": rows, "can_add": perms.can_add_cycle(request.user)},
    )


@require_http_methods(["GET", "POST"])
def cycle_create(request):
    perms.require(perms.can_add_cycle(request.user))
    form = forms.CycleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        cycle = run_service(form, services.cycle_create, actor=request.user, **form.cleaned_data)
        if cycle:
            messages.success(request, _("Cycle created with its eight steps."))
            return redirect(cycle)
    return form_page(request, form, title=_("New NIP update cycle"), cancel_url=_list_url())


def _list_url():
    return reverse("nip_lifecycle:cycle-list")


def cycle_detail(request, pk):
    cycle = _cycle(request, pk)
    context = selectors.cycle_detail(cycle=cycle)
    context.update(
        can_manage=perms.can_manage_cycle(request.user, cycle),
        events=selectors.cycle_events(cycle, limit=30),
    )
    return render(request, "nip_lifecycle/cycle_detail.html", context)


@require_http_methods(["GET", "POST"])
def amendment_add(request, pk):
    cycle = _cycle(request, pk, manage=True)
    form = forms.AmendmentForm(request.POST or None)
    if cycle.article_25_4:
        intro = _(
            "This Party made an Article 25(4) declaration: enter the date each amendment "
            "entered into force for it."
        )
    else:
        intro = _("The Party's date is the general entry-into-force date unless you enter another.")
    return _form_service(
        request,
        form,
        services.amendment_add,
        cycle=cycle,
        then=cycle,
        success=_("Amendment added; the deadline is recomputed."),
        title=_("Amendment answered by %(cycle)s") % {"cycle": cycle},
        intro=intro,
        cancel_url=cycle.get_absolute_url(),
    )


@require_http_methods(["GET", "POST"])
def cycle_deadline(request, pk):
    cycle = _cycle(request, pk, manage=True)
    form = forms.DeadlineForm(
        request.POST or None,
        initial={"deadline": cycle.deadline_override, "reason": cycle.deadline_override_reason},
    )
    return _form_service(
        request,
        form,
        services.cycle_set_deadline,
        success=_("Deadline saved."),
        then=cycle,
        cycle=cycle,
        title=_("Transmission deadline"),
        intro=_("By the rule: %(date)s (entry into force for the Party plus two years).")
        % {"date": cycle.computed_deadline() or "—"},
        cancel_url=cycle.get_absolute_url(),
    )


# --- Steps ------------------------------------------------------------------------------------


def step_detail(request, pk):
    step = _step(request, pk)
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
    step = _step(request, pk, manage=True)
    form = forms.StepPlanForm(
        request.POST or None,
        initial={
            "responsible_body": step.responsible_body,
            "planned_start": step.planned_start,
            "planned_end": step.planned_end,
        },
    )
    return _form_service(
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
    step = _step(request, pk, manage=True)
    return post_service(request, services.step_start, step, _("Step started."), step=step)


@require_POST
def step_submit(request, pk):
    step = _step(request, pk, manage=True)
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
    step = _step(request, pk, manage=True)
    return post_service(request, services.step_complete, step, _("Step completed."), step=step)


@require_http_methods(["GET", "POST"])
def step_review(request, pk):
    step = _step(request, pk)
    perms.require(perms.can_review(request.user, step.cycle))
    form = forms.ReviewForm(request.POST or None)
    return _form_service(
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
    step = _step(request, pk, manage=True)
    form = forms.ApprovalForm(
        request.POST or None, committee=step.cycle.steering_committee, step=step
    )
    return _form_service(
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
    step = _step(request, pk, manage=True)
    form = forms.ChecklistItemForm(request.POST or None)
    return _form_service(
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
    step = _step(request, item.step_id, manage=True)
    done = request.POST.get("done") == "1"
    return post_service(
        request, services.checklist_item_mark, step, _("Checklist updated."), item=item, done=done
    )


@require_http_methods(["GET", "POST"])
def deliverable_add(request, pk):
    step = _step(request, pk, manage=True)
    form = forms.DeliverableForm(request.POST or None)
    return _form_service(
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
    step = _step(request, deliverable.step_id, manage=True)
    form = forms.AttachForm(
        request.POST or None, request.FILES or None, initial={"title": deliverable.name}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            document = data["document"] or _upload(
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


def priority_detail(request, pk):
    cycle = _cycle(request, pk)
    ranking = selectors.priority_ranking(cycle)
    can_manage = _editable(request, cycle)
    return render(
        request,
        "nip_lifecycle/priority_detail.html",
        {
            "cycle": cycle,
            **ranking,
            "objectives": selectors.objectives_for(cycle),
            "can_manage": can_manage,
            "weights_form": forms.WeightsForm(criteria=ranking["criteria"]) if can_manage else None,
        },
    )


@require_POST
def criteria_weights(request, pk):
    cycle = _cycle(request, pk, manage=True)
    form = forms.WeightsForm(request.POST, criteria=list(cycle.criteria.all()))
    if form.is_valid():
        return post_service(
            request,
            services.criteria_set_weights,
            _priorities(cycle),
            _("Weights saved."),
            cycle=cycle,
            weights=form.weights(),
        )
    messages.error(request, _("Each weight is a whole number from 0 to 10."))
    return redirect(_priorities(cycle))


def _priorities(cycle):
    return reverse("nip_lifecycle:priority-detail", args=[cycle.pk])


@require_http_methods(["GET", "POST"])
def issue_add(request, pk):
    cycle = _cycle(request, pk, manage=True)
    form = forms.IssueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        issue = run_service(
            form, services.issue_add, actor=request.user, cycle=cycle, **form.cleaned_data
        )
        if issue:
            messages.success(request, _("Issue added: score it against each criterion."))
            return redirect("nip_lifecycle:issue-score", issue.pk)
    return form_page(request, form, title=_("Priority issue"), cancel_url=_priorities(cycle))


@require_http_methods(["GET", "POST"])
def issue_score(request, pk):
    issue = get_object_or_404(PriorityIssue, pk=pk)
    cycle = _cycle(request, issue.cycle_id, manage=True)
    criteria = list(cycle.criteria.all())
    scores = {s.criterion_id: s.score for s in issue.scores.all()}
    form = forms.ScoreForm(request.POST or None, criteria=criteria, scores=scores)
    return _form_service(
        request,
        form,
        services.issue_score,
        success=_("Scores saved."),
        then=_priorities(cycle),
        issue=issue,
        data=lambda: {"scores": form.scores()},
        title=_("Scores of “%(issue)s”") % {"issue": issue},
        intro=_("From 0 (none) to 5 (very high) against each criterion."),
        cancel_url=_priorities(cycle),
    )


@require_http_methods(["GET", "POST"])
def objective_add(request, pk):
    cycle = _cycle(request, pk, manage=True)
    form = forms.ObjectiveForm(request.POST or None, cycle=cycle)
    return _form_service(
        request,
        form,
        services.objective_add,
        success=_("Objective added."),
        then=_priorities(cycle),
        cycle=cycle,
        title=_("National objective"),
        cancel_url=_priorities(cycle),
    )


@require_http_methods(["GET", "POST"])
def cycle_workplan(request, pk):
    cycle = _cycle(request, pk, manage=True)
    form = forms.WorkplanForm(request.POST or None, initial={"workplan": cycle.workplan})
    return _form_service(
        request,
        form,
        services.cycle_set_workplan,
        success=_("Action plans will be filed in this workplan."),
        then=_priorities(cycle),
        cycle=cycle,
        title=_("Workplan for the action plans"),
        cancel_url=_priorities(cycle),
    )


@require_http_methods(["GET", "POST"])
def action_add(request, pk):
    objective = get_object_or_404(Objective, pk=pk)
    cycle = _cycle(request, objective.cycle_id, manage=True)
    form = forms.ActionForm(request.POST or None)
    return _form_service(
        request,
        form,
        services.action_add,
        success=_("Activity added to the action plan and to the workplan."),
        then=_priorities(cycle),
        objective=objective,
        title=_("Action plan of “%(objective)s”") % {"objective": objective},
        cancel_url=_priorities(cycle),
    )


# --- Step 6: the draft and the consultation -------------------------------------------------


def draft_detail(request, pk):
    cycle = _cycle(request, pk)
    return render(
        request,
        "nip_lifecycle/draft_detail.html",
        {
            "cycle": cycle,
            "sections": selectors.sections_for(cycle),
            "can_manage": _editable(request, cycle),
        },
    )


def _draft(cycle):
    return reverse("nip_lifecycle:draft-detail", args=[cycle.pk])


def _consultation(cycle):
    return reverse("nip_lifecycle:consultation-detail", args=[cycle.pk])


@require_http_methods(["GET", "POST"])
def section_add(request, pk):
    cycle = _cycle(request, pk, manage=True)
    form = forms.SectionForm(request.POST or None)
    return _form_service(
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
    cycle = _cycle(request, section.cycle_id, manage=True)
    latest = section.versions.order_by("-number").first()
    form = forms.SectionReviseForm(
        request.POST or None, initial={"text": latest.text if latest else ""}
    )
    return _form_service(
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
    cycle = _cycle(request, pk)
    can_comment = perms.can_comment(request.user, cycle) and cycle.consultation_open
    return render(
        request,
        "nip_lifecycle/consultation_detail.html",
        {
            "cycle": cycle,
            "sections": selectors.sections_for(cycle),
            "statistics": selectors.comment_statistics(cycle),
            "can_manage": _editable(request, cycle),
            "can_comment": can_comment,
            "comment_form": forms.CommentForm() if can_comment else None,
        },
    )


@require_POST
def consultation_toggle(request, pk):
    cycle = _cycle(request, pk, manage=True)
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
    cycle = _cycle(request, section.cycle_id)
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
    cycle = _cycle(request, comment.section.cycle_id, manage=True)
    form = forms.ResolveForm(request.POST or None)
    return _form_service(
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
    cycle = _cycle(request, pk, manage=True)
    form = forms.TransmissionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        upload, language = data.pop("acknowledgment"), data.pop("language")
        try:
            acknowledgment = upload and _upload(
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
    cycle = _cycle(request, pk, manage=True)
    return post_service(
        request,
        services.package_request,
        cycle,
        _("The endorsement package is being rendered."),
        cycle=cycle,
    )


def _package(request, pk):
    package = get_object_or_404(EndorsementPackage, pk=pk)
    _cycle(request, package.cycle_id)
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
