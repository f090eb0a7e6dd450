"""External events typed in their own time zone."""

from django import forms
from django.utils.translation import gettext_lazy as _

from coordination.models import ExternalEvent
from ncm_portal.forms import LocalDateTimeField, PortalModelForm, in_own_time_zone


class ExternalEventForm(PortalModelForm):
    start = LocalDateTimeField(label=_("Starts"))
    end = LocalDateTimeField(label=_("Ends"))
    url = forms.URLField(label=_("Web page"), required=False, assume_scheme="https")

    class Meta:
        model = ExternalEvent
        fields = [
            "title",
            "kind",
            "start",
            "end",
            "time_zone",
            "location",
            "url",
            "conventions",
            "public",
        ]
        widgets = {"conventions": forms.CheckboxSelectMultiple}

    def clean(self):
        """Dates are typed in the event's own time zone."""
        return in_own_time_zone(super().clean())

    def _post_clean(self):
        pass
