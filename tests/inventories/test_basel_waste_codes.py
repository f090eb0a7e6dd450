"""The reference list of the entries of Annexes VIII and IX of the Basel Convention: every entry
has its source and a code of its list's shape; an A or B code of a list held entirely is checked
against it (an unknown one rejected with a message naming it, a known one accepted), and a list
held only in part keeps the pattern check alone."""

import pytest
from django.utils import translation

from inventories import waste_codes
from inventories.models import DatasetVersion, RejectedRow
from inventories.schemas import WASTE_CODE
from tests.inventories.test_basel_movements import movement, upload

pytestmark = pytest.mark.django_db
Status = DatasetVersion.Status


def test_every_entry_has_a_source_and_the_shape_of_its_list():
    import re

    entries = waste_codes.entries()
    assert entries, "the reference list is empty"
    for code, row in entries.items():
        assert re.match(WASTE_CODE, code), code
        assert code[0] == row["list"] and row["annex"] == {"A": "VIII", "B": "IX"}[row["list"]]
        assert row["source"], code
        assert row["name_confirmed"] in ("yes", "no"), code
        assert bool(row["short_name"]) == (row["name_confirmed"] == "yes"), code
    # The plastic waste amendments (decision BC-14/12) are in.
    assert {"A3210", "B3011"} <= set(entries)


def test_with_a_list_held_entirely_an_unknown_code_is_rejected_by_name(
    focal_point, institution, monkeypatch
):
    monkeypatch.setattr(waste_codes, "COMPLETE_LISTS", frozenset({"A", "B"}))
    rows = [
        movement(1, waste_code="a3210"),
        movement(2, waste_code="B3011"),
        movement(3, waste_code="A1999"),
        movement(4, waste_code="B4999"),
        movement(5, waste_code="Y48"),  # Annexes I and II: by pattern, as before
    ]
    version = upload(focal_point, institution, rows)
    assert version.status == Status.VALIDATED, (version.error, version.top_reasons)
    rejected = {r.row_number: r for r in RejectedRow.objects.filter(version=version)}
    assert set(rejected) == {4, 5}
    assert {r.code for r in rejected.values()} == {"unknown_waste_code"}
    assert rejected[4].column == "waste_code"
    assert "A1999" in rejected[4].reason and "Annex VIII" in rejected[4].reason
    assert "B4999" in rejected[5].reason
    # The message is kept as its template and parameters, and read in the reader's language.
    with translation.override("fr"):
        assert "A1999" in rejected[4].reason_text
    assert version.rows_accepted == 3


def test_with_a_list_held_in_part_a_code_of_its_shape_passes(focal_point, institution):
    assert not waste_codes.COMPLETE_LISTS  # as shipped: see the reference README
    version = upload(focal_point, institution, [movement(1, waste_code="A1999")])
    assert version.status == Status.VALIDATED, (version.error, version.top_reasons)
    assert (version.rows_accepted, version.rows_rejected) == (1, 0)
