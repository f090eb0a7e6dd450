"""Meetings, their agenda, replies, minutes and action items."""

from django import forms
from django.utils.translation import gettext_lazy as _

from coordination.models import (
    ActionItem,
    AgendaItem,
    Institution,
    Meeting,
    MinutesItem,
    Person,
    Reply,
)
from ncm_portal.forms import LocalDateTimeField, PortalForm, PortalModelForm, in_own_time_zone


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
