"""Coordination's part of the demo (see ncm_portal/demo.py for the registry that runs it): the
mechanism of a fictional Party, its registry (registry.py, designations.py), its joint workplan
(workplans.py), meetings (meetings.py) and ballots (ballots.py), and the regions of ``--scale``
(scale.py). Every date is the story's, moved by the demo calendar (coordination/demo_calendar.py).
"""

from django.core.management.base import CommandError
from django.utils import timezone

from coordination.accounts.roles import ensure_role_groups
from coordination.demo.ballots import seed_ballots
from coordination.demo.designations import seed_designations
from coordination.demo.meetings import seed_meetings
from coordination.demo.registry import (
    DEMO_PASSWORD,
    seed_accounts,
    seed_bodies,
    seed_institutions,
    seed_memberships,
    seed_people,
)
from coordination.demo.scale import seed_regions
from coordination.demo.workplans import PLAN_ADOPTED, seed_workplan
from coordination.demo_calendar import DemoCalendar
from coordination.models import (
    Body,
    Designation,
    Institution,
    Mandate,
    Person,
    WorkplanRevision,
)
from coordination.services import focal_point_permissions_sync


def seed_mechanism(run) -> None:
    """The mechanism: institutions, people, bodies, seats and designations, the demo accounts,
    the joint workplan, two years of meetings and the ballots. Fills in ``run`` for the apps'
    seeders that follow."""
    ensure_role_groups()
    mandates = {m.code: m for m in Mandate.objects.all()}
    if not mandates:
        raise CommandError("Reference data is missing: run 'manage.py migrate' first.")
    run.calendar = calendar = demo_calendar()
    run.institutions = institutions = seed_institutions(mandates)
    run.people = people = seed_people(institutions)
    run.bodies = bodies = seed_bodies()
    seed_memberships(calendar, bodies, institutions)
    seed_designations(calendar, people, institutions, bodies)
    run.users = users = seed_accounts(people, bodies)
    seed_workplan(calendar, bodies["SC"], institutions, people, users)
    seed_meetings(calendar, bodies, institutions, people, users)
    seed_ballots(calendar, bodies, users)
    focal_point_permissions_sync()


def seed_scale(run) -> None:
    """With ``--scale N``, N-1 regions (see scale.py)."""
    if run.scale > 1:
        seed_regions(run.calendar, run.scale, run.bodies["NCM"], run.secretariat)


def sync_focal_points(run) -> None:
    """Focal points' object permissions, for the designations the apps' seeders added."""
    focal_point_permissions_sync()


def summary(run) -> str:
    """What the demo holds, for the command's last line."""
    return (
        f"Demo mechanism ready: {Institution.objects.count()} institutions, "
        f"{Person.objects.count()} people, {Body.objects.count()} bodies, "
        f"{Designation.objects.count()} designations, {len(run.users)} demo accounts "
        f"(password: {DEMO_PASSWORD})."
    )


def demo_calendar() -> DemoCalendar:
    """The calendar of the demo already here (its workplan's adoption fixes it), or one that
    puts the story's day on today."""
    adopted = (
        WorkplanRevision.objects.filter(
            workplan__body__acronym="SC",
            workplan__title__startswith="Joint workplan",
            number=1,
            adopted_at__isnull=False,
        )
        .order_by("pk")
        .values_list("adopted_at", flat=True)
        .first()
    )
    if adopted is None:
        return DemoCalendar.for_day(timezone.localdate())
    day = timezone.localdate(adopted)
    return DemoCalendar(day - PLAN_ADOPTED)
