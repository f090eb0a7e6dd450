import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from coordination.models import (
    Body,
    Convention,
    Designation,
    Institution,
    Mandate,
    Membership,
    Task,
)
from coordination.selectors import institutions_for_focal_point


def _bootstrap(form) -> None:
    """Give filter widgets Bootstrap's small form classes."""
    for field in form.fields.values():
        small = (
            "form-select form-select-sm"
            if hasattr(field.widget, "choices")
            else ("form-control form-control-sm")
        )
        field.widget.attrs.setdefault("class", small)


class InstitutionFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Institution.Kind.choices)
    body = django_filters.ModelChoiceFilter(
        label=_("Member of"), queryset=Body.objects.filter(active=True), method="member_of"
    )
    convention = django_filters.ModelChoiceFilter(
        label=_("Convention"), queryset=Convention.objects.all(), method="works_on"
    )
    mandate = django_filters.ModelChoiceFilter(
        label=_("Mandate"), queryset=Mandate.objects.all(), field_name="mandates"
    )
    active = django_filters.BooleanFilter(label=_("Active"))

    class Meta:
        model = Institution
        fields = ["q", "kind", "body", "convention", "mandate", "active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _bootstrap(self.form)

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(acronym__icontains=value))

    def member_of(self, queryset, name, value):
        return queryset.filter(
            pk__in=Membership.objects.current().filter(body=value).values("institution_id")
        )

    def works_on(self, queryset, name, value):
        """Holds a current role under the convention, or sits in a body that covers it."""
        designated = Designation.objects.current().filter(
            kind=Designation.Kind.CONVENTION, convention_role__convention=value
        )
        seated = Membership.objects.current().filter(body__conventions=value)
        return queryset.filter(
            Q(pk__in=designated.values("institution_id"))
            | Q(pk__in=seated.values("institution_id"))
        )


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
        fields = ["q", "mine", "overdue", "status", "convention", "body", "funding_source",
                  "lead_institution"]  # fmt: skip

    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        _bootstrap(self.form)
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
