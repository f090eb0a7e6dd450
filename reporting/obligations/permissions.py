"""Who may do what with the obligations under the conventions.

- Whoever reads the national reports reads the obligations and the country's standing.
- Those who manage reports (the secretariat, administrators: ``reporting.manage_report``) plan
  the coming obligations, record the events that open Rotterdam obligations, and record any
  obligation as met.
- The person currently designated (principal or alternate) to the convention role that answers
  for an obligation, or to that convention's official contact point, records it as met.
"""

import datetime

from django.utils import timezone

from reporting import permissions as report_perms

OFFICIAL_CONTACT_POINT = "official-contact-point"


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def can_view(user) -> bool:
    return report_perms.can_view_report(user)


def can_manage(user) -> bool:
    return report_perms.can_manage_reports(user)


def held_roles(user, on: datetime.date | None = None) -> frozenset[tuple[str, str]]:
    """The (convention, role) pairs the user's person currently holds, in one query."""
    person = getattr(user, "person", None) if _active(user) else None
    if person is None:
        return frozenset()
    from coordination.models import Designation

    return frozenset(
        Designation.objects.current(on or timezone.localdate())
        .filter(person=person, kind=Designation.Kind.CONVENTION)
        .values_list("convention_role__convention__code", "convention_role__code")
    )


def answers_for(held: frozenset, convention: str, role: str) -> bool:
    return (convention, role) in held or (convention, OFFICIAL_CONTACT_POINT) in held


def may_complete(user, instance, held: frozenset | None = None) -> bool:
    """Whoever may record this obligation as met, whatever its state. ``held`` (from
    held_roles) spares a query per row on pages listing many."""
    if not _active(user):
        return False
    if can_manage(user):
        return True
    held = held_roles(user) if held is None else held
    return answers_for(held, instance.convention.code, instance.responsible_role)


def can_complete(user, instance, held: frozenset | None = None) -> bool:
    return instance.can_complete() and may_complete(user, instance, held)
