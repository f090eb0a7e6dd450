"""The inventories' deadlines: datasets owed under a submission schedule."""

import datetime

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from coordination.deadline_providers import focal_point_user_ids
from inventories.models import DatasetType
from inventories.schedules import owed
from ncm_portal.deadlines import Deadline, DeadlineKind


def datasets_due(on: datetime.date):
    items = [o for o in owed(on=on, since_days=120) if o.delivered is None]
    focal = focal_point_user_ids({o.schedule.institution_id for o in items}, on)
    for item in items:
        recipients = focal[item.schedule.institution_id]
        if not recipients:
            continue
        yield Deadline(
            kind="dataset_due",
            key=f"schedule:{item.schedule.pk}:{item.period_start.isoformat()}",
            due=item.due,
            title=DatasetType(item.schedule.dataset_type).label,  # lazy: rendered per language
            url=reverse("inventories:upload") + f"?institution={item.schedule.institution_id}"
            f"&dataset_type={item.schedule.dataset_type}&period_start={item.period_start}"
            f"&period_end={item.period_end}",
            recipient_ids=tuple(sorted(recipients)),
            context={
                "institution": item.schedule.institution.name,
                "dataset_type": item.schedule.dataset_type,
                "period_start": item.period_start,
                "period_end": item.period_end,
            },
        )


KINDS = [
    DeadlineKind("dataset_due", _("Datasets owed under a submission schedule"), datasets_due,
                 lead_days=(14, 3, 0)),
]  # fmt: skip
