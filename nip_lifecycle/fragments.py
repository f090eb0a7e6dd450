"""Which NIP records retire which cached fragments (see ncm_portal.fragments and
coordination.fragments): the cycles (their transmission deadline, with their amendments and the
reference amendments that set it) and their steps are deadlines of the calendar."""

from coordination.fragments import CALENDAR
from ncm_portal import fragments


def connect() -> None:
    from nip_lifecycle.models import Cycle, CycleAmendment, ReferenceAmendment, Step

    fragments.connect(
        {
            Cycle: (CALENDAR,),
            CycleAmendment: (CALENDAR,),
            ReferenceAmendment: (CALENDAR,),
            Step: (CALENDAR,),
        },
        "nip_lifecycle",
    )
