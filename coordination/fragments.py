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
  own tables add their records (``nip_lifecycle.fragments``, ``reporting.fragments``).
- ``deadlines``: each person's "What needs me" list on the home page (``coordination.home``):
  every table its kinds of deadline read (each app declares its own), and the standing it is
  read for (designations, seats, role groups, permissions). A test reads the list for every
  kind of person and checks that each table it read is declared here.
- ``users``: the accounts (the number of active ones on the home page).
"""

from ncm_portal import fragments

REGISTRY = "registry"
WORKPLANS = "workplans"
CALENDAR = "calendar"
DEADLINES = "deadlines"
USERS = "users"


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
        User,
        Workplan,
    )

    return {
        Institution: (REGISTRY, WORKPLANS, DEADLINES),
        Mandate: (REGISTRY,),
        Body: (REGISTRY, CALENDAR, DEADLINES),
        Membership: (REGISTRY, DEADLINES),
        Person: (REGISTRY, WORKPLANS, DEADLINES),
        Designation: (REGISTRY, DEADLINES),
        Convention: (REGISTRY, CALENDAR, DEADLINES),
        ConventionRole: (REGISTRY, DEADLINES),
        Workplan: (WORKPLANS, CALENDAR, DEADLINES),
        Activity: (WORKPLANS, CALENDAR, DEADLINES),
        Task: (WORKPLANS, CALENDAR, DEADLINES),
        Meeting: (CALENDAR, DEADLINES),
        ExternalEvent: (CALENDAR,),
        ReportingRound: (CALENDAR, DEADLINES),
        **dict.fromkeys(_deadline_models(), (DEADLINES,)),
        User: (USERS,),
    }


def _deadline_models():
    """The other tables the home page's deadlines read: meetings' agendas, replies and minutes,
    documents and who read them, ballots and their electors, progress reports, and the standing
    of the person (role groups, permissions, object permissions on bodies and institutions)."""
    from django.contrib.auth.models import Group, Permission
    from django.contrib.contenttypes.models import ContentType
    from guardian.models import GroupObjectPermission, UserObjectPermission

    from coordination import models

    names = (
        "AgendaItem",
        "Ballot",
        "BallotOption",
        "Document",
        "DocumentRead",
        "DocumentVersion",
        "Elector",
        "EligibleVoter",
        "Minutes",
        "Participation",
        "ProgressReport",
        "Reply",
    )
    return [
        *(getattr(models, name) for name in names),
        Group,
        Permission,
        ContentType,
        UserObjectPermission,
        GroupObjectPermission,
        models.User.groups.through,
        models.User.user_permissions.through,
    ]


def connect() -> None:
    fragments.connect(_models(), "coordination")
