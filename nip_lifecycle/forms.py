"""Forms of the NIP pages: shape of the input and the crispy layout; the rules are in services."""

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from coordination.models import (
    Ballot,
    Body,
    Designation,
    Document,
    Institution,
    MinutesItem,
    Person,
    Workplan,
)
from ncm_portal.forms import PortalForm, PortalModelForm
from nip_lifecycle.models import (
    SCORE_MAX,
    ConsultationComment,
    Cycle,
    ReferenceAmendment,
    TechnicalReview,
)


class CycleForm(PortalModelForm):
    submit_label = _("Create the cycle")

    class Meta:
        model = Cycle
        fields = [
            "title",
            "trigger",
            "description",
            "lead_body",
            "technical_committee",
            "steering_committee",
            "article_25_4",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bodies = Body.objects.filter(active=True).order_by("name")
        for name in ("lead_body", "technical_committee", "steering_committee"):
            self.fields[name].queryset = bodies


class AmendmentForm(PortalForm):
    submit_label = _("Add the amendment")

    reference = forms.ModelChoiceField(
        label=_("From the reference list"),
        queryset=ReferenceAmendment.objects.all(),
        required=False,
        help_text=_("Fills the decision, chemicals and general date; or leave empty and type."),
    )
    decision = forms.CharField(label=_("COP decision"), max_length=200, required=False)
    chemicals = forms.CharField(
        label=_("Chemicals listed"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    entry_into_force = forms.DateField(label=_("Entry into force (general)"), required=False)
    party_entry_into_force = forms.DateField(
        label=_("Entry into force for this Party"),
        required=False,
        help_text=_("Required for an Article 25(4) Party, or when the general date is unknown."),
    )
    party_date_note = forms.CharField(
        label=_("Basis of the Party's date"), max_length=255, required=False
    )

    def clean(self):
        data = super().clean()
        if not data.get("reference") and not (data.get("decision") and data.get("chemicals")):
            raise forms.ValidationError(
                _("Choose an amendment from the list, or give the decision and the chemicals.")
            )
        return data


class DeadlineForm(PortalForm):
    submit_label = _("Set the deadline")

    deadline = forms.DateField(
        label=_("Deadline"), required=False, help_text=_("Leave empty to return to the rule.")
    )
    reason = forms.CharField(
        label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class StepPlanForm(PortalForm):
    responsible_body = forms.ModelChoiceField(
        label=_("Responsible body"), queryset=Body.objects.filter(active=True), required=False
    )
    planned_start = forms.DateField(label=_("Planned start"), required=False)
    planned_end = forms.DateField(label=_("Planned end"), required=False)


class ReviewForm(PortalForm):
    submit_label = _("Record the review")

    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=TechnicalReview.Outcome.choices, widget=forms.RadioSelect
    )
    text = forms.CharField(
        label=_("Comments or reasons"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required when commenting or returning the step."),
    )


class ApprovalForm(PortalForm):
    submit_label = _("Record the approval")

    ballot = forms.ModelChoiceField(
        label=_("Ballot"), queryset=Ballot.objects.none(), required=False
    )
    minutes_item = forms.ModelChoiceField(
        label=_("Decision in minutes"), queryset=MinutesItem.objects.none(), required=False
    )

    def __init__(self, *args, committee: Body, step, **kwargs):
        """Only decisions taken on this very step: closed ballots of the committee that adopted
        it, and decisions in approved minutes under an agenda item about it."""
        from coordination import decisions

        super().__init__(*args, **kwargs)
        self.fields["ballot"].queryset = decisions.adopting_ballots(step, committee)
        self.fields["ballot"].label_from_instance = lambda ballot: (
            _("%(question)s (closed %(closed)s): %(words)s")
            % {
                "question": ballot.question,
                "closed": date_format(timezone.localtime(ballot.closed_at), "SHORT_DATE_FORMAT"),
                "words": ballot.result.get("words", ""),
            }
        )
        self.fields["minutes_item"].queryset = decisions.deciding_minutes_items(step, committee)
        self.fields["minutes_item"].label_from_instance = lambda item: (
            f"{item.minutes.meeting.title} (v{item.minutes.version}): {item.agenda_item.title}"
        )

    def clean(self):
        data = super().clean()
        if bool(data.get("ballot")) == bool(data.get("minutes_item")):
            raise forms.ValidationError(_("Name either the ballot or the decision in minutes."))
        return data


class ChecklistItemForm(PortalForm):
    submit_label = _("Add the item")

    text = forms.CharField(label=_("Item"), max_length=300)
    required = forms.BooleanField(
        label=_("Required to complete the step"), required=False, initial=True
    )


class DeliverableForm(PortalForm):
    submit_label = _("Add the deliverable")

    name = forms.CharField(label=_("Deliverable"), max_length=200)
    required = forms.BooleanField(
        label=_("Required to complete the step"), required=False, initial=True
    )


class AttachForm(PortalForm):
    submit_label = _("Attach")

    document = forms.ModelChoiceField(
        label=_("A document from the library"),
        queryset=Document.objects.filter(versions__isnull=False).distinct(),
        required=False,
    )
    file = forms.FileField(label=_("Or upload a new document"), required=False)
    title = forms.CharField(label=_("Title of the new document"), max_length=255, required=False)
    language = forms.ChoiceField(label=_("Language of the file"), choices=settings.LANGUAGES)

    def clean(self):
        data = super().clean()
        if bool(data.get("document")) == bool(data.get("file")):
            raise forms.ValidationError(_("Choose a document or upload a file (one of the two)."))
        return data


class WeightsForm(PortalForm):
    submit_label = _("Save the weights")

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        for criterion in criteria:
            self.fields[f"weight_{criterion.pk}"] = forms.IntegerField(
                label=criterion.name, min_value=0, max_value=10, initial=criterion.weight
            )

    def weights(self) -> dict[int, int]:
        return {int(k.split("_")[1]): v for k, v in self.cleaned_data.items()}


class ScoreForm(PortalForm):
    submit_label = _("Save the scores")

    def __init__(self, *args, criteria, scores=None, **kwargs):
        super().__init__(*args, **kwargs)
        scores = scores or {}
        for criterion in criteria:
            self.fields[f"score_{criterion.pk}"] = forms.IntegerField(
                label=criterion.name,
                min_value=0,
                max_value=SCORE_MAX,
                initial=scores.get(criterion.pk),
            )

    def scores(self) -> dict[int, int]:
        return {int(k.split("_")[1]): v for k, v in self.cleaned_data.items()}


class IssueForm(PortalForm):
    submit_label = _("Add the issue")

    title = forms.CharField(label=_("Issue"), max_length=255)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ObjectiveForm(PortalForm):
    submit_label = _("Add the objective")

    title = forms.CharField(label=_("Objective"), max_length=255)
    target = forms.CharField(
        label=_("Target"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    issue = forms.ModelChoiceField(label=_("Issue"), queryset=None, required=False)

    def __init__(self, *args, cycle, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["issue"].queryset = cycle.issues.all()


class WorkplanForm(PortalForm):
    submit_label = _("Use this workplan")

    workplan = forms.ModelChoiceField(
        label=_("Workplan"), queryset=Workplan.objects.select_related("body")
    )


class ActionForm(PortalForm):
    submit_label = _("Add to the action plan")

    title = forms.CharField(label=_("Activity"), max_length=255)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    lead_institution = forms.ModelChoiceField(
        label=_("Lead institution"), queryset=Institution.objects.filter(active=True)
    )
    start_date = forms.DateField(label=_("Start"))
    due_date = forms.DateField(label=_("Due"))


class SectionForm(PortalForm):
    submit_label = _("Add the section")

    title = forms.CharField(label=_("Section"), max_length=255)
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 10}))


class SectionReviseForm(PortalForm):
    submit_label = _("Save as a new version")

    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 14}))
    note = forms.CharField(label=_("What changed"), max_length=255, required=False)


class CommentForm(PortalForm):
    submit_label = _("Send the comment")

    text = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}))


class ResolveForm(PortalForm):
    submit_label = _("Record the resolution")

    resolution = forms.ChoiceField(
        label=_("Resolution"),
        choices=[c for c in ConsultationComment.Resolution.choices if c[0] != "pending"],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required unless the comment is accepted."),
    )


class TransmissionForm(PortalForm):
    submit_label = _("Record the transmission")

    transmitted_on = forms.DateField(label=_("Transmitted on"))
    reference = forms.CharField(label=_("Reference"), max_length=120)
    transmitted_by = forms.ModelChoiceField(
        label=_("Official contact point"),
        queryset=Person.objects.filter(
            designations__kind=Designation.Kind.CONVENTION,
            designations__convention_role__code="official-contact-point",
            designations__convention_role__convention__code="stockholm",
        ).distinct(),
    )
    acknowledgment = forms.FileField(label=_("Acknowledgment of receipt"), required=False)
    language = forms.ChoiceField(label=_("Language of the file"), choices=settings.LANGUAGES)
