"""Which reporting records retire which cached fragments (see ncm_portal.fragments and
coordination.fragments): the Article 15 rounds, reports and their sections' assignments, and the
obligations under the conventions (with the import responses they link to) are deadlines of
the calendar."""

from coordination.fragments import CALENDAR
from ncm_portal import fragments


def connect() -> None:
    from reporting.models import (
        ImportResponse,
        ObligationInstance,
        Report,
        Round,
        Section,
        SectionAssignment,
    )

    fragments.connect(
        {
            Round: (CALENDAR,),
            Section: (CALENDAR,),
            Report: (CALENDAR,),
            SectionAssignment: (CALENDAR,),
            ObligationInstance: (CALENDAR,),
            ImportResponse: (CALENDAR,),
        },
        "reporting",
    )
