"""Authentication backends that answer permission checks with fewer queries.

Every page asks several permission questions. Django's model backend loads a user's own and their
groups' permissions in two queries, and django-guardian's backend loads an object's permissions
afresh for every question. These answer the same questions the same way, with the user's model
permissions in one query and each object's permissions loaded once per user object, which is
once per request (the request's user is fetched anew for every request).
"""

from django.contrib.auth.backends import ModelBackend, UserModel
from django.contrib.auth.models import Group, Permission
from django.db.models import Exists, F, Func, OuterRef, Q, Subquery
from guardian.backends import ObjectPermissionBackend, check_support
from guardian.conf import settings as guardian_settings
from guardian.core import ObjectPermissionChecker
from guardian.ctypes import get_content_type
from guardian.exceptions import WrongAppError

from coordination.models import ROLE_GROUPS, Notification

# What the menu asks on every page (may this person upload a dataset?), answered with the user.
CHANGE_INSTITUTION = {"content_type__app_label": "coordination", "codename": "change_institution"}


class PortalModelBackend(ModelBackend):
    """Django's model backend; a user's own and group permissions come in one query, and the
    signed-in user arrives with the role groups they belong to (``User.role``), their person,
    their count of unread notifications (the menu's badge) and whether they keep every
    institution's record or some (``coordination.permissions.keeps_every_institution`` and
    ``keeps_an_institution``, which decide the menu's upload entry)."""

    def get_user(self, user_id):
        user = _signed_in_users().filter(pk=user_id).first()
        if user is None or not self.user_can_authenticate(user):
            return None
        # What User.role reads: which of the role groups the user belongs to.
        user._group_names = {
            name
            for i, name in enumerate(ROLE_GROUPS.values())
            if getattr(user, f"in_role_group_{i}")
        }
        return user

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            if user_obj.is_superuser:
                perms = Permission.objects.all()
            else:
                perms = Permission.objects.filter(Q(user=user_obj) | Q(group__user=user_obj))
            rows = perms.values_list("content_type__app_label", "codename").distinct()
            user_obj._perm_cache = {f"{app_label}.{codename}" for app_label, codename in rows}
        return user_obj._perm_cache


class PortalObjectPermissionBackend(ObjectPermissionBackend):
    """django-guardian's backend with one permission checker per user object, which keeps the
    permissions of each object it has looked at."""

    def has_perm(self, user_obj, perm, obj=None):
        support, user_obj = check_support(user_obj, obj)
        if not support:
            return False
        if "." in perm:
            app_label, _ = perm.split(".", 1)
            if app_label != obj._meta.app_label and app_label != get_content_type(obj).app_label:
                raise WrongAppError(
                    f"Passed perm has app label of '{app_label}' while given obj has app label "
                    f"'{obj._meta.app_label}'"
                )
        checker = getattr(user_obj, "_object_permission_checker", None)
        if checker is None:
            checker = user_obj._object_permission_checker = _Checker(user_obj)
        return checker.has_perm(perm, obj)


class _Checker(ObjectPermissionChecker):
    """Guardian's checker; a user's own and group permissions on an object come in one query
    (a UNION of guardian's two queries)."""

    def get_perms(self, obj):
        user = self.user
        if not user or not user.is_active or user.is_superuser or guardian_settings.AUTO_PREFETCH:
            return super().get_perms(obj)
        key = self.get_local_cache_key(obj)
        if key not in self._obj_perms_cache:
            both = self.get_user_perms(obj).order_by().union(self.get_group_perms(obj).order_by())
            self._obj_perms_cache[key] = list(set(both))
        return self._obj_perms_cache[key]


_SIGNED_IN_USERS = []


def _signed_in_users():
    """The annotated query of ``PortalModelBackend.get_user``, built once per process: every
    request filters a clone of it by the user's id, instead of building its eight subqueries
    again (a few milliseconds of Python on every page)."""
    if not _SIGNED_IN_USERS:
        _SIGNED_IN_USERS.append(_build_signed_in_users())
    return _SIGNED_IN_USERS[0]


def _build_signed_in_users():
    flags = {
        f"in_role_group_{i}": Exists(Group.objects.filter(user=OuterRef("pk"), name=name))
        for i, name in enumerate(ROLE_GROUPS.values())
    }
    unread = (
        Notification.objects.filter(user=OuterRef("pk"), read_at__isnull=True)
        .order_by()
        .annotate(n=Func(F("pk"), function="COUNT"))
        .values("n")
    )
    from guardian.models import GroupObjectPermission, UserObjectPermission

    perm = {f"permission__{k}": v for k, v in CHANGE_INSTITUTION.items()}
    institutions = {
        "keeps_every_institution": Exists(
            Permission.objects.filter(user=OuterRef("pk"), **CHANGE_INSTITUTION)
        )
        | Exists(Permission.objects.filter(group__user=OuterRef("pk"), **CHANGE_INSTITUTION)),
        "keeps_an_institution": Exists(
            UserObjectPermission.objects.filter(user=OuterRef("pk"), **perm)
        )
        | Exists(GroupObjectPermission.objects.filter(group__user=OuterRef("pk"), **perm)),
    }
    return UserModel._default_manager.annotate(
        **flags, **institutions, unread_notification_count=Subquery(unread)
    ).select_related("person")
