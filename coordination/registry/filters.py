"""The filters of the institution list."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from coordination.models import Body, Convention, Designation, Institution, Mandate, Membership
from ncm_portal.forms import small_widgets


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
        small_widgets(self.form)

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
