"""Meeting pages, the document library, and the calendar with its iCalendar feeds."""

import calendar as monthcal
import contextlib
import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from coordination import decisions, ical, services
from coordination import meeting_selectors as meetings
from coordination import permissions as perms
from coordination.forms import (
    ActionItemForm,
    AgendaItemForm,
    ConveneForm,
    DocumentForm,
    DocumentVersionForm,
    ExternalEventForm,
    MeetingForm,
    MinutesItemForm,
    ReplyForm,
)
from coordination.models import (
    AgendaItem,
    Attendance,
    Body,
    CalendarToken,
    Convention,
    Document,
    DocumentVersion,
    ExternalEvent,
    Institution,
    Meeting,
    Membership,
    Minutes,
    MinutesItem,
    Person,
    Task,
)
from coordination.views import cited_ballot, form_page, post_service, run_service
from ncm_portal.uploads import safe_filename

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


def meeting_detail(request, pk):
    context = meetings.meeting_detail(pk=pk, user=request.user)
    meeting = context["meeting"]
    context.update(
        can_manage=perms.can_manage_body(request.user, meeting.body),
        join_open=meetings.join_window(meeting),
        started=meeting.start <= timezone.now(),
        reply_form=ReplyForm(),
        presence_choices=Attendance.Presence.choices,
        mode_choices=Attendance._meta.get_field("mode").choices,
    )
    return render(request, "coordination/meeting_detail.html", context)


def meeting_join(request, pk):
    """The join button, refreshed by htmx every minute so that it appears when it is time."""
    meeting = get_object_or_404(Meeting, pk=pk)
    return render(
        request,
        "coordination/partials/_join_button.html",
        {"meeting": meeting, "join_open": meetings.join_window(meeting)},
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
                messages.success(request, _("Meeting moved: the notice went out again and the "
                                             "replies start afresh."))  # fmt: skip
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
        ical.meeting_invitation(meeting, cancelled=meeting.status == Meeting.Status.CANCELLED),
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
        if subject is not None else None,
    )  # fmt: skip
    if request.method == "POST" and form.is_valid():
        item = run_service(
            form, services.agenda_item_add, actor=request.user, meeting=meeting, subject=subject,
            **form.cleaned_data,
        )  # fmt: skip
        if item:
            messages.success(request, _("Agenda item added."))
            return redirect(meeting)
    return form_page(
        request,
        form,
        title=_("Add to the agenda of %(meeting)s") % {"meeting": meeting},
        intro=(_("The item puts to the meeting: %(subject)s. A decision recorded under it in "
                 "approved minutes counts as the approval of that, and of nothing else.")
               % {"subject": subject}) if subject is not None else "",
        cancel_url=meeting.get_absolute_url(),
    )  # fmt: skip


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
                actor=request.user, meeting=meeting, person=person,
                response=form.cleaned_data["response"],
            )  # fmt: skip
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
    """Save the attendance sheet: one row per member institution."""
    meeting = get_object_or_404(Meeting.objects.select_related("body"), pk=pk)
    perms.require(perms.can_manage_body(request.user, meeting.body))
    institutions = Institution.objects.in_bulk(
        [int(i) for i in request.POST.getlist("institution") if i.isdigit()]
    )
    errors = []
    for institution in institutions.values():
        prefix = f"i{institution.pk}"
        presence = request.POST.get(f"{prefix}-presence", "")
        if not presence:
            continue
        person_id = request.POST.get(f"{prefix}-person", "")
        try:
            services.attendance_record(
                actor=request.user,
                meeting=meeting,
                institution=institution,
                presence=presence,
                person=Person.objects.filter(pk=person_id).first() if person_id.isdigit() else None,
                stand_in_name=request.POST.get(f"{prefix}-stand_in", ""),
                mode=request.POST.get(f"{prefix}-mode", ""),
            )
        except ValidationError as error:
            errors.append(f"{institution}: {' '.join(error.messages)}")
    for error in errors:
        messages.error(request, error)
    if not errors:
        q = meetings.quorum(meeting)
        messages.success(
            request,
            _(
                "Attendance saved: %(present)s of %(members)s member institutions present; quorum "
                "%(state)s."
            )  # fmt: skip
            % {
                "present": q.present,
                "members": q.members,
                "state": _("reached") if q.met else _("not reached"),
            },
        )
    if request.htmx:
        return meeting_detail(request, pk)
    return redirect(meeting)


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
            if can_manage and minutes.status == Minutes.Status.CIRCULATED else [],
        },  # fmt: skip
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
        request, services.minutes_circulate,
        reverse("coordination:minutes-detail", args=[pk]), _("Minutes circulated."),
        minutes=minutes,
    )  # fmt: skip


