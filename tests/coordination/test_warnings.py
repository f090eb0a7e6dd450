import datetime

import pytest
from django.urls import reverse

from coordination.models import Convention, Designation
from coordination.registry.selectors import vacancy_warnings
from tests.factories import BodyFactory, DesignationFactory, MembershipFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def only_stockholm(db):
    Convention.objects.exclude(code="stockholm").update(covered=False)


def kinds(warnings):
    return sorted(w.kind for w in warnings)


def test_a_member_without_a_principal_is_flagged(institution, only_stockholm, today):
    body = BodyFactory(name="Steering Committee")
    MembershipFactory(body=body, institution=institution)
    messages = [w.message for w in vacancy_warnings(body=body, on=today)]
    assert messages == [
        "Veridia Customs Service (VCS) has no principal representative in Steering Committee."
    ]
    DesignationFactory(
        person=PersonFactory(institution=institution),
        kind=Designation.Kind.REPRESENTATIVE,
        capacity=Designation.Capacity.ALTERNATE,
        body=body,
    )
    assert len(vacancy_warnings(body=body, on=today)) == 1  # an alternate is not enough
    DesignationFactory(
        person=PersonFactory(institution=institution),
        kind=Designation.Kind.REPRESENTATIVE,
        body=body,
    )
    assert vacancy_warnings(body=body, on=today) == []


def test_observers_need_no_representative(institution, today):
    body = BodyFactory()
    MembershipFactory(body=body, institution=institution, role="observer")
    assert vacancy_warnings(body=body, on=today) == []


def test_vacant_convention_roles_only_for_covered_conventions(only_stockholm, today):
    warnings = vacancy_warnings(on=today)
    assert [w.message for w in warnings] == [
        "Nobody is designated as Stockholm Convention: Official contact point.",
        "Nobody is designated as Stockholm Convention: National focal point.",
    ]
    assert warnings[0].url.startswith(reverse("coordination:convention-list") + "#role-")


def test_designations_ending_within_sixty_days(institution, only_stockholm, today):
    person = PersonFactory(institution=institution, name="Erik Lund")
    DesignationFactory(person=person, end_date=today + datetime.timedelta(days=60))
    DesignationFactory(
        person=PersonFactory(institution=institution),
        kind=Designation.Kind.INSTITUTION_FOCAL_POINT,
        capacity=Designation.Capacity.ALTERNATE,
        end_date=today + datetime.timedelta(days=61),
    )
    ending = list(vacancy_warnings(institution=institution, on=today))
    assert kinds(ending) == ["ending_soon"]
    assert "Erik Lund" in ending[0].message
    assert "in 60 days" in ending[0].message


def test_warnings_appear_on_dashboard_institution_and_body_pages(client, secretariat, institution):
    body = BodyFactory(name="Technical Committee")
    MembershipFactory(body=body, institution=institution)
    client.force_login(secretariat)
    text = "has no principal representative in Technical Committee"
    for url in (
        reverse("coordination:dashboard"),
        reverse("coordination:institution-detail", args=[institution.pk]),
        reverse("coordination:body-detail", args=[body.pk]),
    ):
        assert text in client.get(url).content.decode(), url
