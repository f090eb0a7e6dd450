"""Obligations in the Django admin, read-only: they are planned, opened and recorded through
the portal's pages, whose services keep their audit trail. An administrator may correct who
answers for an instance (its responsible body and institution)."""

from django.contrib import admin

from reporting.models import ImportResponse, ObligationEvent, ObligationInstance


class ObligationEventInline(admin.TabularInline):
    model = ObligationEvent
    fields = ["at", "actor", "action", "from_state", "to_state", "note"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ObligationInstance)
class ObligationInstanceAdmin(admin.ModelAdmin):
    list_display = ["label", "convention", "due_on", "due_confirmed", "completed_on"]
    list_filter = ["convention", "kind", "due_confirmed"]
    fields = [
        "obligation",
        "convention",
        "kind",
        "key",
        "label",
        "subject",
        "period_start",
        "period_end",
        "trigger_date",
        "due_on",
        "due_confirmed",
        "responsible_role",
        "responsible_body",
        "responsible_institution",
        "completed_on",
        "completion_reference",
        "completion_note",
        "completed_by",
    ]
    readonly_fields = [
        f for f in fields if f not in ("responsible_body", "responsible_institution")
    ]
    inlines = [ObligationEventInline]

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ImportResponse)
class ImportResponseAdmin(admin.ModelAdmin):
    list_display = ["chemical", "dgd_dispatched_on", "status", "decision"]
    list_filter = ["status", "decision"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
