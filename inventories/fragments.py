"""Which dataset records retire which cached fragments (see ncm_portal.fragments and
coordination.fragments): the submission schedules, datasets and versions that the home page's
"datasets due" deadlines read."""

from coordination.fragments import DEADLINES
from ncm_portal import fragments


def connect() -> None:
    from inventories.models import Dataset, DatasetVersion, SubmissionSchedule

    fragments.connect(
        {
            SubmissionSchedule: (DEADLINES,),
            Dataset: (DEADLINES,),
            DatasetVersion: (DEADLINES,),
        },
        "inventories",
    )
