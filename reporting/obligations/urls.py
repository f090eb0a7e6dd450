"""The obligations' pages, included under the namespace "reporting" at /reports/."""

from django.urls import path

from reporting.obligations import views

urlpatterns = [
    path("obligations/", views.standing, name="obligations"),
    path("obligations/plan/", views.plan, name="obligations-plan"),
    path("obligations/open/", views.open_obligation, name="obligations-open"),
    path("obligations/<int:pk>/complete/", views.complete, name="obligations-complete"),
    path("obligations/<slug:code>/", views.convention, name="obligations-convention"),
]
