"""The rows table of a version's page is kept in the cache once built
(``inventories.display.records_table``): the next request after reading the file again shows the
rows read anew, each language and page has its own table, and the cache never opens a version to
a reader who may not see it."""

import pytest
from django.urls import reverse

from coordination.models import Designation, Role
from coordination.services import focal_point_permissions_sync
from inventories import services
from inventories.models import CustomsRecord, DatasetVersion
from tests.factories import DesignationFactory, PersonFactory, UserFactory
from tests.inventories.helpers import committed, csv_bytes, customs_row, receive

pytestmark = pytest.mark.django_db


@pytest.fixture
def page(client):
    def fetch(user, version, language="en", **query):
        client.force_login(user)
        url = reverse("inventories:version-detail", args=[version.pk])
        response = client.get(url, query, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200
        return response.content.decode()

    return fetch


def test_the_rows_are_cached_until_the_file_is_read_again(page, focal_point, institution):
    rows = [customs_row(1, declared_on="03/04/2025", trader="Veridia Power Ltd")]
    version = receive(focal_point, institution, csv_bytes(rows))
    assert version.status == DatasetVersion.Status.VALIDATED and version.day_first
    assert "<td>April 3, 2025</td>" in page(focal_point, version)

    # Behind the portal's back, nothing is seen: the rows come from the cache.
    CustomsRecord.objects.filter(version=version).update(trader="Renamed quietly")
    html = page(focal_point, version)
    assert "Renamed quietly" not in html and "<td>Veridia Power Ltd</td>" in html

    with committed():
        services.version_retry(
            actor=focal_point, version=version, day_first=False, decimal_comma=False
        )
    version.refresh_from_db()
    assert version.status == DatasetVersion.Status.VALIDATED and not version.day_first
    html = page(focal_point, version)
    assert "<td>March 4, 2025</td>" in html and "April 3, 2025" not in html


def test_each_language_and_page_of_rows_has_its_own_table(page, focal_point, institution):
    rows = [customs_row(n, net_mass_kg="1234.5") for n in range(1, 53)]
    version = receive(focal_point, institution, csv_bytes(rows))
    english = page(focal_point, version)
    assert "<td>March 14, 2025</td>" in english and "<td>1234.500</td>" in english
    french = page(focal_point, version, language="fr")
    assert "<td>14 mars 2025</td>" in french and "<td>1234,500</td>" in french
    assert "<td>Importation</td>" in french and "<td>Import</td>" not in french
    assert "<td>Import</td>" in page(focal_point, version)  # English again, not the French rows

    first = page(focal_point, version)
    following = page(focal_point, version, after=49)
    assert "<td>VR-2025-000001</td>" in first and "<td>VR-2025-000052</td>" not in first
    assert "<td>VR-2025-000052</td>" in following and "<td>VR-2025-000001</td>" not in following
    assert "<td>VR-2025-000001</td>" in page(focal_point, version)


def test_the_cached_rows_open_the_version_to_no_one_else(
    client, page, focal_point, institution, other_institution, secretariat, viewer
):
    version = receive(focal_point, institution, csv_bytes([customs_row(1)]))
    assert "<td>VR-2025-000001</td>" in page(focal_point, version)
    assert "<td>VR-2025-000001</td>" in page(secretariat, version)  # every institution's data

    other = UserFactory(email="other-focal@ncm.test", role=Role.FOCAL_POINT)
    person = PersonFactory(institution=other_institution, user=other)
    DesignationFactory(person=person, kind=Designation.Kind.INSTITUTION_FOCAL_POINT)
    focal_point_permissions_sync()
    url = reverse("inventories:version-detail", args=[version.pk])
    for reader in (other, viewer):
        client.force_login(reader)
        response = client.get(url)
        assert response.status_code == 403
        assert "VR-2025-000001" not in response.content.decode()


def test_a_correction_shows_its_own_rows(page, focal_point, institution):
    first = receive(
        focal_point, institution, csv_bytes([customs_row(1), customs_row(2, net_mass_kg="-5")])
    )
    assert "<td>VR-2025-000002</td>" not in page(focal_point, first)  # rejected
    second = receive(
        focal_point,
        institution,
        csv_bytes([customs_row(2)]),
        name="fixed.csv",
        corrects=first,
    )
    html = page(focal_point, second)
    assert "<td>VR-2025-000001</td>" in html and "<td>VR-2025-000002</td>" in html


def test_only_the_first_pages_are_kept(page, focal_point, institution, monkeypatch):
    """A reader walking deep into a large version does not fill the cache (which the task
    queue shares): pages past ``CACHED_ROWS`` are written on each request."""
    from inventories import display

    monkeypatch.setattr(display, "CACHED_ROWS", 10)
    rows = [customs_row(n, trader="Veridia Power Ltd") for n in range(1, 53)]
    version = receive(focal_point, institution, csv_bytes(rows))
    page(focal_point, version)
    page(focal_point, version, after=49)
    CustomsRecord.objects.filter(version=version).update(trader="Renamed quietly")
    assert "Renamed quietly" not in page(focal_point, version)  # the first page, kept
    assert "<td>Renamed quietly</td>" in page(focal_point, version, after=49)  # written anew
