"""The performance report's pages, included under the namespace "reporting" at /reports/."""

from django.urls import path

from reporting import views_performance

urlpatterns = [
    path("performance/", views_performance.performance_report, name="performance"),
    path("performance/pdf/", views_performance.performance_pdf, name="performance-pdf"),
    path(
        "performance/obligations/",
        views_performance.performance_obligations,
        name="performance-obligations",
    ),
]
