"""Obligations under the conventions for the reminder engine, the calendar and "What needs me":
each open instance, due to the convention's secretariat, reminds those who manage reports and
the people designated to the convention role that answers for it, from 90 days ahead until it
is recorded as met (and for a year past its due date). The calendar shows the open ones.

Stockholm's reports and NIP transmissions are reminded by their own kinds."""

import datetime

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from coordination.models import Convention, Designation, Role
from ncm_portal.deadlines import Deadline, DeadlineKind, rows
from reporting import permissions as perms
from reporting.deadline_providers import manager_user_ids
from reporting.models import ObligationInstance
from reporting.obligations import permissions as obligation_perms
from reporting.obligations import register

KIND = "convention_obligation_due"
LEADS = (90, 30, 7, 0)
OVERDUE_DAYS = 365  # reminded for a year past the due date


def _window(on: datetime.date):
    return ObligationInstance.objects.open().filter(
        due_on__gte=on - datetime.timedelta(days=OVERDUE_DAYS),
        due_on__lte=on + datetime.timedelta(days=max(LEADS)),
    )


def _deadline(pk, code, label, due, recipients, context=None, response_pk=None) -> Deadline:
    """An import response links to its own page, where it is prepared; any other obligation to
    its row on its convention's page."""
    url = (
        reverse("reporting:import-response", args=[response_pk])
        if response_pk
        else reverse("reporting:obligations-convention", args=[code]) + f"#obligation-{pk}"
    )
    return Deadline(
        kind=KIND,
        key=f"obligation:{pk}",
        due=due,
        title=str(label),
        url=url,
        recipient_ids=tuple(recipients),
        context=context or {},
    )


def _context(instance) -> dict:
    """What a reminder says beyond the title: the convention (in the reader's language), the
    article, and whether the register could confirm the date."""
    entry = register.obligations().get(instance.obligation)
    return {
        "convention": Convention.Code(instance.convention.code).label,
        "article": entry.article if entry else "",
        "confirmed": instance.due_confirmed,
    }


def _holders(on: datetime.date) -> dict[tuple[str, str], set[int]]:
    """Users currently designated to each (convention, role), principal or alternate."""
    found: dict[tuple[str, str], set[int]] = {}
    for convention, role, user_id in (
        Designation.objects.current(on)
        .filter(kind=Designation.Kind.CONVENTION, person__user__is_active=True)
        .values_list(
            "convention_role__convention__code", "convention_role__code", "person__user_id"
        )
    ):
        found.setdefault((convention, role), set()).add(user_id)
    return found


def obligations_due(on: datetime.date):
    instances = list(_window(on).select_related("convention", "import_response"))
    if not instances:
        return
    managers = set(manager_user_ids())
    holders = _holders(on)
    for instance in instances:
        code = instance.convention.code
        recipients = (
            managers
            | holders.get((code, instance.responsible_role), set())
            | holders.get((code, "official-contact-point"), set())
        )
        if recipients:
            response = getattr(instance, "import_response", None)
            yield _deadline(
                instance.pk,
                code,
                instance.label,
                instance.due_on,
                sorted(recipients),
                _context(instance),
                response.pk if response else None,
            )


def obligation_rows(me, on: datetime.date):
    """For a person who manages reports (as manager_user_ids counts them): every open
    obligation in the window; for one designated to a convention role: the obligations that
    role (or that convention's official contact point) answers for."""
    user = me.user
    manager = (
        not user.is_superuser
        and user.role in (Role.SECRETARIAT, Role.ADMINISTRATOR)
        and perms.can_manage_reports(user)
    )
    held = [
        (d.convention_role.convention.code, d.convention_role.code)
        for d in me.designations
        if d.kind == Designation.Kind.CONVENTION
    ]
    if not manager and not held:
        return None
    instances = _window(on)
    if not manager:
        mine = Q()
        for convention, role in held:
            mine |= Q(convention__code=convention, responsible_role=role)
            if role == "official-contact-point":
                mine |= Q(convention__code=convention)
        instances = instances.filter(mine)
    return rows(
        instances,
        KIND,
        id1="pk",
        id2="import_response__id",
        day="due_on",
        text1="label",
        text2="convention__code",
    )


def obligations_from_rows(me, on: datetime.date, found):
    for row in found:
        yield _deadline(
            row["id1"],
            row["text2"],
            row["text1"],
            row["day"],
            (me.user_id,),
            response_pk=row["id2"],
        )


def obligations_in_range(start: datetime.date, end: datetime.date, body=None):
    instances = ObligationInstance.objects.open().filter(due_on__gte=start, due_on__lte=end)
    if body is not None:
        instances = instances.filter(responsible_body=body)
    for instance in instances.select_related("convention", "import_response"):
        response = getattr(instance, "import_response", None)
        yield _deadline(
            instance.pk,
            instance.convention.code,
            instance.label,
            instance.due_on,
            (),
            {"body_id": instance.responsible_body_id, "status": instance.status()},
            response.pk if response else None,
        )


KINDS = [
    DeadlineKind(
        KIND,
        _("Obligations under the Basel, Rotterdam and Minamata conventions"),
        obligations_due,
        lead_days=LEADS,
        overdue_every_days=30,
        calendar=obligations_in_range,
        person_rows=obligation_rows,
        from_rows=obligations_from_rows,
        visible_to=obligation_perms.can_view,
    ),
]
