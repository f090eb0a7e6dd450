"""Authentication backends that answer permission checks with fewer queries.

Every page asks several permission questions. Django's model backend loads a user's own and their
groups' permissions in two queries, and django-guardian's backend loads an object's permissions
afresh for every question. These answer the same questions the same way, with the user's model
permissions in one query and each object's permissions loaded once per user object, which is
once per request (the request's user is fetched anew for every request).
"""

from django.contrib.auth.backends import ModelBackend, UserModel
from django.contrib.auth.models import Group, Permission
from django.db.models import Q
from guardian.backends import ObjectPermissionBackend, check_support
from guardian.conf import settings as guardian_settings
from guardian.core import ObjectPermissionChecker
from guardian.ctypes import get_content_type
from guardian.exceptions import WrongAppError

from coordination.models import ROLE_GROUPS, Notification

# What the menu asks on every page (may this person upload a dataset?), answered with the user.
CHANGE_INSTITUTION = {"content_type__app_label": "coordination", "codename": "change_institution"}


class PortalModelBackend(ModelBackend):
    """Django's model backend; the signed-in user arrives with their model permissions (their
    own and their groups'), the role groups they belong to (``User.role``), their person,
    their count of unread notifications (the menu's badge) and whether they keep every
    institution's record or some (``coordination.permissions.keeps_every_institution`` and
    ``keeps_an_institution``, which decide the menu's upload entry)."""

    def get_user(self, user_id):
        user = _signed_in_user(user_id)
        if user is None or not self.user_can_authenticate(user):
            return None
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


def _signed_in_user(user_id):
    """The signed-in user with their person and what every page asks of them, in one query
    whose SQL is built once per process (``_signed_in_sql``): Django's compiler and the
    database's planner each took milliseconds, on every page, over the eight subqueries of the
    same question asked as annotations."""
    from django.db import connection

    try:
        user_id = int(user_id)
    except (TypeError, ValueError):
        return None
    sql, params, user_fields, person_fields = _signed_in_sql(connection)
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, user_id])
        row = cursor.fetchone()
    if row is None:
        return None
    n_user, n_person = len(user_fields), len(person_fields)
    user = UserModel.from_db(connection.alias, user_fields, row[:n_user])
    person_values = row[n_user : n_user + n_person]
    person_field = UserModel._meta.get_field("person")
    if person_values[0] is None:
        person = None
    else:
        person = person_field.related_model.from_db(connection.alias, person_fields, person_values)
        person_field.remote_field.set_cached_value(person, user)
    person_field.set_cached_value(user, person)
    role_bits, every, some, unread, permissions = row[n_user + n_person :]
    # What User.role reads: which of the role groups the user belongs to.
    user._group_names = {
        name for i, name in enumerate(ROLE_GROUPS.values()) if (role_bits or 0) & (1 << i)
    }
    user.keeps_every_institution = bool(every)
    user.keeps_an_institution = bool(some)
    user.unread_notification_count = unread or 0
    if not user.is_superuser:  # what ``get_all_permissions`` reads: the user's and their groups'
        user._perm_cache = set((permissions or "").split())
    return user


_SIGNED_IN_SQL: dict = {}


def _signed_in_sql(connection):
    """The SQL of ``_signed_in_user`` for this database, built from the models' tables and
    columns: the user and their person, a bit per role group the user belongs to, whether they
    hold the permission to change every institution (their own or a group's) or some institution
    (an object permission, their own or a group's), their unread notifications and their model
    permissions. Its last parameter is the user's id."""
    key = connection.vendor
    if key not in _SIGNED_IN_SQL:
        _SIGNED_IN_SQL[key] = _build_signed_in_sql(connection)
    return _SIGNED_IN_SQL[key]


