"""The admin site looks for ``coordination.admin``: each feature registers its models in its own
``admin`` module, imported here."""

import coordination.accounts.admin  # noqa: F401
import coordination.ballots.admin  # noqa: F401
import coordination.calendars.admin  # noqa: F401
import coordination.documents.admin  # noqa: F401
import coordination.meetings.admin  # noqa: F401
import coordination.registry.admin  # noqa: F401
import coordination.reminders.admin  # noqa: F401
import coordination.workplans.admin  # noqa: F401
