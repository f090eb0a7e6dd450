"""Meetings, their agenda, replies, minutes and action items."""

from django import forms
from django.forms.formsets import INITIAL_FORM_COUNT, TOTAL_FORM_COUNT, BaseFormSet, ManagementForm
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from coordination.models import (
    ActionItem,
    AgendaItem,
    Attendance,
    Institution,
    Meeting,
    MinutesItem,
    Person,
    Reply,
)
from ncm_portal.forms import LocalDateTimeField, PortalForm, PortalModelForm, in_own_time_zone


class MeetingForm(PortalModelForm):
    start = LocalDateTimeField(label=_("Starts"))
    end = LocalDateTimeField(label=_("Ends"))
    online_link = forms.URLField(label=_("Online link"), required=False, assume_scheme="https")
    short_notice_reason = forms.CharField(
        label=_("Reason for short notice"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed only when a convened meeting moves closer than the notice period."),
    )

    class Meta:
        model = Meeting
        # The time zone first: the times are read in it.
        fields = [
            "title",
            "kind",
            "time_zone",
            "start",
            "end",
            "modality",
            "venue",
            "online_link",
            "public",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk or self.instance.status != Meeting.Status.CONVENED:
            del self.fields["short_notice_reason"]

    def clean(self):
        """Dates are typed in the meeting's own time zone."""
        return in_own_time_zone(super().clean())

    def _post_clean(self):
        pass


class ConveneForm(PortalForm):
    submit_label = _("Send the notice")

    short_notice_reason = forms.CharField(
        label=_("Reason for short notice"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AgendaItemForm(PortalModelForm):
    submit_label = _("Add to the agenda")

    class Meta:
        model = AgendaItem
        fields = ["title", "presenter", "expected_outcome"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["presenter"].queryset = Person.objects.filter(active=True).select_related(
            "institution"
        )
        self.fields["presenter"].label_from_instance = lambda p: f"{p.name} ({p.institution})"


class ReplyForm(PortalForm):
    submit_label = _("Send my reply")

    response = forms.ChoiceField(
        label=_("Your reply"), choices=Reply.Response.choices, widget=forms.RadioSelect
    )


class MinutesItemForm(PortalModelForm):
    submit_label = _("Save")

    class Meta:
        model = MinutesItem
        fields = ["summary", "decisions"]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "decisions": forms.Textarea(attrs={"rows": 2}),
        }


class ActionItemForm(PortalModelForm):
    submit_label = _("Add the action (it becomes a workplan task)")

    class Meta:
        model = ActionItem
        fields = ["title", "lead_institution", "due_date"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_institution"].queryset = Institution.objects.filter(active=True)


BLANK = [("", "—")]


class AttendanceRowForm(PortalForm):
    """One member institution's row of the attendance sheet. The rules (who may stand in, who
    represents whom) are the service's: ``attendance_sheet_save``."""

    presence = forms.ChoiceField(
        label=_("Presence"), choices=BLANK + Attendance.Presence.choices, required=False
    )
    # Any person may be posted; the service says why one is refused, on the row.
    person = forms.ModelChoiceField(label=_("Who"), queryset=Person.objects.all(), required=False)
    stand_in_name = forms.CharField(
        label=_("Stand-in's name"),
        required=False,
        max_length=200,
    )
    mode = forms.ChoiceField(
        label=_("How"),
        choices=BLANK + Attendance._meta.get_field("mode").choices,
        required=False,
    )

    def __init__(self, *args, row, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.row = row
        institution = row["membership"].institution
        representatives = [
            (d.person_id, f"{d.person.name} ({d.get_capacity_display().lower()})")
            for d in row["representatives"]
        ]
        listed = {pk for pk, _label in representatives}
        staff = [(p.pk, p.name) for p in people if p.pk not in listed]
        recorded = row.get("attendance")
        if recorded and recorded.person and recorded.person_id not in listed | set(dict(staff)):
            staff.append((recorded.person_id, recorded.person.name))  # since left, say
        choices = list(BLANK)
        if representatives:
            choices.append((_("Representatives"), representatives))
        if staff:
            label = _("Staff of %(institution)s") % {"institution": institution.name}
            choices.append((label, staff))
        self.fields["person"].widget.choices = choices
        for name, field in self.fields.items():
            css = "form-control" if name == "stand_in_name" else "form-select"
            field.widget.attrs.update(
                {
                    "class": f"{css} {css}-sm",
                    "aria-label": f"{field.label}, {institution.name}",
                }
            )

    def row_data(self) -> dict | None:
        """The row as ``attendance_sheet_save`` takes it, or None when no presence is chosen."""
        data = self.cleaned_data
        if not data.get("presence"):
            return None
        return {"institution": self.row["membership"].institution, **data}


class AttendanceSheet(BaseFormSet):
    """The attendance sheet: one form per member institution at the meeting, named by the
    institution (``i<pk>-presence``...). The server knows the rows, so the sheet's count is not
    posted."""

    form = AttendanceRowForm
    extra = 0
    can_order = can_delete = can_delete_extra = False
    min_num = validate_min = validate_max = 0
    max_num = absolute_max = 1000
    renderer = None

    def __init__(self, data=None, *, rows, people=(), **kwargs):
        self.rows = rows
        self.people = {}
        for person in people:
            self.people.setdefault(person.institution_id, []).append(person)
        initial = [self._initial(row.get("attendance")) for row in rows]
        super().__init__(data, initial=initial, prefix="attendance", **kwargs)

    @staticmethod
    def _initial(attendance) -> dict:
        if attendance is None:
            return {}
        chosen = attendance.presence == Attendance.Presence.STAND_IN and attendance.person_id
        return {
            "presence": attendance.presence,
            "person": attendance.person_id,
            "stand_in_name": "" if chosen else attendance.stand_in_name,
            "mode": attendance.mode,
        }

    @cached_property
    def management_form(self):
        count = len(self.rows)
        counts = {TOTAL_FORM_COUNT: count, INITIAL_FORM_COUNT: count}
        form = ManagementForm(
            {f"{self.prefix}-{key}": value for key, value in counts.items()},
            auto_id=self.auto_id,
            prefix=self.prefix,
            renderer=self.renderer,
        )
        form.full_clean()
        return form

    def add_prefix(self, index):
        return f"i{self.rows[index]['membership'].institution_id}"

    def get_form_kwargs(self, index):
        row = self.rows[index]
        return {"row": row, "people": self.people.get(row["membership"].institution_id, [])}

    def rows_to_save(self) -> list[dict]:
        return [data for form in self.forms if (data := form.row_data()) is not None]

    def add_service_error(self, error) -> None:
        """Put each refused row's error on that row; any other error above the sheet."""
        by_institution = getattr(error, "by_institution", None)
        if by_institution is None:
            self._non_form_errors = self.error_class(error.messages)
            return
        forms_by_institution = {form.row["membership"].institution_id: form for form in self.forms}
        for pk, row_error in by_institution.items():
            forms_by_institution[pk].add_service_error(row_error)
