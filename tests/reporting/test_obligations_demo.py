"""The demo's obligations: a Basel report met on time, a Minamata report met late, a Rotterdam
import response due and a notification late, the standing adding up, and running the demo again
changing nothing."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from reporting.models import ObligationEvent, ObligationInstance
from reporting.obligations import reports, selectors

pytestmark = pytest.mark.django_db


def test_the_demo_carries_obligations_of_every_convention_and_runs_again():
    call_command("seed_demo", verbosity=0)
    today = timezone.localdate()
    instances = ObligationInstance.objects.select_related("convention")
    assert {i.convention.code for i in instances} == {"basel", "rotterdam", "minamata"}
    basel_done = [i for i in instances if i.obligation == "basel-annual-report" and i.is_done]
    assert basel_done and all(i.met_on_time for i in basel_done)
    assert all(
        i.completed_by.person.designations.filter(convention_role__code="focal-point").exists()
        for i in basel_done
    )
    minamata = [i for i in instances if i.obligation.startswith("minamata-")]
    # A Minamata report met late; or, built after the register's last Minamata date, that last
    # round's report in draft and its obligation late, to be met by the report's submission.
    assert any(i.met_on_time is False for i in minamata) or any(
        i.status(today) == "late" and reports.report_for(i) is not None for i in minamata
    )
    response = instances.get(obligation="rotterdam-import-response")
    notification = instances.get(obligation="rotterdam-regulatory-action")
    assert response.status(today) == "due" and notification.status(today) == "late"
    assert response.responsible_institution is not None
    assert response.import_response.status == "proposed"  # awaits the steering committee
    assert response.import_response.steering_committee is not None

    counts = (ObligationInstance.objects.count(), ObligationEvent.objects.count())
    call_command("seed_demo", verbosity=0)
    assert (ObligationInstance.objects.count(), ObligationEvent.objects.count()) == counts

    standing = selectors.standing(on=today)
    assert sum(item["total"] for item in standing) == len(selectors.obligation_rows(on=today))
    assert all(item["focal_points"] for item in standing)
