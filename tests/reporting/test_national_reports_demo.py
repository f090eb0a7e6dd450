"""The demo's Minamata report: the round due next on the day the demo is built has its Article
21 report in draft, the section on mercury supply sources and trade assigned to the customs
service; running the demo again adds nothing."""

import pytest

from reporting.models import Report, Round

pytestmark = pytest.mark.django_db


# --- Demo --------------------------------------------------------------------------------------


def test_the_demo_has_the_current_minamata_round_in_draft_and_runs_again(today):
    from django.core.management import call_command

    from reporting.demo import current_minamata_round

    call_command("seed_demo", verbosity=0)
    round_ = current_minamata_round(today)
    if round_ is None:  # built after the last round the register holds: that one, late
        round_ = max(Round.objects.filter(convention="minamata"), key=lambda r: r.due)
        assert round_.due < today
    else:
        assert round_.due >= today
    report = Report.objects.get(round=round_)
    assert report.status == Report.Status.DRAFT
    trade = report.assignments.get(section__code="B-3")
    assert trade.institution.acronym == "VCS" and trade.due_on > today
    call_command("seed_demo", verbosity=0)
    assert Report.objects.filter(round__convention="minamata").count() == 1
