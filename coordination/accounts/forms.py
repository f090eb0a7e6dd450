"""The forms of signing in (the password, then the two-step code) and of the user's own settings."""

import zoneinfo

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from coordination.models import User
from ncm_portal.forms import PortalForm, PortalModelForm


class ProfileForm(PortalModelForm):
    class Meta:
        model = User
        fields = ["full_name", "language", "time_zone"]

    def clean_time_zone(self):
        name = self.cleaned_data["time_zone"].strip()
        if name and name not in zoneinfo.available_timezones():
            raise ValidationError(_("Unknown time zone. Use a name such as Europe/Paris."))
        return name


class SignInForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "That e-mail address and password do not match. Check both and try again; "
            "passwords are case-sensitive."
        ),
        "inactive": _("This account has been closed."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("E-mail address")
        self.fields["username"].widget.attrs.update({"autocomplete": "email", "type": "email"})


class CodeForm(PortalForm):
    submit_label = _("Continue")

    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        help_text=_(
            "The six digits your authenticator app shows for NCM Portal, or one of your backup "
            "codes."
        ),
    )

    def __init__(self, *args, submit_label=None, **kwargs):
        if submit_label:
            self.submit_label = submit_label
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs.update(
            {"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}
        )
