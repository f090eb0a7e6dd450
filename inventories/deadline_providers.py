"""The inventories' deadlines: datasets owed under a submission schedule."""

import datetime

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from coordination.registry.selectors import focal_point_user_ids
from inventories.models import DatasetType
from inventories.schedules import owed
from ncm_portal.deadlines import Deadline, DeadlineKind

SINCE_DAYS = 120  # periods due longer ago than this are no longer reminded


def datasets_due(on: datetime.date):
    items = [o for o in owed(on=on, since_days=SINCE_DAYS) if o.delivered is None]
    focal = focal_point_user_ids({o.schedule.institution_id for o in items}, on)
    for item in items:
        recipients = focal[item.schedule.institution_id]
        if recipients:
            yield _dataset_deadline(item, tuple(sorted(recipients)))


def datasets_due_for(me, on: datetime.date):
    """The periods owed by the institutions this person is focal point of (two queries)."""
    if not me.focal_institution_ids:
        return
    for item in owed(on=on, since_days=SINCE_DAYS, institution_ids=me.focal_institution_ids):
        if item.delivered is None:
            yield _dataset_deadline(item, (me.user_id,))


def _dataset_deadline(item, recipients) -> Deadline:
    return Deadline(
        kind="dataset_due",
        key=f"schedule:{item.schedule.pk}:{item.period_start.isoformat()}",
        due=item.due,
        title=DatasetType(item.schedule.dataset_type).label,  # lazy: rendered per language
        url=reverse("inventories:upload") + f"?institution={item.schedule.institution_id}"
        f"&dataset_type={item.schedule.dataset_type}&period_start={item.period_start}"
        f"&period_end={item.period_end}",
        recipient_ids=recipients,
        context={
            "institution": item.schedule.institution.name,
            "dataset_type": item.schedule.dataset_type,
            "period_start": item.period_start,
            "period_end": item.period_end,
        },
    )


KINDS = [
    DeadlineKind(
        "dataset_due",
        _("Datasets owed under a submission schedule"),
        datasets_due,
        lead_days=(14, 3, 0),
        for_person=datasets_due_for,
    ),
]
