"""The portal's URLs with the performance report under /reports/, namespace "reporting", until
reporting/urls.py includes it."""

from django.urls import include, path

from ncm_portal.urls import urlpatterns as portal_patterns
from reporting.urls_performance import urlpatterns as performance_patterns

urlpatterns = [
    path("reports/", include((performance_patterns, "reporting"))),
    *portal_patterns,
]
