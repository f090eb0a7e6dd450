"""Which changes retire which cached fragments (see ncm_portal.fragments).

- ``registry``: the institution directory (its filter form, counter, rows and pages), a body's
  page (its heading and chair, warnings, rules, sub-bodies and mandate, member table and
  former members) and the mechanism's warnings on the home page: institutions, mandates,
  bodies, seats (memberships), people and their designations, conventions and their roles.
- ``workplans``: a workplan page's task tables and timeline, and the list of a body's
  workplans on its page: workplans, activities and tasks, and the institutions and people
  they name.
- ``calendar``: the calendar's month and list (what it shows does not depend on who looks):
  meetings, external events, tasks (with their activities and workplans, for the body filter),
  progress reporting rounds, bodies and conventions, and the deadlines of the other apps, whose
  own tables add their records (``nip_lifecycle.fragments``, ``reporting.fragments``). A
  service that writes with ``QuerySet.update`` bumps the name itself (``round_close``).
"""

from ncm_portal import fragments

REGISTRY = "registry"
WORKPLANS = "workplans"
CALENDAR = "calendar"


def _models():
    from coordination.models import (
        Activity,
        Body,
        Convention,
        ConventionRole,
        Designation,
        ExternalEvent,
        Institution,
        Mandate,
        Meeting,
        Membership,
        Person,
        ReportingRound,
        Task,
        Workplan,
    )

    return {
        Institution: (REGISTRY, WORKPLANS),
        Mandate: (REGISTRY,),
        Body: (REGISTRY, CALENDAR),
        Membership: (REGISTRY,),
        Person: (REGISTRY, WORKPLANS),
        Designation: (REGISTRY,),
        Convention: (REGISTRY, CALENDAR),
        ConventionRole: (REGISTRY,),
        Workplan: (WORKPLANS, CALENDAR),
        Activity: (WORKPLANS, CALENDAR),
        Task: (WORKPLANS, CALENDAR),
        Meeting: (CALENDAR,),
        ExternalEvent: (CALENDAR,),
        ReportingRound: (CALENDAR,),
    }


def connect() -> None:
    fragments.connect(_models(), "coordination")
