"""The notification centre and each user's reminder preferences."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from coordination.models import Notification, NotificationPreference
from coordination.reminders import services
from coordination.reminders.forms import PreferencesForm
from ncm_portal import deadlines


def notification_list(request):
    notifications = Notification.objects.filter(user=request.user).order_by("-created_at")
    page = Paginator(notifications, 30).get_page(request.GET.get("page"))
    return render(request, "coordination/notification_list.html", {"page": page, "query": ""})


@require_POST
def notification_open(request, pk):
    """Mark one notification read and follow its link."""
    services.notification_mark_read(user=request.user, notification_ids=[pk])
    notification = Notification.objects.filter(user=request.user, pk=pk).first()
    target = notification.url if notification else ""
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = ""
    return redirect(target or "coordination:notification-list")


@require_POST
def notification_read_all(request):
    count = services.notification_mark_read(user=request.user)
    messages.success(request, _("%(count)s notifications marked as read.") % {"count": count})
    return redirect("coordination:notification-list")


@require_http_methods(["GET", "POST"])
def notification_preferences(request):
    current = dict(
        NotificationPreference.objects.filter(user=request.user).values_list("kind", "delivery")
    )
    form = PreferencesForm(request.POST or None, kinds=deadlines.kinds(), current=current)
    if request.method == "POST" and form.is_valid():
        services.preferences_set(user=request.user, deliveries=form.cleaned_data)
        messages.success(request, _("Your notification preferences are saved."))
        return redirect("coordination:notification-preferences")
    return render(request, "coordination/notification_preferences.html", {"form": form})
