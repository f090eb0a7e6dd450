"""Reads shared by pages, each costing a fixed number of queries however large the registry."""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from typing import NamedTuple

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.functional import SimpleLazyObject, cached_property
from django.utils.translation import gettext as _
from guardian.shortcuts import get_objects_for_user

from coordination.models import (
    Body,
    Convention,
    ConventionRole,
    Designation,
    Institution,
    Mandate,
    Membership,
    Person,
    User,
    today,
)
from ncm_portal import fragments

ROLE_ORDER = Case(
    When(role=Membership.Role.CHAIR, then=Value(0)),
    When(role=Membership.Role.VICE_CHAIR, then=Value(1)),
    When(role=Membership.Role.MEMBER, then=Value(2)),
    default=Value(3),
    output_field=IntegerField(),
)


# --- Institutions -----------------------------------------------------------------------------


def institution_list() -> QuerySet[Institution]:
    """The directory: each row with its parent, mandates, current seats and head count."""
    return (
        Institution.objects.select_related("parent")
        .prefetch_related(
            "mandates",
            Prefetch(
                "memberships",
                queryset=Membership.objects.current().select_related("body").order_by("body__name"),
                to_attr="current_memberships",
            ),
        )
        .annotate(people_count=Count("people", filter=Q(people__active=True), distinct=True))
        .order_by("name")
    )


def institution_detail(*, pk: int) -> dict:
    institution = get_object_or_404(
        Institution.objects.select_related("parent").prefetch_related("mandates", "children"),
        pk=pk,
    )
    designations = list(
        Designation.objects.filter(institution=institution).select_related(
            "person", "body", "convention_role__convention", "ended_by"
        )
    )
    memberships = list(
        Membership.objects.filter(institution=institution)
        .select_related("body")
        .order_by("body__name", "-start_date")
    )
    on = today()
    return {
        "institution": institution,
        "people": list(institution.people.select_related("user").order_by("-active", "name")),
        "current_designations": [d for d in designations if d.is_current(on)],
        "upcoming_designations": [d for d in designations if d.start_date > on],
        "past_designations": [d for d in designations if d.end_date and d.end_date <= on],
        "current_memberships": [m for m in memberships if m.is_current(on)],
        "past_memberships": [m for m in memberships if not m.is_current(on)],
        "warnings": vacancy_warnings(institution=institution),
    }


class _Seat(NamedTuple):
    """A seat as the body page counts and checks it (see body_detail)."""

    pk: int
    institution_id: int
    name: str
    acronym: str
    role: str
    start_date: datetime.date
    end_date: datetime.date | None
    has_principal: bool

    def is_current(self, on: datetime.date) -> bool:  # as Membership.is_current
        return self.start_date <= on and (self.end_date is None or self.end_date > on)


# --- Bodies -----------------------------------------------------------------------------------


def body_list() -> QuerySet[Body]:
    on = today()
    return (
        Body.objects.select_related("parent")
        .prefetch_related("conventions")
        .annotate(
            member_count=Count(
                "memberships",
                filter=Q(memberships__start_date__lte=on)
                & (Q(memberships__end_date__isnull=True) | Q(memberships__end_date__gt=on)),
                distinct=True,
            )
        )
        .order_by("parent_id", "name")
    )


def body_detail(*, pk: int, page=None, per_page: int = 50) -> dict:
    """The body, its seats and its current members' representatives, ``per_page`` members at a
    time (a national plenary seats hundreds of institutions). What comes from the registry is
    read when first used (``BodySeats``, the sub-bodies, the workplans): the page keeps it in
    cached fragments, so it is read only when one of them is built again."""
    body = get_object_or_404(Body.objects.select_related("parent"), pk=pk)
    seats = BodySeats(body, page=page, per_page=per_page)
    return {
        "body": body,
        "seats": seats,
        "warnings": SimpleLazyObject(lambda: seats.warnings),
        # The page links each sub-body by its name.
        "sub_bodies": SimpleLazyObject(
            lambda: list(Body.objects.filter(parent=body).only("pk", "name", "parent_id"))
        ),
        "workplans": SimpleLazyObject(lambda: list(body.workplans.order_by("-period_start"))),
    }


