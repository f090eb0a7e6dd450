"""Each user's choice of delivery for every kind of reminder."""

from django import forms
from django.utils.translation import gettext_lazy as _

from coordination.models import NotificationPreference
from ncm_portal.forms import PortalForm


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
