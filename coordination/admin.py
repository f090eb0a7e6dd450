from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db import models
from django.utils.translation import gettext_lazy as _
from guardian.admin import GuardedModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from coordination.models import (
    Activity,
    AgendaItem,
    Attendance,
    Ballot,
    BallotEvent,
    BallotOption,
    Body,
    CalendarToken,
    Convention,
    ConventionRole,
    Designation,
    DigestSent,
    Document,
    DocumentVersion,
    ExternalEvent,
    Institution,
    Mandate,
    Meeting,
    Membership,
    Minutes,
    Notification,
    NotificationPreference,
    Person,
    ProgressReport,
    Reminder,
    Reply,
    ReportingRound,
    Task,
    User,
    Workplan,
    WorkplanRevision,
)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "is_active", "is_staff", "last_login"]
    list_filter = ["is_active", "is_staff", "is_superuser", "groups"]
    search_fields = ["email", "full_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Profile"), {"fields": ["full_name", "language", "time_zone"]}),
        (
            _("Roles and permissions"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "full_name", "password1", "password2"]})
    ]


class ConventionRoleInline(admin.TabularInline):
    model = ConventionRole
    extra = 0


@admin.register(Convention)
class ConventionAdmin(admin.ModelAdmin):
    list_display = ["short_name", "code", "covered", "order"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_editable = ["covered"]
    inlines = [ConventionRoleInline]


@admin.register(ConventionRole)
class ConventionRoleAdmin(admin.ModelAdmin):
    list_display = ["name", "convention", "code"]
    list_filter = ["convention"]


@admin.register(Mandate)
class MandateAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "order"]


class NoDeleteMixin:
    """The registry is the mechanism's memory: rows are ended, never deleted."""

    def has_delete_permission(self, request, obj=None):
        return False


