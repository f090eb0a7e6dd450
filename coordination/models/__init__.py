from .accounts import ROLE_GROUPS, Role, User, UserManager
from .registry import (
    Body,
    Convention,
    ConventionRole,
    Designation,
    Institution,
    Mandate,
    Membership,
    PeriodQuerySet,
    Person,
    today,
)

__all__ = [
    "ROLE_GROUPS",
    "Body",
    "Convention",
    "ConventionRole",
    "Designation",
    "Institution",
    "Mandate",
    "Membership",
    "PeriodQuerySet",
    "Person",
    "Role",
    "User",
    "UserManager",
    "today",
]
