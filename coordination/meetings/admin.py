"""Meetings and their minutes in the admin site, read-only."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from coordination.models import AgendaItem, Attendance, Meeting, Minutes, Reply
from ncm_portal.admin import ServiceOnlyMixin


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
