"""A cycle's priorities: issues and their scores, objectives, and the workplan of actions."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ncm_portal.views import form_page, post_service, run_service
from nip_lifecycle import forms, selectors, services
from nip_lifecycle.models import (
    Objective,
    PriorityIssue,
)
from nip_lifecycle.views.common import form_service, get_cycle, is_editable


def priority_detail(request, pk):
    cycle = get_cycle(request, pk)
    ranking = selectors.priority_ranking(cycle)
    can_manage = is_editable(request, cycle)
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
    cycle = get_cycle(request, pk, manage=True)
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
    cycle = get_cycle(request, pk, manage=True)
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
    cycle = get_cycle(request, issue.cycle_id, manage=True)
    criteria = list(cycle.criteria.all())
    scores = {s.criterion_id: s.score for s in issue.scores.all()}
    form = forms.ScoreForm(request.POST or None, criteria=criteria, scores=scores)
    return form_service(
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
    cycle = get_cycle(request, pk, manage=True)
    form = forms.ObjectiveForm(request.POST or None, cycle=cycle)
    return form_service(
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
    cycle = get_cycle(request, pk, manage=True)
    form = forms.WorkplanForm(request.POST or None, initial={"workplan": cycle.workplan})
    return form_service(
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
    cycle = get_cycle(request, objective.cycle_id, manage=True)
    form = forms.ActionForm(request.POST or None)
    return form_service(
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
