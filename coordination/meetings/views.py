"""Meeting pages: notice, agenda, replies, attendance and minutes."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from coordination import decisions
from coordination import permissions as perms
from coordination.ballots.views import cited_ballot
from coordination.calendars.ical import meeting_invitation
from coordination.meetings import selectors, services
from coordination.meetings.forms import (
    ActionItemForm,
    AgendaItemForm,
    AttendanceSheet,
    ConveneForm,
    MeetingForm,
    MinutesItemForm,
    ReplyForm,
)
from coordination.models import (
    AgendaItem,
    Body,
    Meeting,
    Minutes,
    MinutesItem,
    Person,
)
from ncm_portal.views import form_page, post_service, run_service

# --- Meetings ---------------------------------------------------------------------------------


def meeting_list(request):
    now = timezone.now()
    base = Meeting.objects.select_related("body").order_by("start")
    body_id = request.GET.get("body")
    if body_id and body_id.isdigit():
        base = base.filter(body_id=body_id)
    return render(
        request,
        "coordination/meeting_list.html",
        {
            "upcoming": base.filter(end__gte=now)[:50],
            "past": base.filter(end__lt=now).order_by("-start")[:50],
            "bodies": Body.objects.filter(active=True),
            "body_id": body_id,
        },
    )


@require_http_methods(["GET", "POST"])
def meeting_create(request, pk):
    body = get_object_or_404(Body, pk=pk)
    perms.require(perms.can_manage_body(request.user, body))
    form = MeetingForm(
        request.POST or None,
        initial={"time_zone": request.user.time_zone or timezone.get_current_timezone_name()},
    )
    if request.method == "POST" and form.is_valid():
        meeting = run_service(
            form, services.meeting_create, actor=request.user, body=body, **form.cleaned_data
        )
        if meeting:
            messages.success(request, _("Meeting planned. Add the agenda, then convene it."))
            return redirect(meeting)
    return form_page(
        request,
        form,
        title=_("Plan a meeting of %(body)s") % {"body": body},
        cancel_url=body.get_absolute_url(),
    )


def meeting_detail(request, pk, *, sheet=None):
    context = selectors.meeting_detail(pk=pk, user=request.user)
    meeting = context["meeting"]
    can_manage = perms.can_manage_body(request.user, meeting.body)
    if sheet is None and can_manage and meeting.can_take_attendance():
        sheet = _attendance_sheet(context["rows"])
    context.update(
        can_manage=can_manage,
        join_open=selectors.join_window(meeting),
        started=meeting.start <= timezone.now(),
        reply_form=ReplyForm(),
        sheet=sheet,
    )
    return render(request, "coordination/meeting_detail.html", context)


def _attendance_sheet(rows, data=None) -> AttendanceSheet:
    """The sheet of the meeting's member institutions, with their staff to choose a stand-in."""
    people = Person.objects.filter(
        active=True, institution_id__in=[row["membership"].institution_id for row in rows]
    ).order_by("name")
    return AttendanceSheet(data, rows=rows, people=people)


def meeting_join(request, pk):
    """The join button, refreshed by htmx every minute so that it appears when it is time."""
    meeting = get_object_or_404(Meeting, pk=pk)
    return render(
        request,
        "coordination/partials/_join_button.html",
        {"meeting": meeting, "join_open": selectors.join_window(meeting)},
    )


@require_http_methods(["GET", "POST"])
def meeting_update(request, pk):
    meeting = get_object_or_404(Meeting.objects.select_related("body"), pk=pk)
    perms.require(perms.can_manage_body(request.user, meeting.body))
    zone = meeting.zone
    form = MeetingForm(
        request.POST or None,
        instance=meeting,
        initial={
            "start": timezone.localtime(meeting.start, zone).replace(tzinfo=None),
            "end": timezone.localtime(meeting.end, zone).replace(tzinfo=None),
        },
    )
    if request.method == "POST" and form.is_valid():
        updated = run_service(
            form, services.meeting_update, actor=request.user, meeting=meeting, **form.cleaned_data
        )
        if updated:
            if updated.sequence != meeting.sequence:
                messages.success(
                    request,
                    _("Meeting moved: the notice went out again and the replies start afresh."),
                )
            else:
                messages.success(request, _("Changes saved."))
            return redirect(updated)
    return form_page(
        request,
        form,
        title=_("Edit %(meeting)s") % {"meeting": meeting},
        cancel_url=meeting.get_absolute_url(),
    )


