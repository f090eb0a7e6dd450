import zoneinfo
from decimal import Decimal

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from coordination.models import (
    ROLE_GROUPS,
    ActionItem,
    Activity,
    AgendaItem,
    Ballot,
    Body,
    Designation,
    Document,
    ExternalEvent,
    Institution,
    Meeting,
    Membership,
    MinutesItem,
    NotificationPreference,
    Person,
    ProgressReport,
    Reply,
    ReportingRound,
    Role,
    Task,
    User,
    Workplan,
    today,
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class PortalFormMixin:
    """Crispy layout with one submit button, and room for the errors a service raises."""

    submit_label = _("Save")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", self.submit_label))
        for field in self.fields.values():
            if isinstance(field, forms.DateField):
                field.widget = DateInput()

    def add_service_error(self, error: ValidationError) -> None:
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                self.add_error(field if field in self.fields else None, errors)
        else:
            self.add_error(None, error)


class PortalForm(PortalFormMixin, forms.Form):
    pass


class PortalModelForm(PortalFormMixin, forms.ModelForm):
    pass


class InstitutionForm(PortalModelForm):
    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")

    class Meta:
        model = Institution
        fields = [
            "name",
            "acronym",
            "kind",
            "parent",
            "mandates",
            "email",
            "phone",
            "address",
            "website",
            "active",
            "notes",
        ]
        widgets = {
            "mandates": forms.CheckboxSelectMultiple,
            "address": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, keeps_registry=True, **kwargs):
        super().__init__(*args, **kwargs)
        if not keeps_registry:
            # A focal point updates the record; where it sits and whether it is active is the
            # secretariat's call.
            del self.fields["parent"], self.fields["active"]
            return
        parents = Institution.objects.filter(active=True)
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents


class PersonForm(PortalModelForm):
    class Meta:
        model = Person
        fields = [
            "name",
            "title",
            "institution",
            "email",
            "phone",
            "language",
            "user",
            "active",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, institutions=None, may_link_accounts=False, **kwargs):
        super().__init__(*args, **kwargs)
        if institutions is None:
            del self.fields["institution"]
        else:
            self.fields["institution"].queryset = institutions
        if may_link_accounts:
            self.fields["user"].queryset = User.objects.filter(is_active=True).filter(
                person__isnull=True
            ) | User.objects.filter(pk=self.instance.user_id or 0)
            self.fields["user"].label_from_instance = lambda u: f"{u} <{u.email}>"
        else:
            del self.fields["user"]


class PercentField(forms.DecimalField):
    """A share between 0 and 1, typed and shown as a percentage (50 for a half)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.NumberInput(attrs={"step": "1"}))
        super().__init__(min_value=0, max_value=100, max_digits=5, decimal_places=2, **kwargs)

    def prepare_value(self, value):
        if value is None or isinstance(value, str):
            return value  # what the person typed, shown back as typed
        percent = Decimal(value) * 100
        if percent == percent.to_integral_value():
            return str(int(percent))
        return str(percent.normalize())

    def clean(self, value):
        percent = super().clean(value)
        if percent is None:
            return None
        return (percent / 100).quantize(Decimal("0.01"))


def quorum_field() -> PercentField:
    return PercentField(
        label=_("Quorum (%)"),
        help_text=_("Percentage of the member institutions that must take part, e.g. 50."),
    )


class BodyForm(PortalModelForm):
    quorum_share = quorum_field()
    secretariat = forms.ModelMultipleChoiceField(
        label=_("Served by (secretariat staff)"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("These people may change the body and its members."),
    )

    class Meta:
        model = Body
        fields = [
            "name",
            "acronym",
            "kind",
            "parent",
            "mandate",
            "terms_of_reference",
            "conventions",
            "meetings_per_year",
            "notice_period_days",
            "quorum_share",
            "active",
        ]
        widgets = {
            "conventions": forms.CheckboxSelectMultiple,
            "mandate": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["secretariat"].queryset = User.objects.filter(
            is_active=True, groups__name=ROLE_GROUPS[Role.SECRETARIAT]
        ).distinct()
        parents = Body.objects.filter(active=True)
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents


class MembershipForm(PortalModelForm):
    submit_label = _("Add member")

    class Meta:
        model = Membership
        fields = ["institution", "role", "start_date", "end_date", "invitation_letter", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, body: Body, **kwargs):
        super().__init__(*args, **kwargs)
        seated = Membership.objects.current().filter(body=body).values("institution_id")
        self.fields["institution"].queryset = Institution.objects.filter(active=True).exclude(
            pk__in=seated
        )
        self.fields["end_date"].label = _("Ends on (if known)")


class MembershipEndForm(PortalForm):
    submit_label = _("End membership")

    end_date = forms.DateField(label=_("Ended on"), initial=today)
    notes = forms.CharField(
        label=_("Reason or note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class MembershipRoleForm(PortalForm):
    submit_label = _("Change role")

    role = forms.ChoiceField(label=_("New role"), choices=Membership.Role.choices)
    on = forms.DateField(
        label=_("From"),
        initial=today,
        help_text=_("The seat with the old role ends the day before; both stay in the history."),
    )


class DesignationForm(PortalModelForm):
    submit_label = _("Designate")

    class Meta:
        model = Designation
        fields = [
            "person",
            "kind",
            "capacity",
            "body",
            "convention_role",
            "start_date",
            "end_date",
            "letter",
            "designated_by",
            "secretariat_notified",
            "secretariat_notified_on",
        ]

    def __init__(self, *args, institution: Institution, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = institution.people.filter(active=True)
        self.fields["body"].queryset = Body.objects.filter(
            memberships__in=Membership.objects.current().filter(institution=institution)
        ).distinct()
        self.fields["body"].help_text = _("For a representative: the body the person sits in.")
        self.fields["convention_role"].queryset = self.fields[
            "convention_role"
        ].queryset.select_related("convention")
        self.fields["convention_role"].help_text = _("For a convention role only.")
        self.fields["end_date"].label = _("Ends on (if the term is fixed)")

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind == Designation.Kind.REPRESENTATIVE and not data.get("body"):
            self.add_error("body", _("Choose the body the person represents the institution in."))
        if kind == Designation.Kind.CONVENTION and not data.get("convention_role"):
            self.add_error("convention_role", _("Choose the convention role."))
        return data

    def _post_clean(self):
        # The service builds and validates the designation; skip the model form's own instance.
        pass


class DesignationEndForm(PortalForm):
    submit_label = _("End designation")

    end_date = forms.DateField(
        label=_("Ended on"),
        initial=today,
        help_text=_("The first day on which the person no longer holds the role."),
    )
    handover_note = forms.CharField(
        label=_("Handover note"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "What the successor needs to know: open files, contacts, deadlines, "
            "where the documents are."
        ),
    )


class ProfileForm(PortalModelForm):
    class Meta:
        model = User
        fields = ["full_name", "language", "time_zone"]

    def clean_time_zone(self):
        import zoneinfo

        name = self.cleaned_data["time_zone"].strip()
        if name and name not in zoneinfo.available_timezones():
            raise ValidationError(_("Unknown time zone. Use a name such as Europe/Paris."))
        return name


# --- Workplans --------------------------------------------------------------------------------


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
            "activity", "title", "description", "lead_institution", "supporting_institutions",
            "assignee", "start_date", "due_date", "conventions", "status", "percent_complete",
            "budget_amount", "budget_currency", "funding_source", "donor_name",
        ]  # fmt: skip
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


class PreferencesForm(PortalForm):
    submit_label = _("Save preferences")

    def __init__(self, *args, kinds, current: dict, **kwargs):
        super().__init__(*args, **kwargs)
        for kind in kinds:
            self.fields[kind.kind] = forms.ChoiceField(
                label=kind.label,
                choices=NotificationPreference.Delivery.choices,
                initial=current.get(kind.kind, NotificationPreference.Delivery.IMMEDIATE),
                required=False,
            )


# --- Meetings, documents, calendar ------------------------------------------------------------


class LocalDateTimeField(forms.DateTimeField):
    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def in_own_time_zone(data: dict) -> dict:
    """Start and end are typed in the time zone chosen on the same form."""
    name = data.get("time_zone")
    if name:
        zone = zoneinfo.ZoneInfo(name)
        for field in ("start", "end"):
            if data.get(field):
                data[field] = data[field].replace(tzinfo=None).replace(tzinfo=zone)
    return data


class MeetingForm(PortalModelForm):
    start = LocalDateTimeField(label=_("Starts"))
    end = LocalDateTimeField(label=_("Ends"))
    online_link = forms.URLField(label=_("Online link"), required=False, assume_scheme="https")
    short_notice_reason = forms.CharField(
        label=_("Reason for short notice"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed only when a convened meeting moves closer than the notice period."),
    )

    class Meta:
        model = Meeting
        # The time zone first: the times are read in it.
        fields = ["title", "kind", "time_zone", "start", "end", "modality", "venue",
                  "online_link", "public"]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk or self.instance.status != Meeting.Status.CONVENED:
            del self.fields["short_notice_reason"]

    def clean(self):
        """Dates are typed in the meeting's own time zone."""
        return in_own_time_zone(super().clean())

    def _post_clean(self):
        pass


class ConveneForm(PortalForm):
    submit_label = _("Send the notice")

    short_notice_reason = forms.CharField(
        label=_("Reason for short notice"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AgendaItemForm(PortalModelForm):
    submit_label = _("Add to the agenda")

    class Meta:
        model = AgendaItem
        fields = ["title", "presenter", "expected_outcome"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["presenter"].queryset = Person.objects.filter(active=True).select_related(
            "institution"
        )
        self.fields["presenter"].label_from_instance = lambda p: f"{p.name} ({p.institution})"


class ReplyForm(PortalForm):
    submit_label = _("Send my reply")

    response = forms.ChoiceField(
        label=_("Your reply"), choices=Reply.Response.choices, widget=forms.RadioSelect
    )


class MinutesItemForm(PortalModelForm):
    submit_label = _("Save")

    class Meta:
        model = MinutesItem
        fields = ["summary", "decisions"]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "decisions": forms.Textarea(attrs={"rows": 2}),
        }


class ActionItemForm(PortalModelForm):
    submit_label = _("Add the action (it becomes a workplan task)")

    class Meta:
        model = ActionItem
        fields = ["title", "lead_institution", "due_date"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_institution"].queryset = Institution.objects.filter(active=True)


class DocumentForm(PortalModelForm):
    submit_label = _("Upload")

    file = forms.FileField(label=_("File"))
    language = forms.ChoiceField(label=_("Language of the file"), choices=settings.LANGUAGES)

    class Meta:
        model = Document
        fields = ["title", "category", "audience", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}


class DocumentVersionForm(PortalForm):
    submit_label = _("Upload the new version")

    file = forms.FileField(label=_("File"))
    language = forms.ChoiceField(label=_("Language of the file"), choices=settings.LANGUAGES)


class ExternalEventForm(PortalModelForm):
    start = LocalDateTimeField(label=_("Starts"))
    end = LocalDateTimeField(label=_("Ends"))
    url = forms.URLField(label=_("Web page"), required=False, assume_scheme="https")

    class Meta:
        model = ExternalEvent
        fields = ["title", "kind", "start", "end", "time_zone", "location", "url", "conventions",
                  "public"]  # fmt: skip
        widgets = {"conventions": forms.CheckboxSelectMultiple}

    def clean(self):
        """Dates are typed in the event's own time zone."""
        return in_own_time_zone(super().clean())

    def _post_clean(self):
        pass


class BallotForm(PortalModelForm):
    submit_label = _("Create the ballot")

    quorum_share = quorum_field()

    options = forms.CharField(
        label=_("Options (one per line)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only for a choice between several options."),
    )
    opens_at = LocalDateTimeField(label=_("Opens"), required=False)
    closes_at = LocalDateTimeField(label=_("Closes"))

    class Meta:
        model = Ballot
        fields = [
            "question", "explanation", "kind", "options", "electorate", "quorum_share",
            "majority", "abstentions_count_for_quorum", "secret", "results_while_open",
            "allow_change", "opens_at", "closes_at",
        ]  # fmt: skip
        widgets = {"explanation": forms.Textarea(attrs={"rows": 3})}

    def clean_options(self):
        return [line for line in self.cleaned_data["options"].splitlines() if line.strip()]

    def clean(self):
        data = super().clean()
        if data.get("secret") and data.get("results_while_open"):
            self.add_error(
                "results_while_open",
                _("A secret ballot shows its result only when it closes: a running tally beside "
                  "the list of voters would tell who chose what."),
            )  # fmt: skip
        return data

    def _post_clean(self):
        pass


class CloseEarlyForm(PortalForm):
    submit_label = _("Close the ballot now")

    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Recorded in the ballot's audit trail."),
    )


class VoteForm(PortalForm):
    submit_label = _("Cast the vote")

    def __init__(self, *args, ballot, electors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["elector"] = forms.ModelChoiceField(
            label=_("Voting for"), queryset=electors, empty_label=None
        )
        self.fields["option"] = forms.ModelChoiceField(
            label=_("Your vote"), queryset=ballot.options.all(), widget=forms.RadioSelect,
            empty_label=None,
        )  # fmt: skip


class CancelForm(PortalForm):
    submit_label = _("Cancel the ballot")

    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))
