"""The user's own settings."""

import zoneinfo

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from coordination.models import (
    User,
)
from ncm_portal.forms import PortalModelForm


class ProfileForm(PortalModelForm):
    class Meta:
        model = User
        fields = ["full_name", "language", "time_zone"]

    def clean_time_zone(self):

        name = self.cleaned_data["time_zone"].strip()
        if name and name not in zoneinfo.available_timezones():
            raise ValidationError(_("Unknown time zone. Use a name such as Europe/Paris."))
        return name
