"""The demo's Basel annual report: the report on the year before the day the demo is built is
in draft, its exports and imports prefilled from the demo's accepted movements of wastes, the
figures adding up to the accepted rows; running the demo again adds nothing."""

import pytest
from django.core.management import call_command

from inventories.models import BaselMovementRecord, DatasetVersion
from inventories.selectors_data import accepted_version_ids
from reporting.models import Answer, Report
from reporting.prefill_basel import total_tonnes

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_basel_report_in_draft_from_accepted_movements(today):
    from reporting.demo import basel_demo_round

    call_command("seed_demo", verbosity=0)
    version = DatasetVersion.objects.get(pk__in=accepted_version_ids("basel_movements"))
    movements = BaselMovementRecord.objects.filter(version=version)
    assert movements.count() == 7 and all(m.shipped_on.year == today.year - 1 for m in movements)
    round_ = basel_demo_round(today)
    if round_ is None:  # built after the last year the reference data holds
        assert not Report.objects.filter(round__convention="basel").exists()
        return
    report = Report.objects.get(round=round_)
    assert report.status == Report.Status.DRAFT and round_.due >= today
    exports = Answer.objects.get(report=report, question__code="II-1").prefilled["rows"]
    imports = Answer.objects.get(report=report, question__code="II-2").prefilled["rows"]
    exported = sum(m.quantity_t for m in movements if m.export_country == "VR")
    imported = sum(m.quantity_t for m in movements if m.import_country == "VR")
    assert total_tonnes(exports) == pytest.approx(float(exported))
    assert total_tonnes(imports) == pytest.approx(float(imported))
    assert sum(r["movements"] for r in exports + imports) == 7
    call_command("seed_demo", verbosity=0)
    assert Report.objects.filter(round__convention="basel").count() == 1
    assert DatasetVersion.objects.filter(dataset__dataset_type="basel_movements").count() == 1
