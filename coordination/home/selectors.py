"""The home page's "What needs me" list: who the signed-in person is in the mechanism (their
standing, read once per page), and every registered kind of deadline asked what concerns them.

The list is the reminders' own deadlines (see ``ncm_portal.deadlines.for_person``): what the
page shows today is what the e-mails remind of, at their lead times."""

import datetime
import hashlib
import zoneinfo
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone, translation
from guardian.shortcuts import get_objects_for_user

from coordination.fragments import DEADLINES
from coordination.models import Body, Designation, Person, Role, User
from ncm_portal import deadlines, fragments


@dataclass(frozen=True)
class Me:
    """A person's standing on one day: enough for every kind to tell, without a query, whether
    it can concern them, and to narrow its query to their rows when it can."""

    user: User
    person: Person | None
    on: datetime.date
    designations: tuple[Designation, ...] = ()  # current, with body and convention role
    served_bodies: tuple[Body, ...] = ()  # the bodies whose secretariat they are
    zone: datetime.tzinfo = field(default=datetime.UTC)

    @property
    def user_id(self) -> int:
        return self.user.pk

    @property
    def person_id(self) -> int | None:
        return self.person.pk if self.person else None

    @property
    def focal_institution_ids(self) -> frozenset[int]:
        return frozenset(
            d.institution_id
            for d in self.designations
            if d.kind == Designation.Kind.INSTITUTION_FOCAL_POINT
        )

    @property
    def representations(self) -> tuple[Designation, ...]:
        return tuple(d for d in self.designations if d.kind == Designation.Kind.REPRESENTATIVE)

    @property
    def served_body_ids(self) -> frozenset[int]:
        return frozenset(b.pk for b in self.served_bodies)

    def holds(self, convention_code: str, role_code: str) -> bool:
        return any(
            d.kind == Designation.Kind.CONVENTION
            and d.convention_role.code == role_code
            and d.convention_role.convention.code == convention_code
            for d in self.designations
        )


def served_bodies(user: User) -> list[Body]:
    """The bodies a user serves by object permission (as ``body_secretariat`` counts them:
    administrators by flag alone serve none)."""
    if user.role not in (Role.ADMINISTRATOR, Role.SECRETARIAT):
        return []
    return list(
        get_objects_for_user(
            user,
            "coordination.change_body",
            klass=Body,
            accept_global_perms=False,
            with_superuser=False,
        ).order_by("name")
    )


def me_for(user: User, *, on: datetime.date | None = None, served=None) -> Me:
    """The standing of a signed-in user: one query for their current designations, one for
    the bodies they serve (secretariat and administrators only; pass ``served`` if the page
    has them already)."""
    on = on or timezone.localdate()
    person = getattr(user, "person", None) if user.is_active else None
    designations = ()
    if person is not None:
        designations = tuple(
            Designation.objects.current(on)
            .filter(person=person)
            .select_related("institution", "body", "convention_role__convention")
        )
    try:
        zone = zoneinfo.ZoneInfo(user.time_zone or settings.TIME_ZONE)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    return Me(
        user=user,
        person=person,
        on=on,
        designations=designations,
        served_bodies=tuple(served if served is not None else served_bodies(user)),
        zone=zone,
    )


@dataclass(frozen=True)
class Item:
    """One line of the list: the deadline, how urgent it is, and its kind's label."""

    deadline: deadlines.Deadline
    label: str
    overdue: bool
    days_left: int

    @property
    def is_moment(self) -> bool:
        return isinstance(self.deadline.due, datetime.datetime)


def what_needs_me(me: Me) -> list[Item]:
    """Everything the mechanism expects of this person, most urgent first."""
    now = timezone.now()
    items = []
    for deadline in deadlines_for(me, now):
        kind = deadlines.get(deadline.kind)
        due = deadline.due
        if isinstance(due, datetime.datetime):
            overdue = due <= now
            day = timezone.localtime(due, me.zone).date()
        else:
            overdue = due < me.on
            day = due
        items.append(Item(deadline, kind.label, overdue, (day - me.on).days))
    return items


def deadlines_for(me: Me, now: datetime.datetime) -> list[deadlines.Deadline]:
    """``deadlines.for_person``, kept in the cache for this person and day until a table that
    the kinds read changes (the ``deadlines`` stamp, ``coordination.fragments``) or until the
    first moment in the list passes: a meeting that starts or a ballot that closes leaves the
    list then, as it would if read afresh. The key carries what the list is read for: the
    person's standing, day, time zone and language."""
    standing = (
        me.user.pk,
        me.user.role.value,
        me.person_id,
        me.on.isoformat(),
        str(me.zone),
        translation.get_language() or "",
        tuple(
            (d.pk, d.kind, d.body_id, d.institution_id, d.convention_role_id, d.capacity)
            for d in me.designations
        ),
        tuple(sorted(me.served_body_ids)),
    )
    digest = hashlib.sha256(repr(standing).encode()).hexdigest()[:32]
    key = f"home:needs:{me.user.pk}:{digest}:{fragments.stamp(DEADLINES)}"
    found = cache.get(key)
    if found is None:
        found = deadlines.for_person(me, me.on)
        moments = [
            value
            for deadline in found
            for value in (deadline.due, *deadline.context.values())
            if isinstance(value, datetime.datetime) and value > now
        ]
        timeout = fragments.TIMEOUT
        if moments:
            timeout = min(timeout, max(1, int((min(moments) - now).total_seconds())))
        cache.set(key, found, timeout)
    return found


def mechanism_at_a_glance() -> tuple[dict, list[dict]]:
    """The registry's sizes with the overdue tasks, and the open progress rounds' missing
    reports, as the secretariat's and administrators' home pages show them: kept in the cache
    until a table they count changes (the registry, workplans, deadlines and accounts stamps of
    ``coordination.fragments``) or the day does."""
    from coordination.fragments import REGISTRY, USERS, WORKPLANS
    from coordination.registry.selectors import registry_counts
    from coordination.workplans.selectors import open_rounds_missing, overdue_tasks

    def read():
        return registry_counts(overdue_tasks=overdue_tasks()), open_rounds_missing()

    key = "home:glance|" + fragments.key(REGISTRY, WORKPLANS, DEADLINES, USERS)
    return cache.get_or_set(key, read, fragments.TIMEOUT)


def bodies_served(user: User, *, key: str | None = None) -> list[Body]:
    """The bodies whose secretariat this user is (``bodies_served_by``), kept in the cache until
    a body, a role group or a permission changes (the registry and deadlines stamps); ``key`` is
    ``bodies_served_key(user)`` when the page has it already."""
    from coordination.registry.selectors import bodies_served_by

    key = "home:served|" + (key or bodies_served_key(user))
    return cache.get_or_set(key, lambda: list(bodies_served_by(user)), fragments.TIMEOUT)


def bodies_served_key(user: User) -> str:
    """What the bodies a user serves, and their cards on the home page, are cached under."""
    from coordination.fragments import REGISTRY

    return f"{user.pk}|" + fragments.key(REGISTRY, DEADLINES)
