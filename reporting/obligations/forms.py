"""Forms of the obligations: they check the shape of what is entered; the services decide
whether it may be entered."""

from django import forms
from django.utils.translation import gettext_lazy as _

from coordination.forms import PortalForm
from reporting.obligations import register


class CompleteForm(PortalForm):
    submit_label = _("Record as met")

    completed_on = forms.DateField(
        label=_("Submitted or transmitted on"),
        help_text=_("The date the Convention's secretariat received it."),
    )
    reference = forms.CharField(
        label=_("Reference of the submission"), max_length=120,
        help_text=_("The number or reference of what was sent, e.g. the ERS submission number."),
    )  # fmt: skip
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class OpenForm(PortalForm):
    """An event that opens a Rotterdam obligation."""

    submit_label = _("Open the obligation")

    obligation = forms.ChoiceField(label=_("Obligation"))
    subject = forms.CharField(label=_("Chemical"), max_length=255)
    trigger_date = forms.DateField(
        label=_("Date of the event"),
        help_text=_("For an import response: the date the decision guidance document was "
                    "dispatched. For a notification: the date the final regulatory action "
                    "took effect."),
    )  # fmt: skip
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
