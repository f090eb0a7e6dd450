"""The audit history's filter: what kind of change, and the page before a moment."""

from django import forms
from django.utils.translation import gettext_lazy as _

from coordination.audit import selectors


class AuditFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("What"), required=False)
    before = forms.DateTimeField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("Everything"))] + [
            (key, label) for key, (_model, label) in selectors.TRACKED.items()
        ]
