"""The obligations' pages, included under the namespace "reporting" at /reports/."""

from django.urls import path

from reporting.obligations import views, views_rotterdam

urlpatterns = [
    path("obligations/", views.standing, name="obligations"),
    path("obligations/plan/", views.plan, name="obligations-plan"),
    path("obligations/open/", views.open_obligation, name="obligations-open"),
    path("obligations/<int:pk>/complete/", views.complete, name="obligations-complete"),
    path("obligations/<slug:code>/", views.convention, name="obligations-convention"),
    path("import-responses/<int:pk>/", views_rotterdam.detail, name="import-response"),
    path("import-responses/<int:pk>/draft/", views_rotterdam.draft, name="import-response-draft"),
    path(
        "import-responses/<int:pk>/approve/",
        views_rotterdam.approve,
        name="import-response-approve",
    ),
    path(
        "import-responses/<int:pk>/transmit/",
        views_rotterdam.transmit,
        name="import-response-transmit",
    ),
    path(
        "import-responses/<int:pk>/export-notifications/",
        views_rotterdam.export_notification,
        name="import-response-export-notification",
    ),
]