@require_POST
def minutes_approve(request, pk):
    minutes = get_object_or_404(Minutes.objects.select_related("meeting__body"), pk=pk)
    return post_service(
        request, services.minutes_approve,
        reverse("coordination:minutes-detail", args=[pk]),
        _("Minutes approved and locked."), minutes=minutes, ballot=cited_ballot(request),
    )  # fmt: skip


# --- Documents --------------------------------------------------------------------------------


def document_list(request):
    documents = meetings.documents_visible_to(
        request.user,
        Document.objects.select_related("body", "meeting__body").prefetch_related("versions"),
    )
    q = request.GET.get("q", "").strip()
    category = request.GET.get("category", "")
    body_id = request.GET.get("body", "")
    after, before = request.GET.get("from", ""), request.GET.get("to", "")
    if q:
        documents = documents.filter(Q(title__icontains=q) | Q(description__icontains=q))
    if category:
        documents = documents.filter(category=category)
    if body_id.isdigit():
        documents = documents.filter(
            Q(body_id=body_id)
            | Q(meeting__body_id=body_id)
            | Q(agenda_item__meeting__body_id=body_id)
            | Q(ballot__body_id=body_id)
        )
    for bound, lookup in ((after, "created_at__date__gte"), (before, "created_at__date__lte")):
        with contextlib.suppress(ValueError):
            documents = documents.filter(**{lookup: datetime.date.fromisoformat(bound)})
    page = Paginator(documents.order_by("-created_at"), 30).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "coordination/document_list.html",
        {
            "page": page,
            "query": query.urlencode(),
            "categories": Document.Category.choices,
            "bodies": Body.objects.filter(active=True),
            "filters": {
                "q": q,
                "category": category,
                "body": body_id,
                "from": after,
                "to": before,
            },  # fmt: skip
            "can_add": perms.can_add_documents(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
def document_create(request):
    """Upload a document, attached to a body, a meeting or an agenda item (from the URL)."""
    attach = {}
    if request.GET.get("agenda_item"):
        attach["agenda_item"] = get_object_or_404(
            AgendaItem.objects.select_related("meeting__body"), pk=request.GET["agenda_item"]
        )
        owner = attach["agenda_item"].meeting.body
    elif request.GET.get("meeting"):
        attach["meeting"] = get_object_or_404(
            Meeting.objects.select_related("body"), pk=request.GET["meeting"]
        )
        owner = attach["meeting"].body
    elif request.GET.get("body"):
        attach["body"] = owner = get_object_or_404(Body, pk=request.GET["body"])
    elif request.GET.get("ballot"):
        from coordination.models import Ballot

        attach["ballot"] = get_object_or_404(
            Ballot.objects.select_related("body"), pk=request.GET["ballot"]
        )
        owner = attach["ballot"].body
    else:
        owner = None
    perms.require(perms.can_add_documents(request.user, owner))
    form = DocumentForm(
        request.POST or None,
        request.FILES or None,
        initial={"language": request.LANGUAGE_CODE},
    )
    if request.method == "POST" and form.is_valid():
        document = run_service(
            form, services.document_upload, actor=request.user, **attach, **form.cleaned_data
        )
        if document:
            messages.success(request, _("Document %(title)s uploaded.") % {"title": document})
            target = (
                attach.get("agenda_item") and attach["agenda_item"].meeting or attach.get("meeting")
            )
            return redirect(target or document)
    return form_page(
        request,
        form,
        title=_("Upload a document"),
        cancel_url=reverse("coordination:document-list"),
    )


def _visible_document(request, pk) -> Document:
    document = get_object_or_404(
        Document.objects.select_related("body", "meeting__body", "agenda_item__meeting__body"),
        pk=pk,
    )
    if not perms.can_view_document(request.user, document):
        raise PermissionDenied
    return document


def document_detail(request, pk):
    document = _visible_document(request, pk)
    return render(
        request,
        "coordination/document_detail.html",
        {
            "document": document,
            "versions": document.versions.select_related("uploaded_by"),
            "can_manage": perms.can_add_documents(request.user, document.audience_body),
        },
    )


def document_download(request, pk, version):
    document = _visible_document(request, pk)
    row = get_object_or_404(DocumentVersion, document=document, number=version)
    try:
        handle = row.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    services.document_mark_read(user=request.user, version=row)
    return FileResponse(handle, as_attachment=True, filename=safe_filename(row.original_name))


@require_http_methods(["GET", "POST"])
def document_version_create(request, pk):
    document = _visible_document(request, pk)
    perms.require(perms.can_add_documents(request.user, document.audience_body))
    form = DocumentVersionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        version = run_service(
            form, services.document_add_version, actor=request.user, document=document,
            **form.cleaned_data,
        )  # fmt: skip
        if version:
            messages.success(request, _("Version %(n)s uploaded.") % {"n": version.number})
            return redirect(document)
    return form_page(
        request, form, title=_("New version of %(title)s") % {"title": document},
        cancel_url=document.get_absolute_url(),
    )  # fmt: skip


@require_POST
def document_circulate(request, pk):
    document = _visible_document(request, pk)
    return post_service(
        request, services.document_circulate, document,
        _("Document circulated."), document=document,
    )  # fmt: skip


# --- Calendar ---------------------------------------------------------------------------------


def _int_or_zero(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _chosen(objects, pk):
    wanted = _int_or_zero(pk)
    return next((o for o in objects if o.pk == wanted), None)


def calendar_view(request):
    today = timezone.localdate()
    try:
        month = datetime.date.fromisoformat(request.GET.get("month", "") + "-01")
    except ValueError:
        month = today.replace(day=1)
    view = "list" if request.GET.get("view") == "list" else "month"
    # The filters' choices, and the chosen body and convention among them (no query each).
    bodies = list(Body.objects.filter(active=True))
    conventions = list(Convention.objects.all())
    body = _chosen(bodies, request.GET.get("body"))
    if body is None and request.GET.get("body"):
        body = Body.objects.filter(pk=_int_or_zero(request.GET["body"])).first()
    convention = _chosen(conventions, request.GET.get("convention"))
    weeks = monthcal.Calendar(firstweekday=0).monthdatescalendar(month.year, month.month)
    first, last = weeks[0][0], weeks[-1][-1]
    if view == "list":
        next_month = (month + datetime.timedelta(days=32)).replace(day=1)
        first, last = month, next_month - datetime.timedelta(days=1)
    entries = meetings.calendar_entries(first, last, body=body, convention=convention)
    by_day = {}
    for entry in entries:
        by_day.setdefault(entry.day, []).append(entry)
    previous = (month - datetime.timedelta(days=1)).replace(day=1)
    following = (month + datetime.timedelta(days=32)).replace(day=1)
    query = request.GET.copy()
    query.pop("month", None)
    return render(
        request,
        "coordination/calendar.html",
        {
            "month": month,
            "view": view,
            "weeks": [[(day, by_day.get(day, [])) for day in week] for week in weeks],
            "entries": entries,
            "today": today,
            "previous": previous.strftime("%Y-%m"),
            "following": following.strftime("%Y-%m"),
            "query": query.urlencode(),
            "bodies": bodies,
            "conventions": conventions,
            "body": body,
            "convention": convention,
            "can_add_event": perms.can_add_events(request.user),
        },
    )


def calendar_feeds(request):
    token = CalendarToken.objects.filter(user=request.user, revoked_at__isnull=True).first()
    return render(
        request,
        "coordination/calendar_feeds.html",
        {
            "token": token,
            "personal_url": request.build_absolute_uri(reverse("calendar-feed", args=[token.token]))
            if token
            else "",
            "public_url": request.build_absolute_uri(reverse("calendar-public")),
        },
    )


@require_POST
def calendar_token_renew(request):
    services.calendar_token_renew(user=request.user)
    messages.success(request, _("Your new calendar address is ready; the old one no longer works."))
    return redirect("coordination:calendar-feeds")


@require_POST
def calendar_token_revoke(request):
    services.calendar_token_revoke(user=request.user)
    messages.success(request, _("Your calendar address is revoked."))
    return redirect("coordination:calendar-feeds")


def _feed_response(body: bytes, name: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{name}.ics"'
    return response


@login_not_required
def calendar_feed(request, token):
    """A user's personal feed, found by its secret token: the meetings of the bodies their
    institution sits in (all meetings for the secretariat), external events, and the
    deadlines of their institution's tasks."""
    row = (
        CalendarToken.objects.select_related("user")
        .filter(token=token, revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if row is None:
        raise Http404
    user = row.user
    since = timezone.now() - datetime.timedelta(days=90)
    meetings_qs = Meeting.objects.filter(end__gte=since).select_related("body")
    person = getattr(user, "person", None)
    if not user.has_perm("coordination.add_meeting"):
        # Only the seats the institution holds today: a body it has left no longer sends it
        # its meetings (nor their venue and online link).
        seats = Membership.objects.current().filter(
            institution_id=person.institution_id if person else None
        )
        bodies = Body.objects.filter(pk__in=seats.values("body_id"))
        meetings_qs = meetings_qs.filter(body__in=bodies)
    from ncm_portal.deadlines import Deadline

    tasks = Task.objects.none()
    if person is not None:
        tasks = Task.objects.exclude(status__in=Task.CLOSED).filter(
            Q(assignee=person) | Q(lead_institution_id=person.institution_id)
        )
    deadlines = [
        Deadline("task_due", f"task:{t.pk}", t.due_date, t.title, t.get_absolute_url(), ())
        for t in tasks
    ]
    events = ExternalEvent.objects.filter(end__gte=since)
    return _feed_response(
        ical.feed(name="NCM Portal", meetings=meetings_qs, events=events, deadlines=deadlines),
        "ncm-portal",
    )


@login_not_required
def calendar_public(request):
    since = timezone.now() - datetime.timedelta(days=90)
    return _feed_response(
        ical.feed(
            name="NCM Portal (public)",
            meetings=Meeting.objects.filter(public=True, end__gte=since).select_related("body"),
            events=ExternalEvent.objects.filter(public=True, end__gte=since),
        ),
        "ncm-portal-public",
    )


@require_http_methods(["GET", "POST"])
def external_event_create(request):
    perms.require(perms.can_add_events(request.user))
    form = ExternalEventForm(request.POST or None, initial={"time_zone": "UTC"})
    if request.method == "POST" and form.is_valid():
        event = run_service(form, services.external_event_save, actor=request.user,
                            **form.cleaned_data)  # fmt: skip
        if event:
            messages.success(request, _("Event %(title)s added.") % {"title": event})
            return redirect(reverse("coordination:calendar") + f"?month={event.start:%Y-%m}")
    return form_page(
        request, form, title=_("Add an external event"), cancel_url=reverse("coordination:calendar")
    )
