"""Forms of the inventories pages. They check the shape of the input; services check the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from coordination.models import Institution
from inventories.models import (
    DatasetType,
    EmissionFactor,
    HSCode,
    Match,
    NationalProductCode,
    SubmissionSchedule,
)
from inventories.schemas import Schema
from ncm_portal.forms import PortalForm, PortalModelForm


class UploadForm(PortalForm):
    submit_label = _("Upload")

    institution = forms.ModelChoiceField(Institution.objects.none(), label=_("For institution"))
    dataset_type = forms.ChoiceField(label=_("Type of data"), choices=DatasetType.choices)
    period_start = forms.DateField(label=_("Period from"))
    period_end = forms.DateField(label=_("Period to"))
    file = forms.FileField(
        label=_("File (CSV or XLSX)"),
        help_text=_(
            "The file is stored as it is and read in the background; you can leave the page."
        ),
    )
    day_first = forms.TypedChoiceField(
        label=_("Dates in the file are written"),
        choices=[("1", _("day first (31/12/2025)")), ("0", _("month first (12/31/2025)"))],
        coerce=lambda v: v == "1",
        initial="1",
        help_text=_("ISO dates (2025-12-31) are always understood."),
    )
    decimal_comma = forms.TypedChoiceField(
        label=_("Decimal mark"),
        choices=[("0", _("point (1,234.5)")), ("1", _("comma (1.234,5)"))],
        coerce=lambda v: v == "1",
        initial="0",
    )
    corrects = forms.IntegerField(widget=forms.HiddenInput, required=False)
    sheet = forms.CharField(
        label=_("Sheet (XLSX only)"),
        required=False,
        max_length=120,
        help_text=_("Leave empty to read the first sheet with data."),
    )

    def __init__(self, *args, institutions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = institutions
        self.fields["file"].widget.attrs["accept"] = ".csv,.txt,.tsv,.xlsx"

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The period must end on or after the day it starts."))
        return data


class ColumnMapForm(PortalForm):
    """One choice per schema column: which file column holds it; then, for coded columns, what
    each unknown value in the file means."""

    submit_label = _("Save the mapping and validate")

    remember = forms.BooleanField(
        label=_("Remember this mapping for our next file of this type"),
        required=False,
        initial=True,
    )

    def __init__(
        self,
        *args,
        schema: Schema,
        headers: list[str],
        initial_map: dict,
        unmapped_values: dict,
        value_map: dict,
        samples=(),
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.schema = schema
        samples = list(samples or [])

        def labelled(position, header):
            values = samples[position] if position < len(samples) else []
            if not values:
                return header
            return _("%(header)s (for example: %(values)s)") % {
                "header": header,
                "values": ", ".join(values),
            }

        header_choices = [("", _("— not in the file —"))] + [
            (h, labelled(i, h)) for i, h in enumerate(headers) if h
        ]
        self.column_fields = []
        for column in schema.columns:
            name = f"col__{column.name}"
            self.fields[name] = forms.ChoiceField(
                label=column.label,
                choices=header_choices,
                required=column.required,
                initial=initial_map.get(column.name, ""),
                help_text=_("Required") if column.required else _("Optional"),
            )
            self.column_fields.append(name)
        self.value_fields = []
        for column_name, values in unmapped_values.items():
            column = schema.column(column_name)
            options = list(column.choices) or [("yes", _("Yes")), ("no", _("No"))]
            for value in values:
                name = f"val__{column_name}__{len(self.value_fields)}"
                self.fields[name] = forms.ChoiceField(
                    label=_("“%(value)s” in %(column)s means")
                    % {"value": value, "column": column.label},
                    choices=[("", _("— not valid: reject these rows —")), *options],
                    required=False,
                    initial=value_map.get(column_name, {}).get(value, ""),
                )
                self.fields[name].source = (column_name, value)
                self.value_fields.append(name)
        self.order_fields([*self.column_fields, *self.value_fields, "remember"])

    def mapping(self) -> tuple[dict, dict]:
        column_map = {
            name.removeprefix("col__"): self.cleaned_data[name] for name in self.column_fields
        }
        value_map: dict[str, dict[str, str]] = {}
        for name in self.value_fields:
            column_name, value = self.fields[name].source
            value_map.setdefault(column_name, {})[value] = self.cleaned_data[name]
        return column_map, value_map


class RetryForm(PortalForm):
    submit_label = _("Read the file again")

    day_first = UploadForm.base_fields["day_first"]
    decimal_comma = UploadForm.base_fields["decimal_comma"]
    sheet = forms.ChoiceField(label=_("Sheet"), required=False)

    def __init__(self, *args, sheets=(), **kwargs):
        super().__init__(*args, **kwargs)
        if sheets:
            self.fields["sheet"].choices = [(s, s) for s in sheets]
        else:
            del self.fields["sheet"]


class ReviewForm(PortalForm):
    comment = forms.CharField(
        label=_("Comments"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=4000,
    )


class ScheduleForm(PortalModelForm):
    class Meta:
        model = SubmissionSchedule
        fields = [
            "institution",
            "dataset_type",
            "frequency",
            "days_after_period",
            "starts_on",
            "ends_on",
            "notes",
        ]


class NationalCodeForm(PortalModelForm):
    hs_code = forms.ModelChoiceField(HSCode.objects.all(), label=_("HS code"), required=False)

    class Meta:
        model = NationalProductCode
        fields = ["code", "description", "hs_code", "chemicals", "match", "notes"]
        widgets = {"chemicals": forms.SelectMultiple(attrs={"size": 8})}

    def clean(self):
        cleaned = super().clean()
        chemicals, match = cleaned.get("chemicals"), cleaned.get("match")
        if chemicals is None or not match:
            return cleaned
        count = len(chemicals)
        if match == Match.SPECIFIC and count != 1:
            self.add_error(
                "chemicals",
                _(
                    "A specific code identifies exactly one chemical: "
                    "choose one, or make it a group code."
                ),
            )
        elif match == Match.GROUP and count < 2:
            self.add_error(
                "chemicals",
                _(
                    "A group code names at least two chemicals: choose "
                    "them, or make it a specific code."
                ),
            )
        elif match == Match.INDICATIVE and count < 1:
            self.add_error("chemicals", _("Choose the chemicals its goods may hold."))
        return cleaned


class EmissionFactorForm(PortalModelForm):
    class Meta:
        model = EmissionFactor
        fields = [
            "category",
            "class_number",
            "class_description",
            "vector",
            "factor",
            "activity_unit",
            "source",
        ]


class EmissionFactorImportForm(PortalForm):
    submit_label = pgettext_lazy("button", "Import")

    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "Columns: category (e.g. 1c), class, class_description, vector (air, water, land, "
            "product, residue), factor (µg TEQ per unit), unit, source. Existing factors are "
            "updated."
        ),
    )


class TokenForm(PortalForm):
    submit_label = _("Create the key")

    institution = forms.ModelChoiceField(Institution.objects.none(), label=_("Institution"))
    name = forms.CharField(
        label=_("Name"), max_length=120, help_text=_("For example: customs monthly extract")
    )

    def __init__(self, *args, institutions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = institutions
