"""Who may change what in the registry. Each helper answers for one user and one object:
a model-wide permission (from the role group) or an object permission (django-guardian)."""

from django.core.exceptions import PermissionDenied

from coordination.models import Body, Institution, Person, Role

CHANGE_INSTITUTION = "coordination.change_institution"
CHANGE_BODY = "coordination.change_body"


def has_model_or_object_perm(user, perm: str, obj) -> bool:
    """Whether this active user holds ``perm`` model-wide (their role) or on ``obj``."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.has_perm(perm) or user.has_perm(perm, obj)


def institution_ids_kept_by(user) -> frozenset[int]:
    """The institutions this user keeps as their focal point (the object permission, not the
    role-wide one the secretariat holds), asked once per request: pages that list many objects
    of many institutions ask it for every row."""
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    cached = getattr(user, "_institution_ids_kept", None)
    if cached is None:
        cached = user._institution_ids_kept = _institution_ids_kept(user)
    return cached


def _institution_ids_kept(user) -> frozenset[int]:
    """What guardian's ``get_objects_for_user(user, CHANGE_INSTITUTION, klass=Institution,
    accept_global_perms=False)`` answers (every institution for a superuser; else those the user
    or one of their groups holds the object permission on), in one query built without guardian's
    generic machinery, which cost more than the query; none, without a query, for a signed-in
    user who arrived knowing they keep no institution (``auth_backends``). Like that knowledge,
    it reads the permissions alone: institutions are never deleted while a focal point holds
    one (designations protect them, and ``focal_point_permissions_sync`` takes the permission
    back when a designation ends)."""
    if user.is_superuser:
        return frozenset(Institution.objects.values_list("pk", flat=True))
    if getattr(user, "keeps_an_institution", None) is False:
        return frozenset()
    from django.contrib.contenttypes.models import ContentType
    from guardian.models import GroupObjectPermission, UserObjectPermission

    permission = {
        "permission__content_type": ContentType.objects.get_for_model(Institution),
        "permission__codename": CHANGE_INSTITUTION.split(".")[1],
    }
    own = UserObjectPermission.objects.filter(user=user, **permission)
    groups = GroupObjectPermission.objects.filter(group__user=user, **permission)
    pks = own.values_list("object_pk", flat=True).union(groups.values_list("object_pk", flat=True))
    return frozenset(int(pk) for pk in pks)


def keeps_every_institution(user) -> bool:
    """The secretariat's role-wide permission on every institution's record (the signed-in user
    arrives knowing it: see ``auth_backends``)."""
    if not user.is_authenticated or not user.is_active:
        return False
    known = getattr(user, "keeps_every_institution", None)
    if known is None or user.is_superuser:
        return user.has_perm(CHANGE_INSTITUTION)
    return known


def keeps_an_institution(user) -> bool:
    """Focal point of at least one institution (the object permission)."""
    if not user.is_authenticated or not user.is_active:
        return False
    known = getattr(user, "keeps_an_institution", None)
    if known is None:
        return bool(institution_ids_kept_by(user))
    return known


# --- Roles -------------------------------------------------------------------------------------
# What a role may do is asked by role, never through a permission the role happens to carry.

SECRETARIAT_ROLES = (Role.SECRETARIAT, Role.ADMINISTRATOR)


def has_role(user) -> bool:
    """Signed in, active, and given one of the portal's roles: every role reads the registry,
    the bodies, the NIP cycles and the national reports."""
    return bool(user.is_authenticated and user.is_active and user.has_role)


def is_secretariat(user) -> bool:
    """The secretariat, or an administrator (who may do all the secretariat does): keeps the
    mechanism's files (meetings, documents, events, NIP cycles) and sees every document."""
    return bool(user.is_authenticated and user.is_active and user.role in SECRETARIAT_ROLES)


def can_add_institution(user) -> bool:
    return user.has_perm("coordination.add_institution")


def can_change_institution(user, institution: Institution) -> bool:
    return has_model_or_object_perm(user, CHANGE_INSTITUTION, institution)


def can_add_any_person(user) -> bool:
    """Places a person in any institution (the secretariat; focal points only in their own)."""
    return user.has_perm("coordination.add_person")


def can_add_person(user, institution: Institution) -> bool:
    """The secretariat adds anyone; a focal point adds contacts to their own institution."""
    return can_add_any_person(user) or has_model_or_object_perm(
        user, CHANGE_INSTITUTION, institution
    )


def can_link_accounts(user) -> bool:
    """Links a person to a user account."""
    return user.has_perm("coordination.change_user")


def can_change_person(user, person: Person) -> bool:
    return user.has_perm("coordination.change_person") or has_model_or_object_perm(
        user, CHANGE_INSTITUTION, person.institution
    )


def can_designate(user) -> bool:
    return user.has_perm("coordination.add_designation")


def can_end_designation(user) -> bool:
    return user.has_perm("coordination.change_designation")


def can_add_body(user) -> bool:
    return user.has_perm("coordination.add_body")


def manages_every_body(user) -> bool:
    """The model-wide permission on bodies (administrators); the secretariat manages only the
    bodies it serves (an object permission each)."""
    return user.has_perm(CHANGE_BODY)


def can_manage_body(user, body: Body) -> bool:
    """Change a body and its memberships: administrators, and the secretariat serving it."""
    return has_model_or_object_perm(user, CHANGE_BODY, body)


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def can_manage_workplan(user, workplan) -> bool:
    """Workplans belong to a body: those who manage the body manage its plan."""
    return can_manage_body(user, workplan.body)


def can_report_progress(user, task) -> bool:
    """The lead institution's focal point reports on a task (the secretariat may, for them)."""
    return has_model_or_object_perm(user, CHANGE_INSTITUTION, task.lead_institution)


def can_add_documents(user, body=None) -> bool:
    """The secretariat files documents; for a body's documents, the secretariat serving it."""
    if body is not None:
        return can_manage_body(user, body)
    return user.has_perm("coordination.add_document")


def is_member_of(user, body) -> bool:
    person = getattr(user, "person", None)
    if person is None or body is None:
        return False
    from coordination.models import Membership

    return (
        Membership.objects.current().filter(body=body, institution=person.institution_id).exists()
    )


def can_view_document(user, document) -> bool:
    """Files go only to their audience: members of the body, everyone signed in, or the
    secretariat alone."""
    if not user.is_authenticated:
        return False
    if is_secretariat(user):
        return True
    audience = document.audience
    if audience == document.Audience.SIGNED_IN:
        return True
    if audience == document.Audience.BODY_MEMBERS:
        body = document.audience_body
        return body is not None and (is_member_of(user, body) or can_manage_body(user, body))
    return False


# The audit history: who changed what across the registry, workplans and reports.
AUDITORS = (Role.SECRETARIAT, Role.ADMINISTRATOR)


def can_add_events(user) -> bool:
    """Adds and changes the external events of the calendar."""
    return user.has_perm("coordination.add_externalevent")


def can_view_audit_log(user) -> bool:
    return user.is_authenticated and (user.is_superuser or user.role in AUDITORS)


def can_use_admin_site(user) -> bool:
    """The Django admin site lets in staff only (and then asks its own model permissions)."""
    return user.is_authenticated and user.is_active and user.is_staff