class BodySeats:
    """A body's seats as its page shows them, read on first use: the chair, the page of current
    members with their representatives, the former and future members, and the body's warnings
    (what vacancy_warnings(body=...) finds). Every seat is read as a few plain values (what the
    count, the chair and the warnings need); only the seats the page shows in full (the page's,
    the chair's and the former ones) are read as rows with their institution."""

    def __init__(self, body: Body, *, page=None, per_page: int = 50):
        self.body, self.page, self.per_page = body, page, per_page
        self.on = today()

    @cached_property
    def _seats(self) -> list["_Seat"]:
        # With the seats, whether each has a current principal representative.
        principal = Designation.objects.current(self.on).filter(
            body=self.body,
            institution_id=OuterRef("institution_id"),
            capacity=Designation.Capacity.PRINCIPAL,
        )
        return [
            _Seat(*row)
            for row in Membership.objects.filter(body=self.body)
            .annotate(role_order=ROLE_ORDER, has_principal=Exists(principal))
            .order_by("role_order", "institution__name", "-start_date")
            .values_list(
                "pk",
                "institution_id",
                "institution__name",
                "institution__acronym",
                "role",
                "start_date",
                "end_date",
                "has_principal",
            )
        ]

    @cached_property
    def _current(self) -> list["_Seat"]:
        return [s for s in self._seats if s.is_current(self.on)]

    @cached_property
    def _page(self):
        return Paginator(self._current, self.per_page).get_page(self.page)

    @cached_property
    def _page_seats(self) -> list["_Seat"]:
        return list(self._page.object_list)

    @cached_property
    def _chair(self):
        return next((s for s in self._current if s.role == Membership.Role.CHAIR), None)

    @cached_property
    def _past(self) -> list[int]:
        return [s.pk for s in self._seats if not s.is_current(self.on)]

    @cached_property
    def _rows(self) -> dict[int, Membership]:
        shown = {s.pk for s in self._page_seats} | set(self._past)
        if self._chair:
            shown.add(self._chair.pk)
        if not shown:
            return {}
        rows = Membership.objects.filter(pk__in=shown).select_related("institution").in_bulk()
        for m in rows.values():
            m.body = self.body
        return rows

    @cached_property
    def _designations(self) -> list[Designation]:
        """The current designations to the body of the page's seats and those ending soon. Each
        is a representative to this body, so the person is the only join."""
        horizon = self.on + datetime.timedelta(days=settings.NCM_DESIGNATION_ENDING_WARNING_DAYS)
        designations = list(
            Designation.objects.current(self.on)
            .filter(body=self.body)
            .filter(
                Q(institution_id__in=[s.institution_id for s in self._page_seats])
                | Q(end_date__lte=horizon)
            )
            .select_related("person")
            .order_by("start_date")
        )
        for d in designations:
            d.body = self.body
        return designations

    @cached_property
    def chair(self) -> Membership | None:
        return self._rows[self._chair.pk] if self._chair else None

    @cached_property
    def members(self):
        """The page of current members, each with its ``principal`` and ``alternates``."""
        page = self._page
        representatives = defaultdict(lambda: {"principal": None, "alternates": []})
        for d in self._designations:
            if d.kind != Designation.Kind.REPRESENTATIVE:
                continue
            seat = representatives[d.institution_id]
            if d.capacity == Designation.Capacity.PRINCIPAL:
                seat["principal"] = d
            else:
                seat["alternates"].append(d)
        page.object_list = [self._rows[s.pk] for s in self._page_seats]
        for membership in page.object_list:
            seat = representatives[membership.institution_id]
            membership.principal = seat["principal"]
            membership.alternates = seat["alternates"]
        return page

    @cached_property
    def past_memberships(self) -> list[Membership]:
        return [self._rows[pk] for pk in self._past]

    @cached_property
    def warnings(self) -> list["VacancyWarning"]:
        return _body_warnings(self.body, self._current, self._designations, self.on)


# --- People -----------------------------------------------------------------------------------


def person_detail(*, pk: int) -> dict:
    person = get_object_or_404(Person.objects.select_related("institution", "user"), pk=pk)
    designations = list(
        person.designations.select_related(
            "institution", "body", "convention_role__convention", "ended_by"
        )
    )
    on = today()
    return {
        "person": person,
        "current_designations": [d for d in designations if d.is_current(on)],
        "other_designations": [d for d in designations if not d.is_current(on)],
    }


def invitation_of(person: Person):
    """The person's invitation to sign in, if one was ever sent."""
    from coordination.models import Invitation

    return Invitation.objects.filter(user_id=person.user_id).select_related("sent_by").first()


# --- Conventions and the map of who covers what -----------------------------------------------


