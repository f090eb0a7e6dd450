"""Workplan pages: plans, tasks, revisions, progress rounds, scorecards and exports."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from coordination import decisions
from coordination import permissions as perms
from coordination.ballots.views import cited_ballot
from coordination.fragments import WORKPLANS
from coordination.models import Activity, Body, ReportingRound, Task, Workplan, WorkplanRevision
from coordination.registry.selectors import institutions_for_focal_point
from coordination.workplans import selectors, services
from coordination.workplans.filters import TaskFilter
from coordination.workplans.forms import (
    ActivityForm,
    CirculateForm,
    ProgressReportForm,
    RevisionNoteForm,
    RoundForm,
    TaskForm,
    WorkplanForm,
)
from ncm_portal import fragments
from ncm_portal.exports import csv_response, xlsx_response
from ncm_portal.views import form_page, post_service, run_service


def workplan_list(request):
    return render(
        request,
        "coordination/workplan_list.html",
        {"workplans": selectors.workplan_list().order_by("-period_start", "body__name")},
    )


@require_http_methods(["GET", "POST"])
def workplan_create(request, pk):
    body = get_object_or_404(Body, pk=pk)
    perms.require(perms.can_manage_body(request.user, body))
    form = WorkplanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        workplan = run_service(
            form, services.workplan_create, actor=request.user, body=body, **form.cleaned_data
        )
        if workplan:
            messages.success(request, _("Workplan %(title)s created.") % {"title": workplan})
            return redirect(workplan)
    return form_page(
        request,
        form,
        title=_("New workplan for %(body)s") % {"body": body},
        cancel_url=body.get_absolute_url(),
    )


def workplan_detail(request, pk):
    """The plan with its activities collapsed to their task counts; an activity's tasks open
    in place with htmx (``activity_tasks``) or, without JavaScript, with ``?open=<activity>``."""
    context = selectors.workplan_detail(pk=pk, supporting=False, lazy=True)
    context["can_manage"] = perms.can_manage_workplan(request.user, context["workplan"])
    context["fragment_key"] = fragments.key(WORKPLANS)
    context["open"] = selectors.open_activity(context["workplan"], request.GET.get("open"))
    return render(request, "coordination/workplan_detail.html", context)


def activity_tasks(request, pk):
    """An activity's task table, which htmx loads into the workplan page when it is opened."""
    context = selectors.activity_tasks(pk=pk)
    context["fragment_key"] = fragments.key(WORKPLANS)
    return render(request, "coordination/partials/_activity_tasks.html", context)


def workplan_print(request, pk):
    context = selectors.workplan_detail(pk=pk)
    context["printed_at"] = timezone.now()
    return render(request, "coordination/workplan_print.html", context)


EXPORT_HEADER = [
    "Activity",
    "Task",
    "Lead institution",
    "Supporting institutions",
    "Assigned to",
    "Start",
    "Due",
    "Conventions",
    "Status",
    "Percent complete",
    "Budget",
    "Currency",
    "Funding source",
    "Donor",
]


def _export_rows(tasks):
    for t in tasks:
        yield [
            t.activity.title,
            t.title,
            t.lead_institution.name,
            "; ".join(i.name for i in t.supporting_institutions.all()),
            t.assignee.name if t.assignee else "",
            t.start_date,
            t.due_date,
            "; ".join(c.short_name for c in t.conventions.all()),
            t.get_status_display(),
            t.percent_complete,
            t.budget_amount,
            t.budget_currency,
            t.get_funding_source_display(),
            t.donor_name,
        ]


def workplan_export(request, pk, fmt):
    if fmt not in ("csv", "xlsx"):
        raise Http404
    workplan = get_object_or_404(Workplan, pk=pk)
    tasks = (
        selectors.tasks_with_relations()
        .filter(activity__workplan=workplan)
        .order_by("activity__order", "due_date", "pk")
    )
    name = slugify(workplan.title) or f"workplan-{workplan.pk}"
    if fmt == "xlsx":
        return xlsx_response(f"{name}.xlsx", "Workplan", EXPORT_HEADER, _export_rows(tasks))
    return csv_response(f"{name}.csv", EXPORT_HEADER, _export_rows(tasks))


@require_http_methods(["GET", "POST"])
def activity_create(request, pk):
    workplan = get_object_or_404(Workplan.objects.select_related("body"), pk=pk)
    perms.require(perms.can_manage_workplan(request.user, workplan))
    form = ActivityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        activity = run_service(
            form,
            services.activity_create,
            actor=request.user,
            workplan=workplan,
            **form.cleaned_data,
        )
        if activity:
            messages.success(request, _("Activity %(title)s added.") % {"title": activity})
            return redirect(workplan)
    return form_page(
        request,
        form,
        title=_("New activity in %(workplan)s") % {"workplan": workplan},
        cancel_url=workplan.get_absolute_url(),
    )


