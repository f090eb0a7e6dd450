"""External events and calendar tokens in the admin site."""

from django.contrib import admin
from django.db import models

from coordination.models import CalendarToken, ExternalEvent


@admin.register(ExternalEvent)
class ExternalEventAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "start", "location", "public"]
    list_filter = ["kind", "public"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(CalendarToken)
class CalendarTokenAdmin(admin.ModelAdmin):
    list_display = ["user", "created_at", "revoked_at"]
    readonly_fields = ["token"]
