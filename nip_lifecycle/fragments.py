"""Which NIP records retire which cached fragments (see ncm_portal.fragments and
coordination.fragments): the cycles (their transmission deadline, with their amendments and the
reference amendments that set it) and their steps are deadlines of the calendar; with the draft's
sections and the consultation's comments, they are also the home page's deadlines."""

from coordination.fragments import CALENDAR, DEADLINES
from ncm_portal import fragments


def connect() -> None:
    from nip_lifecycle.models import (
        ConsultationComment,
        Cycle,
        CycleAmendment,
        DraftSection,
        ReferenceAmendment,
        Step,
    )

    fragments.connect(
        {
            Cycle: (CALENDAR, DEADLINES),
            CycleAmendment: (CALENDAR, DEADLINES),
            ReferenceAmendment: (CALENDAR, DEADLINES),
            Step: (CALENDAR, DEADLINES),
            DraftSection: (DEADLINES,),
            ConsultationComment: (DEADLINES,),
        },
        "nip_lifecycle",
    )
