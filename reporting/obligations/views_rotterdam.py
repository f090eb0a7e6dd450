"""The page of a Rotterdam import response and its steps: the draft decision, the steering
committee's approval, the transmission, and the export notifications received."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from coordination.models import Ballot, MinutesItem
from inventories.selectors_trade import customs_lines_under, customs_totals_under
from ncm_portal.views import run_service
from reporting.models import ImportResponse
from reporting.obligations import permissions as perms
from reporting.obligations import rotterdam
from reporting.obligations.forms import (
    ApproveForm,
    DraftForm,
    ExportNotificationForm,
    TransmitForm,
)

LINES_SHOWN = 50
ACTIONS = {
    "draft_form": "reporting:import-response-draft",
    "approve_form": "reporting:import-response-approve",
    "transmit_form": "reporting:import-response-transmit",
    "notification_form": "reporting:import-response-export-notification",
}


def _response(pk: int) -> ImportResponse:
    return get_object_or_404(
        ImportResponse.objects.select_related(
            "obligation__convention",
            "obligation__responsible_institution",
            "technical_committee",
            "steering_committee",
            "approval_ballot",
            "approval_minutes_item__minutes__meeting",
        ),
        pk=pk,
    )


def _coming_meetings(response) -> list:
    """The steering committee's coming meetings, where the approval may be put on the agenda."""
    from coordination.models import Meeting

    if response.steering_committee is None or not response.can_approve():
        return []
    return list(
        Meeting.objects.filter(
            body=response.steering_committee,
            start__gte=timezone.now(),
            status__in=[Meeting.Status.PLANNED, Meeting.Status.CONVENED],
        ).order_by("start")[:3]
    )


def _page(request, response, status=200, **forms):
    user = request.user
    may_act = rotterdam.may_act(user, response)
    may_manage = perms.can_manage(user)
    candidates = rotterdam.approval_candidates(response) if may_manage else None
    since = response.approved_at.date() if response.approved_at else response.dgd_dispatched_on
    context = {
        "response": response,
        "obligation": response.obligation,
        "events": response.obligation.events.select_related("actor"),
        "notifications": response.export_notifications.all(),
        "lines": list(customs_lines_under(response.codes, since=since)[:LINES_SHOWN]),
        "totals": customs_totals_under(response.codes, since=since),
        "since": since,
        "draft_form": forms.get("draft_form")
        or (
            DraftForm(initial={"decision": response.decision, "conditions": response.conditions})
            if may_act and response.can_draft()
            else None
        ),
        "approve_form": forms.get("approve_form")
        or (ApproveForm(candidates=candidates) if may_manage and response.can_approve() else None),
        "transmit_form": forms.get("transmit_form")
        or (
            TransmitForm(initial={"transmitted_on": timezone.localdate()})
            if may_act and response.can_transmit()
            else None
        ),
        "notification_form": forms.get("notification_form")
        or (ExportNotificationForm() if may_act else None),
        "committee_meetings": _coming_meetings(response) if may_manage else [],
    }
    for key, name in ACTIONS.items():
        if context[key] is not None:  # each form posts to its own step
            context[key].helper.form_action = reverse(name, args=[response.pk])
    return render(request, "reporting/obligations/import_response.html", context, status=status)


@require_GET
def detail(request, pk: int):
    if not perms.can_view(request.user):
        raise PermissionDenied
    return _page(request, _response(pk))


@require_POST
def draft(request, pk: int):
    response = _response(pk)
    if not (rotterdam.may_act(request.user, response) and response.can_draft()):
        raise PermissionDenied
    form = DraftForm(request.POST)
    if form.is_valid() and run_service(
        form,
        rotterdam.import_response_draft,
        response=response,
        actor=request.user,
        **form.cleaned_data,
    ):
        messages.success(request, _("Draft decision recorded: it awaits the steering committee."))
        return redirect(response)
    return _page(request, response, status=400, draft_form=form)


@require_POST
def approve(request, pk: int):
    response = _response(pk)
    if not (perms.can_manage(request.user) and response.can_approve()):
        raise PermissionDenied
    form = ApproveForm(request.POST, candidates=rotterdam.approval_candidates(response))
    if form.is_valid():
        kind, _sep, value = form.cleaned_data["source"].partition("-")
        source = (
            {"ballot": get_object_or_404(Ballot, pk=value)}
            if kind == "ballot"
            else {"minutes_item": get_object_or_404(MinutesItem, pk=value)}
        )
        if run_service(
            form, rotterdam.import_response_approve, response=response, actor=request.user, **source
        ):
            messages.success(request, _("Approval recorded: the decision may be transmitted."))
            return redirect(response)
    return _page(request, response, status=400, approve_form=form)


@require_POST
def transmit(request, pk: int):
    response = _response(pk)
    if not (rotterdam.may_act(request.user, response) and response.can_transmit()):
        raise PermissionDenied
    form = TransmitForm(request.POST)
    if form.is_valid() and run_service(
        form,
        rotterdam.import_response_transmit,
        response=response,
        actor=request.user,
        **form.cleaned_data,
    ):
        messages.success(request, _("Transmission recorded: the obligation is met."))
        return redirect(response)
    return _page(request, response, status=400, transmit_form=form)


@require_POST
def export_notification(request, pk: int):
    response = _response(pk)
    if not rotterdam.may_act(request.user, response):
        raise PermissionDenied
    form = ExportNotificationForm(request.POST)
    if form.is_valid() and run_service(
        form,
        rotterdam.export_notification_record,
        response=response,
        actor=request.user,
        **form.cleaned_data,
    ):
        messages.success(request, _("Export notification recorded."))
        return redirect(response)
    return _page(request, response, status=400, notification_form=form)