@require_http_methods(["GET", "POST"])
def meeting_convene(request, pk):
    meeting = get_object_or_404(Meeting.objects.select_related("body"), pk=pk)
    perms.require(perms.can_manage_body(request.user, meeting.body))
    form = ConveneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        convened = run_service(
            form, services.meeting_convene, actor=request.user, meeting=meeting, **form.cleaned_data
        )
        if convened:
            messages.success(
                request,
                _("Notice sent to %(count)s representatives.")
                % {"count": len(services.invitees(convened))},
            )
            return redirect(convened)
    notice = meeting.start - timezone.now()
    return form_page(
        request,
        form,
        title=_("Convene %(meeting)s") % {"meeting": meeting},
        intro=_(
            "The notice, with a calendar file, goes to the principal and alternate "
            "representatives of every member institution. The body asks for %(days)s days' "
            "notice; the meeting is %(left)s days away."
        )
        % {"days": meeting.body.notice_period_days, "left": max(notice.days, 0)},
        cancel_url=meeting.get_absolute_url(),
    )


@require_POST
def meeting_cancel(request, pk):
    meeting = get_object_or_404(Meeting.objects.select_related("body"), pk=pk)
    return post_service(
        request, services.meeting_cancel, meeting, _("The meeting is cancelled."), meeting=meeting
    )


@require_POST
def meeting_mark_held(request, pk):
    meeting = get_object_or_404(Meeting.objects.select_related("body"), pk=pk)
    return post_service(
        request, services.meeting_mark_held, meeting, _("Recorded as held."), meeting=meeting
    )


def meeting_ics(request, pk):
    meeting = get_object_or_404(Meeting.objects.select_related("body"), pk=pk)
    response = HttpResponse(
        meeting_invitation(meeting, cancelled=meeting.status == Meeting.Status.CANCELLED),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.pk}.ics"'
    return response


@require_http_methods(["GET", "POST"])
def agenda_item_create(request, pk):
    meeting = get_object_or_404(Meeting.objects.select_related("body"), pk=pk)
    perms.require(perms.can_manage_body(request.user, meeting.body))
    subject = _agenda_subject(request, meeting)
    form = AgendaItemForm(
        request.POST or None,
        initial={"title": str(subject), "expected_outcome": AgendaItem.Outcome.DECISION}
        if subject is not None
        else None,
    )
    if request.method == "POST" and form.is_valid():
        item = run_service(
            form,
            services.agenda_item_add,
            actor=request.user,
            meeting=meeting,
            subject=subject,
            **form.cleaned_data,
        )
        if item:
            messages.success(request, _("Agenda item added."))
            return redirect(meeting)
    return form_page(
        request,
        form,
        title=_("Add to the agenda of %(meeting)s") % {"meeting": meeting},
        intro=(
            _(
                "The item puts to the meeting: %(subject)s. A decision recorded under it in "
                "approved minutes counts as the approval of that, and of nothing else."
            )
            % {"subject": subject}
        )
        if subject is not None
        else "",
        cancel_url=meeting.get_absolute_url(),
    )


def _agenda_subject(request, meeting):
    """What the new item puts to the meeting, named in the address (?step=4): one the body
    decides."""
    from django.core.exceptions import ObjectDoesNotExist

    from coordination import decisions

    try:
        return decisions.subject_from(request.GET, meeting.body)
    except ObjectDoesNotExist as missing:
        raise Http404 from missing


