"""Registry pages cost a fixed number of queries however large the mechanism grows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coordination.models import Designation, Mandate
from tests.factories import (
    BodyFactory,
    DesignationFactory,
    InstitutionFactory,
    MembershipFactory,
    PersonFactory,
    convention_role,
)

pytestmark = pytest.mark.django_db


def grow(body, n):
    mandates = list(Mandate.objects.all()[:3])
    for _ in range(n):
        institution = InstitutionFactory()
        institution.mandates.set(mandates)
        MembershipFactory(body=body, institution=institution)
        DesignationFactory(
            person=PersonFactory(institution=institution),
            kind=Designation.Kind.REPRESENTATIVE,
            body=body,
        )
        DesignationFactory(
            person=PersonFactory(institution=institution),
            kind=Designation.Kind.REPRESENTATIVE,
            capacity=Designation.Capacity.ALTERNATE,
            body=body,
        )
        DesignationFactory(
            person=PersonFactory(institution=institution),
            kind=Designation.Kind.CONVENTION,
            capacity=Designation.Capacity.ALTERNATE,
            convention_role=convention_role("basel", "focal-point"),
        )


def count_queries(client, url):
    # A first request fills the process-wide caches (content types), whatever ran before.
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "page",
    [
        "institution-list",
        "body-detail",
        "body-list",
        "mandate-matrix",
        "convention-list",
        "dashboard",
    ],
)
def test_page_costs_the_same_with_3_or_30_institutions(client, secretariat, page):
    body = BodyFactory()
    url = reverse(f"coordination:{page}", args=[body.pk] if page == "body-detail" else [])
    client.force_login(secretariat)
    grow(body, 3)
    small = count_queries(client, url)
    grow(body, 27)
    large = count_queries(client, url)
    assert small == large, f"{page}: {small} queries with 3 institutions, {large} with 30"


def test_directory_filters_keep_the_count(client, secretariat):
    body = BodyFactory()
    client.force_login(secretariat)
    url = reverse("coordination:institution-list") + f"?body={body.pk}&convention=1&q=Inst"
    grow(body, 3)
    small = count_queries(client, url)
    grow(body, 12)
    assert count_queries(client, url) == small
