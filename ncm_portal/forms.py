"""The form bases every app uses: one submit button through crispy, date inputs, and room for
the errors a service raises."""

import zoneinfo

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


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


def small_widgets(form) -> None:
    """Give filter widgets Bootstrap's small form classes."""
    for field in form.fields.values():
        small = (
            "form-select form-select-sm"
            if hasattr(field.widget, "choices")
            else ("form-control form-control-sm")
        )
        field.widget.attrs.setdefault("class", small)
