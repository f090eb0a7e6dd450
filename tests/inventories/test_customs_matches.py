"""Customs lines are counted once: for the chemical their code identifies (specific), or under
their code when it names a group of chemicals (group) or only may hold one (indicative). National
codes that point at one chemical resolve a group code's lines, also for data already accepted."""

import datetime
import importlib
from decimal import Decimal

import pytest
from django.apps import apps
from django.db.models import Sum
from django.urls import reverse

from inventories import selectors_data as data
from inventories.forms import NationalCodeForm
from inventories.models import Chemical, CustomsRecord, CustomsTotal, HSCode, NationalProductCode
from tests.inventories.test_data_pages import customs_lines, make_dataset, make_version

pytestmark = pytest.mark.django_db

D = datetime.date(2025, 3, 14)
LINES = [
    (D, "import", "2903.82", "", "DE", "12000"),
    (D, "import", "2903.82.00", "", "FR", "9199.5"),
    (D, "import", "2910.40", "", "DE", "10"),
    (D, "import", "8504.22", "", "CN", "2300"),
    (D, "import", "3808.59", "", "IN", "700"),
]


@pytest.fixture
def accepted():
    version = make_version(make_dataset("customs"))
    customs_lines(version, LINES)
    return version


def test_a_group_line_is_counted_once_under_its_code_and_for_no_member(accepted):
    totals = CustomsTotal.objects.filter(version=accepted)
    assert totals.aggregate(kg=Sum("net_mass_kg"))["kg"] == Decimal("24209.5")
    assert not totals.filter(chemical__slug__in=["aldrin", "chlordane", "heptachlor"]).exists()
    group = totals.get(code="2903.82", flow="import", partner_country="DE")
    assert (group.match, group.chemical, group.net_mass_kg) == ("group", None, Decimal("12000"))
    assert totals.get(chemical__slug="dieldrin").net_mass_kg == Decimal("10")


def test_the_customs_page_shows_group_rows_labelled_and_linked_to_their_lines(
    client, viewer, accepted
):
    client.force_login(viewer)
    page = client.get(reverse("inventories:data-customs"), {"year": 2025, "flow": "import"})
    specific, groups, indicative = page.context["tables"]
    assert groups["match"] == "group"
    assert groups["mass"] == Decimal("21899.5")
    labels = {row["label"] for row in groups["rows"]}
    assert "Aldrin, Chlordane or Heptachlor — HS 2903.82" in labels
    html = page.content.decode()
    assert "Aldrin, Chlordane or Heptachlor — HS 2903.82" in html
    row = next(r for r in groups["rows"] if r["code"] == "2903.82" and r["partner_country"] == "FR")
    lines = client.get(reverse("inventories:data-customs-lines") + "?" + row["lines_query"])
    assert lines.status_code == 200
    assert lines.context["mass"] == row["mass_sum"] == Decimal("9199.5")
    # With a member chosen, the group rows that may hold it are shown, apart from its own.
    aldrin = Chemical.objects.get(slug="aldrin")
    context = data.customs_totals(chemical=aldrin)
    assert context["tables"][0]["rows"] == []
    assert {r["code"] for r in context["tables"][1]["rows"]} == {"2903.82", "3808.59"}


def test_a_national_code_saved_through_its_page_resolves_the_lines_already_accepted(
    client, secretariat, accepted, django_capture_on_commit_callbacks
):
    client.force_login(secretariat)
    page = client.get(reverse("inventories:national-code-list"))
    missing = {
        g["code"].code: {c.slug for c in g["missing"]} for g in page.context["unresolved_groups"]
    }
    assert missing["2903.82"] == {"aldrin", "chlordane", "heptachlor"}
    aldrin = Chemical.objects.get(slug="aldrin")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("inventories:national-code-create"),
            {
                "code": "2903.82.00",
                "description": "Aldrin",
                "hs_code": HSCode.objects.get(code="2903.82").pk,
                "chemicals": [aldrin.pk],
                "match": "specific",
            },
        )
    assert response.status_code == 302
    # The FR line carries the national code 2903.82.00 in its HS column only: not resolved.
    assert not CustomsTotal.objects.filter(version=accepted, chemical=aldrin).exists()
    NationalProductCode.objects.filter(code="2903.82.00").update(code="2903.82.10")
    CustomsRecord.objects.filter(version=accepted, hs_code="2903.82.00").update(
        national_code="2903.82.10"
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("inventories:national-code-edit", args=[NationalProductCode.objects.get().pk]),
            {
                "code": "2903.82.10",
                "description": "Aldrin, technical",
                "hs_code": HSCode.objects.get(code="2903.82").pk,
                "chemicals": [aldrin.pk],
                "match": "specific",
            },
        )
    resolved = CustomsTotal.objects.get(version=accepted, chemical=aldrin)
    assert (resolved.match, resolved.net_mass_kg) == ("specific", Decimal("9199.5"))
    total = CustomsTotal.objects.filter(version=accepted).aggregate(kg=Sum("net_mass_kg"))["kg"]
    assert total == Decimal("24209.5")  # nothing dropped, nothing counted twice
    page = client.get(reverse("inventories:national-code-list"))
    missing = {
        g["code"].code: {c.slug for c in g["missing"]} for g in page.context["unresolved_groups"]
    }
    assert missing["2903.82"] == {"chlordane", "heptachlor"}


def test_a_national_code_names_as_many_chemicals_as_its_kind_says(db):
    chemicals = Chemical.objects.filter(slug__in=["aldrin", "chlordane"])
    two = list(chemicals.values_list("pk", flat=True))
    specific = NationalCodeForm(
        {"code": "1", "description": "x", "chemicals": two, "match": "specific"}
    )
    assert not specific.is_valid() and "chemicals" in specific.errors
    group = NationalCodeForm(
        {"code": "1", "description": "x", "chemicals": two[:1], "match": "group"}
    )
    assert not group.is_valid() and "chemicals" in group.errors
    assert NationalCodeForm(
        {"code": "1", "description": "x", "chemicals": two, "match": "group"}
    ).is_valid()


def test_the_migration_turns_codes_naming_several_chemicals_into_groups(accepted):
    HSCode.objects.filter(code="2903.82").update(match="specific")
    national = NationalProductCode.objects.create(
        code="3824.84.90", description="x", match="specific"
    )
    national.chemicals.set(Chemical.objects.filter(slug__in=["aldrin", "ddt"]))
    CustomsRecord.objects.filter(version=accepted).update(match="specific")
    CustomsTotal.objects.filter(version=accepted).delete()
    migration = importlib.import_module("inventories.migrations.0003_customs_group_matches")
    migration.codes_to_groups(apps, None)
    assert HSCode.objects.get(code="2903.82").match == "group"
    assert NationalProductCode.objects.get().match == "group"
    matches = dict(CustomsRecord.objects.filter(version=accepted).values_list("hs_code", "match"))
    assert matches["2903.82"] == "group" and matches["8504.22"] == "indicative"
    total = CustomsTotal.objects.filter(version=accepted).aggregate(kg=Sum("net_mass_kg"))["kg"]
    assert total == Decimal("24209.5")
