"""The reporting app's pages under /reports/: the mechanism's performance report, and the
Article 15 national reports."""

from django.urls import include, path

from reporting import urls_performance

app_name = "reporting"

urlpatterns = [
    path("", include(urls_performance)),
]