class ServiceOnlyMixin(NoDeleteMixin):
    """Rows with a life of their own (ballots, designations, memberships, meetings and their
    attendance, tasks, revisions, progress reports) change only through the portal's pages,
    whose services check permissions and state, lock, and write the audit trail. The admin shows
    them read-only: nothing here can open or close a ballot, end a designation or mark a task
    done around those checks."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Institution)
class InstitutionAdmin(NoDeleteMixin, GuardedModelAdmin, SimpleHistoryAdmin):
    list_display = ["name", "acronym", "kind", "parent", "active"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_filter = ["kind", "active", "mandates"]
    search_fields = ["name", "acronym"]
    autocomplete_fields = ["parent"]
    filter_horizontal = ["mandates"]


@admin.register(Body)
class BodyAdmin(NoDeleteMixin, GuardedModelAdmin, SimpleHistoryAdmin):
    list_display = ["name", "kind", "parent", "meetings_per_year", "quorum_share", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["name", "acronym"]


@admin.register(Membership)
class MembershipAdmin(ServiceOnlyMixin, SimpleHistoryAdmin):
    list_display = ["institution", "body", "role", "start_date", "end_date"]
    list_filter = ["body", "role"]
    search_fields = ["institution__name", "body__name"]
    autocomplete_fields = ["institution", "body"]


@admin.register(Person)
class PersonAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    list_display = ["name", "title", "institution", "email", "active"]
    list_filter = ["active", "language"]
    search_fields = ["name", "email", "institution__name"]
    autocomplete_fields = ["institution", "user"]


@admin.register(Designation)
class DesignationAdmin(ServiceOnlyMixin, SimpleHistoryAdmin):
    list_display = [
        "person",
        "kind",
        "capacity",
        "body",
        "convention_role",
        "start_date",
        "end_date",
    ]
    list_filter = ["kind", "capacity", "convention_role__convention", "secretariat_notified"]
    search_fields = ["person__name", "institution__name"]
    autocomplete_fields = ["person", "institution", "body"]
    readonly_fields = ["ended_at", "ended_by", "created_at", "created_by"]


class TaskInline(ServiceOnlyMixin, admin.TabularInline):
    model = Task
    extra = 0
    fields = ["title", "lead_institution", "start_date", "due_date", "status", "percent_complete"]
    show_change_link = True


@admin.register(Workplan)
class WorkplanAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    list_display = ["title", "body", "period_start", "period_end"]
    list_filter = ["body"]


@admin.register(Activity)
class ActivityAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    list_display = ["title", "workplan", "order"]
    list_filter = ["workplan"]
    inlines = [TaskInline]


@admin.register(Task)
class TaskAdmin(ServiceOnlyMixin, SimpleHistoryAdmin):
    list_display = ["title", "lead_institution", "due_date", "status", "percent_complete"]
    list_filter = ["status", "funding_source", "activity__workplan", "conventions"]
    search_fields = ["title", "lead_institution__name"]
    autocomplete_fields = ["lead_institution", "assignee"]
    filter_horizontal = ["supporting_institutions", "conventions"]


@admin.register(WorkplanRevision)
class WorkplanRevisionAdmin(ServiceOnlyMixin, admin.ModelAdmin):
    list_display = ["workplan", "number", "status", "circulated_at", "adopted_at"]
    list_filter = ["status", "workplan"]
    readonly_fields = ["snapshot"]


@admin.register(ReportingRound)
class ReportingRoundAdmin(ServiceOnlyMixin, admin.ModelAdmin):
    list_display = ["title", "workplan", "due_date", "closed_at"]


@admin.register(ProgressReport)
class ProgressReportAdmin(ServiceOnlyMixin, admin.ModelAdmin):
    list_display = ["task", "round", "institution", "status", "percent_complete", "submitted_at"]
    list_filter = ["round", "status"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["title", "user", "kind", "created_at", "read_at", "emailed_at"]
    list_filter = ["kind"]
    search_fields = ["title", "user__email"]


@admin.register(Reminder)
class ReminderAdmin(NoDeleteMixin, admin.ModelAdmin):
    list_display = ["deadline_key", "recipient", "lead", "due_fingerprint", "sent_at"]
    list_filter = ["kind", "lead"]
    search_fields = ["deadline_key", "recipient__email"]


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "delivery"]


@admin.register(DigestSent)
class DigestSentAdmin(NoDeleteMixin, admin.ModelAdmin):
    list_display = ["user", "day", "sent_at"]


class AgendaItemInline(ServiceOnlyMixin, admin.TabularInline):
    model = AgendaItem
    extra = 0


@admin.register(Meeting)
class MeetingAdmin(ServiceOnlyMixin, SimpleHistoryAdmin):
    list_display = ["title", "body", "start", "modality", "status"]
    list_filter = ["body", "status", "modality", "kind"]
    search_fields = ["title"]
    inlines = [AgendaItemInline]


@admin.register(Minutes)
class MinutesAdmin(ServiceOnlyMixin, admin.ModelAdmin):
    list_display = ["meeting", "version", "status", "approved_at"]
    list_filter = ["status"]


@admin.register(Attendance)
class AttendanceAdmin(ServiceOnlyMixin, admin.ModelAdmin):
    list_display = ["meeting", "institution", "presence", "mode"]
    list_filter = ["presence", "meeting__body"]


@admin.register(Reply)
class ReplyAdmin(ServiceOnlyMixin, admin.ModelAdmin):
    list_display = ["meeting", "person", "response", "replied_at"]


class DocumentVersionInline(admin.TabularInline):
    model = DocumentVersion
    extra = 0
    readonly_fields = ["number", "original_name", "size", "sha256", "uploaded_at", "uploaded_by"]
    fields = ["number", "original_name", "language", "size", "sha256", "uploaded_at"]

    def has_add_permission(self, request, obj=None):
        return False  # versions come in through the portal, which hashes them


@admin.register(Document)
class DocumentAdmin(NoDeleteMixin, admin.ModelAdmin):
    list_display = ["title", "category", "audience", "body", "meeting", "created_at"]
    list_filter = ["category", "audience"]
    search_fields = ["title"]
    inlines = [DocumentVersionInline]


@admin.register(ExternalEvent)
class ExternalEventAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "start", "location", "public"]
    list_filter = ["kind", "public"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(CalendarToken)
class CalendarTokenAdmin(admin.ModelAdmin):
    list_display = ["user", "created_at", "revoked_at"]
    readonly_fields = ["token"]


class BallotOptionInline(ServiceOnlyMixin, admin.TabularInline):
    model = BallotOption
    extra = 0


@admin.register(Ballot)
class BallotAdmin(ServiceOnlyMixin, admin.ModelAdmin):
    """Read-only: a ballot is drafted, opened, closed and cancelled only through its services, so
    that every step has its tally, record and audit event."""

    list_display = ["question", "body", "status", "opens_at", "closes_at"]
    list_filter = ["status", "kind", "body"]
    inlines = [BallotOptionInline]


@admin.register(BallotEvent)
class BallotEventAdmin(admin.ModelAdmin):
    list_display = ["ballot", "sequence", "kind", "at", "actor"]
    list_filter = ["kind"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
