from .accounts import ROLE_GROUPS, Role, User, UserManager
from .notifications import DigestSent, Notification, NotificationPreference, Reminder
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
from .workplans import (
    Activity,
    ProgressReport,
    ReportingRound,
    Task,
    Workplan,
    WorkplanRevision,
)

__all__ = [
    "ROLE_GROUPS",
    "Activity",
    "DigestSent",
    "Notification",
    "NotificationPreference",
    "ProgressReport",
    "Reminder",
    "ReportingRound",
    "Task",
    "Workplan",
    "WorkplanRevision",
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
