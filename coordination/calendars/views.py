"""The calendar page and its iCalendar feeds (personal by secret token, and public)."""

import calendar as monthcal
import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from coordination import permissions as perms
from coordination.calendars import ical, selectors, services
from coordination.calendars.forms import ExternalEventForm
from coordination.fragments import CALENDAR
from coordination.models import (
    Body,
    CalendarToken,
    Convention,
    ExternalEvent,
    Meeting,
)
from ncm_portal import fragments
from ncm_portal.views import form_page, run_service


def _int_or_zero(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _chosen(objects, pk):
    wanted = _int_or_zero(pk)
    return next((o for o in objects if o.pk == wanted), None)


def _filters(request) -> tuple[list, list, Body | None, Convention | None]:
    """The filters' choices, and the chosen body and convention among them (no query each)."""
    bodies = list(Body.objects.filter(active=True))
    conventions = list(Convention.objects.all())
    body = _chosen(bodies, request.GET.get("body"))
    if body is None and request.GET.get("body"):
        body = Body.objects.filter(pk=_int_or_zero(request.GET["body"])).first()
    return bodies, conventions, body, _chosen(conventions, request.GET.get("convention"))


def _day(value) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value or "")
    except ValueError:
        return None


def calendar_view(request):
    """The month (or its list). In the month's grid a day's meetings and events are shown and
    its deadlines counted: the count opens that day's list, in place with htmx
    (``calendar_day``) or, without JavaScript, with ``?day=<date>`` on this page."""
    today = timezone.localdate()
    try:
        month = datetime.date.fromisoformat(request.GET.get("month", "") + "-01")
    except ValueError:
        month = today.replace(day=1)
    view = "list" if request.GET.get("view") == "list" else "month"
    bodies, conventions, body, convention = _filters(request)
    weeks = monthcal.Calendar(firstweekday=0).monthdatescalendar(month.year, month.month)
    first, last = weeks[0][0], weeks[-1][-1]
    if view == "list":
        next_month = (month + datetime.timedelta(days=32)).replace(day=1)
        first, last = month, next_month - datetime.timedelta(days=1)
    opened = _day(request.GET.get("day"))
    if opened is not None and (view == "list" or not first <= opened <= last):
        opened = None  # a day outside the grid opens nothing (and keys no other fragment)
    # Read only when the cached month (coordination.fragments.CALENDAR) is missing: what it
    # shows depends on the filters and on which kinds of deadline refuse the reader
    # (``DeadlineKind.visible_to``), so that is all its key carries.
    month_entries = selectors.lazy_month(
        first, last, weeks, body=body, convention=convention, user=request.user
    )
    previous = (month - datetime.timedelta(days=1)).replace(day=1)
    following = (month + datetime.timedelta(days=32)).replace(day=1)
    query = request.GET.copy()
    query.pop("month", None)
    query.pop("day", None)
    return render(
        request,
        "coordination/calendar.html",
        {
            "month": month,
            "view": view,
            "weeks": month_entries["weeks"],
            "days": month_entries["days"],
            "entries": month_entries["entries"],
            "weekdays": weeks[0],
            "opened": opened,
            "fragment_key": fragments.key(CALENDAR),
            "hidden_kinds": selectors.hidden_kinds(request.user),
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


def calendar_day(request):
    """One day's deadlines (``?day=<date>``, today without one), with the calendar's filters:
    the list that htmx loads when a day's count of deadlines is opened in the month."""
    _bodies, _conventions, body, convention = _filters(request)
    day = _day(request.GET.get("day")) or timezone.localdate()
    entries = selectors.calendar_entries(
        day, day, body=body, convention=convention, user=request.user
    )
    return render(
        request,
        "coordination/partials/_calendar_day.html",
        {
            "day": day,
            "deadlines": selectors.calendar_days(entries)
            .get(day, selectors.CalendarDay())
            .deadlines,
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
    """A user's personal feed, found by its secret token; what it shows is
    ``selectors.feed_entries_for``."""
    row = (
        CalendarToken.objects.select_related("user")
        .filter(token=token, revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if row is None:
        raise Http404
    since = timezone.now() - datetime.timedelta(days=90)
    feed = selectors.feed_entries_for(row.user, since=since)
    return _feed_response(
        ical.feed(
            name="NCM Portal",
            meetings=feed.meetings,
            events=feed.events,
            deadlines=feed.every_deadline,
        ),
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
        event = run_service(
            form, services.external_event_save, actor=request.user, **form.cleaned_data
        )
        if event:
            messages.success(request, _("Event %(title)s added.") % {"title": event})
            return redirect(reverse("coordination:calendar") + f"?month={event.start:%Y-%m}")
    return form_page(
        request, form, title=_("Add an external event"), cancel_url=reverse("coordination:calendar")
    )
