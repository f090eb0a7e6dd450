"""Administration of Article 15 reference data: the rounds, and each round's sections and
questions, which administrators edit when the Secretariat updates the format. Reports, their
answers and their audit trail are read-only here: changes go through the portal's pages."""

from django.contrib import admin

from reporting.models import Question, Report, ReportEvent, Round, Section


class SectionInline(admin.TabularInline):
    model = Section
    fields = ["order", "part", "code", "title"]
    extra = 0
    show_change_link = True


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin):
    list_display = [
        "convention",
        "number",
        "label",
        "deadline",
        "extended_deadline",
        "decision",
        "considered_at",
    ]
    list_filter = ["convention"]
    ordering = ["convention", "number"]
    inlines = [SectionInline]


class QuestionInline(admin.StackedInline):
    model = Question
    fields = [("order", "code", "kind", "prefill"), "text", "help", "choices", "columns"]
    extra = 0


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "round", "part", "order"]
    list_filter = ["round"]
    ordering = ["round__number", "order"]
    inlines = [QuestionInline]


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["code", "kind", "prefill", "section", "order"]
    list_filter = ["section__round", "kind", "prefill"]
    search_fields = ["code", "text"]
    ordering = ["section__round__number", "section__order", "order"]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class EventInline(admin.TabularInline):
    model = ReportEvent
    fields = ["at", "actor", "action", "from_state", "to_state", "note"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    list_display = ["round", "version", "status", "approved_at", "submitted_on"]
    list_filter = ["status"]
    inlines = [EventInline]


from reporting.obligations import admin as obligations_admin  # noqa: E402, F401 - registers them