@require_POST
def reply_create(request, pk):
    meeting = get_object_or_404(Meeting.objects.select_related("body"), pk=pk)
    form = ReplyForm(request.POST)
    person = get_object_or_404(Person, pk=request.POST.get("person", 0))
    if form.is_valid():
        try:
            services.reply_record(
                actor=request.user,
                meeting=meeting,
                person=person,
                response=form.cleaned_data["response"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Your reply is recorded."))
    else:
        messages.error(request, _("Choose one of the replies."))
    # A reply from the home page returns there.
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)
    return redirect(meeting)


@require_POST
def attendance_save(request, pk):
    """Save the attendance sheet, all its rows or none: a refused row shows its error, and the
    sheet keeps what was entered."""
    meeting = get_object_or_404(Meeting.objects.select_related("body"), pk=pk)
    perms.require(perms.can_manage_body(request.user, meeting.body))
    sheet = _attendance_sheet(selectors.attendance_rows(meeting), request.POST)
    if sheet.is_valid():
        try:
            services.attendance_sheet_save(
                actor=request.user, meeting=meeting, rows=sheet.rows_to_save()
            )
        except services.AttendanceSheetInvalid as error:
            sheet.add_service_error(error)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(meeting)
        else:
            q = selectors.quorum(meeting)
            messages.success(
                request,
                _(
                    "Attendance saved: %(present)s of %(members)s member institutions present; "
                    "quorum %(state)s."
                )
                % {
                    "present": q.present,
                    "members": q.members,
                    "state": _("reached") if q.met else _("not reached"),
                },
            )
            if request.htmx:
                return meeting_detail(request, pk)
            return redirect(meeting)
    messages.error(request, _("The attendance is not saved: see the rows marked below."))
    return meeting_detail(request, pk, sheet=sheet)


# --- Minutes ----------------------------------------------------------------------------------


@require_POST
def minutes_open(request, pk):
    meeting = get_object_or_404(Meeting.objects.select_related("body"), pk=pk)
    try:
        minutes = services.minutes_open(actor=request.user, meeting=meeting)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(meeting)
    return redirect("coordination:minutes-detail", pk=minutes.pk)


def minutes_detail(request, pk):
    minutes = get_object_or_404(
        Minutes.objects.select_related("meeting__body", "approved_by").prefetch_related(
            "items__agenda_item", "items__actions__lead_institution", "items__actions__task"
        ),
        pk=pk,
    )
    can_manage = perms.can_manage_body(request.user, minutes.meeting.body)
    items = [
        {
            "item": item,
            "form": MinutesItemForm(instance=item, prefix=f"m{item.pk}"),
            "action_form": ActionItemForm(prefix=f"a{item.pk}"),
        }
        for item in minutes.items.all()
    ]
    return render(
        request,
        "coordination/minutes_detail.html",
        {
            "minutes": minutes,
            "items": items,
            "can_edit": can_manage and not minutes.locked,
            "can_manage": can_manage,
            "adopting_ballots": decisions.adopting_ballots(minutes, minutes.meeting.body)
            if can_manage and minutes.status == Minutes.Status.CIRCULATED
            else [],
        },
    )


@require_POST
def minutes_item_save(request, pk):
    item = get_object_or_404(MinutesItem.objects.select_related("minutes__meeting__body"), pk=pk)
    form = MinutesItemForm(request.POST, instance=item, prefix=f"m{item.pk}")
    if form.is_valid():
        try:
            services.minutes_item_update(actor=request.user, item=item, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Saved."))
    return redirect("coordination:minutes-detail", pk=item.minutes_id)


@require_POST
def action_item_create(request, pk):
    item = get_object_or_404(MinutesItem.objects.select_related("minutes__meeting__body"), pk=pk)
    form = ActionItemForm(request.POST, prefix=f"a{item.pk}")
    if form.is_valid():
        try:
            action = services.action_item_add(actor=request.user, item=item, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("Action recorded and added to the workplan as task “%(task)s”.")
                % {"task": action.task},
            )
    else:
        messages.error(request, _("Give the action, its lead institution and its due date."))
    return redirect("coordination:minutes-detail", pk=item.minutes_id)


@require_POST
def minutes_circulate(request, pk):
    minutes = get_object_or_404(Minutes.objects.select_related("meeting__body"), pk=pk)
    return post_service(
        request,
        services.minutes_circulate,
        reverse("coordination:minutes-detail", args=[pk]),
        _("Minutes circulated."),
        minutes=minutes,
    )


@require_POST
def minutes_approve(request, pk):
    minutes = get_object_or_404(Minutes.objects.select_related("meeting__body"), pk=pk)
    return post_service(
        request,
        services.minutes_approve,
        reverse("coordination:minutes-detail", args=[pk]),
        _("Minutes approved and locked."),
        minutes=minutes,
        ballot=cited_ballot(request),
    )
