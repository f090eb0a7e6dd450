from django.urls import path

from coordination import views, views_notifications, views_workplans

app_name = "coordination"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("institutions/", views.institution_list, name="institution-list"),
    path("institutions/new/", views.institution_create, name="institution-create"),
    path("institutions/<int:pk>/", views.institution_detail, name="institution-detail"),
    path("institutions/<int:pk>/edit/", views.institution_update, name="institution-update"),
    path("institutions/<int:pk>/people/new/", views.person_create, name="person-create"),
    path(
        "institutions/<int:pk>/designations/new/",
        views.designation_create,
        name="designation-create",
    ),
    path("people/<int:pk>/", views.person_detail, name="person-detail"),
    path("people/<int:pk>/edit/", views.person_update, name="person-update"),
    path("designations/<int:pk>/end/", views.designation_end, name="designation-end"),
    path("designations/<int:pk>/letter/", views.designation_letter, name="designation-letter"),
    path("bodies/", views.body_list, name="body-list"),
    path("bodies/new/", views.body_create, name="body-create"),
    path("bodies/<int:pk>/", views.body_detail, name="body-detail"),
    path("bodies/<int:pk>/edit/", views.body_update, name="body-update"),
    path(
        "bodies/<int:pk>/terms-of-reference/",
        views.body_terms_of_reference,
        name="body-terms-of-reference",
    ),
    path("bodies/<int:pk>/members/new/", views.membership_create, name="membership-create"),
    path("memberships/<int:pk>/end/", views.membership_end, name="membership-end"),
    path("memberships/<int:pk>/role/", views.membership_change_role, name="membership-role"),
    path("memberships/<int:pk>/letter/", views.membership_letter, name="membership-letter"),
    path("conventions/", views.convention_list, name="convention-list"),
    path("mandates/", views.mandate_matrix, name="mandate-matrix"),
    # Workplans, tasks and progress
    path("workplans/", views_workplans.workplan_list, name="workplan-list"),
    path("bodies/<int:pk>/workplans/new/", views_workplans.workplan_create, name="workplan-create"),
    path("workplans/<int:pk>/", views_workplans.workplan_detail, name="workplan-detail"),
    path("workplans/<int:pk>/print/", views_workplans.workplan_print, name="workplan-print"),
    path(
        "workplans/<int:pk>/export.<str:fmt>",
        views_workplans.workplan_export,
        name="workplan-export",
    ),
    path(
        "workplans/<int:pk>/activities/new/",
        views_workplans.activity_create,
        name="activity-create",
    ),
    path("activities/<int:pk>/tasks/new/", views_workplans.task_create, name="task-create"),
    path("tasks/", views_workplans.task_list, name="task-list"),
    path("tasks/<int:pk>/", views_workplans.task_detail, name="task-detail"),
    path("tasks/<int:pk>/edit/", views_workplans.task_update, name="task-update"),
    path(
        "workplans/<int:pk>/revisions/new/",
        views_workplans.revision_draft,
        name="revision-draft",
    ),
    path(
        "workplans/<int:pk>/revisions/compare/",
        views_workplans.revision_compare,
        name="revision-compare",
    ),
    path("revisions/<int:pk>/", views_workplans.revision_detail, name="revision-detail"),
    path(
        "revisions/<int:pk>/circulate/",
        views_workplans.revision_circulate,
        name="revision-circulate",
    ),
    path("revisions/<int:pk>/adopt/", views_workplans.revision_adopt, name="revision-adopt"),
    path("workplans/<int:pk>/rounds/new/", views_workplans.round_open, name="round-create"),
    path("rounds/<int:pk>/", views_workplans.round_detail, name="round-detail"),
    path("rounds/<int:pk>/close/", views_workplans.round_close, name="round-close"),
    path(
        "rounds/<int:pk>/tasks/<int:task_pk>/report/",
        views_workplans.progress_report_create,
        name="progress-report-create",
    ),
    path("scorecard/", views_workplans.scorecard, name="scorecard"),
    path("workplans/<int:pk>/scorecard/", views_workplans.scorecard, name="workplan-scorecard"),
    # Notifications
    path("notifications/", views_notifications.notification_list, name="notification-list"),
    path(
        "notifications/<int:pk>/open/",
        views_notifications.notification_open,
        name="notification-open",
    ),
    path(
        "notifications/read-all/",
        views_notifications.notification_read_all,
        name="notification-read-all",
    ),
    path(
        "notifications/preferences/",
        views_notifications.notification_preferences,
        name="notification-preferences",
    ),
]
