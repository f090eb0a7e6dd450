"""Ballots in the admin site, read-only: they change only through their services."""

from django.contrib import admin

from coordination.models import Ballot, BallotEvent, BallotOption
from ncm_portal.admin import ServiceOnlyMixin


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
