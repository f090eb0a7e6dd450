"""The registry in the admin site: conventions and mandates are edited here; the rest is
ended, never deleted, and what has a life of its own changes only through the portal's pages."""

from django.contrib import admin
from django.db import models
from guardian.admin import GuardedModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from coordination.models import (
    Body,
    Convention,
    ConventionRole,
    Designation,
    Institution,
    Mandate,
    Membership,
    Person,
)
from ncm_portal.admin import NoDeleteMixin, ServiceOnlyMixin


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