# --- Tasks ------------------------------------------------------------------------------------


def task_list(request):
    filterset = TaskFilter(
        request.GET or None,
        queryset=selectors.tasks_with_relations().order_by("due_date", "pk"),
        user=request.user,
    )
    page = Paginator(filterset.qs, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "coordination/task_list.html",
        {"filter": filterset, "page": page, "query": query.urlencode()},
    )


@require_http_methods(["GET", "POST"])
def task_create(request, pk):
    activity = get_object_or_404(Activity.objects.select_related("workplan__body"), pk=pk)
    workplan = activity.workplan
    perms.require(perms.can_manage_workplan(request.user, workplan))
    form = TaskForm(
        request.POST or None,
        workplan=workplan,
        initial={
            "activity": activity,
            "start_date": workplan.period_start,
            "due_date": workplan.period_end,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        task = run_service(
            form,
            services.task_create,
            actor=request.user,
            activity=data.pop("activity"),
            **data,
        )
        if task:
            messages.success(request, _("Task %(title)s added.") % {"title": task})
            # Back on the plan with the task's activity open, the new task in its table.
            return redirect(
                f"{workplan.get_absolute_url()}?open={task.activity_id}#activity-{task.activity_id}"
            )
    return form_page(
        request,
        form,
        title=_("New task in %(activity)s") % {"activity": activity},
        cancel_url=workplan.get_absolute_url(),
    )


def task_detail(request, pk):
    task = get_object_or_404(selectors.tasks_with_relations(), pk=pk)
    reports = task.progress_reports.select_related("round", "submitted_by").order_by(
        "-submitted_at"
    )
    history = task.history.select_related("history_user").order_by("-history_date")[:50]
    open_rounds = [
        r
        for r in task.rounds.filter(closed_at__isnull=True)
        if not any(rep.round_id == r.pk for rep in reports)
    ]
    return render(
        request,
        "coordination/task_detail.html",
        {
            "task": task,
            "reports": reports,
            "history": history,
            "open_rounds": open_rounds,
            "can_manage": perms.can_manage_workplan(request.user, task.activity.workplan),
            "can_report": perms.can_report_progress(request.user, task),
        },
    )


@require_http_methods(["GET", "POST"])
def task_update(request, pk):
    task = get_object_or_404(Task.objects.select_related("activity__workplan__body"), pk=pk)
    workplan = task.activity.workplan
    perms.require(perms.can_manage_workplan(request.user, workplan))
    form = TaskForm(request.POST or None, instance=task, workplan=workplan)
    if request.method == "POST" and form.is_valid():
        updated = run_service(
            form, services.task_update, actor=request.user, task=task, **form.cleaned_data
        )
        if updated:
            messages.success(request, _("Changes to %(title)s saved.") % {"title": updated})
            return redirect(updated)
    return form_page(
        request,
        form,
        title=_("Edit task %(title)s") % {"title": task},
        cancel_url=task.get_absolute_url(),
    )


# --- Revisions --------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def revision_draft(request, pk):
    workplan = get_object_or_404(Workplan.objects.select_related("body"), pk=pk)
    perms.require(perms.can_manage_workplan(request.user, workplan))
    form = RevisionNoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        revision = run_service(
            form,
            services.revision_draft,
            actor=request.user,
            workplan=workplan,
            **form.cleaned_data,
        )
        if revision:
            messages.success(
                request, _("Revision %(number)s drafted.") % {"number": revision.number}
            )
            return redirect(revision)
    return form_page(
        request,
        form,
        title=_("Freeze %(workplan)s as a draft revision") % {"workplan": workplan},
        intro=_(
            "The draft keeps the plan as it stands now. Until it is circulated you can freeze it "
            "again to take in later edits."
        ),
        cancel_url=workplan.get_absolute_url(),
    )


def revision_detail(request, pk):
    revision = get_object_or_404(
        WorkplanRevision.objects.select_related("workplan__body", "adopted_by"), pk=pk
    )
    base = selectors.previous_adopted(revision)
    can_manage = perms.can_manage_workplan(request.user, revision.workplan)
    return render(
        request,
        "coordination/revision_detail.html",
        {
            "revision": revision,
            "snapshot": revision.snapshot,
            "base": base,
            "diff": selectors.revision_diff(base.snapshot, revision.snapshot) if base else None,
            "circulated_to": revision.circulated_to.order_by("name"),
            "can_manage": can_manage,
            "adopting_ballots": decisions.adopting_ballots(revision, revision.workplan.body)
            if can_manage and revision.status == WorkplanRevision.Status.CIRCULATED
            else [],
        },
    )


@require_http_methods(["GET", "POST"])
def revision_circulate(request, pk):
    revision = get_object_or_404(WorkplanRevision.objects.select_related("workplan__body"), pk=pk)
    perms.require(perms.can_manage_workplan(request.user, revision.workplan))
    form = CirculateForm(request.POST or None, body=revision.workplan.body)
    if request.method == "POST" and form.is_valid():
        done = run_service(
            form,
            services.revision_circulate,
            actor=request.user,
            revision=revision,
            institutions=form.cleaned_data["institutions"],
        )
        if done:
            messages.success(
                request,
                _("Revision %(number)s circulated to %(count)s institutions.")
                % {"number": done.number, "count": len(form.cleaned_data["institutions"])},
            )
            return redirect(done)
    return form_page(
        request,
        form,
        title=_("Circulate revision %(number)s of %(workplan)s")
        % {"number": revision.number, "workplan": revision.workplan},
        cancel_url=revision.get_absolute_url(),
    )


@require_POST
def revision_adopt(request, pk):
    revision = get_object_or_404(WorkplanRevision.objects.select_related("workplan__body"), pk=pk)
    perms.require(perms.can_manage_workplan(request.user, revision.workplan))
    return post_service(
        request,
        services.revision_adopt,
        revision,
        _("Revision %(number)s adopted; the previous one is superseded.")
        % {"number": revision.number},
        revision=revision,
        ballot=cited_ballot(request),
    )


def revision_compare(request, pk):
    workplan = get_object_or_404(Workplan, pk=pk)
    revisions = list(workplan.revisions.order_by("number"))
    by_number = {r.number: r for r in revisions}

    def pick(name, default):
        try:
            return by_number.get(int(request.GET.get(name, "")), default)
        except ValueError:
            return default

    old = pick("from", revisions[-2] if len(revisions) > 1 else None)
    new = pick("to", revisions[-1] if revisions else None)
    diff = selectors.revision_diff(old.snapshot, new.snapshot) if old and new else None
    return render(
        request,
        "coordination/revision_compare.html",
        {"workplan": workplan, "revisions": revisions, "old": old, "new": new, "diff": diff},
    )


# --- Progress rounds --------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def round_open(request, pk):
    workplan = get_object_or_404(Workplan.objects.select_related("body"), pk=pk)
    perms.require(perms.can_manage_workplan(request.user, workplan))
    form = RoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        reporting_round = run_service(
            form, services.round_open, actor=request.user, workplan=workplan, **form.cleaned_data
        )
        if reporting_round:
            messages.success(
                request,
                _("Round opened: %(count)s tasks await a report by %(due)s.")
                % {"count": reporting_round.tasks.count(), "due": reporting_round.due_date},
            )
            return redirect(reporting_round)
    return form_page(
        request,
        form,
        title=_("Ask for progress reports on %(workplan)s") % {"workplan": workplan},
        intro=_("Every lead institution's focal point is asked to report on its open tasks."),
        cancel_url=workplan.get_absolute_url(),
    )


def round_detail(request, pk):
    context = selectors.round_status(pk=pk)
    reporting_round = context["round"]
    context["can_manage"] = perms.can_manage_workplan(request.user, reporting_round.workplan)
    context["my_institutions"] = set(
        institutions_for_focal_point(request.user).values_list("pk", flat=True)
    )
    return render(request, "coordination/round_detail.html", context)


@require_POST
def round_close(request, pk):
    reporting_round = get_object_or_404(ReportingRound.objects.select_related("workplan"), pk=pk)
    services.round_close(actor=request.user, reporting_round=reporting_round)
    messages.success(request, _("The round is closed."))
    return redirect(reporting_round)


@require_http_methods(["GET", "POST"])
def progress_report_create(request, pk, task_pk):
    reporting_round = get_object_or_404(ReportingRound.objects.select_related("workplan"), pk=pk)
    task = get_object_or_404(reporting_round.tasks.select_related("lead_institution"), pk=task_pk)
    perms.require(perms.can_report_progress(request.user, task))
    form = ProgressReportForm(
        request.POST or None,
        initial={
            "status": task.status,
            "percent_complete": task.percent_complete,
            "currency": task.budget_currency,
        },
    )
    if request.method == "POST" and form.is_valid():
        report = run_service(
            form,
            services.progress_report_submit,
            actor=request.user,
            reporting_round=reporting_round,
            task=task,
            **form.cleaned_data,
        )
        if report:
            messages.success(request, _("Progress on %(task)s reported.") % {"task": task})
            return redirect(reporting_round)
    return form_page(
        request,
        form,
        title=_("Report progress: %(task)s") % {"task": task},
        intro=_("For %(round)s, due %(due)s. Your figures update the task.")
        % {"round": reporting_round, "due": reporting_round.due_date},
        cancel_url=reporting_round.get_absolute_url(),
    )


def scorecard(request, pk=None):
    workplan = get_object_or_404(Workplan, pk=pk) if pk else None
    return render(
        request,
        "coordination/scorecard.html",
        {"workplan": workplan, "rows": selectors.institution_scorecard(workplan=workplan)},
    )
