"""Administration of the NIP reference data (step templates, COP amendments), and a read-only
view of cycles and their audit trail: changes to a cycle go through the portal's pages."""

from django.contrib import admin

from nip_lifecycle.models import (
    Cycle,
    CycleAmendment,
    CycleEvent,
    EndorsementPackage,
    ReferenceAmendment,
    StepTemplate,
)


@admin.register(StepTemplate)
class StepTemplateAdmin(admin.ModelAdmin):
    list_display = ["number", "name", "needs_technical_review", "needs_approval"]
    ordering = ["number"]


@admin.register(ReferenceAmendment)
class ReferenceAmendmentAdmin(admin.ModelAdmin):
    list_display = ["meeting", "year", "decisions", "entry_into_force", "date_confirmed"]
    ordering = ["order"]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AmendmentInline(admin.TabularInline):
    model = CycleAmendment
    extra = 0
    fields = ["decision", "entry_into_force", "party_entry_into_force", "party_date_note"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Cycle)
class CycleAdmin(ReadOnlyAdmin):
    list_display = ["title", "lead_body", "status", "created_at"]
    list_filter = ["status", "trigger"]
    inlines = [AmendmentInline]


@admin.register(CycleEvent)
class CycleEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "cycle", "step", "kind", "from_status", "to_status", "actor_email"]
    list_filter = ["kind"]
    list_select_related = ["cycle", "step"]


@admin.register(EndorsementPackage)
class EndorsementPackageAdmin(ReadOnlyAdmin):
    list_display = ["cycle", "status", "progress", "sha256", "size", "requested_at"]