def convention_roles_with_holders() -> list[Convention]:
    """Each convention with its roles; each role with its current holders and its history."""
    conventions = list(Convention.objects.prefetch_related("roles"))
    on = today()
    by_role = defaultdict(list)
    for d in (
        Designation.objects.filter(kind=Designation.Kind.CONVENTION)
        .select_related("person", "institution", "ended_by")
        .order_by("-start_date")
    ):
        by_role[d.convention_role_id].append(d)
    for convention in conventions:
        for role in convention.roles.all():
            history = by_role[role.pk]
            role.current = [d for d in history if d.is_current(on)]
            role.principal = next(
                (d for d in role.current if d.capacity == Designation.Capacity.PRINCIPAL), None
            )
            role.alternates = [
                d for d in role.current if d.capacity == Designation.Capacity.ALTERNATE
            ]
            role.history = [d for d in history if not d.is_current(on)]
    return conventions


@dataclass
class MatrixRow:
    institution: Institution
    mandates: list[bool]
    conventions: list[list[Designation]]
    focal_points: list[Designation]


def mandates_matrix() -> dict:
    """Institutions against mandates and conventions, with their current focal points."""
    mandates = list(Mandate.objects.all())
    conventions = list(Convention.objects.filter(covered=True))
    on = today()
    designations = defaultdict(list)
    for d in (
        Designation.objects.current(on)
        .filter(kind__in=[Designation.Kind.CONVENTION, Designation.Kind.INSTITUTION_FOCAL_POINT])
        .select_related("person", "convention_role")
        .order_by("-capacity", "person__name")  # principal before alternate
    ):
        designations[d.institution_id].append(d)
    rows = []
    for institution in Institution.objects.filter(active=True).prefetch_related("mandates"):
        held = {m.pk for m in institution.mandates.all()}
        mine = designations[institution.pk]
        rows.append(
            MatrixRow(
                institution=institution,
                mandates=[m.pk in held for m in mandates],
                conventions=[
                    [
                        d
                        for d in mine
                        if d.kind == Designation.Kind.CONVENTION
                        and d.convention_role.convention_id == c.pk
                    ]
                    for c in conventions
                ],
                focal_points=[
                    d for d in mine if d.kind == Designation.Kind.INSTITUTION_FOCAL_POINT
                ],
            )
        )
    return {"mandates": mandates, "conventions": conventions, "rows": rows}


# --- Warnings ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class VacancyWarning:
    kind: str  # "no_principal", "role_vacant" or "ending_soon"
    message: str
    url: str


def _no_principal_warning(seat: Membership) -> VacancyWarning:
    return _no_principal(seat.institution, seat.body)


def _no_principal(institution, body) -> VacancyWarning:
    return VacancyWarning(
        "no_principal",
        _("%(institution)s has no principal representative in %(body)s.")
        % {"institution": institution, "body": body},
        reverse("coordination:institution-detail", args=[institution.pk]),
    )


def _ending_warning(d: Designation, on: datetime.date) -> VacancyWarning:
    return VacancyWarning(
        "ending_soon",
        _("%(person)s's designation as %(role)s ends on %(date)s, in %(days)s days.")
        % {
            "person": d.person,
            "role": d.role_label,
            "date": date_format(d.end_date),
            "days": (d.end_date - on).days,
        },
        reverse("coordination:person-detail", args=[d.person_id]),
    )


def _body_warnings(body, current, designations, on) -> list[VacancyWarning]:
    """vacancy_warnings(body=body), from the rows the body page has already loaded: its current
    seats (with whether each has a principal) and the current designations to it that end soon
    (among others)."""
    seats = sorted((s for s in current if s.role != Membership.Role.OBSERVER), key=lambda s: s.name)
    horizon = on + datetime.timedelta(days=settings.NCM_DESIGNATION_ENDING_WARNING_DAYS)
    ending = sorted(
        (d for d in designations if d.end_date and d.end_date <= horizon),
        key=lambda d: (d.start_date, d.pk),
        reverse=True,
    )
    return [
        _no_principal(
            Institution(pk=seat.institution_id, name=seat.name, acronym=seat.acronym), body
        )
        for seat in seats
        if not seat.has_principal
    ] + [_ending_warning(d, on) for d in ending]


