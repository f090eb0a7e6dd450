"""Forms of Article 15 reports: they check the shape of what is entered; the services decide
whether it may be entered."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from coordination.models import Institution
from ncm_portal.forms import PortalForm
from reporting.models import Question

Kind = Question.Kind
EXTRA_ROWS = 3  # empty rows offered under a table's rows


class AssignForm(PortalForm):
    submit_label = _("Assign")

    institution = forms.ModelChoiceField(
        label=_("Institution"),
        queryset=Institution.objects.filter(active=True).order_by("name"),
        required=False,
        empty_label=_("The secretariat answers it"),
    )
    due_on = forms.DateField(label=_("To be answered by"), required=False)


class ReviewForm(PortalForm):
    submit_label = _("Record the review")

    action = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            ("accept", _("Accept the section")),
            ("return", _("Return it to the institution")),
            ("comment", _("Comment only")),
        ],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required to return the section or to comment."),
    )


class SubmittedForm(PortalForm):
    submit_label = _("Record the submission")

    submitted_on = forms.DateField(label=_("Submitted through the ERS on"))
    reference = forms.CharField(label=_("Reference of the submission"), max_length=120)


class CorrectionForm(PortalForm):
    submit_label = _("Start the correction")

    reason = forms.CharField(
        label=_("Why is the report corrected?"), widget=forms.Textarea(attrs={"rows": 3})
    )


class AnswerForm(forms.Form):
    """One question's answer, its fields made from the question's kind. A table's cells come as
    ``cell-<row>-<column key>``; rows left empty are dropped."""

    override_reason = forms.CharField(
        label=_("Why does this answer differ from the computed figure?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
    )

    def __init__(self, *args, question: Question, **kwargs):
        self.question = question
        kwargs.setdefault("prefix", f"q{question.pk}")
        super().__init__(*args, **kwargs)
        if question.kind == Kind.TABLE:
            self.fields["note"] = forms.CharField(
                label=_("Note"),
                required=False,
                widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
            )
            return
        self.fields["value"] = self._value_field(question)

    @staticmethod
    def _value_field(question: Question) -> forms.Field:
        label = question.text
        if question.kind == Kind.YES_NO:
            return forms.ChoiceField(
                label=label,
                required=False,
                widget=forms.RadioSelect,
                choices=[("yes", _("Yes")), ("no", _("No"))],
            )
        if question.kind == Kind.NUMBER:
            return forms.DecimalField(
                label=label,
                required=False,
                widget=forms.NumberInput(attrs={"class": "form-control", "step": "any"}),
            )
        if question.kind == Kind.DATE:
            return forms.DateField(
                label=label,
                required=False,
                widget=forms.DateInput(
                    attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"
                ),
            )
        if question.kind == Kind.CHOICE:
            return forms.ChoiceField(
                label=label,
                required=False,
                choices=[("", "—"), *((c, c) for c in question.choices)],
                widget=forms.Select(attrs={"class": "form-select"}),
            )
        return forms.CharField(
            label=label,
            required=False,
            widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
        )

    def _table_value(self) -> dict:
        prefix = self.add_prefix("cell")
        rows: dict[int, dict] = {}
        for name in self.data:
            if not name.startswith(prefix + "-"):
                continue
            index, _sep, key = name[len(prefix) + 1 :].partition("-")
            if not index.isdigit() or len(rows) > 5000:
                continue
            rows.setdefault(int(index), {})[key] = self.data.get(name, "").strip()
        return {
            "rows": [row for _i, row in sorted(rows.items())],
            "note": self.cleaned_data.get("note", ""),
        }

    def clean(self):
        cleaned = super().clean()
        if self.question.kind == Kind.TABLE:
            cleaned["answer"] = self._table_value()
        else:
            value = cleaned.get("value")
            if self.question.kind == Kind.YES_NO:
                value = {"yes": True, "no": False}.get(value)
            cleaned["answer"] = value
        return cleaned

    def add_service_error(self, error: ValidationError) -> None:
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                self.add_error(field if field in self.fields else None, errors)
        else:
            self.add_error(None, error)


class GroupAttributionForm(PortalForm):
    """How a group row of the trade table is attributed to the chemicals its code names."""

    submit_label = _("Attribute")

    mode = forms.ChoiceField(
        label=_("Attribution"),
        choices=[
            ("all", _("All of it to one chemical")),
            ("split", _("Split between its chemicals, with quantities")),
        ],
        widget=forms.RadioSelect,
        initial="all",
    )
    chemical = forms.ChoiceField(label=_("Chemical"), required=False)
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "What in the declarations' descriptions, or elsewhere, tells which chemical "
            "the goods held."
        ),
    )

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.members = list(members)
        self.fields["chemical"].choices = [("", "—")] + [(c.slug, c.name) for c in self.members]
        for chemical in self.members:
            self.fields[f"kg_{chemical.slug}"] = forms.DecimalField(
                label=_("%(chemical)s (kg)") % {"chemical": chemical.name},
                required=False,
                min_value=0,
                max_digits=20,
                decimal_places=3,
            )
        self.order_fields(["mode", "chemical", *[f"kg_{c.slug}" for c in self.members], "reason"])

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("mode") == "all" and not cleaned.get("chemical"):
            self.add_error("chemical", _("Choose the chemical the whole row goes to."))
        return cleaned

    def shares(self) -> dict:
        """Chemical code -> kg, or the one chemical -> None for the whole row."""
        if self.cleaned_data["mode"] == "all":
            return {self.cleaned_data["chemical"]: None}
        return {
            c.slug: self.cleaned_data.get(f"kg_{c.slug}")
            for c in self.members
            if self.cleaned_data.get(f"kg_{c.slug}")
        }
