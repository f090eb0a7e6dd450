"""The demo's inventories are accepted after one run and feed the pages."""

import pytest
from django.core.management import call_command

from inventories.models import CustomsTotal, Dataset, DatasetVersion, UPOPsRelease

pytestmark = pytest.mark.django_db


def test_one_run_leaves_every_demo_dataset_accepted_and_a_second_changes_nothing():
    call_command("seed_demo", verbosity=0)
    datasets = Dataset.objects.select_related("accepted_version")
    assert {d.dataset_type for d in datasets} == {
        "customs",
        "monitoring",
        "pesticides",
        "pcb",
        "upops",
        "basel_movements",
    }
    assert all(d.accepted_version is not None for d in datasets)
    customs = Dataset.objects.get(dataset_type="customs").accepted_version
    assert customs.rows_accepted >= 2000 and customs.rows_rejected == 2
    assert CustomsTotal.objects.filter(version=customs, match="specific").exists()
    assert UPOPsRelease.objects.exists()
    before = (DatasetVersion.objects.count(), CustomsTotal.objects.count())
    call_command("seed_demo", verbosity=0)
    assert (DatasetVersion.objects.count(), CustomsTotal.objects.count()) == before