def vacancy_warnings(
    *,
    institution: Institution | None = None,
    body: Body | None = None,
    on: datetime.date | None = None,
) -> list[VacancyWarning]:
    """Holes in the mechanism: seats without a principal representative, convention roles with
    nobody designated (registry-wide only), designations ending soon. Three queries at most,
    two for one institution or body."""
    on = on or today()
    warnings: list[VacancyWarning] = []

    seats = Membership.objects.current(on).exclude(role=Membership.Role.OBSERVER)
    reps = Designation.objects.current(on).filter(
        kind=Designation.Kind.REPRESENTATIVE, capacity=Designation.Capacity.PRINCIPAL
    )
    ending = Designation.objects.ending_within(settings.NCM_DESIGNATION_ENDING_WARNING_DAYS, on)
    if institution is not None:
        seats, reps = seats.filter(institution=institution), reps.filter(institution=institution)
        ending = ending.filter(Q(institution=institution) | Q(person__institution=institution))
    if body is not None:
        seats, reps, ending = (
            seats.filter(body=body),
            reps.filter(body=body),
            ending.filter(body=body),
        )

    represented = reps.filter(body=OuterRef("body_id"), institution=OuterRef("institution_id"))
    vacant = seats.filter(~Exists(represented))
    for seat in vacant.select_related("body", "institution").order_by(
        "body__name", "institution__name"
    ):
        warnings.append(_no_principal_warning(seat))

    if institution is None and body is None:
        filled = Designation.objects.current(on).filter(
            kind=Designation.Kind.CONVENTION,
            capacity=Designation.Capacity.PRINCIPAL,
            convention_role=OuterRef("pk"),
        )
        roles = ConventionRole.objects.filter(convention__covered=True).filter(~Exists(filled))
        for role in roles.select_related("convention"):
            warnings.append(
                VacancyWarning(
                    "role_vacant",
                    _("Nobody is designated as %(role)s.") % {"role": role},
                    reverse("coordination:convention-list") + f"#role-{role.pk}",
                )
            )

    for d in ending.select_related("person", "institution", "body", "convention_role__convention"):
        warnings.append(_ending_warning(d, on))
    return warnings


def mechanism_warnings() -> list[VacancyWarning]:
    """``vacancy_warnings()`` for the whole mechanism, as the secretariat's and administrators'
    home pages show them: kept in the cache under the registry's stamp (coordination.fragments:
    every seat, designation, person, institution, body and convention role retires it), the
    language and today's date, so three queries and their rows are read once a day or change."""
    from coordination.fragments import REGISTRY

    return cache.get_or_set(
        "registry:warnings|" + fragments.key(REGISTRY), vacancy_warnings, fragments.TIMEOUT
    )


def body_representatives(body: Body, *, on: datetime.date | None = None, institutions=None):
    """The current principal and alternate representatives of the body's current member
    institutions (optionally only some of them)."""
    on = on or today()
    members = Membership.objects.current(on).filter(body=body)
    if institutions is not None:
        members = members.filter(institution__in=institutions)
    return (
        Designation.objects.current(on)
        .filter(
            kind=Designation.Kind.REPRESENTATIVE,
            body=body,
            institution__in=members.values("institution_id"),
        )
        .select_related("person", "person__user", "institution")
        .order_by("institution__name", "capacity")
    )


# --- Dashboards -------------------------------------------------------------------------------


def institutions_for_focal_point(user: User) -> QuerySet[Institution]:
    """The institutions whose record this user keeps as its focal point."""
    return get_objects_for_user(
        user, "coordination.change_institution", klass=Institution, accept_global_perms=False
    ).order_by("name")


def bodies_served_by(user: User) -> QuerySet[Body]:
    return get_objects_for_user(
        user, "coordination.change_body", klass=Body, accept_global_perms=True
    ).order_by("name")


def registry_counts(**more: QuerySet) -> dict:
    """The registry's sizes, and those of any other querysets given, in one query."""
    on = today()
    return count_all(
        institutions=Institution.objects.filter(active=True),
        bodies=Body.objects.filter(active=True),
        people=Person.objects.filter(active=True),
        designations=Designation.objects.current(on),
        users=User.objects.filter(is_active=True),
        **more,
    )


def count_all(**querysets: QuerySet) -> dict[str, int]:
    """The number of rows of each queryset, in one query."""
    parts, params = [], []
    for i, queryset in enumerate(querysets.values()):
        sql, query_params = queryset.order_by().values("pk").query.sql_with_params()
        # The SQL is the ORM's own compilation; its parameters stay parameters.
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) AS counted_{i})")  # noqa: S608
        params.extend(query_params)
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        return dict(zip(querysets, cursor.fetchone(), strict=True))


def focal_point_user_ids(institution_ids, on: datetime.date) -> dict[int, set[int]]:
    """Institution id -> ids of the users who are its current focal points."""
    result: dict[int, set[int]] = defaultdict(set)
    rows = (
        Designation.objects.current(on)
        .filter(
            kind=Designation.Kind.INSTITUTION_FOCAL_POINT,
            institution_id__in=set(institution_ids),
            person__user__is_active=True,
        )
        .values_list("institution_id", "person__user_id")
    )
    for institution_id, user_id in rows:
        result[institution_id].add(user_id)
    return result
