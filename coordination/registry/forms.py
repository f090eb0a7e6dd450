"""Institutions, people, bodies, memberships and designations."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from coordination.models import (
    ROLE_GROUPS,
    Body,
    Designation,
    Institution,
    Membership,
    Person,
    Role,
    User,
    today,
)
from ncm_portal.forms import PortalForm, PortalModelForm


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
