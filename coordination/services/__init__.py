"""Every write of the coordination app: the registry, workplans and progress, reminders."""

from .registry import (
    body_create,
    body_secretariat,
    body_set_secretariat,
    body_update,
    designation_create,
    designation_end,
    focal_point_permissions_sync,
    institution_create,
    institution_update,
    membership_add,
    membership_change_role,
    membership_end,
    person_create,
    person_update,
)

__all__ = [
    "body_create",
    "body_secretariat",
    "body_set_secretariat",
    "body_update",
    "designation_create",
    "designation_end",
    "focal_point_permissions_sync",
    "institution_create",
    "institution_update",
    "membership_add",
    "membership_change_role",
    "membership_end",
    "person_create",
    "person_update",
]
