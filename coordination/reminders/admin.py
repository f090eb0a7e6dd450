"""Notifications, reminders and reminder preferences in the admin site."""

from django.contrib import admin

from coordination.models import DigestSent, Notification, NotificationPreference, Reminder
from ncm_portal.admin import NoDeleteMixin


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
