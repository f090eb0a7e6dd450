"""Which reporting records retire which cached fragments (see ncm_portal.fragments and
coordination.fragments): the Article 15 rounds, reports and their sections' assignments, and the
obligations under the conventions (with the import responses they link to) are deadlines of
the calendar and of the home page."""

from coordination.fragments import CALENDAR, DEADLINES
from ncm_portal import fragments

# A report's trail on its page: its events, the sections they name (and their people, USERS).
TRAIL = "report-trail"


def connect() -> None:
    from reporting.models import (
        ImportResponse,
        ObligationInstance,
        Report,
        ReportEvent,
        Round,
        Section,
        SectionAssignment,
    )

    fragments.connect(
        {
            Round: (CALENDAR, DEADLINES),
            Section: (CALENDAR, DEADLINES, TRAIL),
            Report: (CALENDAR, DEADLINES),
            SectionAssignment: (CALENDAR, DEADLINES, TRAIL),
            ReportEvent: (TRAIL,),
            ObligationInstance: (CALENDAR, DEADLINES),
            ImportResponse: (CALENDAR, DEADLINES),
        },
        "reporting",
    )
