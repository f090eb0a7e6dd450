from django.contrib import admin
from django.urls import include, path

from coordination.accounts import views as accounts
from coordination.calendars import views as calendars
from ncm_portal.health import healthz

admin.site.site_header = "NCM Portal"
admin.site.site_title = "NCM Portal"
# One sign-in page for the whole portal: the admin sends people to it.
admin.site.login = accounts.admin_login

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/setlang/", accounts.public(accounts.choose_language), name="set_language"),
    path("accounts/", include(accounts.urlpatterns)),
    # Calendar feeds are fetched by calendar programs: a secret token instead of a session.
    path("feeds/public.ics", calendars.calendar_public, name="calendar-public"),
    path("feeds/<str:token>.ics", calendars.calendar_feed, name="calendar-feed"),
    path("nip/", include("nip_lifecycle.urls")),
    path("admin/", admin.site.urls),
    path("inventories/", include("inventories.urls")),
    path("reports/", include("reporting.urls")),
    path("", include("coordination.urls")),
]
