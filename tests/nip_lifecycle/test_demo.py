"""The demo: a completed cycle for the 2009 amendments, endorsed by a closed ballot and
transmitted, and the current cycle for the 2023 and 2025 listings at step 5."""

import datetime

import pytest
from django.core.management import call_command

from nip_lifecycle.demo import CURRENT_TITLE, PAST_TITLE
from nip_lifecycle.models import Cycle, CycleEvent, EndorsementPackage, Step

pytestmark = pytest.mark.django_db


def counts():
    return (Cycle.objects.count(), Step.objects.count(), CycleEvent.objects.count())


def test_the_demo_has_a_past_and_a_current_cycle_and_runs_again_unchanged(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", verbosity=0)
    past = Cycle.objects.get(title=PAST_TITLE)
    assert past.status == Cycle.Status.TRANSMITTED and past.transmission_reference
    assert past.deadline() == datetime.date(2012, 8, 26)
    assert set(past.steps.values_list("status", flat=True)) == {Step.Status.COMPLETED}
    endorsement = past.steps.get(number=7).approval_ballot
    assert endorsement.status == "closed" and endorsement.result["outcome"] == "adopted"
    assert past.steps.get(number=4).reviews.filter(outcome="returned").exists()
    assert EndorsementPackage.objects.get(cycle=past).status == "ready"

    current = Cycle.objects.get(title=CURRENT_TITLE)
    assert [a.reference.code for a in current.amendments.all()] == ["cop-11", "cop-12"]
    statuses = dict(current.steps.values_list("number", "status"))
    assert [statuses[n] for n in range(1, 6)] == ["completed"] * 4 + ["in_progress"]
    assert current.issues.count() == 5
    assert all(issue.scores.count() == 6 for issue in current.issues.all())

    before = counts()
    call_command("seed_demo", verbosity=0)
    assert counts() == before
