"""The rows of a version are keyed by the version and their place in it: 0, 1, … in the order the
ingest wrote them, the rows a correction carries over first. The file's row numbers stay as they
were, so two rows of one version may share one; pages go by place and miss none of them."""

import csv
import io

import pytest
from django.urls import reverse

from inventories import selectors
from inventories.models import CustomsRecord
from inventories.services import ingest
from tests.inventories.helpers import csv_bytes, customs_row, receive


def _places(version) -> list[tuple[int, int, str]]:
    return list(
        CustomsRecord.objects.filter(version=version)
        .order_by("pk")
        .values_list("ordinal", "row_number", "declaration_id")
    )


def _correction_sharing_a_row_number(focal_point, institution):
    rows = [customs_row(1), customs_row(2, net_mass_kg="-5"), customs_row(3)]
    first = receive(focal_point, institution, csv_bytes(rows))
    lines = list(ingest.rejected_rows_csv(first))
    place = lines[0].index("declaration_id")
    fixed = [cell.replace("-5", "5") for cell in lines[1]]
    split = list(fixed)  # the fixed row, and a second declaration found on the same line
    split[place] = "SPLIT-1"
    content = io.StringIO()
    csv.writer(content, lineterminator="\n").writerows([lines[0], fixed, split])
    second = receive(
        focal_point, institution, content.getvalue().encode(), name="fixed.csv", corrects=first
    )
    return first, second


def test_a_correction_places_its_rows_after_those_it_keeps(focal_point, institution):
    first, second = _correction_sharing_a_row_number(focal_point, institution)
    assert [(o, n) for o, n, _ in _places(first)] == [(0, 2), (1, 4)]
    kept, fixed_row = customs_row(1)["declaration_id"], customs_row(2)["declaration_id"]
    assert _places(second) == [
        (0, 2, kept),
        (1, 4, customs_row(3)["declaration_id"]),
        (2, 3, fixed_row),
        (3, 3, "SPLIT-1"),  # the same row number as the row before it
    ]
    assert second.rows_accepted == CustomsRecord.objects.filter(version=second).count() == 4


def test_the_version_page_pages_by_place_and_misses_no_row(focal_point, institution):
    _first, second = _correction_sharing_a_row_number(focal_point, institution)
    seen, after = [], -1
    while after is not None:
        rows, after = selectors.records_page(second, CustomsRecord, after=after, size=3)
        seen.extend(r.declaration_id for r in rows)
    assert seen == [d for _, _, d in _places(second)]


def test_the_version_page_links_to_the_next_rows_by_place(client, focal_point, institution):
    rows = [customs_row(n) for n in range(1, 53)]
    version = receive(focal_point, institution, csv_bytes(rows))
    client.force_login(focal_point)
    url = reverse("inventories:version-detail", args=[version.pk])
    page = client.get(url)
    assert page.context["next_after"] == 49 and page.context["after"] is None
    following = client.get(url, {"after": 49})
    assert following.context["row_numbers"] == [52, 53]
    assert following.context["after"] == 49 and following.context["next_after"] is None


@pytest.mark.django_db(transaction=True)
def test_the_migration_to_places_keeps_every_row_and_its_order(focal_point, institution):
    """Back to ids and forward to places again: every row of every version is kept, with the
    same cells, in the same order, and a version's places are 0…n-1 in that order."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    def rows(version):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT row_number, declaration_id FROM inventories_customsrecord "
                "WHERE version_id = %s ORDER BY " + order,
                [version.pk],
            )
            return cursor.fetchall()

    first = receive(focal_point, institution, csv_bytes([customs_row(n) for n in (3, 1, 2)]))
    second = receive(focal_point, institution, csv_bytes([customs_row(n) for n in (9, 8)]))
    order = "ordinal"
    before = {v.pk: rows(v) for v in (first, second)}
    assert before[first.pk] == [(2, "VR-2025-000003"), (3, "VR-2025-000001"), (4, "VR-2025-000002")]
    try:
        executor = MigrationExecutor(connection)
        executor.migrate([("inventories", "0007_basel_movements")])
        order = "id"
        assert {v.pk: rows(v) for v in (first, second)} == before
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
    order = "ordinal"
    assert {v.pk: rows(v) for v in (first, second)} == before
    for version in (first, second):
        places = CustomsRecord.objects.filter(version=version).values_list("ordinal", flat=True)
        assert sorted(places) == list(range(len(before[version.pk])))
