"""Forms of the obligations: they check the shape of what is entered; the services decide
whether it may be entered."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ncm_portal.forms import PortalForm
from reporting.obligations import register


class CompleteForm(PortalForm):
    submit_label = _("Record as met")

    completed_on = forms.DateField(
        label=_("Submitted or transmitted on"),
        help_text=_("The date the Convention's secretariat received it."),
    )
    reference = forms.CharField(
        label=_("Reference of the submission"),
        max_length=120,
        help_text=_("The number or reference of what was sent, e.g. the ERS submission number."),
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class OpenForm(PortalForm):
    """An event that opens a Rotterdam obligation."""

    submit_label = _("Open the obligation")

    obligation = forms.ChoiceField(label=_("Obligation"))
    subject = forms.CharField(label=_("Chemical"), max_length=255)
    hs_codes = forms.CharField(
        label=_("HS codes"),
        max_length=200,
        required=False,
        help_text=_(
            "For an import response: the chemical's HS codes, separated by commas. "
            "Customs lines under them are shown beside the response."
        ),
    )
    trigger_date = forms.DateField(
        label=_("Date of the event"),
        help_text=_(
            "For an import response: the date the decision guidance document was "
            "dispatched. For a notification: the date the final regulatory action "
            "took effect."
        ),
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["obligation"].choices = [
            (o.code, f"{o.title} ({o.article})")
            for o in register.obligations().values()
            if o.schedule == register.EVENT
        ]


class DraftForm(PortalForm):
    submit_label = _("Record the draft decision")

    decision = forms.ChoiceField(label=_("Decision on future import"), widget=forms.RadioSelect)
    conditions = forms.CharField(
        label=_("Conditions or interim measures"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        from reporting.models import ImportResponse

        super().__init__(*args, **kwargs)
        self.fields["decision"].choices = ImportResponse.Decision.choices


class ApproveForm(PortalForm):
    """The steering committee's decision to cite: one of the candidates offered."""

    submit_label = _("Record the approval")

    source = forms.ChoiceField(label=_("The steering committee's decision"))

    def __init__(self, *args, candidates=None, **kwargs):
        super().__init__(*args, **kwargs)
        candidates = candidates or {"ballots": [], "minutes_items": []}
        self.fields["source"].choices = [
            (f"ballot-{b.pk}", _("Ballot “%(ballot)s”, closed") % {"ballot": b})
            for b in candidates["ballots"]
        ] + [
            (
                f"minutes-{m.pk}",
                _("Minutes of %(meeting)s: %(item)s")
                % {"meeting": m.minutes.meeting, "item": m.agenda_item.title},
            )
            for m in candidates["minutes_items"]
        ]


class TransmitForm(PortalForm):
    submit_label = _("Record the transmission")

    transmitted_on = forms.DateField(label=_("Transmitted on"))
    reference = forms.CharField(label=_("Reference of the transmission"), max_length=120)


class ExportNotificationForm(PortalForm):
    submit_label = _("Record the export notification")

    received_on = forms.DateField(label=_("Received on"))
    exporting_party = forms.CharField(label=_("Exporting Party"), max_length=100)
    reference = forms.CharField(label=_("Reference"), max_length=120, required=False)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