def _build_signed_in_sql(connection):
    from django.contrib.contenttypes.models import ContentType
    from guardian.models import GroupObjectPermission, UserObjectPermission

    # Every name below is a table or column of the models, quoted; values go as parameters.
    q = connection.ops.quote_name

    def table(model):
        return q(model._meta.db_table)

    def column(model, name):
        return q(model._meta.get_field(name).column)

    person_model = UserModel._meta.get_field("person").related_model
    user_fields = [f.attname for f in UserModel._meta.concrete_fields]
    person_fields = [f.attname for f in person_model._meta.concrete_fields]
    user_groups = UserModel.groups.through
    user_perms = UserModel.user_permissions.through
    group_perms = Group.permissions.through
    user_pk = f"u.{q(UserModel._meta.pk.column)}"
    ug_user = column(user_groups, UserModel._meta.model_name)
    ug_group = column(user_groups, "group")
    # The permission asked for, joined to its content type.
    joins = (
        f"JOIN {table(Permission)} p ON p.{column(Permission, 'id')} = x.perm "
        f"JOIN {table(ContentType)} ct ON ct.{column(ContentType, 'id')} "
        f"= p.{column(Permission, 'content_type')}"
    )
    condition = (
        f"p.{column(Permission, 'codename')} = %s AND ct.{column(ContentType, 'app_label')} = %s"
    )
    perm_params = [CHANGE_INSTITUTION["codename"], CHANGE_INSTITUTION["content_type__app_label"]]

    def exists_held(own_table, own_user, own_perm, group_table, group_group, group_perm):
        """The user holds the permission in ``own_table`` or through one of their groups in
        ``group_table``."""
        return (
            f"EXISTS (SELECT 1 FROM (SELECT o.{own_perm} AS perm FROM {own_table} o "  # noqa: S608
            f"WHERE o.{own_user} = {user_pk} "
            f"UNION ALL SELECT g.{group_perm} FROM {group_table} g "
            f"JOIN {table(user_groups)} ug ON ug.{ug_group} = g.{group_group} "
            f"WHERE ug.{ug_user} = {user_pk}) x {joins} WHERE {condition})"
        )

    every = exists_held(
        table(user_perms),
        column(user_perms, UserModel._meta.model_name),
        column(user_perms, "permission"),
        table(group_perms),
        column(group_perms, "group"),
        column(group_perms, "permission"),
    )
    some = exists_held(
        table(UserObjectPermission),
        column(UserObjectPermission, "user"),
        column(UserObjectPermission, "permission"),
        table(GroupObjectPermission),
        column(GroupObjectPermission, "group"),
        column(GroupObjectPermission, "permission"),
    )
    # The user's model permissions, their own and their groups', as "app_label.codename" words.
    concat = "string_agg" if connection.vendor == "postgresql" else "group_concat"
    label = f"ct.{column(ContentType, 'app_label')} || '.' || p.{column(Permission, 'codename')}"
    permissions = (
        f"(SELECT {concat}(x.perm, ' ') FROM ("  # noqa: S608
        f"SELECT {label} AS perm FROM {table(user_perms)} o "
        f"JOIN {table(Permission)} p ON p.{column(Permission, 'id')} = "
        f"o.{column(user_perms, 'permission')} "
        f"JOIN {table(ContentType)} ct ON ct.{column(ContentType, 'id')} "
        f"= p.{column(Permission, 'content_type')} "
        f"WHERE o.{column(user_perms, UserModel._meta.model_name)} = {user_pk} "
        f"UNION SELECT {label} FROM {table(group_perms)} g "
        f"JOIN {table(user_groups)} ug ON ug.{ug_group} = g.{column(group_perms, 'group')} "
        f"JOIN {table(Permission)} p ON p.{column(Permission, 'id')} = "
        f"g.{column(group_perms, 'permission')} "
        f"JOIN {table(ContentType)} ct ON ct.{column(ContentType, 'id')} "
        f"= p.{column(Permission, 'content_type')} "
        f"WHERE ug.{ug_user} = {user_pk}) x)"
    )
    bits = " ".join(f"WHEN %s THEN {1 << i}" for i in range(len(ROLE_GROUPS)))
    roles = (
        f"(SELECT SUM(CASE gr.{column(Group, 'name')} {bits} ELSE 0 END) "  # noqa: S608
        f"FROM {table(Group)} gr JOIN {table(user_groups)} ug "
        f"ON ug.{ug_group} = gr.{column(Group, 'id')} WHERE ug.{ug_user} = {user_pk})"
    )
    unread = (
        f"(SELECT COUNT(*) FROM {table(Notification)} n "  # noqa: S608
        f"WHERE n.{column(Notification, 'user')} = {user_pk} "
        f"AND n.{column(Notification, 'read_at')} IS NULL)"
    )
    user_columns = ", ".join(f"u.{q(f.column)}" for f in UserModel._meta.concrete_fields)
    person_columns = ", ".join(f"pe.{q(f.column)}" for f in person_model._meta.concrete_fields)
    sql = (
        f"SELECT {user_columns}, {person_columns}, {roles}, {every}, {some}, {unread}, "  # noqa: S608
        f"{permissions} "
        f"FROM {table(UserModel)} u LEFT JOIN {table(person_model)} pe "
        f"ON pe.{column(person_model, 'user')} = {user_pk} "
        f"WHERE {user_pk} = %s"
    )
    params = [*ROLE_GROUPS.values(), *perm_params, *perm_params]
    return sql, params, user_fields, person_fields
