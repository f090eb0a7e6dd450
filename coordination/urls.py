"""The coordination pages, composed from the features' views (every URL name is stable:
templates and tests name them)."""

from django.urls import path

from coordination.audit import views as audit
from coordination.ballots import views as ballots
from coordination.calendars import views as calendars
from coordination.documents import views as documents
from coordination.home import views as home
from coordination.meetings import views as meetings
from coordination.registry import views as registry
from coordination.reminders import views as reminders
from coordination.workplans import views as workplans

app_name = "coordination"

urlpatterns = [
    path("", home.dashboard, name="dashboard"),
    path("institutions/", registry.institution_list, name="institution-list"),
    path("institutions/new/", registry.institution_create, name="institution-create"),
    path("institutions/<int:pk>/", registry.institution_detail, name="institution-detail"),
    path("institutions/<int:pk>/edit/", registry.institution_update, name="institution-update"),
    path("institutions/<int:pk>/people/new/", registry.person_create, name="person-create"),
    path(
        "institutions/<int:pk>/designations/new/",
        registry.designation_create,
        name="designation-create",
    ),
    path("people/<int:pk>/", registry.person_detail, name="person-detail"),
    path("people/<int:pk>/edit/", registry.person_update, name="person-update"),
    path("people/<int:pk>/invite/", registry.person_invite, name="person-invite"),
    path(
        "people/<int:pk>/invite/revoke/",
        registry.person_invitation_revoke,
        name="person-invitation-revoke",
    ),
    path("designations/<int:pk>/end/", registry.designation_end, name="designation-end"),
    path("designations/<int:pk>/letter/", registry.designation_letter, name="designation-letter"),
    path("bodies/", registry.body_list, name="body-list"),
    path("bodies/new/", registry.body_create, name="body-create"),
    path("bodies/<int:pk>/", registry.body_detail, name="body-detail"),
    path("bodies/<int:pk>/edit/", registry.body_update, name="body-update"),
    path(
        "bodies/<int:pk>/terms-of-reference/",
        registry.body_terms_of_reference,
        name="body-terms-of-reference",
    ),
    path("bodies/<int:pk>/members/new/", registry.membership_create, name="membership-create"),
    path("memberships/<int:pk>/end/", registry.membership_end, name="membership-end"),
    path("memberships/<int:pk>/role/", registry.membership_change_role, name="membership-role"),
    path("memberships/<int:pk>/letter/", registry.membership_letter, name="membership-letter"),
    path("conventions/", registry.convention_list, name="convention-list"),
    path("mandates/", registry.mandate_matrix, name="mandate-matrix"),
    # Workplans, tasks and progress
    path("workplans/", workplans.workplan_list, name="workplan-list"),
    path("bodies/<int:pk>/workplans/new/", workplans.workplan_create, name="workplan-create"),
    path("workplans/<int:pk>/", workplans.workplan_detail, name="workplan-detail"),
    path("workplans/<int:pk>/print/", workplans.workplan_print, name="workplan-print"),
    path(
        "workplans/<int:pk>/export.<str:fmt>",
        workplans.workplan_export,
        name="workplan-export",
    ),
    path(
        "workplans/<int:pk>/activities/new/",
        workplans.activity_create,
        name="activity-create",
    ),
    path("activities/<int:pk>/tasks/", workplans.activity_tasks, name="activity-tasks"),
    path("activities/<int:pk>/tasks/new/", workplans.task_create, name="task-create"),
    path("tasks/", workplans.task_list, name="task-list"),
    path("tasks/<int:pk>/", workplans.task_detail, name="task-detail"),
    path("tasks/<int:pk>/edit/", workplans.task_update, name="task-update"),
    path(
        "workplans/<int:pk>/revisions/new/",
        workplans.revision_draft,
        name="revision-draft",
    ),
    path(
        "workplans/<int:pk>/revisions/compare/",
        workplans.revision_compare,
        name="revision-compare",
    ),
    path("revisions/<int:pk>/", workplans.revision_detail, name="revision-detail"),
    path(
        "revisions/<int:pk>/circulate/",
        workplans.revision_circulate,
        name="revision-circulate",
    ),
    path("revisions/<int:pk>/adopt/", workplans.revision_adopt, name="revision-adopt"),
    path("workplans/<int:pk>/rounds/new/", workplans.round_open, name="round-create"),
    path("rounds/<int:pk>/", workplans.round_detail, name="round-detail"),
    path("rounds/<int:pk>/close/", workplans.round_close, name="round-close"),
    path(
        "rounds/<int:pk>/tasks/<int:task_pk>/report/",
        workplans.progress_report_create,
        name="progress-report-create",
    ),
    path("scorecard/", workplans.scorecard, name="scorecard"),
    path("workplans/<int:pk>/scorecard/", workplans.scorecard, name="workplan-scorecard"),
    # Meetings
    path("meetings/", meetings.meeting_list, name="meeting-list"),
    path("bodies/<int:pk>/meetings/new/", meetings.meeting_create, name="meeting-create"),
    path("meetings/<int:pk>/", meetings.meeting_detail, name="meeting-detail"),
    path("meetings/<int:pk>/join/", meetings.meeting_join, name="meeting-join"),
    path("meetings/<int:pk>/edit/", meetings.meeting_update, name="meeting-update"),
    path("meetings/<int:pk>/convene/", meetings.meeting_convene, name="meeting-convene"),
    path("meetings/<int:pk>/cancel/", meetings.meeting_cancel, name="meeting-cancel"),
    path("meetings/<int:pk>/held/", meetings.meeting_mark_held, name="meeting-held"),
    path("meetings/<int:pk>/meeting.ics", meetings.meeting_ics, name="meeting-ics"),
    path("meetings/<int:pk>/agenda/new/", meetings.agenda_item_create, name="agenda-create"),
    path("meetings/<int:pk>/reply/", meetings.reply_create, name="reply-create"),
    path("meetings/<int:pk>/attendance/", meetings.attendance_save, name="attendance-save"),
    path("meetings/<int:pk>/minutes/", meetings.minutes_open, name="minutes-open"),
    path("minutes/<int:pk>/", meetings.minutes_detail, name="minutes-detail"),
    path("minutes/<int:pk>/circulate/", meetings.minutes_circulate, name="minutes-circulate"),
    path("minutes/<int:pk>/approve/", meetings.minutes_approve, name="minutes-approve"),
    path("minutes/items/<int:pk>/", meetings.minutes_item_save, name="minutes-item-save"),
    path(
        "minutes/items/<int:pk>/actions/",
        meetings.action_item_create,
        name="action-create",
    ),
    # Documents
    path("documents/", documents.document_list, name="document-list"),
    path("documents/new/", documents.document_create, name="document-create"),
    path("documents/<int:pk>/", documents.document_detail, name="document-detail"),
    path(
        "documents/<int:pk>/v<int:version>/",
        documents.document_download,
        name="document-download",
    ),
    path(
        "documents/<int:pk>/versions/new/",
        documents.document_version_create,
        name="document-version-create",
    ),
    path(
        "documents/<int:pk>/circulate/",
        documents.document_circulate,
        name="document-circulate",
    ),
    # Calendar
    path("calendar/", calendars.calendar_view, name="calendar"),
    path("calendar/day/", calendars.calendar_day, name="calendar-day"),
    path("calendar/feeds/", calendars.calendar_feeds, name="calendar-feeds"),
    path(
        "calendar/feeds/renew/",
        calendars.calendar_token_renew,
        name="calendar-token-renew",
    ),
    path(
        "calendar/feeds/revoke/",
        calendars.calendar_token_revoke,
        name="calendar-token-revoke",
    ),
    path("calendar/events/new/", calendars.external_event_create, name="event-create"),
    # Ballots
    path("ballots/", ballots.ballot_list, name="ballot-list"),
    path("bodies/<int:pk>/ballots/new/", ballots.ballot_create, name="ballot-create"),
    path("ballots/<int:pk>/", ballots.ballot_detail, name="ballot-detail"),
    path("ballots/<int:pk>/vote/", ballots.ballot_vote, name="ballot-vote"),
    path("ballots/<int:pk>/open/", ballots.ballot_open, name="ballot-open"),
    path("ballots/<int:pk>/cancel/", ballots.ballot_cancel, name="ballot-cancel"),
    path("ballots/<int:pk>/close/", ballots.ballot_close_early, name="ballot-close-early"),
    path("ballots/<int:pk>/record.pdf", ballots.ballot_record, name="ballot-record"),
    # Notifications
    path("audit/", audit.audit_log, name="audit-log"),
    path("notifications/", reminders.notification_list, name="notification-list"),
    path(
        "notifications/<int:pk>/open/",
        reminders.notification_open,
        name="notification-open",
    ),
    path(
        "notifications/read-all/",
        reminders.notification_read_all,
        name="notification-read-all",
    ),
    path(
        "notifications/preferences/",
        reminders.notification_preferences,
        name="notification-preferences",
    ),
]
