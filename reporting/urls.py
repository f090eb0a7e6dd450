"""The reporting app's pages under /reports/: the mechanism's performance report, the
Article 15 national reports with their outputs, and the obligations under every convention."""

from django.urls import include, path

from reporting import urls_article15, urls_outputs, urls_performance
from reporting.obligations import urls as urls_obligations

app_name = "reporting"

urlpatterns = [
    path("", include(urls_performance)),
    path("", include(urls_article15)),
    path("", include(urls_outputs)),
    path("", include(urls_obligations)),
]
