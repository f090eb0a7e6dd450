"""The filters of the task list."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from coordination.models import (
    Body,
    Convention,
    Institution,
    Task,
)
from coordination.registry.selectors import institutions_for_focal_point
from ncm_portal.forms import small_widgets


class TaskFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), field_name="title", lookup_expr="icontains")
    mine = django_filters.BooleanFilter(label=_("My institution's tasks"), method="my_tasks")
    overdue = django_filters.BooleanFilter(label=_("Overdue only"), method="overdue_only")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Task.Status.choices)
    convention = django_filters.ModelChoiceFilter(
        label=_("Convention"), queryset=Convention.objects.all(), field_name="conventions"
    )
    body = django_filters.ModelChoiceFilter(
        label=_("Body"),
        queryset=Body.objects.filter(active=True),
        field_name="activity__workplan__body",
    )
    funding_source = django_filters.ChoiceFilter(
        label=_("Funding source"), choices=Task.Funding.choices
    )
    lead_institution = django_filters.ModelChoiceFilter(
        label=_("Lead institution"), queryset=Institution.objects.filter(active=True)
    )

    class Meta:
        model = Task
        fields = [
            "q",
            "mine",
            "overdue",
            "status",
            "convention",
            "body",
            "funding_source",
            "lead_institution",
        ]

    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        small_widgets(self.form)
        for name in ("mine", "overdue"):
            self.form.fields[name].widget = forms.CheckboxInput(attrs={"class": "form-check-input"})

    def my_tasks(self, queryset, name, value):
        if not value or self.user is None:
            return queryset
        person = getattr(self.user, "person", None)
        mine = Q(lead_institution__in=institutions_for_focal_point(self.user))
        if person is not None:
            mine |= Q(lead_institution_id=person.institution_id) | Q(assignee=person)
        return queryset.filter(mine).distinct()

    def overdue_only(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(Task.overdue_q())
