"""Every write to the registry goes through here: permission and state checks, the change,
its history row (django-simple-history, attributed to the actor), and the side effects once
the transaction has committed."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, get_users_with_perms, remove_perm

from coordination import permissions as perms
from coordination.models import (
    Body,
    ConventionRole,
    Designation,
    Institution,
    Membership,
    Person,
    User,
)
from ncm_portal.services import assign_fields, check_period, save_with_history

INSTITUTION_FIELDS = {
    "name",
    "acronym",
    "kind",
    "parent",
    "email",
    "phone",
    "address",
    "website",
    "active",
    "notes",
}
PERSON_FIELDS = {
    "name",
    "title",
    "institution",
    "email",
    "phone",
    "language",
    "user",
    "active",
    "notes",
}
BODY_FIELDS = {
    "name",
    "acronym",
    "kind",
    "parent",
    "mandate",
    "terms_of_reference",
    "meetings_per_year",
    "notice_period_days",
    "quorum_share",
    "active",
}


# --- Institutions ---------------------------------------------------------------------------


@transaction.atomic
def institution_create(*, actor: User, mandates=(), **fields) -> Institution:
    perms.require(perms.can_add_institution(actor))
    institution = Institution()
    assign_fields(institution, fields, INSTITUTION_FIELDS)
    save_with_history(institution, actor)
    institution.mandates.set(mandates)
    return institution


@transaction.atomic
def institution_update(
    *, actor: User, institution: Institution, mandates=None, **fields
) -> Institution:
    perms.require(perms.can_change_institution(actor, institution))
    institution = Institution.objects.select_for_update().get(pk=institution.pk)
    assign_fields(institution, fields, INSTITUTION_FIELDS)
    save_with_history(institution, actor)
    if mandates is not None:
        institution.mandates.set(mandates)
    return institution


# --- People -----------------------------------------------------------------------------------


@transaction.atomic
def person_create(*, actor: User, institution: Institution, **fields) -> Person:
    perms.require(perms.can_add_person(actor, institution))
    person = Person(institution=institution)
    assign_fields(person, fields, PERSON_FIELDS - {"institution"})
    save_with_history(person, actor)
    return person


@transaction.atomic
def person_update(*, actor: User, person: Person, **fields) -> Person:
    perms.require(perms.can_change_person(actor, person))
    person = Person.objects.select_for_update().get(pk=person.pk)
    new_institution = fields.get("institution")
    if new_institution is not None and new_institution != person.institution:
        # Moving someone needs the right to add people to the institution they join.
        perms.require(perms.can_add_person(actor, new_institution))
    assign_fields(person, fields, PERSON_FIELDS)
    save_with_history(person, actor)
    return person


# --- Bodies and memberships -------------------------------------------------------------------


@transaction.atomic
def body_create(*, actor: User, conventions=(), secretariat=(), **fields) -> Body:
    perms.require(perms.can_add_body(actor))
    body = Body()
    assign_fields(body, fields, BODY_FIELDS)
    save_with_history(body, actor)
    body.conventions.set(conventions)
    # Whoever sets a body up serves it, with the colleagues named.
    for user in {actor, *secretariat}:
        if not perms.manages_every_body(user):
            assign_perm(perms.CHANGE_BODY, user, body)
    return body


@transaction.atomic
def body_update(*, actor: User, body: Body, conventions=None, secretariat=None, **fields) -> Body:
    perms.require(perms.can_manage_body(actor, body))
    body = Body.objects.select_for_update().get(pk=body.pk)
    assign_fields(body, fields, BODY_FIELDS)
    save_with_history(body, actor)
    if conventions is not None:
        body.conventions.set(conventions)
    if secretariat is not None:
        body_set_secretariat(actor=actor, body=body, users=secretariat)
    return body


def body_secretariat(body: Body) -> list[User]:
    """The people who serve a body (object permission), administrators aside."""
    return sorted(
        get_users_with_perms(body, only_with_perms_in=["change_body"], with_superusers=False),
        key=lambda u: u.email,
    )


@transaction.atomic
def body_set_secretariat(*, actor: User, body: Body, users) -> None:
    perms.require(perms.can_manage_body(actor, body))
    wanted = set(users)
    for user in set(body_secretariat(body)) - wanted:
        remove_perm(perms.CHANGE_BODY, user, body)
    for user in wanted:
        assign_perm(perms.CHANGE_BODY, user, body)


@transaction.atomic
def membership_add(
    *,
    actor: User,
    body: Body,
    institution: Institution,
    role: str = Membership.Role.MEMBER,
    start_date: datetime.date,
    end_date: datetime.date | None = None,
    invitation_letter=None,
    notes: str = "",
) -> Membership:
    perms.require(perms.can_manage_body(actor, body))
    check_period(start_date, end_date)
    Body.objects.select_for_update().get(pk=body.pk)  # one seat change per body at a time
    for seat in Membership.objects.filter(body=body, institution=institution):
        if seat.overlaps(start_date, end_date):
            raise ValidationError(
                _("%(institution)s already holds a seat in %(body)s from %(start)s.")
                % {"institution": institution, "body": body, "start": seat.start_date},
                code="seat_taken",
            )
    membership = Membership(
        body=body,
        institution=institution,
        role=role,
        start_date=start_date,
        end_date=end_date,
        invitation_letter=invitation_letter or "",
        notes=notes,
    )
    save_with_history(membership, actor)
    return membership


@transaction.atomic
def membership_end(
    *, actor: User, membership: Membership, end_date: datetime.date, notes: str = ""
) -> Membership:
    perms.require(perms.can_manage_body(actor, membership.body))
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.end_date is not None and membership.end_date <= timezone.localdate():
        raise ValidationError(_("This membership has already ended."), code="already_ended")
    check_period(membership.start_date, end_date)
    membership.end_date = end_date
    if notes:
        membership.notes = f"{membership.notes}\n{notes}".strip()
    save_with_history(membership, actor)
    return membership


@transaction.atomic
def membership_change_role(
    *, actor: User, membership: Membership, role: str, on: datetime.date
) -> Membership:
    """Close the seat on ``on`` and open it again with the new role, so the history shows both."""
    if role == membership.role:
        raise ValidationError(_("The institution already has this role."), code="same_role")
    ended = membership_end(actor=actor, membership=membership, end_date=on)
    return membership_add(
        actor=actor,
        body=ended.body,
        institution=ended.institution,
        role=role,
        start_date=on,
        invitation_letter=ended.invitation_letter,
    )


# --- Designations -----------------------------------------------------------------------------


@transaction.atomic
def designation_create(
    *,
    actor: User,
    person: Person,
    institution: Institution,
    kind: str,
    capacity: str = Designation.Capacity.PRINCIPAL,
    body: Body | None = None,
    convention_role: ConventionRole | None = None,
    start_date: datetime.date,
    end_date: datetime.date | None = None,
    letter=None,
    designated_by: str = "",
    secretariat_notified: bool = False,
    secretariat_notified_on: datetime.date | None = None,
) -> Designation:
    perms.require(perms.can_designate(actor))
    check_period(start_date, end_date)
    designation = Designation(
        person=person,
        institution=institution,
        kind=kind,
        capacity=capacity,
        body=body if kind == Designation.Kind.REPRESENTATIVE else None,
        convention_role=convention_role if kind == Designation.Kind.CONVENTION else None,
        start_date=start_date,
        end_date=end_date,
        letter=letter or "",
        designated_by=designated_by,
        secretariat_notified=secretariat_notified,
        secretariat_notified_on=secretariat_notified_on if secretariat_notified else None,
        created_by=actor,
    )
    if kind == Designation.Kind.REPRESENTATIVE and body is None:
        raise ValidationError(
            {"body": _("Choose the body the person represents the institution in.")}
        )
    if kind == Designation.Kind.CONVENTION and convention_role is None:
        raise ValidationError({"convention_role": _("Choose the convention role.")})
    if not person.active:
        raise ValidationError(
            _("%(person)s is marked as no longer active.") % {"person": person},
            code="person_inactive",
        )
    if kind != Designation.Kind.CONVENTION and person.institution_id != institution.pk:
        raise ValidationError(
            _("%(person)s works for %(other)s, not %(institution)s.")
            % {"person": person, "other": person.institution, "institution": institution},
            code="wrong_institution",
        )
    if kind == Designation.Kind.REPRESENTATIVE:
        seats = Membership.objects.filter(body=body, institution=institution)
        if not any(
            seat.overlaps(start_date, start_date + datetime.timedelta(days=1)) for seat in seats
        ):
            raise ValidationError(
                _(
                    "%(institution)s holds no seat in %(body)s on %(date)s: "
                    "add the membership first."
                )
                % {"institution": institution, "body": body, "date": start_date},
                code="not_a_member",
            )
    if capacity == Designation.Capacity.PRINCIPAL:
        holders = Designation.objects.select_for_update().filter(
            designation.slot_filter(), capacity=Designation.Capacity.PRINCIPAL
        )
        for holder in holders.select_related("person"):
            if holder.overlaps(start_date, end_date):
                raise ValidationError(
                    _(
                        "%(person)s already holds this role from %(start)s. End that designation "
                        "first (with a handover note), or designate an alternate."
                    )
                    % {"person": holder.person, "start": holder.start_date},
                    code="seat_taken",
                )
    save_with_history(designation, actor)
    _after_designation_change(designation, created=True)
    return designation


@transaction.atomic
def designation_end(
    *, actor: User, designation: Designation, end_date: datetime.date, handover_note: str
) -> Designation:
    perms.require(perms.can_end_designation(actor))
    designation = Designation.objects.select_for_update().get(pk=designation.pk)
    if designation.ended_at is not None:
        raise ValidationError(_("This designation has already been ended."), code="already_ended")
    if not handover_note.strip():
        raise ValidationError(
            {"handover_note": _("Write a handover note: what the successor needs to know.")},
            code="handover_required",
        )
    check_period(designation.start_date, end_date)
    designation.end_date = end_date
    designation.handover_note = handover_note.strip()
    designation.ended_at = timezone.now()
    designation.ended_by = actor
    save_with_history(designation, actor)
    _after_designation_change(designation, created=False)
    return designation


def _after_designation_change(designation: Designation, *, created: bool) -> None:
    from coordination import tasks
    from coordination.accounts.services import account_role_sync

    user_id = designation.person.user_id
    if designation.kind == Designation.Kind.INSTITUTION_FOCAL_POINT and user_id:
        focal_point_permissions_sync(user_ids=[user_id])
    if user_id:
        # The role follows the designations: ending the last one withdraws what it granted.
        account_role_sync(person=designation.person)
    if created:
        transaction.on_commit(lambda: tasks.designation_created_notify.delay(designation.pk))
    else:
        transaction.on_commit(lambda: tasks.designation_ended_notify.delay(designation.pk))


def focal_point_permissions_sync(*, user_ids=None, on: datetime.date | None = None) -> dict:
    """Give each current institution focal point (principal or alternate) with an account the
    right to change their institution, and take it from those whose designation is over.

    Designations are the source of truth; run daily, it catches designations that start or end
    by date. Returns how many permissions were granted and revoked."""
    from django.contrib.contenttypes.models import ContentType
    from guardian.models import UserObjectPermission

    current = Designation.objects.current(on).filter(
        kind=Designation.Kind.INSTITUTION_FOCAL_POINT, person__user__isnull=False
    )
    if user_ids is not None:
        current = current.filter(person__user_id__in=user_ids)
    wanted = {
        (uid, str(iid)) for uid, iid in current.values_list("person__user_id", "institution_id")
    }

    content_type = ContentType.objects.get_for_model(Institution)
    existing = UserObjectPermission.objects.filter(
        permission__codename="change_institution", content_type=content_type
    )
    if user_ids is not None:
        existing = existing.filter(user_id__in=user_ids)
    have = {(row.user_id, row.object_pk): row.pk for row in existing}

    stale = [pk for key, pk in have.items() if key not in wanted]
    UserObjectPermission.objects.filter(pk__in=stale).delete()
    missing = wanted - set(have)
    if missing:
        users = User.objects.in_bulk({uid for uid, _ in missing})
        institutions = Institution.objects.in_bulk({int(iid) for _, iid in missing})
        for uid, iid in missing:
            assign_perm(perms.CHANGE_INSTITUTION, users[uid], institutions[int(iid)])
    return {"granted": len(missing), "revoked": len(stale)}
