"""Outputs of Article 15 reports, included under the namespace "reporting" at /reports/."""

from django.urls import path

from reporting import views_outputs

urlpatterns = [
    path(
        "article15/<int:pk>/outputs/<str:kind>/",
        views_outputs.output_request,
        name="article15-output-request",
    ),
    path(
        "article15/outputs/<int:pk>/status/",
        views_outputs.output_status,
        name="article15-output-status",
    ),
    path(
        "article15/outputs/<int:pk>/download/",
        views_outputs.output_download,
        name="article15-output-download",
    ),
]
