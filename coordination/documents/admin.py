"""The document library in the admin site: documents are kept, never deleted."""

from django.contrib import admin

from coordination.models import Document, DocumentVersion
from ncm_portal.admin import NoDeleteMixin


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
