"""Workplans, activities, tasks, revisions, progress rounds and reports."""

from django import forms
from django.utils.translation import gettext_lazy as _

from coordination.models import (
    Activity,
    Body,
    Institution,
    Membership,
    Person,
    ProgressReport,
    ReportingRound,
    Task,
    Workplan,
)
from ncm_portal.forms import PortalForm, PortalModelForm


class WorkplanForm(PortalModelForm):
    submit_label = _("Create workplan")

    class Meta:
        model = Workplan
        fields = ["title", "period_start", "period_end"]


class ActivityForm(PortalModelForm):
    submit_label = _("Add activity")

    class Meta:
        model = Activity
        fields = ["title", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}


class TaskForm(PortalModelForm):
    class Meta:
        model = Task
        fields = [
            "activity",
            "title",
            "description",
            "lead_institution",
            "supporting_institutions",
            "assignee",
            "start_date",
            "due_date",
            "conventions",
            "status",
            "percent_complete",
            "budget_amount",
            "budget_currency",
            "funding_source",
            "donor_name",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "supporting_institutions": forms.SelectMultiple(attrs={"size": 6}),
            "conventions": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, workplan: Workplan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activity"].queryset = workplan.activities.all()
        active = Institution.objects.filter(active=True)
        self.fields["lead_institution"].queryset = active
        self.fields["supporting_institutions"].queryset = active
        self.fields["assignee"].queryset = Person.objects.filter(active=True).select_related(
            "institution"
        )
        self.fields["assignee"].label_from_instance = lambda p: f"{p.name} ({p.institution})"
        self.fields["budget_currency"].help_text = _("Three-letter code, e.g. USD, EUR, XOF.")

    def clean_budget_currency(self):
        return self.cleaned_data["budget_currency"].strip().upper()

    def _post_clean(self):
        # The service validates the task as a whole, with the workplan's period.
        pass


class RevisionNoteForm(PortalForm):
    submit_label = _("Freeze as a draft revision")

    note = forms.CharField(
        label=_("What changed and why"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CirculateForm(PortalForm):
    submit_label = _("Circulate to the members")

    institutions = forms.ModelMultipleChoiceField(
        label=_("Send to"),
        queryset=Institution.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Their principal and alternate representatives receive it by e-mail."),
    )

    def __init__(self, *args, body: Body, **kwargs):
        super().__init__(*args, **kwargs)
        members = Institution.objects.filter(
            pk__in=Membership.objects.current().filter(body=body).values("institution_id")
        )
        self.fields["institutions"].queryset = members
        self.fields["institutions"].initial = list(members)


class RoundForm(PortalModelForm):
    submit_label = _("Open the round")

    class Meta:
        model = ReportingRound
        fields = ["title", "due_date"]


class ProgressReportForm(PortalModelForm):
    submit_label = _("Submit the report")

    class Meta:
        model = ProgressReport
        fields = ["status", "percent_complete", "narrative", "problems", "money_spent", "currency"]
        widgets = {
            "narrative": forms.Textarea(attrs={"rows": 4}),
            "problems": forms.Textarea(attrs={"rows": 3}),
        }

    def _post_clean(self):
        pass
