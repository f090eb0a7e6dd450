"""Workplans, tasks, revisions and progress rounds in the admin site, read-only where a
service owns the change."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from coordination.models import (
    Activity,
    ProgressReport,
    ReportingRound,
    Task,
    Workplan,
    WorkplanRevision,
)
from ncm_portal.admin import NoDeleteMixin, ServiceOnlyMixin


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
